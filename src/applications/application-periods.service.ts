import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import { Clock, ConflictError, NotFoundError } from '../common';
import { AddPeriodsDto } from './application-process.dto';
import { ApplicationErrorCode as C, badField } from './applications.errors';
import { shanghaiDate } from './household';

/** The statutory periods of the application process in a region, in working days (工作日). */
export interface ApplicationPeriods {
  ruleId: number;
  regionCode: string;
  effectiveFrom: string;
  /** the applicant's time to answer a 补正 notice (the statutory clock is paused meanwhile) */
  correctionDays: number;
  streetReviewDays: number;
  countyReviewDays: number;
  cityReviewDays: number;
  departmentCheckDays: number;
  departmentReminderDays: number;
  departmentEscalationDays: number;
  appealRequestDays: number;
  appealReviewDays: number;
  /** the whole case, submission to decision, 补正 excluded */
  caseDays: number;
  source: string;
}

const COLUMNS = `id AS "ruleId", region_code AS "regionCode", to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom",
  correction_days AS "correctionDays", street_review_days AS "streetReviewDays", county_review_days AS "countyReviewDays",
  city_review_days AS "cityReviewDays", department_check_days AS "departmentCheckDays", department_reminder_days AS "departmentReminderDays",
  department_escalation_days AS "departmentEscalationDays", appeal_request_days AS "appealRequestDays", appeal_review_days AS "appealReviewDays",
  case_days AS "caseDays", source`;

/**
 * Every period of the application process is a parameter of the region (DOMAIN.md: "every one of
 * them is a versioned, per-region parameter"): `application_period_rules`, versioned with
 * effective dates. The version in force for a case is the latest one, on or before its day, of the
 * nearest region on its path up to the province (510000 holds the seeded defaults). 公示 periods
 * and the objection check come from the 公示 rules (publicity), not from here.
 */
@Injectable()
export class ApplicationPeriodRules {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {}

  async inForce(region: string, on: string, em?: EntityManager): Promise<ApplicationPeriods> {
    const path = await this.path(region, em);
    const [rule] = (await (em ?? this.ds).query(
      `SELECT ${COLUMNS} FROM application_period_rules WHERE region_code = ANY($1::text[]) AND effective_from <= $2::date
        ORDER BY array_position($1::text[], region_code) DESC, effective_from DESC LIMIT 1`,
      [path, on],
    )) as ApplicationPeriods[];
    if (!rule) throw new ConflictError(C.PeriodsMissing, `No application period rule covers ${region} on ${on}`, { region, on });
    return rule;
  }

  /** The version in force today and every version on the region's path (GET /api/applications/periods/{region}). */
  async describe(region: string, today: string): Promise<{ region: string; inForce: ApplicationPeriods; versions: ApplicationPeriods[] }> {
    const path = await this.path(region);
    const versions = (await this.ds.query(
      `SELECT ${COLUMNS} FROM application_period_rules WHERE region_code = ANY($1::text[]) ORDER BY array_position($1::text[], region_code), effective_from`,
      [path],
    )) as ApplicationPeriods[];
    return { region, inForce: await this.inForce(region, today), versions };
  }

  /** A new version for a region, in force from today or later (the past stays as it was); 409 when one already starts that day. */
  async add(actor: Actor, dto: AddPeriodsDto): Promise<ApplicationPeriods> {
    const today = shanghaiDate(this.clock.now());
    if (Number.isNaN(Date.parse(`${dto.effectiveFrom}T00:00:00Z`)) || new Date(`${dto.effectiveFrom}T00:00:00Z`).toISOString().slice(0, 10) !== dto.effectiveFrom) {
      throw badField(C.PeriodsInvalid, 'effectiveFrom', `${dto.effectiveFrom} is not a date`);
    }
    if (dto.effectiveFrom < today) throw badField(C.PeriodsInvalid, 'effectiveFrom', `a new version takes effect today (${today}) or later, never in the past`);
    if (dto.departmentReminderDays >= dto.departmentCheckDays) throw badField(C.PeriodsInvalid, 'departmentReminderDays', 'the reminder comes before the department check is due');
    await this.path(dto.regionCode);
    const [row] = (await this.ds.query(
      `INSERT INTO application_period_rules (region_code, effective_from, correction_days, street_review_days, county_review_days, city_review_days,
                                             department_check_days, department_reminder_days, department_escalation_days, appeal_request_days,
                                             appeal_review_days, case_days, source, created_by, created_at)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       ON CONFLICT ON CONSTRAINT application_period_rules_version_key DO NOTHING RETURNING ${COLUMNS}`,
      [dto.regionCode, dto.effectiveFrom, dto.correctionDays, dto.streetReviewDays, dto.countyReviewDays, dto.cityReviewDays, dto.departmentCheckDays,
        dto.departmentReminderDays, dto.departmentEscalationDays, dto.appealRequestDays, dto.appealReviewDays, dto.caseDays, dto.source.trim(), actor.username,
        this.clock.now()],
    )) as ApplicationPeriods[];
    if (!row) throw new ConflictError(C.PeriodsExist, `A version for ${dto.regionCode} already takes effect on ${dto.effectiveFrom}`, { regionCode: dto.regionCode, effectiveFrom: dto.effectiveFrom });
    return row;
  }

  private async path(region: string, em?: EntityManager): Promise<string[]> {
    const [row] = (await (em ?? this.ds).query(`SELECT path FROM regions WHERE code = $1 ORDER BY valid_to DESC NULLS FIRST LIMIT 1`, [region])) as { path: string }[];
    if (!row) throw new NotFoundError(C.RegionUnknown, `No region ${region}`, { fields: [{ field: 'region', problems: [`${region} is not a known region code`] }] });
    return row.path.split('/').filter(Boolean);
  }
}
