import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CalendarService } from '../../calendar';
import { Clock, ConflictError, isUuid } from '../../common';
import { DefinitionsService } from '../definitions/definitions.service';
import { instanceNotFound, instanceNotRunning } from '../engine.errors';
import { appendHistory } from '../history/history';
import { InstanceStepper } from '../instances/instance-stepper';
import type { InstanceRow } from '../instances/instance.types';
import { ServiceHandlerRegistry, ServiceTaskContext } from '../jobs/service-handlers';
import { ClockState, joinState, splitState, taskOwner, timerOwner } from './clock-state';
import { ClockErrorCode, FieldProblem, alreadyPaused, clockInvalid, notPaused, nothingToPause } from './clock.errors';
import { ClockRepository, ClockSource, PauseItem } from './clock.repository';
import { DeadlineTracking } from './deadline-tracking';
import { remainingWorkingDays, resumedDeadline } from './remaining-days';

/** The built-in service-task names a diagram pauses and resumes its clock with. */
export const PAUSE_CLOCK = 'pause clock';
export const RESUME_CLOCK = 'resume clock';

export interface PauseInput {
  reason: string;
  /** timers, or activities (their boundary timers and their task's due date); all when absent */
  elementIds?: string[];
}

/** Who pauses or resumes: a user through the API, or a diagram's service task (with its idempotency key). */
export interface ClockActor {
  actor: string | null;
  source: ClockSource;
  elementId?: string;
  key?: string;
}

const MAX_REASON = 1000;

/**
 * Pausable statutory clocks (中止计时, issue 4 item 5). A pause stops the instance's running
 * deadlines (pending timers and open tasks' due dates, or those of the named elements) and records
 * how many working days each had left; a resume counts them again from the resume day on the
 * instance's calendar (its `regionCode`). Each is one step of the instance, in one transaction
 * with the instance locked: the paused timers lose their job rows (and the engine parks them, so
 * no later recover fires them), the tasks lose their due dates, and history records who and why.
 */
@Injectable()
export class ClockService implements OnModuleInit {
  constructor(
    private readonly ds: DataSource,
    private readonly stepper: InstanceStepper,
    private readonly definitions: DefinitionsService,
    private readonly calendar: CalendarService,
    private readonly tracking: DeadlineTracking,
    private readonly pauses: ClockRepository,
    private readonly handlers: ServiceHandlerRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // registered by the engine itself: deploy accepts diagrams naming them like any bound handler
    if (!this.handlers.has(PAUSE_CLOCK)) this.handlers.register(PAUSE_CLOCK, (ctx) => this.pauseFromDiagram(ctx));
    if (!this.handlers.has(RESUME_CLOCK)) this.handlers.register(RESUME_CLOCK, (ctx) => this.resumeFromDiagram(ctx));
  }

  async pause(instanceId: string, input: PauseInput, by: ClockActor): Promise<void> {
    const reason = checkReason(input.reason, true)!;
    const elementIds = checkElementIds(input.elementIds);
    await this.ds.transaction(async (em) => this.pauseIn(em, await this.lockRunning(em, instanceId), reason, elementIds, by));
  }

  async resume(instanceId: string, input: { reason?: string }, by: ClockActor): Promise<void> {
    const reason = checkReason(input.reason, false);
    await this.ds.transaction(async (em) => this.resumeIn(em, await this.lockRunning(em, instanceId), reason, by));
  }

  private async lockRunning(em: EntityManager, id: string): Promise<InstanceRow> {
    if (!isUuid(id)) throw instanceNotFound(id);
    const inst = await this.stepper.lock(em, id);
    if (!inst) throw instanceNotFound(id);
    if (inst.status !== 'running') throw instanceNotRunning(id, inst.status);
    return inst;
  }

  private async pauseIn(em: EntityManager, inst: InstanceRow, reason: string, elementIds: string[] | null, by: ClockActor): Promise<void> {
    const stored = splitState(inst.state);
    if (stored.clock.pauseId) throw alreadyPaused(inst.id, stored.clock.pauseId);
    const meta = (await this.definitions.load(inst.definitionId, em)).meta;
    const unknown = (elementIds ?? []).flatMap((id, i): FieldProblem[] => (meta.elements[id] ? [] : [{ field: `elementIds[${i}]`, problems: [`${id} is not an element of ${inst.processKey}`] }]));
    if (unknown.length) throw clockInvalid(unknown);
    const now = this.clock.now();
    const named = (elementId: string) => !elementIds || elementIds.includes(elementId) || elementIds.includes(meta.elements[elementId]?.attachedTo ?? '');
    const timers: { element_id: string; execution_id: string; due_at: Date }[] = await em.query(
      `SELECT element_id, execution_id, due_at FROM engine_jobs WHERE instance_id = $1 AND kind = 'timer' AND status = 'pending' AND due_at > $2 ORDER BY due_at, id`,
      [inst.id, now.toISOString()],
    );
    const tasks: { id: string; element_id: string; execution_id: string; due_at: Date }[] = await em.query(
      `SELECT id, element_id, execution_id, due_at FROM user_tasks WHERE instance_id = $1 AND status = 'open' AND due_at > $2 ORDER BY due_at, id`,
      [inst.id, now.toISOString()],
    );
    const region = this.regionOf(inst);
    const item = (kind: PauseItem['kind'], r: { element_id: string; execution_id: string; due_at: Date }, taskId?: string): PauseItem => ({
      kind,
      elementId: r.element_id,
      executionId: r.execution_id,
      ...(taskId && { taskId }),
      dueBefore: new Date(r.due_at).toISOString(),
      remainingWorkingDays: remainingWorkingDays(this.calendar, now, new Date(r.due_at), region),
    });
    const items = [
      ...timers.filter((t) => named(t.element_id)).map((t) => item('timer', t)),
      ...tasks.filter((t) => named(t.element_id)).map((t) => item('task', t, t.id)),
    ];
    if (!items.length) throw nothingToPause(inst.id, elementIds);
    const pause = await this.pauses.insert(em, { instanceId: inst.id, reason, elementIds, regionCode: region, items, by: by.actor, at: now, source: by.source, elementId: by.elementId ?? null, key: by.key ?? null });
    if (!pause) throw alreadyPaused(inst.id);
    const clock: ClockState = { ...stored.clock, pauseId: pause.id };
    const pausedTimers = items.filter((i) => i.kind === 'timer').map((i) => i.executionId);
    const pausedTasks = items.filter((i) => i.kind === 'task');
    await this.tracking.closeFor(em, inst.id, pausedTimers, pausedTasks.map((t) => t.taskId!));
    for (const x of pausedTimers) clock.timers[x] = { paused: true };
    for (const t of pausedTasks) delete clock.tasks[t.executionId];
    // the due dates are gone while the clock stands still: no reminder or overdue alarm meanwhile
    await em.query(`UPDATE user_tasks SET due_at = NULL WHERE id = ANY($1::uuid[])`, [pausedTasks.map((t) => t.taskId)]);
    await this.stepper.step(em, { ...inst, state: joinState(stored.engine, clock) }, { kind: 'resume' }, by.actor, [
      { type: 'clock-paused', elementId: by.elementId ?? null, data: { pauseId: pause.id, reason, source: by.source, elementIds, regionCode: region, items }, actor: by.actor },
    ]);
  }

  private async resumeIn(em: EntityManager, inst: InstanceRow, reason: string | null, by: ClockActor): Promise<void> {
    const stored = splitState(inst.state);
    const pause = stored.clock.pauseId ? await this.pauses.find(em, stored.clock.pauseId, true) : null;
    if (!pause || pause.status !== 'paused') throw notPaused(inst.id);
    const now = this.clock.now();
    const clock: ClockState = { timers: { ...stored.clock.timers }, tasks: { ...stored.clock.tasks } };
    const taskIds = pause.items.filter((i) => i.kind === 'task').map((i) => i.taskId!);
    const open = new Set(((await em.query(`SELECT id FROM user_tasks WHERE id = ANY($1::uuid[]) AND status = 'open'`, [taskIds])) as { id: string }[]).map((r) => r.id));
    const items: PauseItem[] = [];
    for (const i of pause.items) {
      const live = i.kind === 'timer' ? clock.timers[i.executionId]?.paused === true : open.has(i.taskId!);
      if (!live) {
        items.push({ ...i, dueAfter: null });
        continue;
      }
      const r = resumedDeadline(this.calendar, { dueBefore: new Date(i.dueBefore), remainingWorkingDays: i.remainingWorkingDays }, new Date(pause.pausedAt), now, pause.regionCode);
      const track = r.deadline?.provisional ? r.deadline : null;
      if (i.kind === 'timer') {
        clock.timers[i.executionId] = { dueAt: r.dueAt.toISOString(), ...(track && { tracked: true }) };
        if (track) await this.tracking.track(em, timerOwner(inst.id, i.executionId), { ...track, region: pause.regionCode });
      } else {
        await em.query(`UPDATE user_tasks SET due_at = $2 WHERE id = $1`, [i.taskId, r.dueAt.toISOString()]);
        if (track) {
          await this.tracking.track(em, taskOwner(i.taskId!), { ...track, region: pause.regionCode });
          clock.tasks[i.executionId] = { taskId: i.taskId! };
        }
      }
      items.push({ ...i, dueAfter: r.dueAt.toISOString(), provisional: r.provisional });
    }
    await this.pauses.resume(em, pause.id, { by: by.actor, at: now, reason, source: by.source, elementId: by.elementId ?? null, key: by.key ?? null, items });
    await this.stepper.step(em, { ...inst, state: joinState(stored.engine, clock) }, { kind: 'resume' }, by.actor, [
      { type: 'clock-resumed', elementId: by.elementId ?? null, data: { pauseId: pause.id, reason, source: by.source, items }, actor: by.actor },
    ]);
  }

  /**
   * `pause clock` in a diagram: inputs `reason` and `elementIds` (a list or comma-separated). A
   * retried call finds the pause it made; a clock already paused, or nothing left to pause, is
   * recorded in history and the process goes on (the clock stands still either way).
   */
  private async pauseFromDiagram(ctx: ServiceTaskContext): Promise<void> {
    const reason = typeof ctx.inputs.reason === 'string' && ctx.inputs.reason.trim() ? ctx.inputs.reason : `流程中止计时 (paused by the process at ${ctx.elementId})`;
    const elementIds = checkElementIds(listInput(ctx.inputs.elementIds));
    const by: ClockActor = { actor: null, source: 'diagram', elementId: ctx.elementId, key: ctx.idempotencyKey };
    await this.ds.transaction(async (em) => {
      if ((await this.pauses.findByKey(em, ctx.idempotencyKey))?.pausedByKey) return;
      const inst = await this.lockRunning(em, ctx.processInstanceId);
      await this.skippable(em, inst, 'clock-pause-skipped', ctx, () => this.pauseIn(em, inst, checkReason(reason, true)!, elementIds, by));
    });
  }

  /** `resume clock` in a diagram: input `reason` (optional); a clock not paused is recorded and passed over. */
  private async resumeFromDiagram(ctx: ServiceTaskContext): Promise<void> {
    const reason = typeof ctx.inputs.reason === 'string' && ctx.inputs.reason.trim() ? ctx.inputs.reason : null;
    const by: ClockActor = { actor: null, source: 'diagram', elementId: ctx.elementId, key: ctx.idempotencyKey };
    await this.ds.transaction(async (em) => {
      if ((await this.pauses.findByKey(em, ctx.idempotencyKey))?.resumedByKey) return;
      const inst = await this.lockRunning(em, ctx.processInstanceId);
      await this.skippable(em, inst, 'clock-resume-skipped', ctx, () => this.resumeIn(em, inst, checkReason(reason, false), by));
    });
  }

  private async skippable(em: EntityManager, inst: InstanceRow, type: string, ctx: ServiceTaskContext, run: () => Promise<void>): Promise<void> {
    const skip = [ClockErrorCode.AlreadyPaused, ClockErrorCode.NotPaused, ClockErrorCode.NothingToPause] as string[];
    await em.query('SAVEPOINT clock');
    try {
      await run();
      await em.query('RELEASE SAVEPOINT clock');
    } catch (e) {
      if (!(e instanceof ConflictError) || !skip.includes(e.code)) throw e;
      await em.query('ROLLBACK TO SAVEPOINT clock');
      await appendHistory(em, inst.id, [{ type, elementId: ctx.elementId, executionId: ctx.executionId, data: { code: e.code, message: e.message } }], this.clock.now());
    }
  }

  /** The instance's region (variable `regionCode`) when it is a known region code; else the national calendar. */
  private regionOf(inst: InstanceRow): string | null {
    const code = inst.variables?.regionCode;
    if ((typeof code !== 'string' && typeof code !== 'number') || String(code).trim() === '') return null;
    try {
      this.calendar.regionPath(String(code).trim());
      return String(code).trim();
    } catch {
      return null;
    }
  }
}

function checkReason(value: unknown, required: boolean): string | null {
  if (value === undefined || value === null || (!required && value === '')) {
    if (required) throw clockInvalid([{ field: 'reason', problems: ['reason is required: why the clock stops (e.g. 等待申请人补正材料)'] }]);
    return null;
  }
  if (typeof value !== 'string' || !value.trim()) throw clockInvalid([{ field: 'reason', problems: ['reason must be a non-empty string'] }]);
  if (value.length > MAX_REASON) throw clockInvalid([{ field: 'reason', problems: [`reason must be at most ${MAX_REASON} characters`] }]);
  return value.trim();
}

function checkElementIds(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.length) throw clockInvalid([{ field: 'elementIds', problems: ['elementIds must be a non-empty list of element ids'] }]);
  const problems = value.flatMap((v, i): FieldProblem[] => (typeof v === 'string' && v.trim() ? [] : [{ field: `elementIds[${i}]`, problems: ['must be a non-empty string'] }]));
  if (problems.length) throw clockInvalid(problems);
  return [...new Set(value.map((v: string) => v.trim()))];
}

function listInput(value: unknown): unknown {
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
}
