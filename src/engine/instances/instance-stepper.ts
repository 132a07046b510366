import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, DomainError } from '../../common';
import { APP_CONFIG, AppConfig } from '../../config';
import { DefinitionsService, LoadedDefinition } from '../definitions/definitions.service';
import { EngineErrorCode } from '../engine.errors';
import { FeelFunctionRegistry, isExpressionError } from '../expressions';
import { EngineEvent, appendHistory } from '../history/history';
import { EngineFactory } from '../runtime/engine-factory';
import { LruCache } from '../expressions/lru-cache';
import { StepCommand, StepFailedError, StepResult, Vars, WarmEngine, runStep } from '../runtime/step-runner';
import { applyMappings, checkVariablesSize } from '../runtime/variables';
import { ClockRepository } from '../clock/clock.repository';
import { joinState, splitState } from '../clock/clock-state';
import { DeadlineTracking } from '../clock/deadline-tracking';
import { NodeIdentity } from '../jobs/node-identity';
import { INSTANCE_COLUMNS, InstanceRow } from './instance.types';
import { StaleRows, reconcileServiceJobs, reconcileSubscriptions, reconcileTimers, reconcileUserTasks, removeStale, scopeOf, subscriptionsOf } from './reconcile';

/** A running engine kept after a step, and the row version it produced. */
interface WarmEntry {
  engine: WarmEngine;
  /** `version:xmin` of the row this step wrote: any other write (another node, a rollback) changes it */
  token: string;
  definitionId: string;
  /** the paused and moved timers its CollectingTimers was built with */
  clock: string;
}

/**
 * One step of one instance, inside the caller's transaction, with the instance row locked:
 * recover the stored state, apply the command, store the new state and every row derived from
 * it, append history. Any error propagates and the caller's transaction rolls back whole.
 *
 * Warm engines: after a step the running engine is kept (a bounded LRU per node) with the
 * version and `xmin` of the row it wrote. The next step of that instance continues it instead of
 * recovering the stored state only when the locked row still has that version and xmin (no other
 * transaction, node or rollback touched it since), the same definition and the same clock
 * overrides; otherwise it recovers as always. The stored state is the truth either way: a node
 * that restarts, or another node, recovers from it.
 */
@Injectable()
export class InstanceStepper {
  private readonly warm: LruCache<string, WarmEntry> | null;
  private readonly counts = { continued: 0, recovered: 0 };

  constructor(
    private readonly definitions: DefinitionsService,
    private readonly factory: EngineFactory,
    private readonly feel: FeelFunctionRegistry,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tracking: DeadlineTracking,
    private readonly pauses: ClockRepository,
    private readonly node: NodeIdentity,
  ) {
    this.warm = config.engine.warmInstances > 0 ? new LruCache(config.engine.warmInstances) : null;
  }

  /** Locks and reads an instance (FOR UPDATE: one step at a time per instance, across all nodes). */
  async lock(em: EntityManager, id: string): Promise<InstanceRow | null> {
    const [row] = await em.query(`SELECT ${INSTANCE_COLUMNS}, version || ':' || xmin AS "rowToken" FROM engine_process_instances WHERE id = $1 FOR UPDATE`, [id]);
    return (row as InstanceRow) ?? null;
  }

  /** Steps that continued a warm engine and steps that recovered the stored state, since boot; engines kept now. */
  warmStats(): { continued: number; recovered: number; kept: number } {
    return { ...this.counts, kept: this.warm?.size ?? 0 };
  }

  /** The warm engine for this locked row, if this node's last step of it is still what is stored; taken out of the cache. */
  private takeWarm(inst: InstanceRow, clock: string): WarmEngine | undefined {
    const entry = this.warm?.get(inst.id);
    if (!entry) return undefined;
    this.warm!.delete(inst.id);
    const same = !!inst.rowToken && entry.token === inst.rowToken && entry.definitionId === inst.definitionId && entry.clock === clock;
    return same ? entry.engine : undefined;
  }

  async insert(
    em: EntityManager,
    def: LoadedDefinition,
    init: { businessKey: string | null; variables: Vars; startedBy: string | null; parent?: { instanceId: string; executionId: string; elementId: string } },
  ): Promise<InstanceRow> {
    const [row] = await em.query(
      `INSERT INTO engine_process_instances
         (definition_id, process_key, business_key, status, variables, started_by, started_at, parent_instance_id, parent_execution_id, parent_element_id)
       VALUES ($1, $2, $3, 'running', $4, $5, $6, $7, $8, $9) RETURNING ${INSTANCE_COLUMNS}`,
      [
        def.row.id, def.row.key, init.businessKey, JSON.stringify(init.variables), init.startedBy, this.clock.now().toISOString(),
        init.parent?.instanceId ?? null, init.parent?.executionId ?? null, init.parent?.elementId ?? null,
      ],
    );
    return row as InstanceRow;
  }

  async step(em: EntityManager, inst: InstanceRow, command: StepCommand, actor: string | null, extra: EngineEvent[] = []): Promise<StepResult> {
    try {
      return await this.stepAndStore(em, inst, command, actor, extra);
    } catch (e) {
      // FEEL in a task attribute or an input/output mapping is evaluated while the rows are
      // reconciled, after the engine ran: its failure is the diagram's (422), not a server error
      throw stepError(e, inst);
    }
  }

  private async stepAndStore(em: EntityManager, inst: InstanceRow, command: StepCommand, actor: string | null, extra: EngineEvent[]): Promise<StepResult> {
    const def = await this.definitions.load(inst.definitionId, em);
    // the paused and moved timers (中止计时, recomputed calendar years) live beside the engine's state
    const stored = splitState(inst.state);
    const storedClock = JSON.stringify(stored.clock);
    const warm = inst.state ? this.takeWarm(inst, storedClock) : undefined;
    if (inst.state) this.counts[warm ? 'continued' : 'recovered']++;
    let result: Awaited<ReturnType<typeof runStep>>;
    try {
      result = await runStep(this.factory, {
        name: inst.id,
        sourceContext: def.sourceContext,
        moddleOptions: def.moddleOptions,
        state: stored.engine,
        command,
        now: () => this.clock.now(),
        timerOverrides: stored.clock.timers,
      }, warm);
    } catch (e) {
      throw stepError(e, inst);
    }
    checkVariablesSize(result.variables);
    const now = this.clock.now();
    const events: EngineEvent[] = [...extra, ...result.history.map((h) => ({ ...h, actor: null }))];
    if (!inst.state) events.unshift({ type: 'instance-started', data: { businessKey: inst.businessKey, definitionId: inst.definitionId }, actor });
    const changed = changedVariables(inst.variables, result.variables);
    if (changed.length) events.push({ type: 'variables-changed', data: { names: changed }, actor });
    const clock = await this.tracking.afterRun(em, inst.id, stored.clock, result);
    const state = joinState(result.state, clock);
    const [[written]] = (await em.query(
      `UPDATE engine_process_instances
          SET state = $2, variables = $3, waiting = $4, version = version + 1, status = $5, engine_version = $6,
              ended_at = CASE WHEN $5 = 'completed' THEN $7::timestamptz ELSE ended_at END
        WHERE id = $1
    RETURNING version || ':' || xmin AS token`,
      [
        inst.id, state === null ? null : JSON.stringify(state), JSON.stringify(result.variables),
        JSON.stringify(result.waiting.map((w) => ({ elementId: w.elementId, executionId: w.executionId, type: w.type }))),
        result.ended ? 'completed' : 'running', result.engineVersion, now.toISOString(),
      ],
    )) as [{ token: string }[], number];
    let token = written.token;
    const current: InstanceRow = { ...inst, variables: result.variables };
    const subscriptions = subscriptionsOf(def.meta, result.waiting);
    // a paused timer has no job row: nothing can fire it until the clock is resumed
    const timers = result.timers.filter((t) => !t.paused);
    const stale = await removeStale(em, inst.id, { timers, waiting: result.waiting, subscriptions: subscriptions.map((x) => x.executionId) }, now);
    await reconcileTimers(em, inst.id, timers);
    // a service job goes first to this node, which keeps the engine warm (others take it after JOB_AFFINITY_MS)
    const affinity = this.warm && this.config.jobs.affinityMs > 0 ? this.node.id : null;
    events.push(...(await reconcileServiceJobs(em, current, def.meta, result.waiting, result.variables, this.feel, now, this.config.jobs.maxAttempts, affinity)));
    const taskEvents = await reconcileUserTasks(em, current, { meta: def.meta, version: def.row.version }, result.waiting, result.variables, this.feel, now, stale.cancelledTasks);
    events.push(...taskEvents);
    if (state !== null && (await this.tracking.afterTasks(em, def.meta, result, taskEvents, clock))) {
      const [[again]] = (await em.query(`UPDATE engine_process_instances SET state = $2 WHERE id = $1 RETURNING version || ':' || xmin AS token`, [
        inst.id,
        JSON.stringify(joinState(result.state, clock)),
      ])) as [{ token: string }[], number];
      token = again.token;
    }
    await reconcileSubscriptions(em, current, subscriptions);
    await this.reconcileCalls(em, current, def, result, actor, stale.children);
    if (result.ended) {
      if (stored.clock.pauseId) await this.pauses.endOpen(em, inst.id, now);
      events.push({ type: 'instance-ended', actor });
      await this.onEnded(em, current, result.variables, now);
    }
    await appendHistory(em, inst.id, events, now);
    // kept only when its timers were armed with the overrides now stored (a pause or a moved deadline recovers)
    if (this.warm && result.warm && JSON.stringify(clock) === storedClock) {
      this.warm.set(inst.id, { engine: result.warm, token, definitionId: inst.definitionId, clock: storedClock });
    }
    const { warm: _engine, ...plain } = result;
    return plain;
  }

  /** A waiting call activity gets its child instance; a child whose call activity is gone is cancelled. */
  private async reconcileCalls(
    em: EntityManager,
    inst: InstanceRow,
    def: LoadedDefinition,
    result: StepResult,
    actor: string | null,
    children: StaleRows['children'],
  ): Promise<void> {
    const calls = result.waiting.filter((w) => w.type === 'bpmn:CallActivity');
    const open = new Set(children.map((c) => c.parent_execution_id));
    for (const child of children) {
      if (!calls.some((c) => c.executionId === child.parent_execution_id)) await this.cancelTree(em, child.id, 'call activity ended', actor);
    }
    for (const call of calls) {
      if (open.has(call.executionId)) continue;
      const done: unknown[] = await em.query(`SELECT 1 FROM engine_process_instances WHERE parent_instance_id = $1 AND parent_execution_id = $2`, [inst.id, call.executionId]);
      if (done.length) continue; // the child already ended; its call-end job resumes this activity
      const meta = def.meta.elements[call.elementId]?.call;
      if (!meta?.processKey) throw new DomainError('UNPROCESSABLE', EngineErrorCode.StepFailed, `Call activity ${call.elementId} names no process`);
      const target = meta.version === 'latest' ? await this.definitions.latest(meta.processKey, em) : await this.definitions.version(meta.processKey, meta.version, em);
      const childDef = await this.definitions.load(target.id, em);
      // an iteration of a multi-instance call activity maps its element variable (and loopCounter) in too
      const vars = { ...(meta.allIn ? result.variables : {}), ...applyMappings(meta.inputs, scopeOf(result.variables, call), this.feel) };
      const child = await this.insert(em, childDef, {
        businessKey: inst.businessKey,
        variables: vars,
        startedBy: actor,
        parent: { instanceId: inst.id, executionId: call.executionId, elementId: call.elementId },
      });
      await this.step(em, child, { kind: 'start', variables: vars }, actor, [
        { type: 'called-by', data: { parentInstanceId: inst.id, elementId: call.elementId } },
      ]);
    }
  }

  /** Its jobs, subscriptions and open tasks are gone already: removeStale ran with nothing waiting. */
  private async onEnded(em: EntityManager, inst: InstanceRow, variables: Vars, now: Date): Promise<void> {
    if (!inst.parentInstanceId) return;
    // resume the parent in its own step (its row may be locked by the caller of this one)
    await em.query(
      `INSERT INTO engine_jobs (kind, instance_id, element_id, execution_id, due_at, payload)
       VALUES ('call-end', $1, $2, $3, $4, $5)
       ON CONFLICT (instance_id, kind, execution_id) WHERE instance_id IS NOT NULL DO NOTHING`,
      [inst.parentInstanceId, inst.parentElementId, inst.parentExecutionId, now.toISOString(), JSON.stringify({ childInstanceId: inst.id, variables })],
    );
  }

  /** Cancels an instance and every running descendant, in the caller's transaction. */
  async cancelTree(em: EntityManager, id: string, reason: string, actor: string | null): Promise<void> {
    const now = this.clock.now().toISOString();
    this.warm?.delete(id);
    const [old] = await em.query(`SELECT state FROM engine_process_instances WHERE id = $1 AND status = 'running' FOR UPDATE`, [id]);
    if (!old) return;
    await em.query(
      `UPDATE engine_process_instances SET status = 'cancelled', state = NULL, waiting = '[]', ended_at = $2, end_reason = $3, version = version + 1 WHERE id = $1`,
      [id, now, reason],
    );
    // its tracked deadlines are closed and an open pause ends with it
    const clock = splitState(old.state).clock;
    await this.tracking.release(em, id, clock);
    if (clock.pauseId) await this.pauses.endOpen(em, id, new Date(now));
    await em.query(`DELETE FROM engine_jobs WHERE instance_id = $1`, [id]);
    await em.query(`DELETE FROM engine_subscriptions WHERE instance_id = $1`, [id]);
    await em.query(`UPDATE user_tasks SET status = 'cancelled', completed_at = $2 WHERE instance_id = $1 AND status = 'open'`, [id, now]);
    await em.query(`UPDATE engine_incidents SET resolved_at = $2, resolution = 'instance cancelled' WHERE instance_id = $1 AND resolved_at IS NULL`, [id, now]);
    await appendHistory(em, id, [{ type: 'instance-cancelled', data: { reason }, actor }], new Date(now));
    const children: { id: string }[] = await em.query(`SELECT id FROM engine_process_instances WHERE parent_instance_id = $1 AND status = 'running'`, [id]);
    for (const c of children) await this.cancelTree(em, c.id, `parent ${id} cancelled`, actor);
  }
}

function changedVariables(before: Vars, after: Vars): string[] {
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  return [...names].filter((n) => JSON.stringify(before?.[n]) !== JSON.stringify(after[n])).sort();
}

/** Engine failures become one domain error naming the element; nothing of the step is kept. */
function stepError(e: unknown, inst: InstanceRow): Error {
  if (e instanceof DomainError) return e;
  if (e instanceof StepFailedError || isExpressionError(e)) {
    const elementId = e instanceof StepFailedError ? e.elementId : undefined;
    const code = e instanceof StepFailedError ? e.code : undefined;
    return new DomainError('UNPROCESSABLE', EngineErrorCode.StepFailed, `Process ${inst.processKey} failed${elementId ? ` at ${elementId}` : ''}: ${e.message}`, {
      processInstanceId: inst.id,
      elementId,
      bpmnErrorCode: code,
    });
  }
  return e instanceof Error ? e : new Error(String(e));
}
