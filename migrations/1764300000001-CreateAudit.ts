import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log (安全审计): one row per state-changing request and per read of sensitive data.
 * Rows are chained: `hash` covers the row's content and the previous row's hash, so a changed or
 * removed row breaks the chain at that point (src/audit/audit-chain.ts; npm run audit:verify).
 * A trigger refuses UPDATE, DELETE and TRUNCATE, so not even the application can edit history.
 * In production the table should also belong to another database role than the application's,
 * with INSERT and SELECT granted only (README, "Audit log").
 */
export class CreateAudit1764300000001 implements MigrationInterface {
  name = 'CreateAudit1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        -- 1, 2, 3, … without gaps, assigned under an advisory lock with the chain
        seq              bigint PRIMARY KEY,
        at               timestamptz NOT NULL,
        user_id          uuid,
        username         text,
        organization_id  uuid,
        ip               text,
        action           text NOT NULL,
        method           text,
        path             text,
        object_type      text,
        object_id        text,
        fields           text[] NOT NULL DEFAULT '{}',
        purpose          text,
        result           text NOT NULL,
        status           integer,
        error_code       text,
        request_id       text,
        hash_alg         text NOT NULL,
        prev_hash        text NOT NULL,
        hash             text NOT NULL,
        CONSTRAINT audit_log_result_check CHECK (result IN ('success', 'failure', 'denied', 'error')),
        CONSTRAINT audit_log_hash_alg_check CHECK (hash_alg IN ('sm3', 'sha256'))
      )`);
    await q.query(`CREATE INDEX audit_log_at_idx ON audit_log (at)`);
    await q.query(`CREATE INDEX audit_log_user_id_idx ON audit_log (user_id, at)`);
    await q.query(`CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id)`);
    await q.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_refuse_change()`);
  }
}
