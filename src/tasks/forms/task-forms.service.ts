import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../api';
import { toCalendarDate } from '../../calendar';
import { Clock, isUuid } from '../../common';
import { FeelFunctionRegistry, FormWithSchema, FormsService, FormSchema, evaluateFeel } from '../../engine';
import { FormFieldProblem } from './form-field-errors';
import { validateFormData } from './form-validator';
import { formValidationFailed, taskFormNotFound, taskNotFound } from './task-forms.errors';

/** What an access check sees of the task whose form is asked for. */
export interface TaskFormTask {
  id: string;
  processInstanceId: string;
  processKey: string;
  businessKey: string | null;
  status: string;
  candidateGroups: string[];
  candidateUsers: string[];
  assignee: string | null;
}

/** Throws (a ForbiddenError, or a NotFoundError to hide the task) when the actor may not see this task's form. */
export type TaskFormAccessCheck = (actor: Actor, task: TaskFormTask) => void | Promise<void>;

export interface TaskFormView {
  formId: string;
  version: number;
  schema: FormSchema;
  /** current values of the variables the form reads: the task's input mapping first, then the process variables */
  data: Record<string, unknown>;
}

interface TaskRow extends TaskFormTask {
  formKey: string | null;
  processVersion: number;
  createdAt: Date;
  input: Record<string, unknown>;
}

const TASK_COLUMNS = `id, instance_id AS "processInstanceId", process_key AS "processKey", process_version AS "processVersion",
  business_key AS "businessKey", status, candidate_groups AS "candidateGroups", candidate_users AS "candidateUsers", assignee,
  form_key AS "formKey", created_at AS "createdAt", input`;

/**
 * A user task's form: serving it with its current values, and checking the data a completion
 * submits against it. Which form version a task uses is FormsService.resolveForTask's rule (the
 * one deployed with the task's process definition, else the latest deployed before the task was
 * created); see docs/bpmn-authoring.md, "Task forms".
 */
@Injectable()
export class TaskFormsService {
  private accessCheck: TaskFormAccessCheck = () => undefined;

  constructor(
    private readonly ds: DataSource,
    private readonly forms: FormsService,
    private readonly feel: FeelFunctionRegistry,
    private readonly clock: Clock,
  ) {}

  /**
   * Installs who may read a task's form (the task module's candidate check). Until then any
   * logged-in user may, as for GET /api/tasks/{id}.
   */
  useAccessCheck(check: TaskFormAccessCheck): void {
    this.accessCheck = check;
  }

  /** GET /api/tasks/{id}/form: 404 when the task does not exist or has no form-js form. */
  async getForm(taskId: string, actor: Actor): Promise<TaskFormView> {
    const task = await this.task(this.ds.manager, taskId);
    if (!task) throw taskNotFound(taskId);
    await this.accessCheck(actor, publicPart(task));
    const form = await this.forms.resolveForTask(undefined, task);
    if (!form) throw taskFormNotFound(taskId, task.formKey);
    const current = await this.currentValues(this.ds.manager, task);
    const data: Record<string, unknown> = {};
    for (const name of form.variables) if (current[name] !== undefined) data[name] = current[name];
    return { formId: form.formId, version: form.version, schema: form.schema, data };
  }

  /**
   * Checks the variables a completion submits against the task's form, inside the caller's
   * transaction (pass its manager). Throws 422 FORM_VALIDATION_FAILED naming every bad field; does
   * nothing when the task has no form-js form, or is missing or no longer open (the completion
   * itself reports those).
   */
  async validateCompletion(em: EntityManager, taskId: string, variables: unknown): Promise<void> {
    const problems = await this.check(em, taskId, variables);
    if (problems) throw formValidationFailed(taskId, problems.form, problems.fields);
  }

  /** The problems without throwing: null when there is nothing to check or nothing wrong. */
  async check(em: EntityManager, taskId: string, variables: unknown): Promise<{ form: FormWithSchema; fields: FormFieldProblem[] } | null> {
    if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) return null;
    const task = await this.task(em, taskId);
    if (!task || task.status !== 'open') return null;
    const form = await this.forms.resolveForTask(em, task);
    if (!form) return null;
    const fields = validateFormData(form.schema, (variables ?? {}) as Record<string, unknown>, {
      current: await this.currentValues(em, task),
      evaluate: (expression, context) => evaluateFeel(expression, context, this.feel),
      today: toCalendarDate(this.clock.now()),
    });
    return fields.length ? { form, fields } : null;
  }

  private async task(em: EntityManager, taskId: string): Promise<TaskRow | null> {
    if (!isUuid(taskId)) return null;
    const [row] = await em.query(`SELECT ${TASK_COLUMNS} FROM user_tasks WHERE id = $1`, [taskId]);
    return (row as TaskRow) ?? null;
  }

  /** The task's input mapping over the process variables. */
  private async currentValues(em: EntityManager, task: TaskRow): Promise<Record<string, unknown>> {
    const [inst] = await em.query(`SELECT variables FROM engine_process_instances WHERE id = $1`, [task.processInstanceId]);
    return { ...((inst?.variables as Record<string, unknown>) ?? {}), ...(task.input ?? {}) };
  }
}

function publicPart(t: TaskRow): TaskFormTask {
  const { id, processInstanceId, processKey, businessKey, status, candidateGroups, candidateUsers, assignee } = t;
  return { id, processInstanceId, processKey, businessKey, status, candidateGroups, candidateUsers, assignee };
}
