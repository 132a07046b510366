import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, DomainError, isUuid } from '../../common';
import { EngineErrorCode, taskNotFound, taskNotOpen } from '../engine.errors';
import { FeelFunctionRegistry } from '../expressions';
import type { Mapping } from '../definitions/element-meta';
import { appendHistory } from '../history/history';
import { Vars } from '../runtime/step-runner';
import { applyMappings, checkVariables } from '../runtime/variables';
import { InstanceStepper } from './instance-stepper';

/** A user_tasks row as stored (snake_case), as the guards of the task commands see it. */
export interface UserTaskRow {
  id: string;
  instance_id: string;
  execution_id: string;
  element_id: string;
  name: string | null;
  process_key: string;
  business_key: string | null;
  status: 'open' | 'completed' | 'cancelled';
  candidate_groups: string[];
  candidate_users: string[];
  group_keys: string[];
  assignee: string | null;
  owner: string | null;
  delegation_state: 'pending' | 'resolved' | null;
  region_code: string | null;
  completed_by: string | null;
  input: Vars;
  output_mapping: Mapping[] | null;
}

/**
 * What the caller of a task command adds inside its transaction: `guard` runs with the instance
 * and the task row locked, before anything is written, and refuses by throwing (nothing of the
 * command is kept); `record` runs after the step, in the same transaction, to record who did what.
 */
export interface TaskCommandHooks {
  guard?(task: UserTaskRow, em: EntityManager): Promise<void> | void;
  record?(task: UserTaskRow, em: EntityManager): Promise<void>;
}

/**
 * Completing a user task, or raising a BPMN error from it: one step of its instance, in one
 * transaction, with the instance and the task locked. A task that is not open is 409, never a
 * silent no-op; a deadline that passed before the completion wins (the timer fires first, the task
 * is cancelled). Also the two primitives the tasks module builds claim, delegation and assignment
 * on: lock a task row, and add an event about it to its instance's history.
 */
@Injectable()
export class UserTaskCommands {
  constructor(
    private readonly ds: DataSource,
    private readonly stepper: InstanceStepper,
    private readonly feel: FeelFunctionRegistry,
    private readonly clock: Clock,
  ) {}

  async complete(
    taskId: string,
    rawVariables: unknown,
    actor: string | null,
    hooks: TaskCommandHooks = {},
  ): Promise<{ taskId: string; processInstanceId: string }> {
    const variables = checkVariables(rawVariables);
    return this.run(taskId, actor, 'completed', hooks, async (task, inst) => {
      const output = task.output_mapping ? applyMappings(task.output_mapping, { ...inst.variables, ...task.input, ...variables }, this.feel) : variables;
      return { kind: 'complete', executionId: task.execution_id, variables, output };
    });
  }

  async bpmnError(taskId: string, errorCode: string, message: string | undefined, rawVariables: unknown, actor: string | null, hooks: TaskCommandHooks = {}) {
    const variables = checkVariables(rawVariables);
    try {
      return await this.run(taskId, actor, 'bpmn-error', hooks, async (task) => ({ kind: 'error', executionId: task.execution_id, errorCode, message, variables }));
    } catch (e) {
      if (e instanceof DomainError && e.code === EngineErrorCode.StepFailed) {
        throw new DomainError('UNPROCESSABLE', EngineErrorCode.BpmnErrorNotCaught, `No boundary event catches BPMN error ${errorCode} here; the task stays open`, {
          taskId,
          errorCode,
        });
      }
      throw e;
    }
  }

  /** The task row, locked until the caller's transaction ends (FOR UPDATE); null when there is none. */
  async lockTask(em: EntityManager, taskId: string): Promise<UserTaskRow | null> {
    if (!isUuid(taskId)) return null;
    const [task] = await em.query(`SELECT * FROM user_tasks WHERE id = $1 FOR UPDATE`, [taskId]);
    return (task as UserTaskRow) ?? null;
  }

  /** Appends an event about a task (claimed, delegated, …) to its instance's history, in the caller's transaction. */
  async recordTaskEvent(em: EntityManager, task: Pick<UserTaskRow, 'id' | 'instance_id' | 'element_id' | 'execution_id'>, type: string, actor: string | null, data: Record<string, unknown> = {}): Promise<void> {
    await appendHistory(em, task.instance_id, [{ type, elementId: task.element_id, executionId: task.execution_id, data: { taskId: task.id, ...data }, actor }], this.clock.now());
  }

  private async run(
    taskId: string,
    actor: string | null,
    outcome: string,
    hooks: TaskCommandHooks,
    command: (task: UserTaskRow, inst: { variables: Vars }) => Promise<Parameters<InstanceStepper['step']>[2]>,
  ): Promise<{ taskId: string; processInstanceId: string }> {
    if (!isUuid(taskId)) throw taskNotFound(taskId);
    const result: { conflict: string | null; instanceId?: string } = await this.ds.transaction(async (em) => {
      const [peek] = await em.query(`SELECT instance_id FROM user_tasks WHERE id = $1`, [taskId]);
      if (!peek) throw taskNotFound(taskId);
      // instance first, then the task: the order every step takes them in
      const inst = await this.stepper.lock(em, peek.instance_id);
      const task = (await this.lockTask(em, taskId))!;
      await hooks.guard?.(task, em);
      if (!inst || task.status !== 'open') return { conflict: task.status };
      const now = this.clock.now().toISOString();
      await em.query(`UPDATE user_tasks SET status = 'completed', completed_at = $2, completed_by = $3, outcome = $4 WHERE id = $1`, [taskId, now, actor, outcome]);
      const step = await this.stepper.step(em, inst, await command(task, inst), actor, [
        { type: outcome === 'completed' ? 'task-completed' : 'task-bpmn-error', elementId: task.element_id, executionId: task.execution_id, data: { taskId }, actor },
      ]);
      if (!step.consumed) {
        // the deadline fired first in this step: keep that, but the task was not completed by this call
        throw new DeadlineWon();
      }
      await hooks.record?.(task, em);
      return { conflict: null, instanceId: inst.id };
    }).catch(async (e) => {
      if (!(e instanceof DeadlineWon)) throw e;
      // persist the overdue timer's effect alone, then report the conflict
      await this.ds.transaction(async (em) => {
        const [peek] = await em.query(`SELECT instance_id FROM user_tasks WHERE id = $1`, [taskId]);
        const inst = await this.stepper.lock(em, peek.instance_id);
        if (inst && inst.status === 'running') await this.stepper.step(em, inst, { kind: 'resume' }, actor);
      });
      return { conflict: 'cancelled' };
    });
    if (result.conflict) throw taskNotOpen(taskId, result.conflict);
    return { taskId, processInstanceId: result.instanceId! };
  }
}

class DeadlineWon extends DomainError {
  constructor() {
    super('CONFLICT', EngineErrorCode.TaskNotOpen, 'The task deadline passed before the completion');
  }
}
