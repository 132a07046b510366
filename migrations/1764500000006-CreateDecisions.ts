import { MigrationInterface, QueryRunner } from 'typeorm';

/** DMN decisions, deployed like diagrams: each decision id gets version n+1 when its file changes. */
export class CreateDecisions1764500000006 implements MigrationInterface {
  name = 'CreateDecisions1764500000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE engine_decision_definitions (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key            text NOT NULL,
        version        integer NOT NULL,
        name           text NOT NULL,
        deployment_id  uuid NOT NULL REFERENCES engine_deployments (id),
        resource_name  text NOT NULL,
        -- SHA-256 of the whole file: a decision is redeployed when anything it may require changed
        sha256         text NOT NULL,
        xml            text NOT NULL,
        -- the parsed decision requirement graph of the file (dmn-parse.ts DecisionGraph)
        graph          jsonb NOT NULL,
        created_at     timestamptz NOT NULL,
        CONSTRAINT engine_decision_definitions_key_version_key UNIQUE (key, version),
        CONSTRAINT engine_decision_definitions_version_check CHECK (version > 0)
      )`);
    // the key/version unique index also serves "latest version of a key" (ORDER BY version DESC LIMIT 1)
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE engine_decision_definitions`);
  }
}
