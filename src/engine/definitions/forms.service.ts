import { Injectable } from '@nestjs/common';
import { basename } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, NotFoundError } from '../../common';
import { FeelFunctionRegistry, checkExpression, classifyExpression } from '../expressions';
import { compileFeel } from '../expressions/feel-compiler';
import { FormReference, FormRow, FormWithSchema, FormsRepository, NewForm } from './forms.repository';
import type { DeployProblem } from './validate-bpmn';
import { validateForm } from './validate-form';

export enum FormErrorCode {
  FormNotFound = 'FORM_NOT_FOUND',
}

export const formNotFound = (formId: string, version?: number) =>
  new NotFoundError(FormErrorCode.FormNotFound, `No form ${formId}${version ? ` version ${version}` : ''}`, { formId, ...(version && { version }) });

/**
 * Reads a task's form key. form-js forms are named by id (`street-review`, zeebe:formDefinition
 * formId, camunda:formRef) or by the file they were deployed from
 * (`camunda-forms:deployment:street-review.form`, `camunda-forms:app:forms/street-review.form`).
 * Anything else (`embedded:app:…html`, `app:….jsf`, Camunda 8's embedded `camunda-forms:bpmn:…`) is
 * not a deployed form-js form: null.
 */
export function parseFormKey(formKey: string | null | undefined): FormReference | null {
  const key = formKey?.trim();
  if (!key) return null;
  const file = /^camunda-forms:(deployment|app):(.+)$/.exec(key);
  if (file) return { by: 'file', resourceName: basename(file[2].trim()) };
  if (key.includes(':')) return null;
  return { by: 'id', formId: key };
}

/** Deployed forms: preparing and storing them with a deployment, listing, and finding a task's form. */
@Injectable()
export class FormsService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: FormsRepository,
    private readonly feel: FeelFunctionRegistry,
    private readonly clock: Clock,
  ) {}

  /** Checks one `.form` file; nothing is stored. */
  prepare(name: string, content: Buffer): { form: NewForm } | { errors: DeployProblem[] } {
    const result = validateForm(content, {
      checkExpression: (text) => checkExpression(text, this.feel),
      expressionVariables: (text) => {
        try {
          return [...compileFeel(classifyExpression(text).body, this.feel).params];
        } catch {
          return [];
        }
      },
    });
    if ('errors' in result) return result;
    return { form: { ...result.form, resourceName: basename(name) } };
  }

  /** Stores the prepared forms of a deployment, inside its transaction. */
  async store(em: EntityManager, deploymentId: string, forms: NewForm[]): Promise<(FormRow & { created: boolean })[]> {
    const out: (FormRow & { created: boolean })[] = [];
    for (const f of forms) {
      const { row, created } = await this.repo.insertVersion(em, deploymentId, f, this.clock.now());
      out.push({ ...row, created });
    }
    return out;
  }

  list(filter: { formId?: string; latestOnly?: boolean }): Promise<FormRow[]> {
    return this.repo.list(filter);
  }

  async get(formId: string, version?: number): Promise<FormWithSchema> {
    const row = await this.repo.find(formId, version);
    if (!row) throw formNotFound(formId, version);
    return row;
  }

  /**
   * The form a user task uses, or null when its form key names no deployed form-js form. The
   * version deployed together with the task's process definition wins; otherwise the latest one
   * deployed at or before the task was created (a later deployment never changes an open task's form).
   */
  resolveForTask(
    em: EntityManager | undefined,
    task: { formKey: string | null; processKey: string; processVersion: number; createdAt: Date | string },
  ): Promise<FormWithSchema | null> {
    const ref = parseFormKey(task.formKey);
    if (!ref) return Promise.resolve(null);
    return this.repo.resolve(em ?? this.ds, ref, { key: task.processKey, version: task.processVersion }, new Date(task.createdAt));
  }
}
