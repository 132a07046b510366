import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import { InvalidDateError, parseDate, toCalendarDate } from '../calendar';
import { Clock } from '../common';
import { rowsOf } from '../database';
import { PRIORITY_GROUP_LABELS, PriorityGroup, isPriorityGroup } from './priority-groups';
import { AddWaitingRuleDto, RuleView, WaitingRulesView } from './waiting-list.dto';
import { WaitingListErrorCode as C, badField, regionUnknown, ruleExists, ruleInPast, ruleMissing } from './waiting-list.errors';
import { WaitingListRepository } from './waiting-list.repository';

export interface WaitingListRule {
  id: number;
  region_code: string;
  priority_order: PriorityGroup[];
  max_wait_months: number;
  alarm_months_before: number;
  effective_from: string;
  source: string;
  created_by: string;
}

const COLUMNS = `id, region_code, priority_order, max_wait_months, alarm_months_before, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, source, created_by`;

/**
 * The per-region waiting-list rule, versioned with effective dates: the priority order, the
 * longest wait (Sichuan: 36 months) and the alarm's lead (default 3 months). The version in force
 * for a region on a day is the latest one, on or before that day, of the nearest region on its
 * path up to the province (510000 holds the seeded default).
 */
@Injectable()
export class WaitingListRules {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: WaitingListRepository,
    private readonly clock: Clock,
  ) {}

  async inForce(region: string, on: string, em?: EntityManager): Promise<WaitingListRule> {
    const found = await this.repo.region(region, em);
    const [rule] = found
      ? ((await (em ?? this.ds).query(
          `SELECT ${COLUMNS} FROM waiting_list_rules WHERE region_code = ANY($1::text[]) AND effective_from <= $2::date
            ORDER BY array_position($1::text[], region_code) DESC, effective_from DESC LIMIT 1`,
          [found.path, on],
        )) as WaitingListRule[])
      : [];
    if (!rule) throw ruleMissing(region, on);
    return rule;
  }

  async describe(region: string): Promise<WaitingRulesView> {
    const found = await this.repo.region(region);
    if (!found) throw regionUnknown('region', region);
    const today = toCalendarDate(this.clock.now());
    const versions = (await this.ds.query(
      `SELECT ${COLUMNS} FROM waiting_list_rules WHERE region_code = ANY($1::text[]) ORDER BY array_position($1::text[], region_code), effective_from`,
      [found.path],
    )) as WaitingListRule[];
    return { region, regionName: found.name, today, inForce: ruleView(await this.inForce(region, today)), versions: versions.map(ruleView) };
  }

  /** A new version for a region, effective today or later (entries already on the list keep their dates). */
  async add(actor: Actor, dto: AddWaitingRuleDto): Promise<RuleView> {
    try {
      parseDate(dto.effectiveFrom);
    } catch (e) {
      if (e instanceof InvalidDateError) throw badField(C.DateInvalid, 'effectiveFrom', e.reason);
      throw e;
    }
    if (!dto.priorityOrder.every(isPriorityGroup) || new Set(dto.priorityOrder).size !== dto.priorityOrder.length) {
      throw badField(C.PriorityOrderInvalid, 'priorityOrder', 'list known priority groups, each once');
    }
    if (dto.alarmMonthsBefore >= dto.maxWaitMonths) throw badField(C.PriorityOrderInvalid, 'alarmMonthsBefore', 'must be less than maxWaitMonths');
    if (!(await this.repo.region(dto.regionCode))) throw regionUnknown('regionCode', dto.regionCode);
    const today = toCalendarDate(this.clock.now());
    if (dto.effectiveFrom < today) throw ruleInPast(today);
    const rows = rowsOf<WaitingListRule>(
      await this.ds.query(
        `INSERT INTO waiting_list_rules (region_code, priority_order, max_wait_months, alarm_months_before, effective_from, source, created_by, created_at)
         VALUES ($1, $2::text[], $3, $4, $5::date, $6, $7, $8) ON CONFLICT ON CONSTRAINT waiting_list_rules_version_key DO NOTHING RETURNING ${COLUMNS}`,
        [dto.regionCode, dto.priorityOrder, dto.maxWaitMonths, dto.alarmMonthsBefore, dto.effectiveFrom, dto.source.trim(), actor.username, this.clock.now()],
      ),
    );
    if (!rows.length) throw ruleExists();
    return ruleView(rows[0]);
  }
}

export function ruleView(r: WaitingListRule): RuleView {
  return {
    id: r.id,
    regionCode: r.region_code,
    priorityOrder: r.priority_order.map((code) => ({ code, label: PRIORITY_GROUP_LABELS[code] })),
    maxWaitMonths: r.max_wait_months,
    alarmMonthsBefore: r.alarm_months_before,
    effectiveFrom: r.effective_from,
    source: r.source,
    createdBy: r.created_by,
  };
}
