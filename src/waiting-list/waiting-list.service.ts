import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import { InvalidDateError, parseDate, toCalendarDate } from '../calendar';
import { Clock, isUuid } from '../common';
import { withManager } from '../database';
import { PersonalDataService } from '../identity';
import { Caller, callerOf, callerRef, callerUserId } from '../api';
import { addMonths } from './months';
import { PRIORITY_GROUPS, PriorityGroup, derivedGroups, isPriorityGroup, mergeGroups } from './priority-groups';
import { TransactionAudit } from '../audit';
import { WaitingListEvents } from './waiting-list-events';
import { WaitingListRules } from './waiting-list-rules.service';
import { entryView, withHistory } from './waiting-list-views';
import { EntryView } from './waiting-list.dto';
import {
  WaitingListErrorCode as C,
  applicationClosed,
  applicationNotFound,
  badField,
  entryNotFound,
  notForWaitingList,
  reasonRequired,
  referenceRequired,
  transitionNotAllowed,
} from './waiting-list.errors';
import { ApplicationFacts, EntryRow, WaitingListRepository } from './waiting-list.repository';
import { ALARM_OUTCOMES, AlarmOutcome, EntryStatus, canMove, isAlarmOutcome } from './waiting-list.state';

export interface EnqueueOptions {
  /** groups confirmed by the county (优抚, 残疾, 大病, …); 低保/特困, elderly, several minors are also derived */
  priorityGroups?: PriorityGroup[];
  /** 资格确认日, YYYY-MM-DD; default today (Asia/Shanghai) */
  qualifiedOn?: string;
}

export interface EnqueueResult extends EntryView {
  /** false when the application was already on the list: the existing entry is returned */
  created: boolean;
}

/** An entry whose 3-year alarm is due, returned once by dueForAlarm. */
export interface AlarmDue {
  entryId: string;
  applicationId: string;
  /** the process business key */
  caseNumber: string;
  regionCode: string;
  qualifiedOn: string;
  maxWaitUntil: string;
  alarmOn: string;
  raisedAt: Date;
  priorityGroups: PriorityGroup[];
}

const ALARM_BATCH = 500;

/**
 * The waiting list's commands, for the application process (in its step's transaction) and for
 * county staff: `enqueue` at the decision, `allocate`, `switchToSubsidy`, `remove` (each with a
 * reason and an audit row), and `dueForAlarm` for the 3-year limit.
 */
@Injectable()
export class WaitingListService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: WaitingListRepository,
    private readonly rules: WaitingListRules,
    private readonly personal: PersonalDataService,
    private readonly audit: TransactionAudit,
    private readonly events: WaitingListEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * Puts an approved household on its county's list (idempotent per application). The limit and
   * alarm days come from the rule in force on the qualification day and stay with the entry.
   */
  async enqueue(em: EntityManager | undefined, applicationId: string, options: EnqueueOptions, by: Caller): Promise<EnqueueResult> {
    const given = options.priorityGroups ?? [];
    if (!Array.isArray(given) || !given.every(isPriorityGroup)) {
      throw badField(C.PriorityGroupUnknown, 'priorityGroups', `each must be one of ${PRIORITY_GROUPS.join(', ')}`);
    }
    const today = toCalendarDate(this.clock.now());
    const qualifiedOn = options.qualifiedOn ?? today;
    try {
      parseDate(qualifiedOn);
    } catch (e) {
      if (e instanceof InvalidDateError) throw badField(C.DateInvalid, 'qualifiedOn', e.reason);
      throw e;
    }
    if (qualifiedOn > today) throw badField(C.DateInvalid, 'qualifiedOn', `must not be after today (${today})`);
    if (!isUuid(applicationId)) throw applicationNotFound(applicationId);
    const result = await withManager(this.ds, em, async (m) => {
      const app = await this.repo.lockApplication(m, applicationId);
      if (!app) throw applicationNotFound(applicationId);
      const existing = await this.repo.byApplication(applicationId, m);
      if (existing) return { ...entryView(existing, this.personal), created: false };
      if (app.status === 'rejected' || app.status === 'withdrawn') throw applicationClosed(app.status);
      if (app.type === 'prh_rental_subsidy') throw notForWaitingList(app.type);
      const region = await this.repo.countyOf(app.target_region_code ?? app.region_code, m);
      if (!region) throw applicationNotFound(applicationId);
      const rule = await this.rules.inForce(region, qualifiedOn, m);
      const id = randomUUID();
      const now = this.clock.now();
      const maxWaitUntil = addMonths(qualifiedOn, rule.max_wait_months);
      const alarmOn = addMonths(qualifiedOn, rule.max_wait_months - rule.alarm_months_before);
      await this.repo.insert(m, {
        id,
        application_id: app.id,
        case_number: app.case_number,
        housing_type: app.type,
        household_snapshot_sha256: app.snapshot_sha256,
        household_size: app.household.size,
        applicant_user_id: app.applicant_user_id,
        region_code: region,
        priority_groups: mergeGroups(given, derivedGroups({ ...app.household, category: this.categoryOf(app) }, qualifiedOn)),
        qualified_on: qualifiedOn,
        rule_id: rule.id,
        max_wait_until: maxWaitUntil,
        alarm_on: alarmOn,
        status: 'waiting',
        status_reason: '纳入轮候（资格确认）',
        status_changed_at: now,
        status_changed_by: callerRef(by),
        status_changed_by_user_id: callerUserId(by),
        created_at: now,
        created_by: callerRef(by),
      });
      await this.repo.appendHistory(m, id, {
        event: 'enqueued', from_status: null, to_status: 'waiting', outcome: null, reason: '纳入轮候（资格确认）', reference: null,
        changed_by: callerRef(by), changed_by_user_id: callerUserId(by), changed_at: now,
      });
      await this.audit.record(m, by, 'waiting_list.enqueue', 'waiting_list_entry', id);
      await this.events.enqueued(m, { entryId: id, caseNumber: app.case_number, regionCode: region, qualifiedOn, alarmOn, maxWaitUntil });
      return { ...entryView((await this.repo.find(id, m))!, this.personal), created: true };
    });
    if (!em) this.audit.done();
    return result;
  }

  /** The household's category (低保, 特困 …): sealed with the application's household facts, opened here for the derived groups only. */
  private categoryOf(app: ApplicationFacts): string {
    if (!app.household_facts_enc) return app.open_category ?? '';
    return (JSON.parse(this.personal.decryptForUse('facts', app.household_facts_enc)) as { category: string }).category;
  }

  /** A unit was allocated (配租): the entry leaves the list with what was allocated. */
  allocate(em: EntityManager | undefined, entryId: string, allocation: { reference: string; reason: string }, by: Caller): Promise<EntryView> {
    if (!allocation.reference?.trim()) throw referenceRequired();
    return this.move(em, entryId, 'allocated', allocation.reason, by, allocation.reference.trim());
  }

  /** The household gets a rental subsidy instead (e.g. at the 3-year limit). */
  switchToSubsidy(em: EntityManager | undefined, entryId: string, reason: string, by: Caller): Promise<EntryView> {
    return this.move(em, entryId, 'switched_to_subsidy', reason, by, null);
  }

  /** Off the list with a reason (no longer eligible, refused twice, moved away). */
  remove(em: EntityManager | undefined, entryId: string, reason: string, by: Caller): Promise<EntryView> {
    return this.move(em, entryId, 'removed', reason, by, null);
  }

  /**
   * Tells the listeners of entries that went onto the list before anyone listened (before the
   * 3-year term process existed) that they are on it, a batch per transaction, each entry once:
   * their term process starts now, and an alarm day already past raises its alarm at once.
   * Returns how many were announced. Safe on several nodes at once (each batch is locked).
   */
  async announcePending(batch = ALARM_BATCH): Promise<number> {
    let announced = 0;
    for (;;) {
      const n = await this.ds.transaction(async (m) => {
        const rows = await this.repo.unannounced(m, batch);
        const now = this.clock.now();
        for (const e of rows) {
          await this.events.enqueued(m, {
            entryId: e.id, caseNumber: e.case_number, regionCode: e.region_code, qualifiedOn: e.qualified_on, alarmOn: e.alarm_on, maxWaitUntil: e.max_wait_until,
          });
          await this.repo.markAnnounced(m, e.id, now);
        }
        return rows.length;
      });
      announced += n;
      if (n < batch) return announced;
    }
  }

  /**
   * The waiting entries whose alarm day (the longest wait minus the rule's lead, 33 months by
   * default) has come, each returned once: the alarm is recorded as raised in the same
   * transaction. Call it with the transaction in which you start the county's tasks, so an alarm
   * is never recorded without its task.
   */
  async dueForAlarm(now: Date = this.clock.now(), em?: EntityManager, limit = ALARM_BATCH): Promise<AlarmDue[]> {
    const by: Caller = { kind: 'process', reference: 'waiting-list:alarm' };
    return withManager(this.ds, em, async (m) => {
      const rows = await this.repo.raiseDueAlarms(m, toCalendarDate(now), now, limit);
      for (const e of rows) {
        await this.repo.appendHistory(m, e.id, {
          event: 'alarm_raised', from_status: 'waiting', to_status: 'waiting', outcome: null,
          reason: `轮候将于 ${e.max_wait_until} 满期，提请区县住房保障部门配租或转货币补贴`, reference: null,
          changed_by: callerRef(by), changed_by_user_id: null, changed_at: now,
        });
        await this.audit.record(m, by, 'waiting_list.alarm', 'waiting_list_entry', e.id);
      }
      return rows.map((e) => ({
        entryId: e.id,
        applicationId: e.application_id,
        caseNumber: e.case_number,
        regionCode: e.region_code,
        qualifiedOn: e.qualified_on,
        maxWaitUntil: e.max_wait_until,
        alarmOn: e.alarm_on,
        raisedAt: new Date(e.alarm_raised_at!),
        priorityGroups: e.priority_groups,
      }));
    });
  }

  /**
   * The 3-year alarm of one entry (the term process's timer has fired): recorded as raised, once,
   * with a history line and an audit row. Null when the entry no longer waits (then no task is due).
   */
  async raiseAlarm(em: EntityManager | undefined, entryId: string, by: Caller): Promise<AlarmDue | null> {
    if (!isUuid(entryId)) throw entryNotFound(entryId);
    return withManager(this.ds, em, async (m) => {
      const e = await this.repo.find(entryId, m, true);
      if (!e) throw entryNotFound(entryId);
      if (e.status !== 'waiting') return null;
      const now = this.clock.now();
      if (await this.repo.markAlarmRaised(m, entryId, now)) {
        await this.repo.appendHistory(m, entryId, {
          event: 'alarm_raised', from_status: 'waiting', to_status: 'waiting', outcome: null,
          reason: `轮候将于 ${e.max_wait_until} 满期，提请区县住房保障部门配租或转货币补贴`, reference: null,
          changed_by: callerRef(by), changed_by_user_id: callerUserId(by), changed_at: now,
        });
        await this.audit.record(m, by, 'waiting_list.alarm', 'waiting_list_entry', entryId);
      }
      const raised = (await this.repo.find(entryId, m))!;
      return {
        entryId: raised.id,
        applicationId: raised.application_id,
        caseNumber: raised.case_number,
        regionCode: raised.region_code,
        qualifiedOn: raised.qualified_on,
        maxWaitUntil: raised.max_wait_until,
        alarmOn: raised.alarm_on,
        raisedAt: new Date(raised.alarm_raised_at!),
        priorityGroups: raised.priority_groups,
      };
    });
  }

  /**
   * The county's answer to the alarm (轮候期满预警): allocate (配租, with what was allocated), switch
   * to a rental subsidy (转货币补贴), or another outcome with its reasons (the entry keeps waiting).
   * Recorded on the entry's history and in the audit log; once per idempotency key (a retried job).
   */
  async decideAlarm(
    em: EntityManager | undefined,
    entryId: string,
    decision: { outcome: AlarmOutcome; reason: string; reference?: string | null },
    by: Caller,
    idempotencyKey?: string,
  ): Promise<EntryView> {
    if (!isAlarmOutcome(decision.outcome)) throw badField(C.AlarmOutcomeUnknown, 'outcome', `must be one of ${ALARM_OUTCOMES.join(', ')}`);
    const reason = decision.reason?.trim();
    if (!reason) throw reasonRequired();
    if (decision.outcome === 'allocate' && !decision.reference?.trim()) throw referenceRequired();
    if (!isUuid(entryId)) throw entryNotFound(entryId);
    const result = await withManager(this.ds, em, async (m) => {
      const e = await this.repo.find(entryId, m, true);
      if (!e) throw entryNotFound(entryId);
      const line = {
        event: 'alarm_decided' as const, from_status: e.status, outcome: decision.outcome, reason,
        reference: decision.outcome === 'allocate' ? decision.reference!.trim() : null,
        changed_by: callerRef(by), changed_by_user_id: callerUserId(by), changed_at: this.clock.now(), idempotency_key: idempotencyKey ?? null,
      };
      // a retried job whose first run committed: the answer is recorded already
      if (idempotencyKey && (await this.repo.hasHistoryKey(m, idempotencyKey))) return withHistory(entryView(e, this.personal), await this.repo.history(entryId, m));
      const to: EntryStatus = decision.outcome === 'allocate' ? 'allocated' : decision.outcome === 'switch_to_subsidy' ? 'switched_to_subsidy' : 'waiting';
      if (to !== 'waiting') await this.moveIn(m, entryId, to, `轮候期满预警处理：${reason}`, by, line.reference);
      else if (e.status !== 'waiting') throw transitionNotAllowed(e.status, 'waiting');
      await this.repo.appendHistory(m, entryId, { ...line, to_status: to });
      await this.audit.record(m, by, 'waiting_list.alarm_decision', 'waiting_list_entry', entryId);
      return withHistory(entryView((await this.repo.find(entryId, m))!, this.personal), await this.repo.history(entryId, m));
    });
    if (!em) this.audit.done();
    return result;
  }

  async enqueueAs(actor: Actor, caseNumber: string, options: EnqueueOptions): Promise<EnqueueResult> {
    const app = await this.repo.applicationByCase(caseNumber);
    if (!app || !(await this.repo.inScope(actor, app.region))) throw applicationNotFound(caseNumber);
    return this.enqueue(undefined, app.id, options, callerOf(actor));
  }

  async moveAs(actor: Actor, entryId: string, to: Exclude<EntryStatus, 'waiting'>, body: { reason: string; reference?: string }): Promise<EntryView> {
    if (!isUuid(entryId) || !(await this.repo.findVisible(actor, entryId))) throw entryNotFound(entryId);
    const by = callerOf(actor);
    if (to === 'allocated') return this.allocate(undefined, entryId, { reference: body.reference ?? '', reason: body.reason }, by);
    return to === 'switched_to_subsidy' ? this.switchToSubsidy(undefined, entryId, body.reason, by) : this.remove(undefined, entryId, body.reason, by);
  }

  private async move(em: EntityManager | undefined, entryId: string, to: Exclude<EntryStatus, 'waiting'>, reason: string, by: Caller, reference: string | null): Promise<EntryView> {
    if (!reason?.trim()) throw reasonRequired();
    if (!isUuid(entryId)) throw entryNotFound(entryId);
    const result = await withManager(this.ds, em, async (m) => {
      await this.moveIn(m, entryId, to, reason.trim(), by, reference);
      return withHistory(entryView((await this.repo.find(entryId, m))!, this.personal), await this.repo.history(entryId, m));
    });
    if (!em) this.audit.done();
    return result;
  }

  /** The move itself, in the caller's transaction: status, history line, audit row, and the event that ends a pending alarm. */
  private async moveIn(m: EntityManager, entryId: string, to: Exclude<EntryStatus, 'waiting'>, reason: string, by: Caller, reference: string | null): Promise<void> {
    const e: EntryRow | null = await this.repo.find(entryId, m, true);
    if (!e) throw entryNotFound(entryId);
    if (!canMove(e.status, to)) throw transitionNotAllowed(e.status, to);
    const at = this.clock.now();
    await this.repo.setStatus(m, entryId, { status: to, reason, reference, at, by: callerRef(by), byUserId: callerUserId(by) });
    await this.repo.appendHistory(m, entryId, {
      event: 'status_changed', from_status: e.status, to_status: to, outcome: null, reason, reference,
      changed_by: callerRef(by), changed_by_user_id: callerUserId(by), changed_at: at,
    });
    await this.audit.record(m, by, `waiting_list.${to === 'allocated' ? 'allocate' : to === 'removed' ? 'remove' : 'switch_to_subsidy'}`, 'waiting_list_entry', entryId);
    await this.events.closed(m, { entryId, caseNumber: e.case_number, status: to });
  }
}
