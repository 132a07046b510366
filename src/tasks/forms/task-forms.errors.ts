import { DomainError, NotFoundError } from '../../common';
import type { FormFieldProblem } from './form-field-errors';

/** Error codes of task forms, mapped to HTTP statuses by kind in api/. */
export enum TaskFormErrorCode {
  FormValidationFailed = 'FORM_VALIDATION_FAILED',
  TaskFormNotFound = 'TASK_FORM_NOT_FOUND',
  TaskNotFound = 'TASK_NOT_FOUND',
}

export const taskNotFound = (taskId: string) => new NotFoundError(TaskFormErrorCode.TaskNotFound, `No task ${taskId}`, { taskId });

export const taskFormNotFound = (taskId: string, formKey: string | null) =>
  new NotFoundError(
    TaskFormErrorCode.TaskFormNotFound,
    formKey ? `Task ${taskId} names form "${formKey}", which is not a deployed form-js form` : `Task ${taskId} has no form`,
    { taskId, formKey },
  );

/** 422 naming every bad field; the completion it refused changed nothing. */
export const formValidationFailed = (taskId: string, form: { formId: string; version: number }, fields: FormFieldProblem[]) =>
  new DomainError(
    'UNPROCESSABLE',
    TaskFormErrorCode.FormValidationFailed,
    `The form data has ${fields.length} problem${fields.length === 1 ? '' : 's'}: ${fields.map((f) => f.message).join('; ')}`,
    { taskId, formId: form.formId, formVersion: form.version, fields },
  );
