import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { FormSchema } from './form-schema';
import type { PreparedForm } from './validate-form';

export interface FormRow {
  id: string;
  formId: string;
  version: number;
  deploymentId: string;
  resourceName: string;
  sha256: string;
  variables: string[];
  createdAt: Date;
}

export interface FormWithSchema extends FormRow {
  schema: FormSchema;
}

export interface NewForm extends PreparedForm {
  resourceName: string;
}

/** How a task names its form: by the schema id, or by the file it was deployed from. */
export type FormReference = { by: 'id'; formId: string } | { by: 'file'; resourceName: string };

const COLUMNS = `f.id, f.form_id AS "formId", f.version, f.deployment_id AS "deploymentId", f.resource_name AS "resourceName", f.sha256,
  f.variables, f.created_at AS "createdAt"`;

@Injectable()
export class FormsRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Inserts version n+1 of a form id, or keeps the latest when its content is identical; either
   * way the deployment records that it carried this version. Holds an advisory lock per form id.
   */
  async insertVersion(em: EntityManager, deploymentId: string, f: NewForm, now: Date): Promise<{ row: FormRow; created: boolean }> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('engine_forms:' || $1))`, [f.formId]);
    const [latest] = await em.query(`SELECT ${COLUMNS} FROM engine_forms f WHERE form_id = $1 ORDER BY version DESC LIMIT 1`, [f.formId]);
    let row = latest as FormRow | undefined;
    const created = !row || row.sha256 !== f.sha256;
    if (created) {
      [row] = await em.query(
        `INSERT INTO engine_forms AS f (form_id, version, deployment_id, resource_name, sha256, schema, variables, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
        [f.formId, (latest?.version ?? 0) + 1, deploymentId, f.resourceName, f.sha256, JSON.stringify(f.schema), f.variables, now.toISOString()],
      );
    }
    await em.query(`INSERT INTO engine_deployment_forms (deployment_id, form_ref) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [deploymentId, row!.id]);
    return { row: row!, created };
  }

  async list(filter: { formId?: string; latestOnly?: boolean }): Promise<FormRow[]> {
    return this.ds.query(
      `SELECT ${COLUMNS} FROM engine_forms f
        WHERE ($1::text IS NULL OR form_id = $1)
          AND (NOT $2 OR version = (SELECT max(version) FROM engine_forms x WHERE x.form_id = f.form_id))
        ORDER BY form_id, version DESC`,
      [filter.formId ?? null, filter.latestOnly ?? false],
    );
  }

  /** A form id's given version, or its latest. */
  async find(formId: string, version?: number): Promise<FormWithSchema | null> {
    const [row] = await this.ds.query(
      `SELECT ${COLUMNS}, f.schema FROM engine_forms f WHERE form_id = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`,
      [formId, version ?? null],
    );
    return (row as FormWithSchema) ?? null;
  }

  /**
   * The version a task uses: the one the deployment of its process definition carried, else the
   * latest deployed at or before the task was created. One statement, inside the caller's
   * transaction when there is one.
   */
  async resolve(em: EntityManager | DataSource, ref: FormReference, definition: { key: string; version: number }, createdAt: Date): Promise<FormWithSchema | null> {
    const match = ref.by === 'id' ? 'f.form_id = $1' : 'f.resource_name = $1';
    const [row] = await em.query(
      `(SELECT ${COLUMNS}, f.schema, 0 AS rank FROM engine_process_definitions d
          JOIN engine_deployment_forms df ON df.deployment_id = d.deployment_id
          JOIN engine_forms f ON f.id = df.form_ref
         WHERE d.key = $2 AND d.version = $3 AND ${match}
         ORDER BY f.version DESC LIMIT 1)
       UNION ALL
       (SELECT ${COLUMNS}, f.schema, 1 AS rank FROM engine_forms f
         WHERE ${match} AND f.created_at <= $4
         ORDER BY f.created_at DESC, f.version DESC LIMIT 1)
       ORDER BY rank LIMIT 1`,
      [ref.by === 'id' ? ref.formId : ref.resourceName, definition.key, definition.version, createdAt.toISOString()],
    );
    if (!row) return null;
    delete (row as { rank?: number }).rank;
    return row as FormWithSchema;
  }
}
