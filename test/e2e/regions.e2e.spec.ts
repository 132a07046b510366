import request from 'supertest';
import { TestApp, createTestApp } from '../support/app';
import { loginAs } from '../support/identity';

describe('regions API', () => {
  let t: TestApp;
  let auth: { Authorization: string };
  beforeAll(async () => {
    t = await createTestApp();
    auth = await loginAs(t, 'jj_window');
  });
  afterAll(() => t?.close());

  it('lists the 21 市州 of Sichuan in code order', async () => {
    const res = await request(t.http).get('/api/regions?parent=510000').set(auth).expect(200);
    expect(res.body).toHaveLength(21);
    const codes = res.body.map((r: { code: string }) => r.code);
    expect(codes).toEqual([...codes].sort());
    expect(res.body[0]).toMatchObject({ code: '510100', name: '成都市', level: 'prefecture', groups: ['CDMZ'] });
    expect(res.body.find((r: { code: string }) => r.code === '513400').name).toBe('凉山彝族自治州');
  });

  it('returns a street with its ancestors from the province down', async () => {
    const res = await request(t.http).get('/api/regions/510104017').set(auth).expect(200);
    expect(res.body).toMatchObject({ code: '510104017', name: '锦官驿街道', level: 'township', parentCode: '510104' });
    expect(res.body.ancestors.map((a: { code: string }) => a.code)).toEqual(['510000', '510100', '510104']);
  });

  it('holds every county-level unit and township, the functional zones and the CDMZ group', async () => {
    const [{ county, township }] = await t.ds.query(
      `SELECT count(*) FILTER (WHERE level = 'county' AND valid_to IS NULL)::int AS county,
              count(*) FILTER (WHERE level = 'township')::int AS township FROM regions`,
    );
    expect(county).toBe(183);
    expect(township).toBe(3111);
    const chengdu = await request(t.http).get('/api/regions?parent=510100').set(auth).expect(200);
    const zones = chengdu.body.filter((r: { official: boolean }) => !r.official).map((r: { name: string }) => r.name);
    expect(zones).toEqual(expect.arrayContaining(['成都高新技术产业开发区', '四川天府新区成都直管区', '成都东部新区']));
    expect(zones).toHaveLength(3);
    const cdmz = await request(t.http).get('/api/regions?group=CDMZ').set(auth).expect(200);
    expect(cdmz.body.map((r: { code: string }) => r.code)).toEqual(['510100', '510600', '511400', '512000']);
  });

  it('keeps a renamed code with its validity dates and successor', async () => {
    const old = await request(t.http).get('/api/regions/510124').set(auth).expect(200);
    expect(old.body).toMatchObject({ name: '郫县', validTo: '2016-11-24', successorCode: '510117' });
    const current = await request(t.http).get('/api/regions?parent=510100').set(auth).expect(200);
    expect(current.body.map((r: { code: string }) => r.code)).not.toContain('510124');
    const withHistory = await request(t.http).get('/api/regions?parent=510100&includeHistory=true').set(auth).expect(200);
    expect(withHistory.body.map((r: { code: string }) => r.code)).toContain('510124');
  });

  it('answers an unknown code with 404 and a malformed one with 400 naming the field', async () => {
    const missing = await request(t.http).get('/api/regions/519999').set(auth).expect(404);
    expect(missing.body).toMatchObject({ code: 'REGION_NOT_FOUND' });
    const bad = await request(t.http).get('/api/regions/abc').set(auth).expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    expect(bad.body.details.fields[0].field).toBe('code');
    const badQuery = await request(t.http).get('/api/regions?parent=51&includeHistory=maybe').set(auth).expect(400);
    expect(badQuery.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['includeHistory', 'parent']);
  });

  it('is served to logged-in users only', async () => {
    const res = await request(t.http).get('/api/regions/510104').expect(401);
    expect(res.body.code).toBe('LOGIN_REQUIRED');
  });
});
