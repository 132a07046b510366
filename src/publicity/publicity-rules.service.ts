import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import { InvalidDateError, parseDate, toCalendarDate } from '../calendar';
import { Clock } from '../common';
import { rowsOf } from '../database';
import { AddPublicityRuleDto, PublicityRuleView, PublicityRulesView } from './publicity.dto';
import { PublicityErrorCode, badField, regionUnknown, ruleExists, ruleInPast, ruleMissing } from './publicity.errors';
import { PublicityRepository } from './publicity.repository';
import { Label, PUBLICITY_ROUNDS, PublicityRound } from './publicity.state';

export type PeriodRule = 'working-days' | 'calendar-rolling';

export const PERIOD_RULE_LABELS: Readonly<Record<PeriodRule, Label>> = {
  'working-days': { 'zh-CN': '工作日（自发布次日起算）', en: 'Working days, counted from the day after the start' },
  'calendar-rolling': { 'zh-CN': '自然日（末日遇休息日顺延）', en: 'Calendar days, the last one rolled past rest days' },
};

export interface PublicityRule {
  id: number;
  region_code: string;
  round: PublicityRound;
  rule: PeriodRule;
  days: number;
  objection_check_days: number;
  effective_from: string;
  source: string;
  created_by: string;
  created_at: Date;
}

const COLUMNS = `id, region_code, round, rule, days, objection_check_days, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, source, created_by, created_at`;

/**
 * The per-region 公示 rule (公示期 and the objection check), versioned with effective dates. The
 * version in force for a region on a day is the latest one, on or before that day, of the nearest
 * region on its path up to the province (510000 holds the seeded default of 7 working days).
 */
@Injectable()
export class PublicityRules {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: PublicityRepository,
    private readonly clock: Clock,
  ) {}

  async inForce(region: string, round: PublicityRound, on: string, em?: EntityManager): Promise<PublicityRule> {
    const found = await this.repo.regionPath(region, em);
    const [rule] = found
      ? ((await (em ?? this.ds).query(
          `SELECT ${COLUMNS} FROM publicity_rules WHERE round = $2 AND region_code = ANY($1::text[]) AND effective_from <= $3::date
            ORDER BY array_position($1::text[], region_code) DESC, effective_from DESC LIMIT 1`,
          [found.path, round, on],
        )) as PublicityRule[])
      : [];
    if (!rule) throw ruleMissing(region, round, on);
    return rule;
  }

  /** The rules in force today for both rounds, and every version on the region's path. */
  async describe(region: string): Promise<PublicityRulesView> {
    const found = await this.repo.regionPath(region);
    if (!found) throw regionUnknown('region', region);
    const today = toCalendarDate(this.clock.now());
    const versions = (await this.ds.query(
      `SELECT ${COLUMNS} FROM publicity_rules WHERE region_code = ANY($1::text[]) ORDER BY array_position($1::text[], region_code), round, effective_from`,
      [found.path],
    )) as PublicityRule[];
    const inForce: PublicityRule[] = [];
    for (const round of PUBLICITY_ROUNDS) inForce.push(await this.inForce(region, round, today));
    return { region, regionName: found.name, today, inForce: inForce.map(ruleView), versions: versions.map(ruleView) };
  }

  /** A new version for a region and round, effective today or later (the past stays as it was). */
  async add(actor: Actor, dto: AddPublicityRuleDto): Promise<PublicityRuleView> {
    try {
      parseDate(dto.effectiveFrom);
    } catch (e) {
      if (e instanceof InvalidDateError) throw badField(PublicityErrorCode.DateInvalid, 'effectiveFrom', e.reason);
      throw e;
    }
    if (!(await this.repo.regionPath(dto.regionCode))) throw regionUnknown('regionCode', dto.regionCode);
    const today = toCalendarDate(this.clock.now());
    if (dto.effectiveFrom < today) throw ruleInPast(today);
    const rows = rowsOf<PublicityRule>(
      await this.ds.query(
        `INSERT INTO publicity_rules (region_code, round, rule, days, objection_check_days, effective_from, source, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6::date, $7, $8, $9) ON CONFLICT ON CONSTRAINT publicity_rules_version_key DO NOTHING RETURNING ${COLUMNS}`,
        [dto.regionCode, dto.round, dto.rule, dto.days, dto.objectionCheckDays, dto.effectiveFrom, dto.source.trim(), actor.username, this.clock.now()],
      ),
    );
    if (!rows.length) throw ruleExists();
    return ruleView(rows[0]);
  }
}

export function ruleView(r: PublicityRule): PublicityRuleView {
  return {
    id: r.id,
    regionCode: r.region_code,
    round: r.round,
    rule: r.rule,
    ruleLabel: PERIOD_RULE_LABELS[r.rule],
    days: r.days,
    objectionCheckDays: r.objection_check_days,
    effectiveFrom: r.effective_from,
    source: r.source,
    createdBy: r.created_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}
