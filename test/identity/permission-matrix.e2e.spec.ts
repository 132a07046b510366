import request from 'supertest';
import { TestApp, createTestApp } from '../support/app';
import { loginAs } from '../support/identity';
import { SCOPED_RECORDS_TABLE, ScopedRecordsModule } from './fixtures';

/**
 * Every role × every endpoint group × in scope / out of scope / own case, asserting the status
 * each gets. It grows as endpoints are added: add a column to ENDPOINTS and a letter per user.
 *
 * Case records (a stand-in for a domain module, test/identity/fixtures.ts):
 *   JJ  in 锦官驿街道 510104017 (Chengdu, 锦江区), owned by the applicant applicant_zhang
 *   QY  in 青羊区 510105 (Chengdu)
 *   DY  in 旌阳区 510603 (Deyang)
 */
const USERS = [
  'jj_window', // window caseworker, 锦江区 510104
  'jgy_street', // street reviewer, 锦官驿街道 510104017
  'jj_county', // county reviewer, 510104
  'cd_city', // city reviewer, 成都 510100
  'jj_mz_checker', // 民政 checker, 510104
  'cdmz_allocation', // allocation officer, 成德眉资 (CDMZ)
  'sc_modeler',
  'sc_approver',
  'sc_assessor',
  'sys_admin',
  'sec_admin',
  'audit_admin',
  'dy_window', // window caseworker, 旌阳区 510603 (Deyang)
  'applicant_zhang',
  'anonymous',
] as const;

type User = (typeof USERS)[number];

interface Endpoint {
  name: string;
  call: (t: TestApp, ctx: Ctx) => request.Test;
  /** one status per user, in USERS order */
  expect: number[];
}

interface Ctx {
  targetUserId: string;
  n: number;
}

//                                     jjw  jgy  jjc  cdc  chk  cdmz mod  app  ass  sys  sec  aud  dyw  apl  anon
const ALL_LOGGED_IN = /*            */ [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401];
const ENDPOINTS: Endpoint[] = [
  { name: 'GET /api/auth/me', call: (t) => request(t.http).get('/api/auth/me'), expect: ALL_LOGGED_IN },
  { name: 'GET /api/regions/:code', call: (t) => request(t.http).get('/api/regions/510104'), expect: ALL_LOGGED_IN },
  { name: 'GET /api/organizations', call: (t) => request(t.http).get('/api/organizations'), expect: ALL_LOGGED_IN },
  {
    name: 'POST /api/organizations',
    call: (t, c) => request(t.http).post('/api/organizations').send({ code: `m-${c.n}`, name: '测试社区', kind: 'community', regionCode: '510104017' }),
    expect: [403, 403, 403, 403, 403, 403, 403, 403, 403, 201, 403, 403, 403, 403, 401],
  },
  {
    name: 'GET /api/users',
    call: (t) => request(t.http).get('/api/users'),
    expect: [403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 403, 403, 401],
  },
  {
    name: 'POST /api/users',
    call: (t, c) => request(t.http).post('/api/users').send({ username: `matrix_${c.n}`, password: 'Initial-pass-2025' }),
    expect: [403, 403, 403, 403, 403, 403, 403, 403, 403, 201, 403, 403, 403, 403, 401],
  },
  {
    name: 'PUT /api/users/:id/roles (business role)',
    call: (t, c) => request(t.http).put(`/api/users/${c.targetUserId}/roles`).send({ roles: ['county_reviewer'] }),
    expect: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 401],
  },
  {
    name: 'POST /api/users/:id/reveal',
    call: (t, c) => request(t.http).post(`/api/users/${c.targetUserId}/reveal`).send({ fields: ['name'], purpose: '权限矩阵测试' }),
    expect: [403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 403, 403, 401],
  },
  {
    name: 'GET /api/audit',
    call: (t) => request(t.http).get('/api/audit?limit=1'),
    expect: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 401],
  },
  {
    name: 'GET /api/audit/verify',
    call: (t) => request(t.http).get('/api/audit/verify'),
    expect: [403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 403, 200, 403, 403, 401],
  },
  //                                                              jjw  jgy  jjc  cdc  chk  cdmz mod  app  ass  sys  sec  aud  dyw  apl  anon
  { name: 'record JJ (own case of applicant_zhang)', call: (t) => request(t.http).get('/test-only/records/JJ'), expect: [200, 200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 404, 200, 401] },
  { name: 'record QY (Chengdu, 青羊区)', call: (t) => request(t.http).get('/test-only/records/QY'), expect: [404, 404, 404, 200, 404, 200, 403, 403, 403, 403, 403, 403, 404, 404, 401] },
  { name: 'record DY (Deyang, 旌阳区)', call: (t) => request(t.http).get('/test-only/records/DY'), expect: [404, 404, 404, 404, 404, 200, 403, 403, 403, 403, 403, 403, 200, 404, 401] },
];

describe('permission matrix: role × endpoint × scope', () => {
  let t: TestApp;
  const headers = new Map<User, Record<string, string>>();
  const ctx: Ctx = { targetUserId: '', n: 0 };

  beforeAll(async () => {
    t = await createTestApp({}, [ScopedRecordsModule]);
    for (const u of USERS) headers.set(u, u === 'anonymous' ? {} : await loginAs(t, u));
    const [{ id: applicant }] = await t.ds.query(`SELECT id FROM users WHERE username = 'applicant_zhang'`);
    await t.ds.query(SCOPED_RECORDS_TABLE);
    await t.ds.query(`INSERT INTO test_scoped_records (id, region_code, owner_id) VALUES ('JJ', '510104017', $1), ('QY', '510105', NULL), ('DY', '510603', NULL)`, [
      applicant,
    ]);
    const target = await request(t.http).post('/api/users').set(headers.get('sys_admin')!).send({ username: 'matrix_target', password: 'Initial-pass-2025', name: '目标' });
    ctx.targetUserId = target.body.id;
  });
  afterAll(() => t?.close());

  const cases = ENDPOINTS.flatMap((e) => USERS.map((u, i) => [e.name, u, e.expect[i], e] as const));

  it.each(cases)('%s as %s → %i', async (_name, user, status, endpoint) => {
    ctx.n++;
    const res = await endpoint.call(t, ctx).set(headers.get(user)!);
    expect({ status: res.status, code: res.body?.code }).toMatchObject({ status });
    if (status === 403) expect(res.body.code).toMatch(/^(ROLE_REQUIRED|PERMISSION_DENIED)$/);
    if (status === 404) expect(res.body.code).toBe('RECORD_NOT_FOUND');
    if (status === 401) expect(res.body.code).toBe('LOGIN_REQUIRED');
  });

  it('applies the scope inside the query: a list shows only what the caller may see', async () => {
    const ids = async (u: User) => (await request(t.http).get('/test-only/records').set(headers.get(u)!).expect(200)).body.map((r: { id: string }) => r.id);
    expect(await ids('jj_window')).toEqual(['JJ']);
    expect(await ids('cd_city')).toEqual(['JJ', 'QY']);
    expect(await ids('cdmz_allocation')).toEqual(['DY', 'JJ', 'QY']);
    expect(await ids('dy_window')).toEqual(['DY']);
    expect(await ids('applicant_zhang')).toEqual(['JJ']);
  });

  it('keeps a record filed under a historical county code (郫县 510124) in its city’s scope', async () => {
    await t.ds.query(`INSERT INTO test_scoped_records (id, region_code) VALUES ('PX', '510124')`);
    await request(t.http).get('/test-only/records/PX').set(headers.get('cd_city')!).expect(200);
    await request(t.http).get('/test-only/records/PX').set(headers.get('jj_window')!).expect(404);
  });
});
