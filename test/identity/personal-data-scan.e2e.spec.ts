import request from 'supertest';
import { DEMO_USERS } from '../../src/identity';
import { WaitingListService } from '../../src/waiting-list';
import { applicationBody, settle } from '../processes/support';
import { TestApp, createTestApp } from '../support/app';
import { findPlaintextPersonalData, loginAs, setClock } from '../support/identity';
import { checkCharacterFor } from './fixtures';

/**
 * Household facts the data rules call sensitive (income, assets, 低保/特困 status), as values no
 * other data holds: what 王建国's household declares here, and what the simulated departments
 * answer about it (a flat of 88.5 m² that it does not declare), with the field names that would
 * give a clear JSON away.
 */
const DECLARED_INCOME = 2987.61;
const DECLARED_AREA = 13.79;
const DECLARED_FINANCIAL = 98765.43;
/** A beneficiary household's monthly rental subsidy no other data holds. */
const BENEFICIARY_SUBSIDY = 1234.56;
const SENSITIVE_FACTS = ['2987.61', '13.79', '98765.43', '88.5', '"monthlyIncome"', '"annualIncome"', '"totalArea"', '"perCapitaMonthlyIncome"', '"assistanceStatus"', '"ownedHousingArea"'];

/**
 * After a run that stores, searches, reveals and logs personal data in every way the platform
 * offers today, no table holds an ID number, a phone number or a name in clear.
 */
describe('no personal data in clear at rest', () => {
  let t: TestApp;
  const idNumber = checkCharacterFor('51060319850615204');
  const names = ['欧阳明明', ...DEMO_USERS.map((u) => u.name)];

  beforeAll(async () => {
    t = await createTestApp();
    for (const u of DEMO_USERS) await loginAs(t, u.username);
  });
  afterAll(() => t?.close());

  it('holds none after accounts are created, searched and unmasked, and logins fail', async () => {
    const sys = await loginAs(t, 'sys_admin');
    const created = await request(t.http)
      .post('/api/users')
      .set(sys)
      .send({ username: 'scan_applicant', kind: 'applicant', password: 'Initial-pass-2025', name: '欧阳明明', phone: '13955556666', idNumber })
      .expect(201);
    await request(t.http).post('/api/users/search').set(sys).send({ idNumber }).expect(200);
    await request(t.http).post('/api/users/search').set(sys).send({ phone: '13955556666' }).expect(200);
    await request(t.http).post(`/api/users/${created.body.id}/reveal`).set(sys).send({ fields: ['name', 'phone', 'idNumber'], purpose: '扫描测试' }).expect(200);
    // a failed login with a phone number as username, and a bad ID number, end up in the audit log
    await request(t.http).post('/api/auth/login').send({ username: '13955556666', password: 'x' }).expect(401);
    await request(t.http).post('/api/users').set(sys).send({ username: 'scan_bad', password: 'Initial-pass-2025', idNumber: idNumber.slice(0, 17) + '0' }).expect(400);

    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_log`);
    expect(n).toBeGreaterThan(5);
    expect(await findPlaintextPersonalData(t, [...names, '13955556666', idNumber])).toEqual([]);
  });

  it('holds no household facts in clear after an application is submitted, checked, judged and put on the waiting list', async () => {
    setClock(t, '2026-03-10T10:00:00+08:00');
    const body = applicationBody({ members: [['wang', 0], ['wang', 1], ['wang', 2]], channel: 'window', category: 'dibao' });
    const self = body.household.members[0];
    self.monthlyIncome = DECLARED_INCOME;
    self.assets = { ...self.assets, ownedHousingArea: DECLARED_AREA, financialAssets: DECLARED_FINANCIAL } as typeof self.assets;
    const window = await loginAs(t, 'jj_window');
    const created = await request(t.http).post('/api/applications').set(window).send(body).expect(201);
    // the application process runs: receipt, the department checks, the eligibility decision
    await settle(t);
    await request(t.http).post(`/api/applications/${created.body.id}/checks`).set(await loginAs(t, 'jj_county')).send({}).expect(200);
    await t.app.get(WaitingListService).enqueue(undefined, created.body.id, { priorityGroups: ['disability'] }, { kind: 'process', reference: 'process:scan/enqueue' });

    // an authorised reader still gets the facts: the declaration, the departments' answers, the judgement
    const county = await loginAs(t, 'jj_county');
    const view = (await request(t.http).get(`/api/applications/${created.body.id}`).set(county).expect(200)).body;
    expect(view.household.members[0]).toMatchObject({ monthlyIncome: DECLARED_INCOME, assets: { ownedHousingArea: DECLARED_AREA, financialAssets: DECLARED_FINANCIAL } });
    expect(view.snapshot).toMatchObject({ intact: true, content: { totals: expect.objectContaining({ financialAssets: DECLARED_FINANCIAL }) } });
    const checks = (await request(t.http).get(`/api/applications/${created.body.id}/checks`).set(county).expect(200)).body;
    expect(JSON.stringify(checks)).toContain('88.5');
    const reviews = (await request(t.http).get(`/api/applications/${created.body.id}/reviews`).set(county).expect(200)).body;
    expect(reviews.eligibility[0].facts).toMatchObject({ size: body.household.members.length });

    const found = await findPlaintextPersonalData(t, SENSITIVE_FACTS);
    expect(found).toEqual([]);
  });

  it('holds no beneficiary household’s 优抚 status or subsidy in clear', async () => {
    const cd = await loginAs(t, 'cd_city');
    const created = await request(t.http)
      .post('/api/housing/households')
      .set(cd)
      .send({
        regionCode: '510107011',
        category: 'special_care',
        guaranteeForm: 'rental_subsidy',
        subsidyMonthlyAmount: BENEFICIARY_SUBSIDY,
        members: [{ relation: 'applicant', name: '欧阳明明', idNumber: checkCharacterFor('51010719690812301') }],
      })
      .expect(201);
    // an authorised reader still gets them, and the list still filters by the category
    const view = (await request(t.http).get(`/api/housing/households/${created.body.id}`).set(cd).expect(200)).body;
    expect(view).toMatchObject({ category: 'special_care', subsidyMonthlyAmount: BENEFICIARY_SUBSIDY, labels: { category: { zh: '优抚对象' } } });
    const listed = (await request(t.http).get('/api/housing/households?category=special_care').set(cd).expect(200)).body;
    expect(listed.items.map((h: { id: string }) => h.id)).toContain(created.body.id);

    expect(await findPlaintextPersonalData(t, [String(BENEFICIARY_SUBSIDY)])).toEqual([]);
    // the category code is no secret in itself (code tables and labels name it): the households' rows must not hold it
    for (const table of ['households', 'household_members']) {
      const rows = (await t.ds.query(`SELECT x::text AS row FROM ${table} x`)) as { row: string }[];
      expect(rows.filter((r) => /special_care|优抚/.test(r.row))).toEqual([]);
    }
  });

  it('finds personal data in clear when there is some (the scan itself works)', async () => {
    await t.ds.query(`CREATE TABLE test_leak (note text)`);
    await t.ds.query(`INSERT INTO test_leak VALUES ($1)`, [`called ${'13955556666'} about ${idNumber}`]);
    await t.ds.query(`INSERT INTO test_leak VALUES ($1)`, [JSON.stringify({ monthlyIncome: DECLARED_INCOME })]);
    expect(await findPlaintextPersonalData(t, ['"monthlyIncome"', '2987.61'])).toEqual([
      `test_leak: ID number ${idNumber}`,
      'test_leak: phone 13955556666',
      'test_leak: "monthlyIncome"',
      'test_leak: 2987.61',
    ]);
    await t.ds.query(`DROP TABLE test_leak`);
  });
});
