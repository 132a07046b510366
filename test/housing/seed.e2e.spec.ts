import request from 'supertest';
import { HousingSeeder } from '../../src/housing';
import { idNumberProblems } from '../../src/identity';
import { demoHouseholds, demoUnits } from '../../src/housing/seed/demo-housing';
import { TestApp, createTestApp } from '../support/app';
import { findPlaintextPersonalData, loginAs } from '../support/identity';

describe('demo housing seed', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ ANJU_DEMO_USERS: 'true', ANJU_DEMO_DATA: 'true' });
  });
  afterAll(() => t?.close());

  it('seeds 武侯区 and 旌阳区: 50 units and 200 households with members, each city in its own scope', async () => {
    const cdmz = await loginAs(t, 'cdmz_allocation');
    const units = await request(t.http).get('/api/housing/units?limit=1').set(cdmz).expect(200);
    expect(units.body.total).toBe(50);
    const households = await request(t.http).get('/api/housing/households?limit=1').set(cdmz).expect(200);
    expect(households.body.total).toBe(200);
    const cd = await loginAs(t, 'cd_city');
    expect((await request(t.http).get('/api/housing/units?limit=1').set(cd).expect(200)).body.total).toBe(30);
    expect((await request(t.http).get('/api/housing/households?limit=1').set(cd).expect(200)).body.total).toBe(130);
    const dy = await loginAs(t, 'dy_window');
    expect((await request(t.http).get('/api/housing/units?limit=1').set(dy).expect(200)).body.total).toBe(20);
    expect((await request(t.http).get('/api/housing/households?limit=1&region=510107').set(dy).expect(200)).body.total).toBe(0);
    const [{ members, housed }] = await t.ds.query(
      `SELECT (SELECT count(*)::int FROM household_members) AS members, (SELECT count(DISTINCT household_id)::int FROM tenancies WHERE ended_on IS NULL) AS housed`,
    );
    expect(members).toBeGreaterThan(300);
    expect(housed).toBeGreaterThan(30);
  });

  it('holds the four deliberate reconciliation findings', async () => {
    const report = (await request(t.http).get('/api/housing/reconciliation').set(await loginAs(t, 'cdmz_allocation')).expect(200)).body;
    expect(report.summary).toEqual({ unitsLeasedWithoutTenancy: 2, tenanciesOnUnitsNotLeased: 1, householdsInTwoPlaces: 2 });
    expect(report.unitsLeasedWithoutTenancy.rows.map((r: { assetNo: string }) => r.assetNo)).toEqual(['JY-TY-0011', 'WH-CQ-0013']);
    expect(report.tenanciesOnUnitsNotLeased.rows).toEqual([expect.objectContaining({ assetNo: 'WH-CQ-0014', unitStatus: expect.objectContaining({ code: 'under_repair' }) })]);
    expect(report.householdsInTwoPlaces.rows.map((r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code)).sort()).toEqual([['tenancy_and_subsidy'], ['two_tenancies']]);
    const unit = (await request(t.http).get(`/api/housing/units/${report.tenanciesOnUnitsNotLeased.rows[0].unitId}`).set(await loginAs(t, 'cd_city')).expect(200)).body;
    expect(unit.history.map((h: { fromStatus: string; toStatus: string; source: string }) => [h.fromStatus, h.toStatus, h.source])).toEqual([
      [null, 'leased', 'seed'],
      ['leased', 'under_repair', 'seed'],
    ]);
  });

  it('uses fictitious people with valid, distinct ID numbers, stored only encrypted', async () => {
    const people = demoHouseholds(2026).flatMap((h) => h.members);
    expect(people.filter((p) => idNumberProblems(p.idNumber, new Date()).length)).toEqual([]);
    expect(new Set(people.map((p) => p.idNumber)).size).toBe(people.length);
    expect(demoUnits()).toHaveLength(50);
    expect(await findPlaintextPersonalData(t, people.slice(0, 20).map((p) => p.name))).toEqual([]);
  });

  it('seeds only an empty database', async () => {
    expect(await t.app.get(HousingSeeder).seedDemo()).toBeNull();
    expect((await t.ds.query(`SELECT count(*)::int AS n FROM housing_units`))[0].n).toBe(50);
  });
});
