import { BadInputError, ConflictError, DomainError, ForbiddenError, NotFoundError } from '../common';

/** Error codes of the work queues, mapped to HTTP statuses by kind in api/. */
export enum TaskErrorCode {
  TaskNotFound = 'TASK_NOT_FOUND',
  TaskNotOpen = 'TASK_NOT_OPEN',
  TaskForbidden = 'TASK_FORBIDDEN',
  SupervisorRequired = 'TASK_SUPERVISOR_REQUIRED',
  AlreadyClaimed = 'TASK_ALREADY_CLAIMED',
  DelegationPending = 'TASK_DELEGATION_PENDING',
  NotDelegated = 'TASK_NOT_DELEGATED',
  UserUnknown = 'TASK_USER_UNKNOWN',
  UserCannotHold = 'TASK_USER_CANNOT_HOLD',
  QueueNotFound = 'TASK_QUEUE_NOT_FOUND',
  QueueNameTaken = 'TASK_QUEUE_NAME_TAKEN',
  QueueLimit = 'TASK_QUEUE_LIMIT',
}

export const taskNotFound = (id: string) => new NotFoundError(TaskErrorCode.TaskNotFound, `No task ${id}`, { taskId: id });

export const taskNotOpen = (id: string, status: string) =>
  new ConflictError(TaskErrorCode.TaskNotOpen, `Task ${id} is ${status}, no longer open`, { taskId: id, status });

export const taskForbidden = (id: string) =>
  new ForbiddenError(TaskErrorCode.TaskForbidden, `Only the task's candidates, its assignee or a supervisor of its groups may do this with task ${id}`, { taskId: id });

export const supervisorRequired = (id: string) =>
  new ForbiddenError(TaskErrorCode.SupervisorRequired, `Only a supervisor of the task's candidate groups may assign task ${id}`, { taskId: id });

export const alreadyClaimed = (id: string, holder: string) =>
  new ConflictError(TaskErrorCode.AlreadyClaimed, `Task ${id} is already claimed by ${holder}`, { taskId: id, assignee: holder });

export const delegationPending = (id: string, delegate: string | null) =>
  new ConflictError(TaskErrorCode.DelegationPending, `Task ${id} is delegated to ${delegate}: the delegate resolves it first (POST /api/tasks/${id}/resolve)`, {
    taskId: id,
    assignee: delegate,
  });

export const notDelegated = (id: string) => new ConflictError(TaskErrorCode.NotDelegated, `Task ${id} has no delegation to resolve`, { taskId: id });

export const userUnknown = (field: string, username: string) =>
  new BadInputError(TaskErrorCode.UserUnknown, `Invalid ${field}: no active staff account ${username}`, { fields: [{ field, problems: [`no active staff account ${username}`] }] });

export const userCannotHold = (field: string, username: string, why: string) =>
  new DomainError('UNPROCESSABLE', TaskErrorCode.UserCannotHold, `${username} cannot hold this task: ${why}`, { fields: [{ field, problems: [why] }] });

export const queueNotFound = (id: string) => new NotFoundError(TaskErrorCode.QueueNotFound, `No task queue ${id}`, { queueId: id });

export const queueNameTaken = (name: string) =>
  new ConflictError(TaskErrorCode.QueueNameTaken, `You already have a queue named ${name}`, { fields: [{ field: 'name', problems: ['already used by another of your queues'] }] });

export const queueLimit = (max: number) => new ConflictError(TaskErrorCode.QueueLimit, `At most ${max} saved queues per user`, { max });

export const badField = (field: string, problem: string) =>
  new BadInputError('VALIDATION_FAILED', `Invalid ${field}: ${problem}`, { fields: [{ field, problems: [problem] }] });
