import request from 'supertest';
import { ApplicationChecks, ApplicationsService } from '../../src/applications';
import { CHECK_TYPES, SIMULATED_HOUSEHOLDS } from '../../src/connectors';
import { TestApp, createTestApp } from '../support/app';
import { findPlaintextPersonalData, loginAs, setClock } from '../support/identity';
import { EXPIRES, NOW, applicantAccount, householdBody } from './fixtures';

type Header = { Authorization: string };
type Result = { memberPosition: number; check: string; result: string; data: Record<string, unknown> | null; message: { 'zh-CN': string; en: string }; id: string };

/**
 * The online data comparison (线上数据比对) through the simulated department connectors: one
 * answer per member and check, each under the member's query authorisation, each recorded.
 */
describe('department checks of an application', () => {
  let t: TestApp;
  let county: Header;
  let window: Header;
  let zhang: Header;
  let city: Header;
  const app: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    setClock(t, NOW);
    county = await loginAs(t, 'jj_county');
    window = await loginAs(t, 'jj_window');
    zhang = await loginAs(t, 'applicant_zhang');
    // 王建国 (武侯区) and 黄丽 (龙泉驿区) are outside 锦江区: the city reviewer runs theirs
    city = await loginAs(t, 'cd_city');
    const submit = async (who: Header, body: object) => (await request(t.http).post('/api/applications').set(who).send(body).expect(201)).body.id as string;
    app.zhang = await submit(zhang, householdBody('zhang', { channel: 'online' }));
    app.zhou = await submit(window, householdBody('zhou'));
    // 王小虎 (a minor) has no authorisation: his guardian did not sign one
    app.wang = await submit((await applicantAccount(t, 'applicant_wang', '51010719850712101X')).header, householdBody('wang', { channel: 'online', members: { 2: { authorisation: false } } }));
    // 黄丽 did not authorise the housing-fund check
    const withoutFund = CHECK_TYPES.filter((c) => c !== 'housing_fund');
    app.huang = await submit((await applicantAccount(t, 'applicant_huang', '510112199805062527')).header, householdBody('huang', { channel: 'online', members: { 0: { authorisation: { checks: withoutFund } } } }));
  });
  afterAll(() => t?.close());

  const calls = async (applicationId: string) => (await t.ds.query(`SELECT count(*)::int AS n FROM connector_calls WHERE application_id = $1`, [applicationId]))[0].n as number;
  const run = (id: string, body: object = {}, who: Header = county) => request(t.http).post(`/api/applications/${id}/checks`).set(who).send(body);

  it('asks every department about every member, and says the answers are simulated', async () => {
    const res = await run(app.zhang).expect(200);
    expect(res.body).toMatchObject({ connectorSet: 'simulated', simulated: true });
    const results: Result[] = res.body.results;
    expect(results).toHaveLength(3 * CHECK_TYPES.length);
    expect(results.every((r) => (r as unknown as { simulated: boolean }).simulated)).toBe(true);
    const of = (position: number) => results.filter((r) => r.memberPosition === position);
    expect(of(1).map((r) => [r.check, r.result])).toEqual(CHECK_TYPES.map((c) => [c, 'MATCH']));
    // the child: 公安 knows his hukou, nobody else holds anything on him
    expect(of(3).map((r) => r.result)).toEqual(CHECK_TYPES.map((c) => (c === 'hukou' ? 'MATCH' : 'NO_DATA')));
    expect(res.body.summary).toEqual({ MATCH: 18, MISMATCH: 0, NO_DATA: 9, ERROR: 0 });
    expect(results[1]).toMatchObject({
      member: { 'zh-CN': '成员1（申请人本人，张*）', en: 'member 1 (applicant, 张*)' },
      department: '公安',
      departmentLabel: { 'zh-CN': '公安', en: 'Public security' },
      check: 'vehicles',
      checkLabel: { 'zh-CN': '机动车登记' },
      resultLabel: { 'zh-CN': '一致', en: 'Match' },
      data: { count: 0, vehicles: [] },
      calledBy: { kind: 'user', reference: 'jj_county' },
      calledAt: new Date(NOW).toISOString(),
    });
  });

  it('records every call with the authorisation it was made under, who asked, when and how long it took', async () => {
    const rows = await t.ds.query(
      `SELECT c.*, u.username, m.position, a.member_id AS authorised_member
         FROM connector_calls c JOIN users u ON u.id = c.caller_user_id
         JOIN application_members m ON m.id = c.member_id JOIN application_authorisations a ON a.id = c.authorisation_id
        WHERE c.application_id = $1`,
      [app.zhang],
    );
    expect(rows).toHaveLength(27);
    for (const r of rows) {
      expect(r).toMatchObject({ caller_kind: 'user', username: 'jj_county', connector_set: 'simulated', simulated: true });
      expect(r.authorised_member).toBe(r.member_id);
      expect(r.called_at.toISOString()).toBe(new Date(NOW).toISOString());
      expect(r.duration_ms).toBeGreaterThanOrEqual(0);
    }
    const listed = await request(t.http).get(`/api/applications/${app.zhang}/checks`).set(await loginAs(t, 'jj_mz_checker')).expect(200);
    expect(listed.body.results.map((r: Result) => r.id).sort()).toEqual(rows.map((r: { id: string }) => r.id).sort());
    await expect(t.ds.query(`UPDATE connector_calls SET result = 'MATCH' WHERE application_id = $1`, [app.zhang])).rejects.toThrow(/append-only/);
    await expect(t.ds.query(`DELETE FROM connector_calls WHERE application_id = $1`, [app.zhang])).rejects.toThrow(/append-only/);
  });

  it('shows a mismatch with the department’s data: a car and a flat 王建国 did not declare', async () => {
    const [{ id: self }] = await t.ds.query(`SELECT id FROM application_members WHERE application_id = $1 AND position = 1`, [app.wang]);
    const res = await run(app.wang, { checks: ['hukou', 'vehicles', 'property'], memberIds: [self] }, city).expect(200);
    const results: Result[] = res.body.results;
    expect(results.map((r) => [r.check, r.result])).toEqual([
      ['hukou', 'MATCH'],
      ['vehicles', 'MISMATCH'],
      ['property', 'MISMATCH'],
    ]);
    expect(results[1]).toMatchObject({ data: { count: 1, vehicles: [{ kind: '小型轿车', registeredYear: 2021 }] }, message: { 'zh-CN': '登记机动车 1 辆，申报 0 辆' } });
    expect(results[2]).toMatchObject({ data: { dwellings: 1, totalArea: 88.5 }, resultLabel: { 'zh-CN': '不一致' } });
  });

  it('shows 税务’s mismatch on 黄丽’s income', async () => {
    const res = await run(app.huang, { checks: ['income', 'income_tax'] }, city).expect(200);
    expect(res.body.results.map((r: Result) => [r.check, r.result, r.data])).toEqual([
      ['income', 'MATCH', { monthlyIncome: 4000, assessedMonth: '2025-12' }],
      ['income_tax', 'MISMATCH', { year: 2025, annualIncome: 96000 }],
    ]);
  });

  it('records an ERROR when a department fails (the simulated 税务 for 周敏), and answers the rest', async () => {
    const res = await run(app.zhou, {}, window).expect(200);
    const results: Result[] = res.body.results;
    expect(results.find((r) => r.check === 'income_tax')).toMatchObject({ result: 'ERROR', data: null, message: { 'zh-CN': '税务数据接口超时（模拟故障）' } });
    expect(results.filter((r) => r.check !== 'income_tax').map((r) => r.result)).toEqual(CHECK_TYPES.filter((c) => c !== 'income_tax').map(() => 'MATCH'));
    const [row] = await t.ds.query(`SELECT result, caller_ref FROM connector_calls WHERE application_id = $1 AND check_type = 'income_tax'`, [app.zhou]);
    expect(row).toEqual({ result: 'ERROR', caller_ref: 'jj_window' });
  });

  describe('409 CONSENT_MISSING: no department is asked without a running authorisation covering the check', () => {
    it('when a member has signed none, naming the member and the check', async () => {
      const before = await calls(app.wang);
      const res = await run(app.wang, {}, city).expect(409);
      expect(res.body.code).toBe('CONSENT_MISSING');
      expect(res.body.message).toContain('member 3 (child, 王*虎) has signed no query authorisation: hukou');
      expect(res.body.details.messageZh).toContain('成员3（子女，王*虎）没有授权查询书');
      expect(res.body.details.missing).toHaveLength(CHECK_TYPES.length);
      expect(res.body.details.missing[0]).toMatchObject({ member: '成员3（子女，王*虎）', check: 'hukou', problem: 'absent', authorisationId: null });
      expect(await calls(app.wang)).toBe(before);
    });

    it('when the authorisation does not cover the check', async () => {
      const before = await calls(app.huang);
      const res = await run(app.huang, { checks: ['hukou', 'housing_fund'] }, city).expect(409);
      expect(res.body.details.missing).toEqual([expect.objectContaining({ check: 'housing_fund', problem: 'not_covering' })]);
      expect(res.body.message).toContain('housing_fund');
      expect(await calls(app.huang)).toBe(before);
    });

    it('when the authorisation has expired', async () => {
      setClock(t, '2027-03-01T00:00:00+08:00');
      try {
        const before = await calls(app.zhang);
        const res = await run(app.zhang, { checks: ['hukou'] }, await loginAs(t, 'jj_county')).expect(409);
        expect(res.body.details.missing[0]).toMatchObject({ check: 'hukou', problem: 'expired', expiresAt: new Date(EXPIRES).toISOString(), authorisationId: expect.any(String) });
        expect(res.body.details.missing).toHaveLength(3);
        expect(await calls(app.zhang)).toBe(before);
      } finally {
        setClock(t, NOW);
      }
    });
  });

  it('records a process step’s calls in the step’s own transaction: kept with its change, gone with its rollback', async () => {
    const checks = t.app.get(ApplicationChecks);
    const applications = t.app.get(ApplicationsService);
    const step = { kind: 'process' as const, reference: 'process:application-1/ServiceTask_OnlineComparison' };
    const before = await calls(app.zhou);
    await expect(
      t.ds.transaction(async (em) => {
        await checks.run(app.zhou, step, { checks: ['hukou'] }, em);
        throw new Error('the step failed');
      }),
    ).rejects.toThrow('the step failed');
    expect(await calls(app.zhou)).toBe(before);
    await t.ds.transaction(async (em) => {
      const view = await checks.run(app.zhou, step, { checks: ['hukou', 'vehicles'] }, em);
      expect(view.results.map((r) => r.result)).toEqual(['MATCH', 'MATCH']);
      await applications.changeStatus(app.zhou, 'accepted', '线上比对完成', step, em);
    });
    const rows = await t.ds.query(`SELECT caller_kind, caller_user_id, caller_ref FROM connector_calls WHERE application_id = $1 AND caller_kind = 'process'`, [app.zhou]);
    expect(rows).toEqual([
      { caller_kind: 'process', caller_user_id: null, caller_ref: step.reference },
      { caller_kind: 'process', caller_user_id: null, caller_ref: step.reference },
    ]);
    const [{ status }] = await t.ds.query(`SELECT status FROM applications WHERE id = $1`, [app.zhou]);
    expect(status).toBe('accepted');
  });

  it('lets reviewers run checks and casework staff in scope read them; not applicants, not other regions', async () => {
    await run(app.zhang, {}, zhang).expect(403);
    await request(t.http).get(`/api/applications/${app.zhang}/checks`).set(zhang).expect(403);
    await request(t.http).get(`/api/applications/${app.zhang}/checks`).set(await loginAs(t, 'dy_window')).expect(404);
    await run(app.zhang, {}, await loginAs(t, 'dy_window')).expect(404);
    await run(app.zhang, {}, await loginAs(t, 'jj_mz_checker')).expect(403);
    const unknown = await run(app.zhang, { memberIds: ['00000000-0000-4000-8000-000000000000'] }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'MEMBER_UNKNOWN', details: { fields: [{ field: 'memberIds' }] } });
    const bad = await run(app.zhang, { checks: ['horoscope'] }).expect(400);
    expect(bad.body.details.fields[0].field).toBe('checks');
  });

  it('asks nothing about a closed application', async () => {
    await t.app.get(ApplicationsService).changeStatus(app.wang, 'withdrawn', '申请人撤回', { kind: 'process', reference: 'process:test/Message_Withdraw' });
    const closed = await run(app.wang, { checks: ['hukou'] }, city).expect(409);
    expect(closed.body.code).toBe('APPLICATION_CLOSED');
  });

  it('says which connector set is in use', async () => {
    const res = await request(t.http).get('/api/connectors').set(county).expect(200);
    expect(res.body).toMatchObject({ name: 'simulated', simulated: true });
    expect(res.body.checks.map((c: { check: string; department: string }) => [c.check, c.department])).toEqual([
      ['hukou', '公安'],
      ['vehicles', '公安'],
      ['assistance_status', '民政'],
      ['income', '民政'],
      ['property', '自然资源'],
      ['enterprises', '市场监管'],
      ['social_insurance', '人社'],
      ['income_tax', '税务'],
      ['housing_fund', '公积金'],
    ]);
  });

  it('keeps no name or ID number in clear, in the call records or anywhere else', async () => {
    const people = SIMULATED_HOUSEHOLDS.flatMap((h) => h.members);
    expect(await findPlaintextPersonalData(t, people.map((p) => p.name))).toEqual([]);
  });
});
