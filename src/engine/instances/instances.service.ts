import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, ConflictError, DomainError, isUuid } from '../../common';
import { DefinitionsService } from '../definitions/definitions.service';
import type { DefinitionMeta } from '../definitions/element-meta';
import { EngineErrorCode, instanceNotFound, instanceNotRunning } from '../engine.errors';
import { HistoryRow, readHistory } from '../history/history';
import { Vars } from '../runtime/step-runner';
import { checkVariables, checkVariablesSize } from '../runtime/variables';
import { InstanceRow, InstanceStatus, VIEW_COLUMNS } from './instance.types';
import { InstanceStepper } from './instance-stepper';
import { ClockView, ClockViews } from '../clock/clock-view';
import { ClockActor, ClockService, PauseInput } from '../clock/clock.service';

export interface StartRequest {
  businessKey?: string | null;
  variables?: Vars;
}

export interface InstanceFilter {
  processKey?: string;
  businessKey?: string;
  status?: InstanceStatus;
  startedAfter?: Date;
  startedBefore?: Date;
  limit: number;
  offset: number;
}

export interface InstanceView extends Omit<InstanceRow, 'state'> {
  processVersion: number;
  incidents: { id: string; elementId: string; message: string; createdAt: Date }[];
  /** the statutory clock: running or paused (中止计时), the pauses so far, the current deadlines */
  clock: ClockView;
}


@Injectable()
export class InstancesService {
  constructor(
    private readonly ds: DataSource,
    private readonly definitions: DefinitionsService,
    private readonly stepper: InstanceStepper,
    private readonly clock: Clock,
    private readonly clocks: ClockService,
    private readonly clockViews: ClockViews,
  ) {}

  /** Starts the latest version of a key (or a given definition id) through its plain start event. */
  async start(ref: { key?: string; definitionId?: string }, req: StartRequest, actor: string | null): Promise<InstanceView> {
    const id = await this.ds.transaction((em) => this.startIn(em, ref, req, actor));
    return this.get(id);
  }

  /**
   * Starts an instance inside the caller's transaction and returns its id: a domain record and
   * the process that works on it commit together (an application and its process). Read the
   * instance after the commit; on the embedded database another handle would wait for it.
   */
  async startIn(em: EntityManager, ref: { key?: string; definitionId?: string }, req: StartRequest, actor: string | null): Promise<string> {
    const variables = checkVariables(req.variables);
    checkVariablesSize(variables);
    const row = ref.definitionId ? await this.definitions.get(ref.definitionId, em) : await this.definitions.latest(ref.key!, em);
    const def = await this.definitions.load(row.id, em);
    if (!def.meta.hasNoneStart) {
      throw new ConflictError(EngineErrorCode.NoNoneStartEvent, `Process ${row.key} starts only by a message or a timer, not by API`, { key: row.key });
    }
    const inst = await this.stepper.insert(em, def, { businessKey: req.businessKey ?? null, variables, startedBy: actor });
    await this.stepper.step(em, inst, { kind: 'start', variables }, actor);
    return inst.id;
  }

  async get(id: string): Promise<InstanceView> {
    if (!isUuid(id)) throw instanceNotFound(id);
    const [row] = await this.ds.query(
      `SELECT ${VIEW_COLUMNS}, d.version AS "processVersion",
              COALESCE((SELECT json_agg(json_build_object('id', x.id, 'elementId', x.element_id, 'message', x.message, 'createdAt', x.created_at) ORDER BY x.created_at)
                          FROM engine_incidents x WHERE x.instance_id = i.id AND x.resolved_at IS NULL), '[]') AS incidents
         FROM engine_process_instances i JOIN engine_process_definitions d ON d.id = i.definition_id
        WHERE i.id = $1`,
      [id],
    );
    if (!row) throw instanceNotFound(id);
    return { ...row, clock: await this.clockViews.get(id, row.definitionId) } as InstanceView;
  }

  /** Stops the instance's running deadlines (中止计时); 409 when already paused or nothing runs. */
  async pauseClock(id: string, input: PauseInput, actor: string): Promise<InstanceView> {
    await this.clocks.pause(id, input, { actor, source: 'api' } satisfies ClockActor);
    return this.get(id);
  }

  /** Starts them again with the working days they had left; 409 when the clock is not paused. */
  async resumeClock(id: string, input: { reason?: string }, actor: string): Promise<InstanceView> {
    await this.clocks.resume(id, input, { actor, source: 'api' } satisfies ClockActor);
    return this.get(id);
  }

  async list(f: InstanceFilter): Promise<{ items: Omit<InstanceView, 'clock'>[]; total: number }> {
    const where = `($1::text IS NULL OR i.process_key = $1) AND ($2::text IS NULL OR i.business_key = $2)
      AND ($3::text IS NULL OR i.status = $3) AND ($4::timestamptz IS NULL OR i.started_at >= $4) AND ($5::timestamptz IS NULL OR i.started_at < $5)`;
    const params = [f.processKey ?? null, f.businessKey ?? null, f.status ?? null, f.startedAfter?.toISOString() ?? null, f.startedBefore?.toISOString() ?? null];
    const items = await this.ds.query(
      `SELECT ${VIEW_COLUMNS}, d.version AS "processVersion",
              (SELECT count(*)::int FROM engine_incidents x WHERE x.instance_id = i.id AND x.resolved_at IS NULL) AS "openIncidents"
         FROM engine_process_instances i JOIN engine_process_definitions d ON d.id = i.definition_id
        WHERE ${where} ORDER BY i.started_at DESC, i.id LIMIT $6 OFFSET $7`,
      [...params, f.limit, f.offset],
    );
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM engine_process_instances i WHERE ${where}`, params);
    return { items, total };
  }

  async history(id: string, afterId = 0): Promise<HistoryRow[]> {
    await this.get(id);
    return readHistory(this.ds.manager, id, afterId);
  }

  async cancel(id: string, reason: string, actor: string | null): Promise<InstanceView> {
    if (!isUuid(id)) throw instanceNotFound(id);
    await this.ds.transaction(async (em) => {
      const inst = await this.stepper.lock(em, id);
      if (!inst) throw instanceNotFound(id);
      if (inst.status !== 'running') throw instanceNotRunning(id, inst.status);
      await this.stepper.cancelTree(em, id, reason, actor);
    });
    return this.get(id);
  }

  /**
   * Moves a running instance to another version of its key. Refused (409) when any element it
   * waits in does not exist in the target, or the target adds boundary events to one; otherwise
   * the state is recovered on the target.
   */
  async migrate(id: string, targetDefinitionId: string, actor: string | null): Promise<InstanceView> {
    if (!isUuid(id)) throw instanceNotFound(id);
    await this.ds.transaction(async (em) => {
      const inst = await this.stepper.lock(em, id);
      if (!inst) throw instanceNotFound(id);
      if (inst.status !== 'running') throw instanceNotRunning(id, inst.status);
      const target = await this.definitions.get(targetDefinitionId, em);
      if (target.key !== inst.processKey) {
        throw new DomainError('CONFLICT', EngineErrorCode.MigrationInvalid, `Target ${target.key} v${target.version} is not a version of ${inst.processKey}`);
      }
      const def = await this.definitions.load(target.id, em);
      const missing = [...new Set(inst.waiting.map((w) => w.elementId))].filter((e) => !def.meta.elements[e]);
      if (missing.length) {
        throw new DomainError('CONFLICT', EngineErrorCode.MigrationInvalid, `Version ${target.version} lacks ${missing.join(', ')}, where the instance waits`, {
          missingElements: missing,
        });
      }
      const added = addedBoundaryEvents(inst.waiting, (await this.definitions.load(inst.definitionId, em)).meta, def.meta);
      if (added.length) {
        throw new DomainError('CONFLICT', EngineErrorCode.MigrationInvalid, `Version ${target.version} adds ${added.join(', ')} to an activity the instance waits in; they cannot be armed there`, {
          addedBoundaryEvents: added,
        });
      }
      const state = retargetState(inst.state, def.sourceContext);
      await em.query(`UPDATE engine_process_instances SET definition_id = $2 WHERE id = $1`, [id, target.id]);
      // open tasks keep their rows (the step only adds new waits), so they move with the instance
      await em.query(`UPDATE user_tasks SET process_version = $2 WHERE instance_id = $1 AND status = 'open'`, [id, target.version]);
      await this.stepper.step(em, { ...inst, definitionId: target.id, state }, { kind: 'resume' }, actor, [
        { type: 'instance-migrated', data: { from: inst.definitionId, to: target.id }, actor },
      ]);
    });
    return this.get(id);
  }

  now(): Date {
    return this.clock.now();
  }
}

/**
 * Boundary events the target attaches to an activity the instance waits in, which its current
 * version lacks. The recovered state has no listener for them: a deadline added this way would
 * silently never fire, so such a migration is refused rather than half done.
 */
function addedBoundaryEvents(waiting: InstanceRow['waiting'], source: DefinitionMeta, target: DefinitionMeta): string[] {
  const waitingIn = new Set(waiting.map((w) => w.elementId));
  return Object.entries(target.elements)
    .filter(([id, el]) => el.attachedTo && waitingIn.has(el.attachedTo) && !source.elements[id])
    .map(([id]) => id)
    .sort();
}

/** The stored state names its definitions by id; a new version may carry another id. */
function retargetState(state: unknown, sourceContext: unknown): unknown {
  const s = structuredClone(state) as { definitions?: { id?: string }[] };
  const id = (sourceContext as { id?: string; definitions?: { id?: string } })?.id;
  if (id && s.definitions?.length === 1) s.definitions[0].id = id;
  return s;
}
