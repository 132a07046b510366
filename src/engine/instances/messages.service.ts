import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ConflictError, NotFoundError } from '../../common';
import { DefinitionsService } from '../definitions/definitions.service';
import { EngineErrorCode } from '../engine.errors';
import { Vars } from '../runtime/step-runner';
import { checkVariables } from '../runtime/variables';
import { InstanceStepper } from './instance-stepper';

export interface CorrelateRequest {
  name: string;
  businessKey?: string;
  correlationKey?: string;
  processInstanceId?: string;
  variables?: Vars;
  all?: boolean;
}

export interface CorrelationResult {
  resultType: 'Execution' | 'ProcessDefinition';
  processInstanceId: string;
}

interface Subscription {
  instance_id: string;
  execution_id: string;
  event_ref: string;
}

/**
 * Messages correlate by name and business key / correlation key / instance id to waiting catch
 * events, receive tasks and message boundary events, or start a process whose start event waits
 * for that message. Signals broadcast to every waiting signal catch. Each delivery is one step.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly ds: DataSource,
    private readonly stepper: InstanceStepper,
    private readonly definitions: DefinitionsService,
  ) {}

  async correlate(req: CorrelateRequest, actor: string | null): Promise<CorrelationResult[]> {
    return this.correlateWith(req, actor, (fn) => this.ds.transaction(fn), this.ds.manager);
  }

  /**
   * As `correlate`, inside the caller's transaction: for a domain change that must not be stored
   * without its message (an objection and the process it starts commit together). Each delivery
   * runs under a savepoint, so one whose target stopped waiting is undone alone; everything else
   * commits or rolls back with the caller. Never open another transaction around it: on the
   * embedded database the pool has one connection.
   */
  async correlateIn(em: EntityManager, req: CorrelateRequest, actor: string | null): Promise<CorrelationResult[]> {
    return this.correlateWith(req, actor, (fn) => underSavepoint(em, fn), em);
  }

  private async correlateWith(req: CorrelateRequest, actor: string | null, unit: Unit, reader: EntityManager): Promise<CorrelationResult[]> {
    const variables = checkVariables(req.variables);
    const subs: Subscription[] = await reader.query(
      `SELECT DISTINCT ON (s.instance_id) s.instance_id, s.execution_id, s.event_ref
         FROM engine_subscriptions s JOIN engine_process_instances i ON i.id = s.instance_id
        WHERE s.kind = 'message' AND s.event_name = $1 AND i.status = 'running'
          AND ($2::text IS NULL OR i.business_key = $2)
          AND ($3::text IS NULL OR s.correlation_key = $3)
          AND ($4::uuid IS NULL OR i.id = $4)
        ORDER BY s.instance_id, s.created_at`,
      [req.name, req.businessKey ?? null, req.correlationKey ?? null, req.processInstanceId ?? null],
    );
    if (subs.length > 1 && !req.all) {
      throw new ConflictError(EngineErrorCode.MessageAmbiguous, `Message ${req.name} matches ${subs.length} waiting instances; narrow it or set all=true`, {
        processInstanceIds: subs.map((s) => s.instance_id),
      });
    }
    const results: CorrelationResult[] = [];
    for (const s of subs) {
      const done = await this.deliver(s, 'message-correlated', req.name, variables, actor, unit);
      if (done) results.push({ resultType: 'Execution', processInstanceId: s.instance_id });
    }
    if (results.length) return results;
    if (!req.processInstanceId) {
      const started = await this.startByMessage(req, variables, actor, unit, reader);
      if (started.length) return started;
    }
    throw new NotFoundError(EngineErrorCode.MessageNotCorrelated, `No process waits for message ${req.name} with that key`, {
      name: req.name,
      businessKey: req.businessKey,
      correlationKey: req.correlationKey,
      processInstanceId: req.processInstanceId,
    });
  }

  /**
   * Delivers to every waiting signal catch, and starts one instance of the latest version of each
   * process whose start event waits for the signal (as Camunda's signal start event).
   */
  async broadcastSignal(name: string, rawVariables: unknown, actor: string | null): Promise<{ delivered: number; started: string[] }> {
    const variables = checkVariables(rawVariables);
    const subs: Subscription[] = await this.ds.query(
      `SELECT DISTINCT ON (s.instance_id) s.instance_id, s.execution_id, s.event_ref
         FROM engine_subscriptions s WHERE s.kind = 'signal' AND s.event_name = $1 ORDER BY s.instance_id, s.created_at`,
      [name],
    );
    let delivered = 0;
    const unit: Unit = (fn) => this.ds.transaction(fn);
    for (const s of subs) if (await this.deliver(s, 'signal-received', name, variables, actor, unit)) delivered++;
    const started: string[] = [];
    for (const row of await this.definitions.findByStartSignal(name)) {
      started.push(await this.startByEvent(row.id, 'signal', name, undefined, variables, actor, unit));
    }
    return { delivered, started };
  }

  /**
   * One instance, one transaction; false when it stopped waiting in the meantime (an overdue timer
   * fired first in this step, or another delivery took it). Then the step is rolled back: its
   * history would claim a delivery that did not happen, and the timer's job persists the timer.
   */
  private deliver(s: Subscription, type: string, name: string, variables: Vars, actor: string | null, unit: Unit): Promise<boolean> {
    return unit(async (em) => {
      const inst = await this.stepper.lock(em, s.instance_id);
      if (!inst || inst.status !== 'running') return false;
      const r = await this.stepper.step(em, inst, { kind: 'event', eventRef: s.event_ref, variables }, actor, [{ type, data: { name }, actor }]);
      if (!r.consumed) throw new NotDelivered();
      return true;
    }).catch((e: unknown) => {
      if (e instanceof NotDelivered) return false;
      throw e;
    });
  }

  private async startByMessage(req: CorrelateRequest, variables: Vars, actor: string | null, unit: Unit, reader: EntityManager): Promise<CorrelationResult[]> {
    const defs = await this.definitions.findByStartMessage(req.name, reader);
    const results: CorrelationResult[] = [];
    for (const row of defs) {
      const id = await this.startByEvent(row.id, 'message', req.name, req.businessKey, variables, actor, unit);
      results.push({ resultType: 'ProcessDefinition', processInstanceId: id });
    }
    return results;
  }

  /** One new instance whose message or signal start event receives `name`, in one transaction. */
  private startByEvent(definitionId: string, kind: 'message' | 'signal', name: string, businessKey: string | undefined, variables: Vars, actor: string | null, unit: Unit): Promise<string> {
    return unit(async (em) => {
      const def = await this.definitions.load(definitionId, em);
      const refs = kind === 'message' ? def.meta.messages : def.meta.signals;
      const ref = Object.entries(refs).find(([, n]) => n === name)?.[0] ?? name;
      const inst = await this.stepper.insert(em, def, { businessKey: businessKey ?? null, variables, startedBy: actor });
      await this.stepper.step(em, inst, { kind: 'start', variables, startMessage: { ref, variables } }, actor, [
        { type: kind === 'message' ? 'message-correlated' : 'signal-received', data: { name, start: true }, actor },
      ]);
      return inst.id;
    });
  }
}

/** Rolls back a delivery step whose target no longer waited. */
class NotDelivered extends Error {}

/** Where one delivery or start runs: its own transaction, or a savepoint in the caller's. */
type Unit = <T>(fn: (em: EntityManager) => Promise<T>) => Promise<T>;

let savepoints = 0;

async function underSavepoint<T>(em: EntityManager, fn: (em: EntityManager) => Promise<T>): Promise<T> {
  const name = `correlate_${++savepoints}`;
  await em.query(`SAVEPOINT ${name}`);
  try {
    const result = await fn(em);
    await em.query(`RELEASE SAVEPOINT ${name}`);
    return result;
  } catch (e) {
    await em.query(`ROLLBACK TO SAVEPOINT ${name}`);
    throw e;
  }
}
