import request from 'supertest';
import { TestApp, createTestApp } from '../support/app';
import { loginAs, setClock } from '../support/identity';
import { Header, createBuilding, createHousehold, createProject, createUnit, idNumber } from './support';

describe('tenancies and the reconciliation report (人房对应, 账实相符)', () => {
  let t: TestApp;
  let cd: Header;
  let cdmz: Header;
  let dy: Header;
  const u: Record<string, string> = {};
  const h: Record<string, { id: string; householdNo: string }> = {};
  const tenancy: Record<string, string> = {};

  const household = (as: Header, regionCode: string, first17: string, extra: Record<string, unknown> = {}) =>
    createHousehold(t, as, { regionCode, category: 'low_income', guaranteeForm: 'in_kind', members: [{ relation: 'applicant', name: '测试户', idNumber: idNumber(first17) }], ...extra });
  const lease = (unit: string, hh: string, startDate = '2026-01-01', endDate = '2028-12-31') =>
    request(t.http).post('/api/housing/tenancies').set(cd).send({ unitId: u[unit], householdId: h[hh].id, startDate, endDate });
  const status = (as: Header, unit: string, to: string, reason: string) => request(t.http).post(`/api/housing/units/${u[unit]}/status`).set(as).send({ status: to, reason }).expect(200);

  beforeAll(async () => {
    t = await createTestApp({ ANJU_DEMO_USERS: 'false' });
    setClock(t, '2026-06-15T02:00:00Z');
    cd = await loginAs(t, 'cd_city');
    cdmz = await loginAs(t, 'cdmz_allocation');
    dy = await loginAs(t, 'dy_window');
    const wh = await createBuilding(t, cd, await createProject(t, cd, 'R-WH', '510107'), '1栋');
    for (const n of ['U1', 'U2', 'U3', 'U4', 'U5', 'U6']) u[n] = await createUnit(t, cd, wh, `R-WH-${n}`, { roomNo: n });
    const jy = await createBuilding(t, cdmz, await createProject(t, cdmz, 'R-JY', '510603'), '3栋');
    for (const n of ['D1', 'D2']) u[n] = await createUnit(t, cdmz, jy, `R-JY-${n}`, { roomNo: n });
    h.H1 = await household(cd, '510107', '51010719800101001');
    h.H2 = await household(cd, '510107', '51010719800101002');
    h.H3 = await household(cd, '510107', '51010719800101003', { category: 'dibao', guaranteeForm: 'rental_subsidy', subsidyMonthlyAmount: 500 });
    h.H4 = await household(cd, '510107', '51010719800101004');
    h.HD = await household(dy, '510603', '51060319800101005');
  });
  afterAll(() => t?.close());

  it('begins a tenancy: the unit becomes leased, with a history row naming the household', async () => {
    const res = await lease('U1', 'H1').expect(201);
    tenancy.H1 = res.body.id;
    expect(res.body).toMatchObject({ assetNo: 'R-WH-U1', householdNo: h.H1.householdNo, startDate: '2026-01-01', endDate: '2028-12-31', endedOn: null, unitStatus: { code: 'leased', zh: '已出租' }, warnings: [] });
    const unit = await request(t.http).get(`/api/housing/units/${u.U1}`).set(cd).expect(200);
    expect(unit.body.currentTenancy).toMatchObject({ id: tenancy.H1, householdNo: h.H1.householdNo });
    expect(unit.body.history.at(-1)).toMatchObject({ fromStatus: 'vacant', toStatus: 'leased', source: 'tenancy', reason: `租约开始 (tenancy began): ${h.H1.householdNo}` });
    const hh = await request(t.http).get(`/api/housing/households/${h.H1.id}`).set(cd).expect(200);
    expect(hh.body.currentTenancies).toEqual([{ id: tenancy.H1, unitId: u.U1, assetNo: 'R-WH-U1', startDate: '2026-01-01', endDate: '2028-12-31', endedOn: null }]);
  });

  it('refuses a second tenancy on a unit or for a housed household, an unlettable unit and a lease over 5 years', async () => {
    expect((await lease('U1', 'H2').expect(409)).body.code).toBe('UNIT_OCCUPIED');
    expect((await lease('U3', 'H1').expect(409)).body.code).toBe('HOUSEHOLD_ALREADY_HOUSED');
    const tooLong = await lease('U3', 'H2', '2026-01-01', '2031-01-02').expect(400);
    expect(tooLong.body).toMatchObject({ code: 'TENANCY_DATES_INVALID', details: { fields: [{ field: 'endDate' }] } });
    expect((await lease('U3', 'H2', '2026-02-30', '2027-01-01').expect(400)).body.details.fields[0].field).toBe('startDate');
    await status(cd, 'U6', 'under_repair', '待维修');
    expect((await lease('U6', 'H2').expect(409)).body.code).toBe('UNIT_NOT_LETTABLE');
    await status(cd, 'U6', 'vacant', '维修完成');
    // a Deyang unit is not found for the Chengdu city reviewer
    expect((await request(t.http).post('/api/housing/tenancies').set(cd).send({ unitId: u.D1, householdId: h.H2.id, startDate: '2026-01-01', endDate: '2027-01-01' }).expect(404)).body.code).toBe('UNIT_NOT_FOUND');
  });

  it('warns when a household on the subsidy roll is housed in kind', async () => {
    const res = await lease('U2', 'H3').expect(201);
    expect(res.body.warnings).toEqual([{ code: 'SUBSIDY_STILL_PAID', zh: expect.stringContaining('停发补贴'), en: expect.stringContaining('rental subsidy') }]);
  });

  it('reports leased units without a tenancy, tenancies on units not leased and households in two places', async () => {
    tenancy.H2 = (await lease('U3', 'H2').expect(201)).body.id;
    // a record carried over from the old system: H2 also in U6 (the API refuses a second tenancy)
    await status(cd, 'U6', 'leased', '旧系统迁移：已出租');
    await t.ds.query(`INSERT INTO tenancies (unit_id, household_id, start_date, end_date, created_at) VALUES ($1, $2, '2025-03-01', '2028-02-29', now())`, [u.U6, h.H2.id]);
    await status(cd, 'U4', 'leased', '现场核查：已有人居住');
    await lease('U5', 'H4').expect(201);
    await status(cd, 'U5', 'under_repair', '入户检查发现漏水');
    await status(cdmz, 'D2', 'leased', '台账记为已出租');
    await request(t.http).post('/api/housing/tenancies').set(cdmz).send({ unitId: u.D1, householdId: h.HD.id, startDate: '2026-03-01', endDate: '2029-02-28' }).expect(201);

    const report = (await request(t.http).get('/api/housing/reconciliation').set(cd).expect(200)).body;
    expect(report.summary).toEqual({ unitsLeasedWithoutTenancy: 1, tenanciesOnUnitsNotLeased: 1, householdsInTwoPlaces: 2 });
    expect(report.totals).toEqual({ units: 6, leasedUnits: 5, currentTenancies: 5, households: 4 });
    expect(report.unitsLeasedWithoutTenancy).toMatchObject({ title: { zh: '标记为已出租但没有在租租约的房源' }, count: 1, truncated: false, rows: [{ unitId: u.U4, assetNo: 'R-WH-U4', roomNo: 'U4', projectName: 'R-WH 公租房小区' }] });
    expect(report.tenanciesOnUnitsNotLeased.rows).toEqual([
      { tenancyId: expect.any(String), unitId: u.U5, assetNo: 'R-WH-U5', unitStatus: { code: 'under_repair', zh: '维修中', en: 'Under repair' }, householdId: h.H4.id, householdNo: h.H4.householdNo, startDate: '2026-01-01' },
    ]);
    const twice = report.householdsInTwoPlaces.rows;
    expect(twice.map((r: { householdNo: string; reasons: { code: string }[] }) => [r.householdNo, r.reasons.map((x) => x.code)])).toEqual(
      [
        [h.H2.householdNo, ['two_tenancies']],
        [h.H3.householdNo, ['tenancy_and_subsidy']],
      ].sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    expect(twice.find((r: { householdId: string }) => r.householdId === h.H2.id).tenancies.map((x: { assetNo: string }) => x.assetNo)).toEqual(['R-WH-U6', 'R-WH-U3']);
    expect(twice.find((r: { householdId: string }) => r.householdId === h.H3.id)).toMatchObject({ subsidyMonthlyAmount: 500, reasons: [{ zh: '在租公租房的同时领取租赁补贴' }] });
  });

  it('sees only its own data scope, and narrows to a region', async () => {
    const both = (await request(t.http).get('/api/housing/reconciliation').set(cdmz).expect(200)).body;
    expect(both.unitsLeasedWithoutTenancy.rows.map((r: { assetNo: string }) => r.assetNo)).toEqual(['R-JY-D2', 'R-WH-U4']);
    const deyang = (await request(t.http).get('/api/housing/reconciliation?region=510600').set(cdmz).expect(200)).body;
    expect(deyang).toMatchObject({ region: '510600', summary: { unitsLeasedWithoutTenancy: 1, tenanciesOnUnitsNotLeased: 0, householdsInTwoPlaces: 0 } });
    const dyView = (await request(t.http).get('/api/housing/reconciliation').set(dy).expect(200)).body;
    expect(dyView.unitsLeasedWithoutTenancy.rows.map((r: { assetNo: string }) => r.assetNo)).toEqual(['R-JY-D2']);
    expect(dyView.totals).toEqual({ units: 2, leasedUnits: 2, currentTenancies: 1, households: 1 });
    const chengduFromDeyang = (await request(t.http).get('/api/housing/reconciliation?region=510107').set(dy).expect(200)).body;
    expect(chengduFromDeyang.summary).toEqual({ unitsLeasedWithoutTenancy: 0, tenanciesOnUnitsNotLeased: 0, householdsInTwoPlaces: 0 });
    expect((await request(t.http).get('/api/housing/reconciliation?region=510199').set(cd).expect(400)).body.code).toBe('REGION_UNKNOWN');
    await request(t.http).get('/api/housing/reconciliation').set(await loginAs(t, 'sc_modeler')).expect(403);
  });

  it('ends a tenancy on the day the household left: the unit is vacant again and the finding goes away', async () => {
    expect((await request(t.http).post(`/api/housing/tenancies/${tenancy.H1}/end`).set(cd).send({ endedOn: '2026-07-01', reason: '退租' }).expect(400)).body.details.fields[0].field).toBe('endedOn');
    const ended = await request(t.http).post(`/api/housing/tenancies/${tenancy.H1}/end`).set(cd).send({ endedOn: '2026-06-10', reason: '租户自愿退租，已交还钥匙' }).expect(200);
    expect(ended.body).toMatchObject({ endedOn: '2026-06-10', endReason: '租户自愿退租，已交还钥匙', unitStatus: { code: 'vacant' } });
    expect((await request(t.http).post(`/api/housing/tenancies/${tenancy.H1}/end`).set(cd).send({ reason: '再次退租' }).expect(409)).body.code).toBe('TENANCY_ENDED');
    const unit = (await request(t.http).get(`/api/housing/units/${u.U1}`).set(cd).expect(200)).body;
    expect(unit).toMatchObject({ status: 'vacant', currentTenancy: null });
    expect(unit.history.at(-1)).toMatchObject({ fromStatus: 'leased', toStatus: 'vacant', source: 'tenancy', reason: expect.stringContaining('租户自愿退租') });
    const hh = (await request(t.http).get(`/api/housing/households/${h.H1.id}`).set(cd).expect(200)).body;
    expect(hh.currentTenancies).toEqual([]);
    expect(hh.tenancies).toEqual([expect.objectContaining({ id: tenancy.H1, endedOn: '2026-06-10' })]);

    // H2 leaves the old-system unit: no longer in two places
    const [legacy] = await t.ds.query(`SELECT id FROM tenancies WHERE unit_id = $1`, [u.U6]);
    await request(t.http).post(`/api/housing/tenancies/${legacy.id}/end`).set(cd).send({ reason: '核实后终止重复租约' }).expect(200);
    const report = (await request(t.http).get('/api/housing/reconciliation').set(cd).expect(200)).body;
    expect(report.householdsInTwoPlaces.rows.map((r: { householdId: string }) => r.householdId)).toEqual([h.H3.id]);
  });
});
