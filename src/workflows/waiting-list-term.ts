import { Injectable, Logger, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, isDomainError } from '../common';
import { pendingMigrations } from '../database';
import { EngineErrorCode, InstancesService, MessagesService, ServiceHandlerRegistry, ServiceTaskContext } from '../engine';
import type { Caller } from '../api';
import { EntryClosed, EntryEnqueued, WaitingListEvents, WaitingListService, isAlarmOutcome } from '../waiting-list';
import { ProcessTasks, optionalText, processCaller, required } from './process-context';

/** The process key of processes/waiting-list-term.bpmn. */
export const WAITING_LIST_TERM_PROCESS = 'waiting_list_term';
/** The message that ends an entry's pending alarm when it leaves the list first. */
export const ENTRY_CLOSED_MESSAGE = 'waitingListEntryClosed';

/** The start of a day in China time, and the end of the day before another (YYYY-MM-DD): the instants the diagram waits for. */
export function startOfDay(day: string): string {
  return `${day}T00:00:00+08:00`;
}
export function endOfDayBefore(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return `${d.toISOString().slice(0, 10)}T23:59:59.999+08:00`;
}

/**
 * The 3-year term of a waiting-list entry (轮候期限) as a process: each entry starts
 * `waiting_list_term` (the case number as business key) in the transaction that puts it on the
 * list; the engine's timer waits until the alarm day (a job row: it survives restarts), the
 * `waitingList.raiseAlarm` task records the alarm, and the county's answer to the task 轮候期满预警
 * is recorded by `waitingList.decideAlarm`. An entry that leaves the list first tells its process
 * (`waitingListEntryClosed`) in the same transaction: the pending alarm ends without a task.
 */
@Injectable()
export class WaitingListTerm implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('WaitingListTerm');

  constructor(
    private readonly registry: ServiceHandlerRegistry,
    private readonly events: WaitingListEvents,
    private readonly waitingList: WaitingListService,
    private readonly instances: InstancesService,
    private readonly messages: MessagesService,
    private readonly tasks: ProcessTasks,
    private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.events.onEnqueued((em, e) => this.start(em, e));
    this.events.onClosed((em, e) => this.closed(em, e));
    this.registry.register('waitingList.raiseAlarm', (ctx) => this.raiseAlarm(ctx));
    this.registry.register('waitingList.decideAlarm', (ctx) => this.decideAlarm(ctx));
  }

  /**
   * Entries put on the list before this process existed get their term process now (after the
   * boot deployment of processes/, which the engine module's bootstrap did first).
   */
  async onApplicationBootstrap(): Promise<void> {
    // with migrations pending the tables may not exist (/health says so): the next boot does it
    if ((await pendingMigrations(this.ds)).length) return;
    const n = await this.waitingList.announcePending();
    if (n) this.logger.log(`started the 3-year term process of ${n} waiting-list entries put on the list before it existed`);
  }

  async start(em: EntityManager, e: EntryEnqueued): Promise<void> {
    await this.instances.startIn(
      em,
      { key: WAITING_LIST_TERM_PROCESS },
      {
        businessKey: e.caseNumber,
        variables: {
          entryId: e.entryId,
          caseNumber: e.caseNumber,
          regionCode: e.regionCode,
          countyCode: e.regionCode,
          qualifiedOn: e.qualifiedOn,
          alarmOn: e.alarmOn,
          maxWaitUntil: e.maxWaitUntil,
          alarmAt: startOfDay(e.alarmOn),
          decideByAt: endOfDayBefore(e.maxWaitUntil),
        },
      },
      null,
    );
  }

  async closed(em: EntityManager, e: EntryClosed): Promise<void> {
    try {
      await this.messages.correlateIn(em, { name: ENTRY_CLOSED_MESSAGE, businessKey: e.caseNumber, variables: { closedAs: e.status } }, null);
    } catch (err) {
      // no pending alarm: the term process already ended, is the one recording this move, or the entry predates it
      if (!(isDomainError(err) && err.code === EngineErrorCode.MessageNotCorrelated)) throw err;
    }
  }

  /** The alarm day has come: recorded once on the entry; a task only while it still waits. */
  async raiseAlarm(ctx: ServiceTaskContext) {
    const due = await this.waitingList.raiseAlarm(undefined, required(ctx, 'entryId'), processCaller(ctx));
    return { stillWaiting: due !== null, alarmRaisedAt: due?.raisedAt.toISOString() ?? null };
  }

  /** The county's answer (inputs `outcome`, `reason`, `reference`, `taskElementId`), recorded against the person who completed the task. */
  async decideAlarm(ctx: ServiceTaskContext) {
    const outcome = required<string>(ctx, 'outcome');
    if (!isAlarmOutcome(outcome)) {
      throw new DomainError('UNPROCESSABLE', 'PROCESS_VARIABLE_INVALID', `${ctx.elementId}: outcome must be allocate, switch_to_subsidy or other, not ${outcome}`, { field: 'outcome' });
    }
    const done = await this.tasks.completion(this.ds.manager, ctx.processInstanceId, required(ctx, 'taskElementId'));
    const by: Caller = done?.userId && done.username ? { kind: 'user', userId: done.userId, username: done.username } : processCaller(ctx);
    await this.waitingList.decideAlarm(
      undefined,
      required(ctx, 'entryId'),
      { outcome, reason: optionalText(ctx.inputs.reason) ?? '', reference: optionalText(ctx.inputs.reference) },
      by,
      `bpmn:${ctx.idempotencyKey}`,
    );
    return {};
  }
}
