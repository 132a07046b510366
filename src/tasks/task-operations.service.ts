import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import { Clock } from '../common';
import { TaskCommandHooks, UserTaskCommands, UserTaskRow } from '../engine';
import { TaskFormsService } from './forms';
import { TaskMail } from './notifications';
import { Relation, Viewer, relationsOf, viewerOf } from './task-access';
import { TransactionAudit } from '../audit';
import {
  alreadyClaimed,
  delegationPending,
  notDelegated,
  supervisorRequired,
  taskForbidden,
  taskNotFound,
  taskNotOpen,
  userCannotHold,
  userUnknown,
} from './tasks.errors';
import { Holding, TasksRepository } from './tasks.repository';
import { TaskView, TasksService, toView } from './tasks.service';

type Locked = { task: UserTaskRow; rel: Set<Relation>; v: Viewer; em: EntityManager; now: Date };
export type Completed = { taskId: string; processInstanceId: string };

/**
 * The state changes of a task, each one transaction with the task row locked, an event in its
 * instance's history and an audit row (Camunda's TaskService: claim, unclaim, delegate, resolve,
 * setAssignee, complete, handleBpmnError, comments). Who may do what is task-access.ts; the
 * conflicts (claimed by someone else, delegated, no longer open) are 409 with the holder named.
 */
@Injectable()
export class TaskOperationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly commands: UserTaskCommands,
    private readonly repo: TasksRepository,
    private readonly reads: TasksService,
    private readonly audit: TransactionAudit,
    private readonly clock: Clock,
    private readonly mail: TaskMail,
    private readonly forms: TaskFormsService,
  ) {
    // a task's form is read by whoever may read the task
    forms.useAccessCheck(async (actor, task) => {
      await this.reads.readable(actor, task.id);
    });
  }

  /** Takes the task for oneself; again by the same user is a no-op (200), by anyone else 409 naming the holder. */
  claim(actor: Actor, taskId: string): Promise<TaskView> {
    return this.act(actor, taskId, 'tasks.claim', async ({ task, rel, v, em, now }) => {
      if (task.assignee === v.username) return;
      if (!rel.has('candidate') && !rel.has('supervisor')) throw taskForbidden(task.id);
      if (task.assignee !== null) throw alreadyClaimed(task.id, task.assignee);
      await this.hold(em, task, { assignee: v.username, owner: null, delegationState: null, claimed: true }, v, now, 'task-claimed');
    });
  }

  /** Gives the task back to its groups: its assignee, or a supervisor (who may also end a delegation). */
  unclaim(actor: Actor, taskId: string): Promise<TaskView> {
    return this.act(actor, taskId, 'tasks.unclaim', async ({ task, rel, v, em, now }) => {
      if (task.assignee === null) return;
      const supervisor = rel.has('supervisor');
      if (task.delegation_state === 'pending' && !supervisor) throw delegationPending(task.id, task.assignee);
      if (task.assignee !== v.username && !supervisor) throw alreadyClaimed(task.id, task.assignee);
      await this.hold(em, task, { assignee: null, owner: null, delegationState: null }, v, now, 'task-unclaimed', { from: task.assignee });
    });
  }

  /** Hands the task to another user for a while; the owner (the assignee before) gets it back on resolve. */
  delegate(actor: Actor, taskId: string, username: string): Promise<TaskView> {
    return this.act(actor, taskId, 'tasks.delegate', async ({ task, rel, v, em, now }) => {
      if (task.assignee !== v.username && !rel.has('supervisor')) {
        if (task.assignee !== null) throw alreadyClaimed(task.id, task.assignee);
        throw taskForbidden(task.id);
      }
      if (username === task.assignee) return;
      const target = await this.repo.staff(username, em);
      if (!target) throw userUnknown('assignee', username);
      if (!(await this.repo.inScope(task.region_code, target.regionScopes, em))) throw userCannotHold('assignee', username, "the case's region is outside their data scope");
      const owner = task.owner ?? task.assignee ?? v.username;
      const holding: Holding = username === owner ? { assignee: owner, owner, delegationState: 'resolved' } : { assignee: username, owner, delegationState: 'pending' };
      await this.hold(em, task, holding, v, now, 'task-delegated', { from: task.assignee, to: username, owner });
    });
  }

  /** The delegate (or a supervisor) hands the task back to its owner. */
  resolve(actor: Actor, taskId: string): Promise<TaskView> {
    return this.act(actor, taskId, 'tasks.resolve', async ({ task, rel, v, em, now }) => {
      if (task.delegation_state !== 'pending') throw notDelegated(task.id);
      if (task.assignee !== v.username && !rel.has('supervisor')) throw alreadyClaimed(task.id, task.assignee!);
      await this.hold(em, task, { assignee: task.owner, owner: task.owner, delegationState: 'resolved' }, v, now, 'task-resolved', { to: task.owner });
    });
  }

  /** A supervisor of the task's groups gives it to a candidate (or a fellow supervisor), or back to the groups (null). */
  assign(actor: Actor, taskId: string, username: string | null): Promise<TaskView> {
    return this.act(actor, taskId, 'tasks.assign', async ({ task, rel, v, em, now }) => {
      if (!rel.has('supervisor')) throw supervisorRequired(task.id);
      if (username !== null) {
        const target = await this.repo.staff(username, em);
        if (!target) throw userUnknown('assignee', username);
        const their = relationsOf(viewerOf(target), task);
        if (!their.has('candidate') && !their.has('supervisor')) throw userCannotHold('assignee', username, 'not a candidate of the task nor a supervisor of its groups');
        if (!(await this.repo.inScope(task.region_code, target.regionScopes, em))) throw userCannotHold('assignee', username, "the case's region is outside their data scope");
      }
      await this.hold(em, task, { assignee: username, owner: null, delegationState: null }, v, now, 'task-assigned', { from: task.assignee, to: username });
    });
  }

  /** Completes the task: `{ taskId, processInstanceId }`, as the engine's command answers. */
  async complete(actor: Actor, taskId: string, variables: unknown): Promise<Completed> {
    // the submitted data is checked against the task's form inside the guard: after the access
    // check, with the task locked, so a 422 saves nothing and the task stays open
    const done = await this.commands.complete(taskId, variables, actor.id, this.hooks(actor, 'tasks.complete', variables));
    this.audit.done();
    return done;
  }

  async bpmnError(actor: Actor, taskId: string, errorCode: string, message: string | undefined, variables: unknown): Promise<Completed> {
    const done = await this.commands.bpmnError(taskId, errorCode, message, variables, actor.id, this.hooks(actor, 'tasks.bpmn_error'));
    this.audit.done();
    return done;
  }

  /** A comment on an open task, by anyone who may see it. */
  async comment(actor: Actor, taskId: string, body: string) {
    const v = this.reads.viewer(actor);
    const comment = await this.ds.transaction(async (em) => {
      const task = await this.commands.lockTask(em, taskId);
      await this.access(em, task, v, taskId);
      if (task!.status !== 'open') throw taskNotOpen(taskId, task!.status);
      const row = await this.repo.addComment(em, { taskId, authorId: actor.id, authorName: actor.username, body, at: this.clock.now() });
      await this.commands.recordTaskEvent(em, task!, 'task-commented', actor.id, { commentId: row.id });
      await this.audit.record(em, actor, 'tasks.comment', 'task', taskId, 201);
      return row;
    });
    this.audit.done();
    return comment;
  }

  async comments(actor: Actor, taskId: string) {
    await this.reads.readable(actor, taskId);
    return this.repo.comments(taskId);
  }

  /** Locks the task, applies the access rules and the open check, runs `change`, records the audit row. */
  private async act(actor: Actor, taskId: string, action: string, change: (l: Locked) => Promise<void>): Promise<TaskView> {
    const v = this.reads.viewer(actor);
    const view = await this.ds.transaction(async (em) => {
      const task = await this.commands.lockTask(em, taskId);
      const rel = await this.access(em, task, v, taskId);
      if (task!.status !== 'open') throw taskNotOpen(taskId, task!.status);
      await change({ task: task!, rel, v, em, now: this.clock.now() });
      await this.audit.record(em, actor, action, 'task', taskId, 200);
      return toView((await this.repo.view(taskId, em))!, this.reads.bounds());
    });
    this.audit.done();
    return view;
  }

  /** 404 when absent or outside the caller's region scope, 403 when in scope but not theirs. */
  private async access(em: EntityManager, task: UserTaskRow | null, v: Viewer, taskId: string): Promise<Set<Relation>> {
    if (!task || !(await this.repo.inScope(task.region_code, v.regionScopes, em))) throw taskNotFound(taskId);
    const rel = relationsOf(v, task);
    if (!rel.size) throw taskForbidden(taskId);
    return rel;
  }

  private async hold(em: EntityManager, task: UserTaskRow, h: Holding, v: Viewer, now: Date, event: string, data: Record<string, unknown> = {}) {
    await this.repo.setHolding(em, task.id, h, v.id, now);
    await this.commands.recordTaskEvent(em, task, event, v.id, { assignee: h.assignee, ...data });
    // "a task was assigned to you" to whoever now holds it, unless they took it themselves (same transaction: the outbox)
    if (h.assignee && h.assignee !== task.assignee) {
      const dueAt = (await this.repo.view(task.id, em))?.dueAt ?? null;
      await this.mail.assigned(em, { id: task.id, name: task.name, elementId: task.element_id, businessKey: task.business_key, assignee: h.assignee, dueAt }, { id: v.id, username: v.username });
    }
  }

  /**
   * complete and bpmn-error: the same access rules inside the engine's step transaction. The
   * assignee acts; an unassigned task any candidate; a supervisor always; a delegated task is
   * resolved first.
   */
  private hooks(actor: Actor, action: string, formData?: unknown): TaskCommandHooks {
    const v = this.reads.viewer(actor);
    return {
      guard: async (task, em) => {
        const rel = await this.access(em, task, v, task.id);
        if (task.status !== 'open') throw taskNotOpen(task.id, task.status);
        if (task.delegation_state === 'pending') throw delegationPending(task.id, task.assignee);
        if (!rel.has('assignee') && !rel.has('supervisor')) {
          if (task.assignee !== null) throw alreadyClaimed(task.id, task.assignee);
          if (!rel.has('candidate')) throw taskForbidden(task.id);
        }
        if (action === 'tasks.complete') await this.forms.validateCompletion(em, task.id, formData);
      },
      record: (task, em) => this.audit.record(em, actor, action, 'task', task.id, 200),
    };
  }

}
