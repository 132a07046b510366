import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, DomainError } from '../../common';
import { EngineErrorCode } from '../engine.errors';
import { rowsOf } from '../../database';
import { APP_CONFIG, AppConfig } from '../../config';
import { DefinitionsService } from '../definitions/definitions.service';
import { catchUpSlot, nextStartTimerDue } from '../definitions/start-timers';
import { FeelFunctionRegistry } from '../expressions';
import { appendHistory } from '../history/history';
import { InstanceStepper } from '../instances/instance-stepper';
import { Vars } from '../runtime/step-runner';
import { applyMappings } from '../runtime/variables';
import { NodeIdentity } from './node-identity';
import { BpmnError, ServiceHandlerRegistry } from './service-handlers';

interface JobRow {
  id: string;
  kind: 'timer' | 'service' | 'call-end' | 'start-timer';
  instance_id: string | null;
  definition_id: string | null;
  element_id: string;
  execution_id: string;
  handler: string | null;
  due_at: Date;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

/** A service job as claimed, with what its handler reads of the instance. */
interface ClaimedServiceJob extends JobRow {
  instanceProcessKey: string | null;
  instanceBusinessKey: string | null;
  instanceVariables: Vars | null;
}

const INTERVAL = 'engine-job-executor';

/**
 * Runs due jobs on every node. Timers, call ends and timer starts are claimed and executed in one
 * transaction (FOR UPDATE … SKIP LOCKED on the job and its instance): a crash rolls both back and
 * the next node retries, so each fires exactly once. Service calls run outside any transaction
 * under a lease, with an idempotency key, then a step records their result. Failures back off
 * exponentially; after the last attempt the job becomes an incident.
 */
@Injectable()
export class JobExecutor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobExecutor');
  private busy: Promise<unknown> | null = null;
  private stopping = false;

  constructor(
    private readonly ds: DataSource,
    private readonly stepper: InstanceStepper,
    private readonly definitions: DefinitionsService,
    private readonly handlers: ServiceHandlerRegistry,
    private readonly feel: FeelFunctionRegistry,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly node: NodeIdentity,
  ) {}

  get nodeId(): string {
    return this.node.id;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.jobs.enabled) return;
    // leases of a node that died are released now rather than when they expire
    await this.ds.query(`UPDATE engine_jobs SET locked_by = NULL, locked_until = NULL WHERE locked_until < now()`);
    this.scheduler.addInterval(INTERVAL, setInterval(() => this.poll(), this.config.jobs.pollIntervalMs));
  }

  // Before, not on, application shutdown: TypeORM closes the database in its own
  // onApplicationShutdown, which could run first and cut the in-flight job off ("Connection
  // terminated"). Every beforeApplicationShutdown hook completes before any onApplicationShutdown.
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', INTERVAL)) this.scheduler.deleteInterval(INTERVAL);
    await this.busy?.catch(() => undefined);
  }

  private poll(): void {
    if (this.busy || this.stopping) return;
    this.busy = this.drain()
      .catch((e: Error) => this.logger.error(`job poll failed: ${e.message}`))
      .finally(() => (this.busy = null));
  }

  /**
   * Runs due jobs in batches until a batch comes back short. A full batch means more are due: going
   * on at once, rather than at the next tick, is what lets one node fire more than batchSize jobs
   * per poll interval (before, 10,000 due timers took 500 s on one node at the default 20 per 1 s).
   * JOB_CONCURRENCY lanes do this side by side, each claiming with SKIP LOCKED like another node
   * would, so one node's CPU keeps working while a lane waits for the database.
   */
  private async drain(): Promise<void> {
    const batch = this.config.jobs.batchSize;
    const lane = async () => {
      try {
        while (!this.stopping && (await this.runDue(batch)) >= batch);
      } catch (e) {
        this.logger.error(`job poll failed: ${(e as Error).message}`);
      }
    };
    await Promise.all(Array.from({ length: this.config.jobs.concurrency }, lane));
  }

  /**
   * Runs due jobs until none is due (or `limit` ran); returns how many ran. The two kinds are taken
   * in turns of up to a batch each, not one of each per round: asking for an in-transaction job
   * costs a transaction of its own even when none is due, and paying that before every service
   * job was four statements per job for nothing. A turn ends early when its kind runs out, so
   * neither kind waits behind the other for more than one batch.
   */
  async runDue(limit = 100000): Promise<number> {
    const turn = Math.max(1, this.config.jobs.batchSize);
    let ran = 0;
    while (ran < limit && !this.stopping) {
      let inTurn = 0;
      while (inTurn < turn && ran + inTurn < limit && !this.stopping && (await this.runOneService())) inTurn++;
      let inlineTurn = 0;
      while (inlineTurn < turn && ran + inTurn + inlineTurn < limit && !this.stopping && (await this.runOneInline())) inlineTurn++;
      ran += inTurn + inlineTurn;
      if (!inTurn && !inlineTurn) break;
    }
    return ran;
  }

  /**
   * Whole milliseconds the Anju clock is ahead of the host; added to the database clock when
   * comparing due times. Read it before the claiming transaction begins: now() is the
   * transaction's start, and an offset read after it put the cut-off a millisecond before a job
   * due exactly at the moved clock's instant, which then randomly did not run. (Whole
   * milliseconds also keep the interval arithmetic exact.)
   */
  private offsetMs(): number {
    return Math.round(this.clock.now().getTime() - Date.now());
  }

  /**
   * Claims one due timer, call end or timer start and executes it in the same transaction. A
   * failure rolls that transaction back whole; a second one takes the job again (unless another
   * node has it, or it is gone) and records the failure: no savepoint round trips on the way that
   * succeeds.
   */
  private async runOneInline(): Promise<boolean> {
    const offset = this.offsetMs();
    let claimed: JobRow | null = null;
    try {
      return await this.ds.transaction(async (em) => {
        claimed = await this.claimInline(em, offset);
        if (!claimed) return false;
        await this.execute(em, claimed);
        return true;
      });
    } catch (e) {
      if (!claimed) throw e;
      const job: JobRow = claimed;
      this.logger.warn(`job ${job.id} failed: ${(e as Error).message}`);
      await this.ds.transaction(async (em) => {
        const [again] = rowsOf<JobRow>(await em.query(`SELECT * FROM engine_jobs WHERE id = $1 AND status = 'pending' FOR UPDATE SKIP LOCKED`, [job.id]));
        if (again) await this.recordFailure(em, again, e as Error, again.attempts + 1);
      });
      return true;
    }
  }

  private async claimInline(em: EntityManager, offset: number): Promise<JobRow | null> {
    const [withInstance] = await em.query(
      `SELECT j.* FROM engine_jobs j JOIN engine_process_instances i ON i.id = j.instance_id
        WHERE j.status = 'pending' AND j.kind IN ('timer', 'call-end') AND j.due_at <= now() + $1 * interval '1 millisecond'
        ORDER BY j.due_at LIMIT 1 FOR UPDATE OF j, i SKIP LOCKED`,
      [offset],
    );
    if (withInstance) return withInstance as JobRow;
    const [start] = await em.query(
      `SELECT j.* FROM engine_jobs j
        WHERE j.status = 'pending' AND j.kind = 'start-timer' AND j.due_at <= now() + $1 * interval '1 millisecond'
        ORDER BY j.due_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [offset],
    );
    return (start as JobRow) ?? null;
  }

  private async execute(em: EntityManager, job: JobRow): Promise<void> {
    if (job.kind === 'start-timer') return this.startByTimer(em, job);
    await em.query(`DELETE FROM engine_jobs WHERE id = $1`, [job.id]);
    const inst = await this.stepper.lock(em, job.instance_id!);
    if (!inst || inst.status !== 'running') return;
    if (job.kind === 'timer') {
      await this.stepper.step(em, inst, { kind: 'timer', executionId: job.execution_id }, null);
      return;
    }
    // call-end: the child finished; map its variables out and resume the call activity
    const def = await this.definitions.load(inst.definitionId, em);
    const call = def.meta.elements[job.element_id]?.call;
    const childVars = (job.payload.variables ?? {}) as Vars;
    const output = { ...(call?.allOut !== false ? childVars : {}), ...(call ? applyMappings(call.outputs, childVars, this.feel) : {}) };
    await this.stepper.step(em, inst, { kind: 'complete', executionId: job.execution_id, variables: output }, null, [
      { type: 'call-ended', elementId: job.element_id, executionId: job.execution_id, data: { childInstanceId: job.payload.childInstanceId } },
    ]);
  }

  /** Starts one instance for this due slot and moves the job to the next slot, in one transaction. */
  private async startByTimer(em: EntityManager, job: JobRow): Promise<void> {
    const def = await this.definitions.load(job.definition_id!, em);
    const timer = def.meta.elements[job.element_id]?.startTimer;
    if (timer) {
      const slot = catchUpSlot(timer, new Date(job.due_at), (job.payload.remaining as number | null) ?? undefined, this.clock.now());
      if (slot.skipped) {
        this.logger.warn(`timer start ${def.row.key}/${job.element_id}: missed slots from ${new Date(job.due_at).toISOString()} skipped; catching up the newest from ${slot.dueAt.toISOString()}`);
        await em.query(`UPDATE engine_jobs SET due_at = $2, payload = $3 WHERE id = $1`, [
          job.id, slot.dueAt.toISOString(), JSON.stringify({ ...job.payload, remaining: slot.remaining ?? null, skippedFrom: new Date(job.due_at).toISOString() }),
        ]);
        job.payload = { ...job.payload, remaining: slot.remaining ?? null };
      }
    }
    const inst = await this.stepper.insert(em, def, { businessKey: null, variables: {}, startedBy: null });
    await this.stepper.step(em, inst, { kind: 'start', variables: {}, fireStartTimer: job.element_id }, null, [
      { type: 'timer-start', elementId: job.element_id, data: { jobId: job.id } },
    ]);
    const [{ due_at }] = await em.query(`SELECT due_at FROM engine_jobs WHERE id = $1`, [job.id]);
    const next = timer ? nextStartTimerDue(timer, new Date(due_at), false, (job.payload.remaining as number | null) ?? undefined) : null;
    if (!next) await em.query(`DELETE FROM engine_jobs WHERE id = $1`, [job.id]);
    else await em.query(`UPDATE engine_jobs SET due_at = $2, payload = $3 WHERE id = $1`, [job.id, next.dueAt.toISOString(), JSON.stringify({ remaining: next.remaining ?? null })]);
  }

  /**
   * Claims one due service job under a lease (with what its handler reads of the instance, in the
   * same statement), calls the handler outside any transaction, then records the outcome in one
   * step. A step that fails rolls back whole; a second transaction then records the failure.
   */
  private async runOneService(): Promise<boolean> {
    const offset = this.offsetMs();
    const [job] = rowsOf<ClaimedServiceJob>(await this.ds.query(
      `WITH claimed AS (
         UPDATE engine_jobs SET locked_by = $1, locked_until = now() + $3 * interval '1 millisecond' + $2 * interval '1 millisecond', attempts = attempts + 1
          WHERE id = (SELECT id FROM engine_jobs
                       WHERE status = 'pending' AND kind = 'service' AND due_at <= now() + $2 * interval '1 millisecond'
                         AND (locked_until IS NULL OR locked_until < now() + $2 * interval '1 millisecond')
                         AND (affinity IS NULL OR affinity = $1 OR due_at <= now() + ($2 - $4) * interval '1 millisecond')
                       ORDER BY due_at LIMIT 1 FOR UPDATE SKIP LOCKED)
          RETURNING *)
       SELECT c.*, i.process_key AS "instanceProcessKey", i.business_key AS "instanceBusinessKey", i.variables AS "instanceVariables"
         FROM claimed c LEFT JOIN engine_process_instances i ON i.id = c.instance_id`,
      [this.nodeId, offset, this.config.jobs.leaseMs, this.config.jobs.affinityMs],
    ));
    if (!job) return false;
    let outcome: { variables: Vars } | { bpmnError: BpmnError } | { error: Error };
    try {
      outcome = { variables: (await this.callHandler(job)) ?? {} };
    } catch (e) {
      outcome = e instanceof BpmnError ? { bpmnError: e } : { error: e as Error };
    }
    let failure: Error | null = 'error' in outcome ? outcome.error : null;
    if (!failure) {
      try {
        await this.ds.transaction(async (em) => {
          // deleting it both locks it and proves the lease is still ours
          const [mine] = rowsOf(await em.query(`DELETE FROM engine_jobs WHERE id = $1 AND locked_by = $2 RETURNING id`, [job.id, this.nodeId]));
          if (mine) await this.completeService(em, job, outcome as { variables: Vars } | { bpmnError: BpmnError });
        });
        return true;
      } catch (e) {
        failure = e as Error;
        if ('bpmnError' in outcome && e instanceof DomainError && e.code === EngineErrorCode.StepFailed) {
          // no boundary event catches this error code: calling the handler again cannot help
          failure = new Error(`BPMN error ${outcome.bpmnError.errorCode} from ${job.handler ?? job.element_id} is not caught by any boundary event (${e.message})`);
          job.attempts = Math.max(job.attempts, job.max_attempts);
        }
        this.logger.warn(`job ${job.id} failed: ${failure.message}`);
      }
    }
    await this.ds.transaction(async (em) => {
      const [mine] = await em.query(`SELECT id FROM engine_jobs WHERE id = $1 AND locked_by = $2 FOR UPDATE`, [job.id, this.nodeId]);
      // the task was cancelled or another node took the job over after our lease
      if (mine) await this.recordFailure(em, job, failure!, job.attempts);
    });
    return true;
  }

  private async callHandler(job: ClaimedServiceJob): Promise<Vars | void> {
    const handler = job.handler ? this.handlers.get(job.handler) : undefined;
    if (!handler) throw new Error(`No service handler "${job.handler}" is registered on this node`);
    return handler({
      processInstanceId: job.instance_id!,
      processKey: job.instanceProcessKey ?? '',
      businessKey: job.instanceBusinessKey ?? null,
      elementId: job.element_id,
      executionId: job.execution_id,
      idempotencyKey: `${job.instance_id}:${job.execution_id}`,
      attempt: job.attempts,
      variables: job.instanceVariables ?? {},
      inputs: (job.payload.inputs ?? {}) as Vars,
    });
  }

  /** The job row is deleted already (in this transaction). */
  private async completeService(em: EntityManager, job: JobRow, outcome: { variables: Vars } | { bpmnError: BpmnError }): Promise<void> {
    const inst = await this.stepper.lock(em, job.instance_id!);
    if (!inst || inst.status !== 'running') return;
    if ('bpmnError' in outcome) {
      const e = outcome.bpmnError;
      await this.stepper.step(em, inst, { kind: 'error', executionId: job.execution_id, errorCode: e.errorCode, message: e.message, variables: e.variables }, null, [
        { type: 'bpmn-error-thrown', elementId: job.element_id, executionId: job.execution_id, data: { errorCode: e.errorCode, message: e.message } },
      ]);
      return;
    }
    const def = await this.definitions.load(inst.definitionId, em);
    const outputs = def.meta.elements[job.element_id]?.outputs;
    const output = outputs ? applyMappings(outputs, { ...inst.variables, ...outcome.variables }, this.feel) : outcome.variables;
    await this.stepper.step(em, inst, { kind: 'complete', executionId: job.execution_id, variables: outcome.variables, output }, null, [
      { type: 'job-completed', elementId: job.element_id, executionId: job.execution_id, data: { handler: job.handler } },
    ]);
  }

  /** Backs off (10 s, 20 s, 40 s, … capped at an hour), or raises an incident after the last attempt. */
  private async recordFailure(em: EntityManager, job: JobRow, error: Error, attempts: number): Promise<void> {
    const message = (error.message || String(error)).slice(0, 2000);
    const now = this.clock.now();
    if (attempts >= job.max_attempts) {
      await em.query(`UPDATE engine_jobs SET status = 'incident', attempts = $2, last_error = $3, locked_by = NULL, locked_until = NULL WHERE id = $1`, [job.id, attempts, message]);
      await em.query(
        `INSERT INTO engine_incidents (job_id, instance_id, element_id, job_kind, message, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [job.id, job.instance_id, job.element_id, job.kind, message, now.toISOString()],
      );
      if (job.instance_id) await appendHistory(em, job.instance_id, [{ type: 'incident-raised', elementId: job.element_id, executionId: job.execution_id, data: { jobId: job.id, message } }], now);
      return;
    }
    const delayMs = Math.min(3600000, 10000 * 2 ** (attempts - 1));
    await em.query(`UPDATE engine_jobs SET attempts = $2, last_error = $3, locked_by = NULL, locked_until = NULL, due_at = $4 WHERE id = $1`, [
      job.id, attempts, message, new Date(now.getTime() + delayMs).toISOString(),
    ]);
    if (job.instance_id) await appendHistory(em, job.instance_id, [{ type: 'job-failed', elementId: job.element_id, executionId: job.execution_id, data: { jobId: job.id, attempts, message } }], now);
  }
}
