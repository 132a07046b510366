import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../../common';
import { APP_CONFIG, AppConfig } from '../../config';
import { PersonalDataService, maskName } from '../../identity';
import { BeneficiaryFacts } from '../households/household-facts';
import { UnitStatus } from '../housing-codes';
import { localDate } from '../dates';
import { StatusChange, UnitsRepository } from '../stock/units.repository';
import { DEMO_PROJECTS, DemoHousehold, DemoUnit, demoHouseholds, demoUnits } from './demo-housing';

/** Any constant unique to this use: two nodes booting at once seed once. */
const SEED_LOCK = 5_104_070_001;
const DEMO_REASON = '演示数据 (demo data)';

interface Lease {
  unit: number;
  household: number;
  monthsAgo: number;
}

/**
 * Seeds the demo two lists when the demo data seed is on (ANJU_DEMO_DATA) and the lists are
 * empty: never on a database that holds any project or household.
 */
@Injectable()
export class HousingSeeder implements OnModuleInit {
  private readonly logger = new Logger('Housing');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly personal: PersonalDataService,
    private readonly units: UnitsRepository,
    private readonly facts: BeneficiaryFacts,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.demoData) return;
    const [{ ready }] = (await this.ds.query(`SELECT to_regclass('households') IS NOT NULL AND to_regclass('regions') IS NOT NULL AS ready`)) as { ready: boolean }[];
    if (!ready) return void this.logger.warn('housing tables are missing (migrations not applied): no demo housing seeded');
    const seeded = await this.seedDemo();
    if (seeded) this.logger.log(`seeded the demo housing lists: ${seeded.units} units, ${seeded.households} households, ${seeded.tenancies} tenancies`);
  }

  /** Seeds and says how much, or null when the lists already hold something. */
  async seedDemo(): Promise<{ units: number; households: number; tenancies: number } | null> {
    return this.ds.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock($1)`, [SEED_LOCK]);
      const [{ empty }] = (await em.query(`SELECT NOT EXISTS (SELECT 1 FROM housing_projects) AND NOT EXISTS (SELECT 1 FROM households) AS empty`)) as { empty: boolean }[];
      if (!empty) return null;
      const now = this.clock.now();
      const units = demoUnits();
      const households = demoHouseholds(Number(localDate(now).slice(0, 4)));
      const { leases, statuses, extraHistory } = plan(units, households);
      const unitIds = await this.insertStock(units, statuses, now, em);
      const householdIds = await this.insertHouseholds(households, now, em);
      await this.insertTenancies(leases, unitIds, householdIds, now, em);
      // a unit with a later change starts in the status that change left
      const first = (i: number) => extraHistory.find((h) => h.unit === i)?.from ?? statuses[i];
      const history: StatusChange[] = units.map((_, i) => ({ unitId: unitIds[i], from: null, to: first(i), reason: DEMO_REASON, source: 'seed', by: null, at: now }));
      for (const h of extraHistory) history.push({ ...h, unitId: unitIds[h.unit], by: null, at: now, source: 'seed' });
      await this.units.recordStatus(history, em);
      return { units: units.length, households: households.length, tenancies: leases.length };
    });
  }

  private async insertStock(units: DemoUnit[], statuses: UnitStatus[], now: Date, em: EntityManager): Promise<string[]> {
    const buildingIds = new Map<string, string>();
    for (const p of DEMO_PROJECTS) {
      const [{ id }] = (await em.query(
        `INSERT INTO housing_projects (code, name, region_code, address, operator_name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`,
        [p.code, p.name, p.regionCode, p.address, p.operatorName, now],
      )) as { id: string }[];
      for (const b of p.buildings) {
        const [row] = (await em.query(`INSERT INTO housing_buildings (project_id, number, floors, created_at) VALUES ($1, $2, $3, $4) RETURNING id`, [id, b.number, b.floors, now])) as {
          id: string;
        }[];
        buildingIds.set(`${p.code}/${b.number}`, row.id);
      }
    }
    return this.units.insert(
      units.map((u, i) => ({ ...u, housingType: u.type, entrance: null, buildingId: buildingIds.get(`${u.project}/${u.building}`)!, status: statuses[i] })),
      null,
      now,
      em,
    );
  }

  private async insertHouseholds(households: DemoHousehold[], now: Date, em: EntityManager): Promise<string[]> {
    const year = localDate(now).slice(0, 4);
    const seq = (await em.query(`SELECT nextval('households_no_seq') AS n FROM generate_series(1, $1)`, [households.length])) as { n: string }[];
    const numbers = households.map((h, i) => `${h.regionCode.slice(0, 6)}-${year}-${String(seq[i].n).padStart(6, '0')}`);
    const categories = households.map((h) => this.facts.sealCategory(h.category));
    const rows = (await em.query(
      `INSERT INTO households (household_no, region_code, category_enc, category_bidx, guarantee_form, subsidy_enc, applicant_name_masked, created_at, updated_at)
       SELECT *, $8::timestamptz, $8::timestamptz FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       RETURNING id, household_no`,
      [
        numbers,
        households.map((h) => h.regionCode),
        categories.map((c) => c.enc),
        categories.map((c) => c.bidx),
        households.map((h) => h.guaranteeForm),
        households.map((h) => this.facts.sealSubsidy(h.subsidyMonthlyAmount)),
        households.map((h) => maskName(h.members[0].name)),
        now,
      ],
    )) as { id: string; household_no: string }[];
    const idOf = new Map(rows.map((r) => [r.household_no, r.id]));
    const byNo = numbers.map((n) => idOf.get(n)!);
    const members = households.flatMap((h, i) => h.members.map((m, position) => ({ m, position, householdId: byNo[i] })));
    const protect = members.map(({ m }) => ({ name: this.personal.protect('name', m.name), id: this.personal.protect('idNumber', m.idNumber), phone: m.phone ? this.personal.protect('phone', m.phone) : null }));
    await em.query(
      `INSERT INTO household_members (household_id, relation, position, name_enc, name_masked, id_number_enc, id_number_bidx, phone_enc, phone_bidx)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`,
      [
        members.map((x) => x.householdId),
        members.map((x) => x.m.relation),
        members.map((x) => x.position),
        protect.map((p) => p.name.enc),
        members.map((x) => maskName(x.m.name)),
        protect.map((p) => p.id.enc),
        protect.map((p) => p.id.bidx),
        protect.map((p) => p.phone?.enc ?? null),
        protect.map((p) => p.phone?.bidx ?? null),
      ],
    );
    return byNo;
  }

  private async insertTenancies(leases: Lease[], unitIds: string[], householdIds: string[], now: Date, em: EntityManager): Promise<void> {
    const starts = leases.map((l) => localDate(new Date(now.getTime() - l.monthsAgo * 30 * 86400_000)));
    await em.query(
      `INSERT INTO tenancies (unit_id, household_id, contract_no, start_date, end_date, monthly_rent, created_at)
       SELECT u, h, c, s, s + interval '3 years' - interval '1 day', r, $6
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::numeric[]) AS x(u, h, c, s, r)`,
      [
        leases.map((l) => unitIds[l.unit]),
        leases.map((l) => householdIds[l.household]),
        leases.map((_, i) => `DEMO-${String(i + 1).padStart(4, '0')}`),
        starts,
        leases.map((l) => 300 + ((l.unit * 37) % 400)),
        now,
      ],
    );
  }
}

/**
 * Who lives where, and the unit statuses: most leased units have their tenancy; four findings are
 * deliberate (a leased unit without a tenancy in each city, a tenancy on a unit under repair, a
 * household with two tenancies, a household with a tenancy while on the subsidy roll).
 */
export function plan(units: DemoUnit[], households: DemoHousehold[]) {
  const statuses: UnitStatus[] = units.map(() => 'vacant');
  const leases: Lease[] = [];
  const extraHistory: (Pick<StatusChange, 'from' | 'to' | 'reason'> & { unit: number })[] = [];
  const unitsOf = (project: string) => units.map((u, i) => (u.project === project ? i : -1)).filter((i) => i >= 0);
  const householdsOf = (county: string, form: DemoHousehold['guaranteeForm']) =>
    households.map((h, i) => (h.regionCode.startsWith(county) && h.guaranteeForm === form ? i : -1)).filter((i) => i >= 0);
  const pool = { cdInKind: householdsOf('510107', 'in_kind'), cdArh: householdsOf('510107', 'arh'), dyInKind: householdsOf('510603', 'in_kind'), dySubsidy: householdsOf('510603', 'rental_subsidy') };
  let month = 0;
  const lease = (unit: number, household: number | undefined, status: UnitStatus = 'leased') => {
    statuses[unit] = status;
    if (household !== undefined) leases.push({ unit, household, monthsAgo: 3 + (month++ % 28) });
  };
  const cq = unitsOf('WH-CQ');
  cq.slice(0, 12).forEach((u, i) => lease(u, pool.cdInKind[i]));
  lease(cq[12], undefined); // finding: leased, no tenancy
  lease(cq[13], pool.cdInKind[12], 'under_repair'); // finding: a tenancy on a unit under repair
  extraHistory.push({ unit: cq[13], from: 'leased', to: 'under_repair', reason: '入户检查发现卫生间渗漏，报修 (inspection found a leak)' });
  statuses[cq[14]] = 'allocated';
  statuses[cq[15]] = 'under_repair';
  const jh = unitsOf('WH-JH');
  jh.slice(0, 8).forEach((u, i) => lease(u, pool.cdArh[i]));
  lease(jh[8], pool.cdInKind[0]); // finding: the household of WH-CQ's first unit lives here too
  const ty = unitsOf('JY-TY');
  ty.slice(0, 9).forEach((u, i) => lease(u, pool.dyInKind[i]));
  lease(ty[9], pool.dySubsidy[0]); // finding: housed in kind while still on the subsidy roll
  lease(ty[10], undefined); // finding: leased, no tenancy
  statuses[ty[11]] = 'frozen';
  const dh = unitsOf('JY-DH');
  statuses[dh[0]] = 'sold';
  statuses[dh[1]] = 'sold';
  return { leases: leases.filter((l) => l.household !== undefined), statuses, extraHistory };
}
