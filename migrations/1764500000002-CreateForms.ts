import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Task forms (form-js JSON schemas) deployed beside the diagrams. A form is keyed by its schema
 * `id`; each changed content is version n+1, identical content is not stored again. Which forms a
 * deployment carried (changed or not) is kept apart, so a task can use the form version deployed
 * with its process definition.
 */
export class CreateForms1764500000002 implements MigrationInterface {
  name = 'CreateForms1764500000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE engine_forms (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        form_id        text NOT NULL,
        version        integer NOT NULL,
        deployment_id  uuid NOT NULL,
        -- the file name it was deployed from (no folder), for camunda-forms:deployment:<file>.form
        resource_name  text NOT NULL,
        -- of the parsed JSON, so a reformatted file is not a new version
        sha256         text NOT NULL,
        schema         jsonb NOT NULL,
        -- top-level variables the form reads (field keys, options keys, names in its FEEL), served as its data
        variables      text[] NOT NULL DEFAULT '{}',
        -- the application clock (tests move it), compared with user_tasks.created_at
        created_at     timestamptz NOT NULL,
        CONSTRAINT engine_forms_deployment_fkey FOREIGN KEY (deployment_id) REFERENCES engine_deployments (id),
        CONSTRAINT engine_forms_form_version_key UNIQUE (form_id, version),
        CONSTRAINT engine_forms_version_check CHECK (version > 0),
        CONSTRAINT engine_forms_form_id_check CHECK (form_id <> '')
      )`);
    // camunda-forms:deployment:<file>.form and camunda-forms:app:<path> name a file, not an id:
    // the latest version deployed from that file name before a task was created
    await q.query(`CREATE INDEX engine_forms_resource_name_idx ON engine_forms (resource_name, created_at)`);
    await q.query(`
      CREATE TABLE engine_deployment_forms (
        deployment_id  uuid NOT NULL,
        form_ref       uuid NOT NULL,
        CONSTRAINT engine_deployment_forms_pkey PRIMARY KEY (deployment_id, form_ref),
        CONSTRAINT engine_deployment_forms_deployment_fkey FOREIGN KEY (deployment_id) REFERENCES engine_deployments (id),
        CONSTRAINT engine_deployment_forms_form_fkey FOREIGN KEY (form_ref) REFERENCES engine_forms (id)
      )`);
    // the primary key answers "forms of this deployment"; this one the foreign key's delete check
    await q.query(`CREATE INDEX engine_deployment_forms_form_idx ON engine_deployment_forms (form_ref)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engine_deployment_forms`);
    await q.query(`DROP TABLE engine_forms`);
  }
}
