import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../api';
import { Clock } from '../common';
import { Label, UnitStatus, labelled } from './housing-codes';
import { regionFacts, scopeSql, subtreeSql } from './housing-access';
import { regionUnknown } from './housing.errors';
import { BeneficiaryFacts } from './households/household-facts';
import { jsonOf } from './households/households.repository';

/** Rows listed per finding; counts are always exact. */
export const MAX_FINDING_ROWS = 500;

export interface Finding<T> {
  title: Label;
  count: number;
  truncated: boolean;
  rows: T[];
}

export interface ReconciliationReport {
  region: string | null;
  asOf: string;
  totals: { units: number; leasedUnits: number; currentTenancies: number; households: number };
  summary: { unitsLeasedWithoutTenancy: number; tenanciesOnUnitsNotLeased: number; householdsInTwoPlaces: number };
  unitsLeasedWithoutTenancy: Finding<{ unitId: string; assetNo: string; projectName: string; buildingNumber: string; roomNo: string; regionCode: string; statusSince: string }>;
  tenanciesOnUnitsNotLeased: Finding<{ tenancyId: string; unitId: string; assetNo: string; unitStatus: Label & { code: string }; householdId: string; householdNo: string; startDate: string }>;
  householdsInTwoPlaces: Finding<{
    householdId: string;
    householdNo: string;
    regionCode: string;
    reasons: (Label & { code: 'two_tenancies' | 'tenancy_and_subsidy' })[];
    subsidyMonthlyAmount: number | null;
    tenancies: { id: string; unitId: string; assetNo: string; startDate: string }[];
  }>;
}

const REASONS = {
  two_tenancies: { zh: '同时有两处及以上在租房源', en: 'two or more current tenancies' },
  tenancy_and_subsidy: { zh: '在租公租房的同时领取租赁补贴', en: 'a current tenancy while on the rental subsidy roll' },
};

type Counted<T> = T & { total: number };

/**
 * 人房对应 and 账实相符: the stock's statuses against the tenancies, and households housed twice.
 * Units are in scope by their region, households by theirs.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly facts: BeneficiaryFacts,
  ) {}

  async report(actor: Actor, region?: string): Promise<ReconciliationReport> {
    if (region && !(await regionFacts(this.ds.manager, actor, region))) throw regionUnknown('region', region);
    const where = (column: string, params: unknown[]) => [scopeSql(actor, column, params), ...(region ? [subtreeSql(region, column, params)] : [])].join(' AND ');
    const run = async <T>(sql: (w: (column: string) => string) => string): Promise<T[]> => {
      const params: unknown[] = [];
      return (await this.ds.query(sql((column) => where(column, params)), params)) as T[];
    };
    const [totals] = await run<ReconciliationReport['totals']>(
      (w) => `SELECT (SELECT count(*)::int FROM housing_units u WHERE ${w('u.region_code')}) AS units,
                     (SELECT count(*)::int FROM housing_units u WHERE u.status = 'leased' AND ${w('u.region_code')}) AS "leasedUnits",
                     (SELECT count(*)::int FROM tenancies t JOIN housing_units u ON u.id = t.unit_id WHERE t.ended_on IS NULL AND ${w('u.region_code')}) AS "currentTenancies",
                     (SELECT count(*)::int FROM households h WHERE ${w('h.region_code')}) AS households`,
    );
    const leased = await run<Counted<{ id: string; asset_no: string; project_name: string; number: string; room_no: string; region_code: string; status_since: Date }>>(
      (w) => `SELECT u.id, u.asset_no, p.name AS project_name, b.number, u.room_no, u.region_code, u.status_since, count(*) OVER ()::int AS total
                FROM housing_units u JOIN housing_buildings b ON b.id = u.building_id JOIN housing_projects p ON p.id = b.project_id
               WHERE u.status = 'leased' AND NOT EXISTS (SELECT 1 FROM tenancies t WHERE t.unit_id = u.id AND t.ended_on IS NULL) AND ${w('u.region_code')}
               ORDER BY u.asset_no LIMIT ${MAX_FINDING_ROWS}`,
    );
    const notLeased = await run<Counted<{ id: string; unit_id: string; asset_no: string; status: UnitStatus; household_id: string; household_no: string; start_date: string }>>(
      (w) => `SELECT t.id, u.id AS unit_id, u.asset_no, u.status, h.id AS household_id, h.household_no, to_char(t.start_date, 'YYYY-MM-DD') AS start_date,
                     count(*) OVER ()::int AS total
                FROM tenancies t JOIN housing_units u ON u.id = t.unit_id JOIN households h ON h.id = t.household_id
               WHERE t.ended_on IS NULL AND u.status <> 'leased' AND ${w('u.region_code')}
               ORDER BY u.asset_no LIMIT ${MAX_FINDING_ROWS}`,
    );
    const twice = await run<
      Counted<{ id: string; household_no: string; region_code: string; guarantee_form: string; subsidy_enc: string | null; n: number; list: unknown }>
    >(
      (w) => `SELECT h.id, h.household_no, h.region_code, h.guarantee_form, h.subsidy_enc, count(*)::int AS n,
                     json_agg(json_build_object('id', t.id, 'unitId', u.id, 'assetNo', u.asset_no, 'startDate', to_char(t.start_date, 'YYYY-MM-DD')) ORDER BY t.start_date, t.id) AS list,
                     count(*) OVER ()::int AS total
                FROM households h JOIN tenancies t ON t.household_id = h.id AND t.ended_on IS NULL JOIN housing_units u ON u.id = t.unit_id
               WHERE ${w('h.region_code')}
               GROUP BY h.id
              HAVING count(*) > 1 OR h.guarantee_form = 'rental_subsidy'
               ORDER BY h.household_no LIMIT ${MAX_FINDING_ROWS}`,
    );
    const finding = <R, T>(title: Label, rows: Counted<R>[], map: (r: R) => T): Finding<T> => {
      const count = rows[0]?.total ?? 0;
      return { title, count, truncated: count > rows.length, rows: rows.map(map) };
    };
    const report: Omit<ReconciliationReport, 'summary'> = {
      region: region ?? null,
      asOf: this.clock.now().toISOString(),
      totals,
      unitsLeasedWithoutTenancy: finding({ zh: '标记为已出租但没有在租租约的房源', en: 'Units marked leased with no current tenancy' }, leased, (r) => ({
        unitId: r.id,
        assetNo: r.asset_no,
        projectName: r.project_name,
        buildingNumber: r.number,
        roomNo: r.room_no,
        regionCode: r.region_code,
        statusSince: r.status_since.toISOString(),
      })),
      tenanciesOnUnitsNotLeased: finding({ zh: '房源未标记为已出租的在租租约', en: 'Current tenancies on units not marked leased' }, notLeased, (r) => ({
        tenancyId: r.id,
        unitId: r.unit_id,
        assetNo: r.asset_no,
        unitStatus: labelled(UnitStatus, r.status),
        householdId: r.household_id,
        householdNo: r.household_no,
        startDate: r.start_date,
      })),
      householdsInTwoPlaces: finding({ zh: '重复保障的家庭（两处在租，或在租同时领取补贴）', en: 'Households in two places (two tenancies, or a tenancy and a subsidy)' }, twice, (r) => ({
        householdId: r.id,
        householdNo: r.household_no,
        regionCode: r.region_code,
        reasons: [
          ...(r.n > 1 ? [{ code: 'two_tenancies' as const, ...REASONS.two_tenancies }] : []),
          ...(r.guarantee_form === 'rental_subsidy' ? [{ code: 'tenancy_and_subsidy' as const, ...REASONS.tenancy_and_subsidy }] : []),
        ],
        subsidyMonthlyAmount: this.facts.openSubsidy(r.subsidy_enc),
        tenancies: jsonOf(r.list as { id: string; unitId: string; assetNo: string; startDate: string }[] | string),
      })),
    };
    return {
      ...report,
      summary: {
        unitsLeasedWithoutTenancy: report.unitsLeasedWithoutTenancy.count,
        tenanciesOnUnitsNotLeased: report.tenanciesOnUnitsNotLeased.count,
        householdsInTwoPlaces: report.householdsInTwoPlaces.count,
      },
    };
  }
}
