import { MigrationInterface, QueryRunner } from 'typeorm';

const RULES = `'working-days', 'calendar-rolling'`;

/**
 * Public notices (公示) of applications, their objections (异议), and the per-region rule that
 * sets a notice's period.
 *
 * A notice's content is masked and frozen when it is published (name 张*, ID number
 * 510104********1234, household size, guarantee type, street): a trigger refuses any later change
 * to it. Its status is not stored; the application computes it from the period and the withdrawal
 * with its clock. An objection's contact is personal data and is stored only encrypted (identity's
 * envelope); the address it came from only as a keyed hash, enough for the rate limit. A
 * verification outcome, once recorded, is final.
 *
 * Rules are versions: (region, round, effective_from); the one in force for a region on a day is
 * the latest version of the nearest region on its path up to the province. The seeded province-wide
 * default is 7 working days for both notices and 10 working days to verify an objection.
 */
export class CreatePublicity1764500000007 implements MigrationInterface {
  name = 'CreatePublicity1764500000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE publicity_rules (
        id                    serial PRIMARY KEY,
        -- the region the rule covers, with everything under it (510000: the province-wide default)
        region_code           text NOT NULL,
        round                 smallint NOT NULL,
        -- working-days: the period ends N working days after the start day; calendar-rolling: N
        -- calendar days, the last one rolled forward past rest days (the calendar module's rules)
        rule                  text NOT NULL,
        days                  integer NOT NULL,
        -- working days the verification of an objection (异议核查) may take
        objection_check_days  integer NOT NULL,
        effective_from        date NOT NULL,
        -- the policy document or decision behind the version
        source                text NOT NULL,
        created_by            text NOT NULL,
        created_at            timestamptz NOT NULL DEFAULT now(),
        -- one version per region, round and day; the index also finds a region's versions
        CONSTRAINT publicity_rules_version_key UNIQUE (region_code, round, effective_from),
        CONSTRAINT publicity_rules_round_check CHECK (round IN (1, 2)),
        CONSTRAINT publicity_rules_rule_check CHECK (rule IN (${RULES})),
        CONSTRAINT publicity_rules_days_check CHECK (days BETWEEN 1 AND 90),
        CONSTRAINT publicity_rules_objection_check_days_check CHECK (objection_check_days BETWEEN 1 AND 90),
        CONSTRAINT publicity_rules_source_check CHECK (source <> '')
      )`);
    // the province-wide defaults (DOMAIN.md: 公示 7 working days, objection check 10 working days)
    await q.query(`
      INSERT INTO publicity_rules (region_code, round, rule, days, objection_check_days, effective_from, source, created_by)
      VALUES ('510000', 1, 'working-days', 7, 10, DATE '2000-01-01', '默认值（DOMAIN.md：公示 7 个工作日，异议核查 10 个工作日）', 'migration'),
             ('510000', 2, 'working-days', 7, 10, DATE '2000-01-01', '默认值（DOMAIN.md：公示 7 个工作日，异议核查 10 个工作日）', 'migration')`);
    await q.query(`
      CREATE TABLE publicities (
        id                    uuid PRIMARY KEY,
        application_id        uuid NOT NULL,
        case_number           text NOT NULL,
        round                 smallint NOT NULL,
        -- where the notice is published: the region that handles the case (a remote case's target)
        region_code           text NOT NULL,
        -- masked at publication and frozen: name, idNumber, householdSize, guaranteeType(+Label), street
        content               jsonb NOT NULL,
        -- the rule version that set the period, and what it said
        rule_id               integer NOT NULL,
        rule                  text NOT NULL,
        days                  integer NOT NULL,
        objection_check_days  integer NOT NULL,
        -- the working day it was published (or the next one), and the last day of the period
        starts_on             date NOT NULL,
        ends_on               date NOT NULL,
        starts_at             timestamptz NOT NULL,
        -- 24:00 Asia/Shanghai of ends_on
        ends_at               timestamptz NOT NULL,
        -- ends_on lies in a year without a confirmed calendar; recomputed when the year is entered
        provisional           boolean NOT NULL,
        published_at          timestamptz NOT NULL,
        -- a username, or the process step (process:<instance>/<element>)
        published_by          text NOT NULL,
        published_by_user_id  uuid,
        withdrawn_at          timestamptz,
        withdrawn_by          text,
        withdrawn_by_user_id  uuid,
        withdraw_reason       text,
        CONSTRAINT publicities_application_fkey FOREIGN KEY (application_id) REFERENCES applications (id),
        CONSTRAINT publicities_rule_fkey FOREIGN KEY (rule_id) REFERENCES publicity_rules (id),
        CONSTRAINT publicities_published_by_user_fkey FOREIGN KEY (published_by_user_id) REFERENCES users (id),
        CONSTRAINT publicities_withdrawn_by_user_fkey FOREIGN KEY (withdrawn_by_user_id) REFERENCES users (id),
        CONSTRAINT publicities_round_check CHECK (round IN (1, 2)),
        CONSTRAINT publicities_rule_check CHECK (rule IN (${RULES})),
        CONSTRAINT publicities_period_check CHECK (ends_at > starts_at AND ends_on >= starts_on),
        CONSTRAINT publicities_withdrawal_check CHECK (
          (withdrawn_at IS NULL) = (withdrawn_by IS NULL) AND (withdrawn_at IS NULL) = (withdraw_reason IS NULL)),
        CONSTRAINT publicities_withdraw_reason_check CHECK (withdraw_reason <> '')
      )`);
    // one notice per application and round, unless withdrawn (it may then be published again)
    await q.query(`CREATE UNIQUE INDEX publicities_application_round_key ON publicities (application_id, round) WHERE withdrawn_at IS NULL`);
    // a case's notices, withdrawn ones included (staff view)
    await q.query(`CREATE INDEX publicities_application_idx ON publicities (application_id, published_at)`);
    // the public list: a region's notices not withdrawn, by end (running ones are those not yet ended)
    await q.query(`CREATE INDEX publicities_region_ends_idx ON publicities (region_code, ends_at) WHERE withdrawn_at IS NULL`);
    await q.query(`
      CREATE TABLE publicity_objections (
        id                    uuid PRIMARY KEY,
        publicity_id          uuid NOT NULL,
        content               text NOT NULL,
        -- how to reach the objector, if given: personal data, encrypted (identity's envelope)
        contact_enc           text,
        -- keyed hash of the address it was sent from: the per-address rate limit, not the address
        client_key            text NOT NULL,
        received_at           timestamptz NOT NULL,
        verification_due_on   date NOT NULL,
        verification_due_at   timestamptz NOT NULL,
        outcome               text,
        reasons               text,
        verified_at           timestamptz,
        verified_by           text,
        verified_by_user_id   uuid,
        CONSTRAINT publicity_objections_publicity_fkey FOREIGN KEY (publicity_id) REFERENCES publicities (id),
        CONSTRAINT publicity_objections_verified_by_user_fkey FOREIGN KEY (verified_by_user_id) REFERENCES users (id),
        CONSTRAINT publicity_objections_content_check CHECK (content <> '' AND char_length(content) <= 2000),
        CONSTRAINT publicity_objections_outcome_check CHECK (outcome IN ('upheld', 'not_upheld')),
        CONSTRAINT publicity_objections_verification_check CHECK (
          (outcome IS NULL) = (verified_at IS NULL) AND (outcome IS NULL) = (verified_by IS NULL) AND (outcome IS NULL) = (reasons IS NULL)),
        CONSTRAINT publicity_objections_reasons_check CHECK (reasons <> '')
      )`);
    // a notice's objections in order
    await q.query(`CREATE INDEX publicity_objections_publicity_idx ON publicity_objections (publicity_id, received_at)`);
    // the rate limit: one address's recent objections to one notice
    await q.query(`CREATE INDEX publicity_objections_client_idx ON publicity_objections (publicity_id, client_key, received_at)`);
    // the queue of objections awaiting verification, soonest due first
    await q.query(`CREATE INDEX publicity_objections_pending_idx ON publicity_objections (verification_due_at) WHERE outcome IS NULL`);
    await q.query(`
      CREATE FUNCTION publicity_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '%: % refused (published content and recorded verifications are final)', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'integrity_constraint_violation';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER publicities_content_frozen BEFORE UPDATE ON publicities FOR EACH ROW
        WHEN (OLD.content IS DISTINCT FROM NEW.content OR OLD.application_id IS DISTINCT FROM NEW.application_id
              OR OLD.round IS DISTINCT FROM NEW.round OR OLD.published_at IS DISTINCT FROM NEW.published_at
              OR OLD.withdrawn_at IS NOT NULL)
        EXECUTE FUNCTION publicity_refuse_change()`);
    await q.query(`CREATE TRIGGER publicities_no_delete BEFORE DELETE ON publicities FOR EACH ROW EXECUTE FUNCTION publicity_refuse_change()`);
    await q.query(`
      CREATE TRIGGER publicity_objections_final BEFORE UPDATE ON publicity_objections FOR EACH ROW
        WHEN (OLD.outcome IS NOT NULL OR OLD.content IS DISTINCT FROM NEW.content OR OLD.received_at IS DISTINCT FROM NEW.received_at
              OR OLD.publicity_id IS DISTINCT FROM NEW.publicity_id)
        EXECUTE FUNCTION publicity_refuse_change()`);
    await q.query(`CREATE TRIGGER publicity_objections_no_delete BEFORE DELETE ON publicity_objections FOR EACH ROW EXECUTE FUNCTION publicity_refuse_change()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE publicity_objections`);
    await q.query(`DROP TABLE publicities`);
    await q.query(`DROP TABLE publicity_rules`);
    await q.query(`DROP FUNCTION publicity_refuse_change()`);
  }
}
