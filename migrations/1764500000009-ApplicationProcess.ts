import { MigrationInterface, QueryRunner } from 'typeorm';

const STAGES = `'street_review', 'department_review', 'county_review', 'city_review', 'decision', 'appeal_request', 'appeal_review'`;
const OUTCOMES = `'approve', 'reject', 'consistent', 'discrepancy', 'approved', 'rejected', 'requested', 'maintained', 'overturned'`;

/**
 * What the application process (processes/application.bpmn) records about a case, beside the
 * application itself.
 *
 * - `application_period_rules`: the statutory periods of the process per region, versioned with
 *   effective dates like the 公示 rules (the one in force for a case is the latest version, on or
 *   before the day it was submitted, of the nearest region on its path up to the province). The
 *   seeded province-wide row holds the defaults of DOMAIN.md.
 * - `application_eligibility`: every judgement of the eligibility decision (DMN), with the
 *   decision's key and version, so a case says which standards judged it.
 * - `application_reviews`: every decision taken on the case by a person or by the process: each
 *   level of review, each department of the joint review, the decision itself, the appeal (复核).
 *
 * Both record tables are append-only (the trigger function of CreateApplications), and each row
 * carries the idempotency key of the process job that wrote it: a job that runs twice writes once.
 */
export class ApplicationProcess1764500000009 implements MigrationInterface {
  name = 'ApplicationProcess1764500000009';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE application_period_rules (
        id                          serial PRIMARY KEY,
        -- the region the version covers, with everything under it (510000: the province-wide default)
        region_code                 text NOT NULL,
        effective_from              date NOT NULL,
        -- working days: the applicant's time to answer a 补正 notice (the statutory clock is paused meanwhile)
        correction_days             integer NOT NULL,
        street_review_days          integer NOT NULL,
        county_review_days          integer NOT NULL,
        city_review_days            integer NOT NULL,
        -- a department's check of a mismatch in the joint review, its reminder, and the supervisors' time after escalation
        department_check_days       integer NOT NULL,
        department_reminder_days    integer NOT NULL,
        department_escalation_days  integer NOT NULL,
        -- the applicant's time to ask for 复核 of a refusal, and the time to answer it (Order 11 art. 9: 15)
        appeal_request_days         integer NOT NULL,
        appeal_review_days          integer NOT NULL,
        -- the whole case from submission to decision, 补正 excluded (a reminder to the county when it passes)
        case_days                   integer NOT NULL,
        -- the policy document or decision behind the version
        source                      text NOT NULL,
        created_by                  text NOT NULL,
        created_at                  timestamptz NOT NULL DEFAULT now(),
        -- one version per region and day; the index also finds a region's versions
        CONSTRAINT application_period_rules_version_key UNIQUE (region_code, effective_from),
        CONSTRAINT application_period_rules_days_check CHECK (
          correction_days BETWEEN 1 AND 90 AND street_review_days BETWEEN 1 AND 90 AND county_review_days BETWEEN 1 AND 90
          AND city_review_days BETWEEN 1 AND 90 AND department_check_days BETWEEN 1 AND 90 AND department_escalation_days BETWEEN 1 AND 90
          AND appeal_request_days BETWEEN 1 AND 90 AND appeal_review_days BETWEEN 1 AND 90 AND case_days BETWEEN 1 AND 250),
        CONSTRAINT application_period_rules_reminder_check CHECK (department_reminder_days BETWEEN 1 AND department_check_days - 1),
        CONSTRAINT application_period_rules_source_check CHECK (source <> '')
      )`);
    // the province-wide defaults (DOMAIN.md process 1 and 2; research/domain.md §1.2)
    await q.query(`
      INSERT INTO application_period_rules (region_code, effective_from, correction_days, street_review_days, county_review_days, city_review_days,
                                            department_check_days, department_reminder_days, department_escalation_days,
                                            appeal_request_days, appeal_review_days, case_days, source, created_by)
      VALUES ('510000', DATE '2000-01-01', 15, 15, 15, 7, 5, 3, 3, 15, 15, 60,
              '默认值（DOMAIN.md：街道初审 15、区县审核 15、市级复核 7、部门核查 5（第 3 日提醒）、复核 15 个工作日）', 'migration')`);
    await q.query(`
      CREATE TABLE application_eligibility (
        id                      bigserial PRIMARY KEY,
        application_id          uuid NOT NULL,
        -- the DMN decision that judged it: key, version and the deployed definition
        decision_key            text NOT NULL,
        decision_version        integer NOT NULL,
        decision_definition_id  uuid NOT NULL,
        eligible                boolean NOT NULL,
        -- [{code, label}] of each standard not met
        findings                jsonb NOT NULL,
        -- the standards applied (lines and limits) as the decision returned them
        standards               jsonb,
        matched_rules           text[] NOT NULL,
        -- the declared facts the decision read (totals only: no names, no ID numbers)
        facts                   jsonb NOT NULL,
        judged_at               timestamptz NOT NULL,
        -- the process step (process:<instance>/<element>)
        judged_by               text NOT NULL,
        idempotency_key         text NOT NULL,
        CONSTRAINT application_eligibility_application_fkey FOREIGN KEY (application_id) REFERENCES applications (id),
        CONSTRAINT application_eligibility_decision_fkey FOREIGN KEY (decision_definition_id) REFERENCES engine_decision_definitions (id),
        -- a retried job writes once
        CONSTRAINT application_eligibility_idempotency_key UNIQUE (idempotency_key),
        CONSTRAINT application_eligibility_version_check CHECK (decision_version > 0)
      )`);
    // an application's judgements, newest last
    await q.query(`CREATE INDEX application_eligibility_application_idx ON application_eligibility (application_id, judged_at)`);
    await q.query(`
      CREATE TABLE application_reviews (
        id                   bigserial PRIMARY KEY,
        application_id       uuid NOT NULL,
        stage                text NOT NULL,
        -- department_review only: the department (公安, 民政, …) and its online comparison result
        department           text,
        online_result        text,
        outcome              text NOT NULL,
        -- the reasons given, one text each (a refusal's reasons reach the applicant as written)
        reasons              jsonb NOT NULL DEFAULT '[]',
        opinion              text,
        -- a username, or the process step (process:<instance>/<element>) when no person decided
        decided_by           text NOT NULL,
        decided_by_user_id   uuid,
        decided_at           timestamptz NOT NULL,
        -- decided by the supervisors after the deadline passed (超期督办)
        escalated            boolean NOT NULL DEFAULT false,
        -- the user task the decision was taken in, when there was one
        task_id              uuid,
        -- decision only: onto the waiting list or the rental-subsidy roll
        guarantee            text,
        -- decision (refused) and appeal_review (maintained): last day to ask for 复核 or to go further
        appeal_deadline      date,
        idempotency_key      text NOT NULL,
        CONSTRAINT application_reviews_application_fkey FOREIGN KEY (application_id) REFERENCES applications (id),
        CONSTRAINT application_reviews_decided_by_user_fkey FOREIGN KEY (decided_by_user_id) REFERENCES users (id),
        -- a retried job writes once
        CONSTRAINT application_reviews_idempotency_key UNIQUE (idempotency_key),
        CONSTRAINT application_reviews_stage_check CHECK (stage IN (${STAGES})),
        CONSTRAINT application_reviews_outcome_check CHECK (outcome IN (${OUTCOMES})),
        CONSTRAINT application_reviews_department_check CHECK ((stage = 'department_review') = (department IS NOT NULL)),
        CONSTRAINT application_reviews_online_result_check CHECK (online_result IN ('MATCH', 'MISMATCH', 'NO_DATA', 'ERROR')),
        CONSTRAINT application_reviews_guarantee_check CHECK (guarantee IS NULL OR (guarantee IN ('waiting_list', 'rental_subsidy') AND stage IN ('decision', 'appeal_review'))),
        CONSTRAINT application_reviews_reasons_check CHECK (jsonb_typeof(reasons) = 'array')
      )`);
    // an application's reviews in order (GET /api/applications/{id}/reviews)
    await q.query(`CREATE INDEX application_reviews_application_idx ON application_reviews (application_id, id)`);
    for (const table of ['application_eligibility', 'application_reviews']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION applications_refuse_history_change()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE application_reviews`);
    await q.query(`DROP TABLE application_eligibility`);
    await q.query(`DROP TABLE application_period_rules`);
  }
}
