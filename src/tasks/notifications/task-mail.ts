import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { parseCandidateGroup } from '../../identity';
import { EnqueueResult, MailRecipients, NotifyService } from '../../notify';

/** What task mail needs of a user task (a TaskView, or a user_tasks row read by a scan). */
export interface TaskForMail {
  id: string;
  name: string | null;
  elementId?: string;
  businessKey: string | null;
  assignee: string | null;
  candidateGroups?: readonly string[];
  candidateUsers?: readonly string[];
  dueAt: Date | string | null;
}

/** Who acted (claim by someone else, assign, delegate); a user id or username is enough. */
export type TaskActor = { id: string; username: string } | string | null;

/** The people a task concerns: its assignee; otherwise its candidate users and the members of its candidate groups. */
export function taskRecipients(task: TaskForMail): MailRecipients {
  if (task.assignee) return { users: [task.assignee] };
  // a diagram may name groups that are not derived candidate groups (tests, old diagrams): no one to mail there
  return { users: [...(task.candidateUsers ?? [])], groups: (task.candidateGroups ?? []).filter((g) => parseCandidateGroup(g) !== null) };
}

export function taskVars(task: TaskForMail): Record<string, unknown> {
  const dueAt = task.dueAt instanceof Date ? task.dueAt.toISOString() : task.dueAt;
  return { taskName: task.name ?? task.elementId ?? '待办任务', businessKey: task.businessKey, dueAt };
}

const hasRecipients = (to: MailRecipients) => !!(to.users?.length || to.groups?.length);

/**
 * Mail about one task, queued in the caller's transaction. The tasks service calls `assigned`
 * from claim, assign and delegate; deadline scans call `deadline`.
 */
@Injectable()
export class TaskMail {
  constructor(private readonly notify: NotifyService) {}

  /**
   * "A task was assigned to you", once per task and assignee. Nothing when the task has no
   * assignee or the assignee took it themselves.
   */
  async assigned(em: EntityManager, task: TaskForMail, by: TaskActor): Promise<EnqueueResult | null> {
    if (!task.assignee) return null;
    const actor = typeof by === 'string' ? { id: by, username: by } : by;
    if (actor && (actor.id === task.assignee || actor.username === task.assignee)) return null;
    return this.notify.enqueue(em, {
      template: 'task.assigned',
      to: { users: [task.assignee] },
      vars: { ...taskVars(task), assignedBy: actor?.username ?? null },
      dedupeKey: `task.assigned:${task.id}:${task.assignee}`,
    });
  }

  /** "Due soon" or "overdue", once per task and kind (the dedupe key); null when nobody can be mailed. */
  async deadline(em: EntityManager, task: TaskForMail, kind: 'due-soon' | 'overdue'): Promise<EnqueueResult | null> {
    const to = taskRecipients(task);
    if (!hasRecipients(to) || !task.dueAt) return null;
    return this.notify.enqueue(em, { template: `task.${kind}`, to, vars: taskVars(task), dedupeKey: `task.${kind}:${task.id}` });
  }
}
