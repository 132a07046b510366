import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { CalendarDeadlinesService, MovedDeadline } from '../../calendar';
import { Clock } from '../../common';
import { rowsOf } from '../../database';
import type { DefinitionMeta } from '../definitions/element-meta';
import { FeelFunctionRegistry } from '../expressions';
import { captureDeadlines, deadlineAt, CapturedDeadline } from '../expressions/deadline-capture';
import { EngineEvent, appendHistory } from '../history/history';
import type { StepResult, Vars, WaitingActivity } from '../runtime/step-runner';
import { evaluateValue } from '../runtime/variables';
import { ClockState, parseTimerOwner, readClock, joinState, taskOwner, timerOwner } from './clock-state';

const TIMER = 'engine-timer';
const TASK = 'user-task';
// only due dates that call a calendar function can be provisional; others are not evaluated again
const CALENDAR_CALL = /add\s+(working|calendar)\s+days/i;

/**
 * Provisional deadlines (issue 4 item 3): a timer's due time or a task's due date that a calendar
 * FEEL function computed into a year without calendar data is tracked by the calendar, owned by
 * the timer (instance:execution) or the task; closed when the timer fires or is cancelled or the
 * task ends; and moved, in the transaction that confirms the year, by the listener registered here.
 */
@Injectable()
export class DeadlineTracking implements OnModuleInit {
  private readonly logger = new Logger('DeadlineTracking');

  constructor(
    private readonly deadlines: CalendarDeadlinesService,
    private readonly feel: FeelFunctionRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.deadlines.onMoved((em, moved) => this.move(em, moved));
  }

  /**
   * After the engine ran, before the state is stored: the clock kept for the timers and tasks
   * still pending, tracked deadlines of those gone closed, provisional timer deadlines computed in
   * this step tracked. Costs nothing for an instance without paused, moved or tracked deadlines.
   */
  async afterRun(em: EntityManager, instanceId: string, before: ClockState, result: StepResult): Promise<ClockState> {
    const pending = new Map(result.timers.map((t) => [t.executionId, t]));
    const waiting = new Set(result.ended ? [] : result.waiting.map((w) => w.executionId));
    const next: ClockState = { timers: {}, tasks: {}, ...(before.pauseId && !result.ended && { pauseId: before.pauseId }) };
    const closeTimers: string[] = [];
    const closeTasks: string[] = [];
    for (const [executionId, override] of Object.entries(before.timers)) {
      if (pending.has(executionId)) next.timers[executionId] = override;
      else if (override.tracked) closeTimers.push(timerOwner(instanceId, executionId).id);
    }
    for (const [executionId, task] of Object.entries(before.tasks)) {
      if (waiting.has(executionId)) next.tasks[executionId] = task;
      else closeTasks.push(task.taskId);
    }
    for (const t of result.timers) {
      if (!t.deadline?.provisional || t.paused || next.timers[t.executionId]?.tracked) continue;
      await this.track(em, timerOwner(instanceId, t.executionId), t.deadline);
      next.timers[t.executionId] = { ...next.timers[t.executionId], tracked: true };
    }
    await this.deadlines.closeAll(em, TIMER, closeTimers);
    await this.deadlines.closeAll(em, TASK, closeTasks);
    return next;
  }

  /**
   * Tasks created in this step whose due date is a provisional calendar deadline: the due date
   * expression is evaluated again (as reconcileUserTasks did, same scope) to learn from which
   * start, period and region it was computed. Returns true when the clock gained a task.
   */
  async afterTasks(em: EntityManager, meta: DefinitionMeta, result: StepResult, created: EngineEvent[], clock: ClockState): Promise<boolean> {
    let changed = false;
    for (const e of created) {
      const taskId = (e.data as { taskId?: string } | undefined)?.taskId;
      const text = e.elementId ? meta.elements[e.elementId]?.task?.dueDate : undefined;
      const w = result.waiting.find((x) => x.executionId === e.executionId);
      if (e.type !== 'task-created' || !taskId || !text || !w || !CALENDAR_CALL.test(text)) continue;
      const { value, deadlines } = captureDeadlines(() => evaluateValue(text, taskScope(result.variables, w), this.feel));
      const d = deadlineAt(deadlines, value === null || value === undefined ? null : new Date(String(value)));
      if (!d?.provisional) continue;
      await this.track(em, taskOwner(taskId), d);
      clock.tasks[w.executionId] = { taskId };
      changed = true;
    }
    return changed;
  }

  /** The instance ended outside a step (cancelled): every deadline it tracked is closed. */
  async release(em: EntityManager, instanceId: string, clock: ClockState): Promise<void> {
    const timers = Object.entries(clock.timers).filter(([, o]) => o.tracked).map(([x]) => x);
    await this.closeFor(em, instanceId, timers, Object.values(clock.tasks).map((t) => t.taskId));
  }

  /** The tracked deadlines of paused timers and tasks are closed: a paused deadline has no due date. */
  async closeFor(em: EntityManager, instanceId: string, timerExecutions: string[], taskIds: string[]): Promise<void> {
    await this.deadlines.closeAll(em, TIMER, timerExecutions.map((x) => timerOwner(instanceId, x).id));
    await this.deadlines.closeAll(em, TASK, taskIds);
  }

  /** Tracks a deadline (start, period, region as computed) for an owner. */
  async track(em: EntityManager, owner: { kind: string; id: string }, d: Pick<CapturedDeadline, 'rule' | 'start' | 'days' | 'region'>): Promise<void> {
    await this.deadlines.track(em, owner, { rule: d.rule, start: d.start, n: d.days, region: d.region ?? undefined });
  }

  /** Which of these timers (execution ids) and tasks have an open provisional deadline. */
  async provisional(instanceId: string, timerExecutions: string[], taskIds: string[]): Promise<{ timers: Set<string>; tasks: Set<string> }> {
    const timers = await this.deadlines.findOpen(TIMER, timerExecutions.map((x) => timerOwner(instanceId, x).id));
    const tasks = await this.deadlines.findOpen(TASK, taskIds);
    return {
      timers: new Set(timers.filter((t) => t.provisional).map((t) => parseTimerOwner(t.owner.id)!.executionId)),
      tasks: new Set(tasks.filter((t) => t.provisional).map((t) => t.owner.id)),
    };
  }

  /**
   * In the transaction that confirms a calendar year: each recomputed timer gets its job's due
   * time and its override in the stored clock moved (the engine state keeps the old expiry), each
   * recomputed task its due date; the instance's history says so.
   */
  async move(em: EntityManager, moved: MovedDeadline[]): Promise<void> {
    const now = this.clock.now();
    const byInstance = new Map<string, { executionId: string; m: MovedDeadline }[]>();
    for (const m of moved) {
      const ref = m.owner.kind === TIMER ? parseTimerOwner(m.owner.id) : null;
      if (ref) byInstance.set(ref.instanceId, [...(byInstance.get(ref.instanceId) ?? []), { executionId: ref.executionId, m }]);
    }
    for (const [instanceId, timers] of byInstance) await this.moveTimers(em, instanceId, timers, now);
    const events = new Map<string, EngineEvent[]>();
    for (const m of moved.filter((x) => x.owner.kind === TASK)) {
      const [task] = rowsOf<{ instance_id: string; element_id: string; execution_id: string }>(
        await em.query(`UPDATE user_tasks SET due_at = $2 WHERE id = $1 AND status = 'open' RETURNING instance_id, element_id, execution_id`, [
          m.owner.id,
          m.after.dueAt.toISOString(),
        ]),
      );
      if (!task) continue;
      const list = events.get(task.instance_id) ?? [];
      list.push({ type: 'deadline-recomputed', elementId: task.element_id, executionId: task.execution_id, data: { taskId: m.owner.id, ...change(m) } });
      events.set(task.instance_id, list);
    }
    for (const [instanceId, list] of events) await appendHistory(em, instanceId, list, now);
    if (moved.length) this.logger.log(`moved ${moved.length} provisional deadline(s) for the entered calendar`);
  }

  private async moveTimers(em: EntityManager, instanceId: string, timers: { executionId: string; m: MovedDeadline }[], now: Date): Promise<void> {
    const [inst] = await em.query(`SELECT state, status FROM engine_process_instances WHERE id = $1 FOR UPDATE`, [instanceId]);
    if (!inst || inst.status !== 'running' || !inst.state) return;
    const clock = readClock(inst.state);
    const events: EngineEvent[] = [];
    for (const { executionId, m } of timers) {
      const override = clock.timers[executionId];
      if (override?.paused) continue; // not tracked while paused; the resume counts the days again
      clock.timers[executionId] = { ...override, dueAt: m.after.dueAt.toISOString(), tracked: true };
      const [job] = rowsOf<{ element_id: string }>(
        await em.query(`UPDATE engine_jobs SET due_at = $3 WHERE instance_id = $1 AND kind = 'timer' AND execution_id = $2 RETURNING element_id`, [
          instanceId,
          executionId,
          m.after.dueAt.toISOString(),
        ]),
      );
      events.push({ type: 'deadline-recomputed', elementId: job?.element_id ?? null, executionId, data: change(m) });
    }
    await em.query(`UPDATE engine_process_instances SET state = $2, version = version + 1 WHERE id = $1`, [instanceId, JSON.stringify(joinState(inst.state, clock))]);
    await appendHistory(em, instanceId, events, now);
  }
}

function change(m: MovedDeadline) {
  return {
    before: { due: m.before.due, dueAt: m.before.dueAt.toISOString(), provisional: m.before.provisional },
    after: { due: m.after.due, dueAt: m.after.dueAt.toISOString(), provisional: m.after.provisional },
  };
}

const ENGINE_KEYS = new Set(['id', 'type', 'name', 'executionId', 'parent', 'inbound', 'outbound', 'state', 'isRootScope', 'isMultiInstance', 'isSequential', 'index', 'ignoreIfExecuting', 'message', 'isRecovered', 'loopCardinality']);

/** The scope a task's attributes were evaluated in: a multi-instance iteration adds its element variable and loop counter. */
function taskScope(variables: Vars, w: WaitingActivity): Vars {
  if (typeof w.content.index !== 'number') return variables;
  const local: Vars = {};
  for (const [k, v] of Object.entries(w.content)) if (!ENGINE_KEYS.has(k)) local[k] = v;
  local.loopCounter = (w.content.index as number) + 1;
  return { ...variables, ...local };
}
