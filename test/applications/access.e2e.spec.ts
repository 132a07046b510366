import request from 'supertest';
import { TestApp, createTestApp } from '../support/app';
import { loginAs, setClock } from '../support/identity';
import { NOW, applicantAccount, householdBody } from './fixtures';

type Header = { Authorization: string };

/**
 * Who sees which application: applicants their own, staff their region scope (a remote
 * 成德眉资 application both its home and its target region); anything else is 404.
 */
describe('who sees an application', () => {
  let t: TestApp;
  const h: Record<string, Header> = {};
  const ids: Record<string, string> = {};
  let wang: Header;

  beforeAll(async () => {
    t = await createTestApp();
    setClock(t, NOW);
    for (const u of ['jj_window', 'dy_window', 'jj_county', 'cd_city', 'jj_mz_checker', 'applicant_zhang', 'cdmz_allocation', 'sc_modeler']) h[u] = await loginAs(t, u);
    wang = (await applicantAccount(t, 'applicant_wang', '51010719850712101X')).header;
    ids.zhang = (await request(t.http).post('/api/applications').set(h.applicant_zhang).send(householdBody('zhang', { channel: 'online' })).expect(201)).body.id;
    ids.wang = (await request(t.http).post('/api/applications').set(wang).send(householdBody('wang', { channel: 'online' })).expect(201)).body.id;
    ids.zhou = (await request(t.http).post('/api/applications').set(h.jj_window).send(householdBody('zhou')).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  const listed = async (who: Header, query: Record<string, string | number> = {}) =>
    (await request(t.http).get('/api/applications').query(query).set(who).expect(200)).body as { items: { id: string; caseNumber: string }[]; total: number };

  it('shows an applicant their own applications only; another’s is 404', async () => {
    expect((await listed(h.applicant_zhang)).items.map((a) => a.id)).toEqual([ids.zhang]);
    expect((await listed(wang)).items.map((a) => a.id)).toEqual([ids.wang]);
    const other = await request(t.http).get(`/api/applications/${ids.wang}`).set(h.applicant_zhang).expect(404);
    expect(other.body.code).toBe('APPLICATION_NOT_FOUND');
    await request(t.http).get(`/api/applications/${ids.zhou}`).set(h.applicant_zhang).expect(404);
    await request(t.http).get('/api/applications/not-a-uuid').set(h.applicant_zhang).expect(404);
  });

  it('shows staff the applications of their region scope, and nothing outside it', async () => {
    const jj = await listed(h.jj_window);
    expect(jj.items.map((a) => a.id).sort()).toEqual([ids.zhang, ids.zhou].sort());
    expect((await listed(h.jj_county)).total).toBe(2);
    expect((await listed(h.jj_mz_checker)).total).toBe(2);
    expect((await listed(h.cd_city)).total).toBe(3);
    expect((await listed(h.dy_window)).total).toBe(0);
    await request(t.http).get(`/api/applications/${ids.wang}`).set(h.jj_county).expect(404);
    await request(t.http).get(`/api/applications/${ids.zhang}`).set(h.dy_window).expect(404);
    await request(t.http).get(`/api/applications/${ids.wang}`).set(h.cd_city).expect(200);
    // roles without casework may not read applications at all
    await request(t.http).get('/api/applications').set(h.sc_modeler).expect(403);
  });

  it('filters and pages within the scope', async () => {
    expect((await listed(h.cd_city, { regionCode: '510107' })).items.map((a) => a.id)).toEqual([ids.wang]);
    expect((await listed(h.cd_city, { regionCode: '510104' })).total).toBe(2);
    expect((await listed(h.cd_city, { channel: 'window' })).items.map((a) => a.id)).toEqual([ids.zhou]);
    expect((await listed(h.cd_city, { status: 'accepted' })).total).toBe(0);
    const page = await listed(h.cd_city, { limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.items).toHaveLength(1);
    const [first] = (await listed(h.cd_city)).items;
    expect((await listed(h.cd_city, { caseNumber: first.caseNumber })).items.map((a) => a.id)).toEqual([first.id]);
    const bad = await request(t.http).get('/api/applications').query({ status: 'done' }).set(h.cd_city).expect(400);
    expect(bad.body.details.fields[0].field).toBe('status');
  });

  describe('remote applications within 成德眉资 (异地申请)', () => {
    let remote: { id: string; caseNumber: string };

    it('are filed at the home window for a target region, and numbered by the target', async () => {
      const res = await request(t.http).post('/api/applications').set(h.dy_window).send(householdBody('zhao', { channel: 'remote', type: 'affordable_rental', targetRegionCode: '510107' })).expect(201);
      expect(res.body).toMatchObject({ channel: 'remote', channelLabel: { 'zh-CN': '成德眉资异地申请' }, regionCode: '510603', targetRegionCode: '510107', caseNumber: 'SQ-510107-2026-000002' }); // 王建国's is 000001
      remote = res.body;
    });

    it('are seen by the home region and the target city, not by a county elsewhere', async () => {
      await request(t.http).get(`/api/applications/${remote.id}`).set(h.dy_window).expect(200);
      await request(t.http).get(`/api/applications/${remote.id}`).set(h.cd_city).expect(200);
      await request(t.http).get(`/api/applications/${remote.id}`).set(h.cdmz_allocation).expect(200);
      await request(t.http).get(`/api/applications/${remote.id}`).set(h.jj_county).expect(404);
      expect((await listed(h.cd_city, { regionCode: '510107' })).items.map((a) => a.id).sort()).toEqual([ids.wang, remote.id].sort());
      expect((await listed(h.dy_window)).items.map((a) => a.id)).toEqual([remote.id]);
    });

    it.each([
      ['a target outside 成德眉资', { targetRegionCode: '510302' }, 422, 'TARGET_REGION_NOT_CDMZ', 'targetRegionCode'],
      ['a target in the household’s own city', { regionCode: '510603', targetRegionCode: '510604' }, 422, 'TARGET_REGION_SAME_CITY', 'targetRegionCode'],
      ['a home outside 成德眉资', { regionCode: '510302', targetRegionCode: '510107' }, 422, 'REGION_NOT_CDMZ', 'regionCode'],
      ['no target', {}, 400, 'TARGET_REGION_REQUIRED', 'targetRegionCode'],
      ['a target that is no region', { targetRegionCode: '519998' }, 400, 'REGION_UNKNOWN', 'targetRegionCode'],
    ])('are refused with %s', async (_what, regions, status, code, field) => {
      const body = householdBody('huang', { channel: 'remote', type: 'affordable_rental', ...regions });
      const res = await request(t.http).post('/api/applications').set(h.dy_window).send(body).expect(status);
      expect(res.body).toMatchObject({ code, details: { fields: [{ field }] } });
      expect(res.body.message).toContain(field);
    });
  });
});
