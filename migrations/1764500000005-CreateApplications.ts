import { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `'submitted', 'accepted', 'correction_requested', 'data_comparison', 'street_review', 'publicity_first',
  'county_review', 'city_review', 'publicity_second', 'approved', 'rejected', 'appeal', 'withdrawn'`;
const CHECKS = `'hukou', 'vehicles', 'assistance_status', 'income', 'property', 'enterprises', 'social_insurance', 'income_tax', 'housing_fund'`;
const SIGNATURE_METHODS = `'e_signature', 'handwritten_scan'`;
const SHA256 = `'^[0-9a-f]{64}$'`;

/**
 * Housing applications (申请) and the department data checks made for them.
 *
 * An application freezes its household at submission (`household_snapshot`, JSON, with its
 * SHA-256): a trigger refuses any later change to it, to the case number, type or submission time.
 * Members' names and ID numbers, and the household's address and phone, are stored only
 * encrypted (`*_enc`, identity's envelopes) with a keyed hash where exact search is needed
 * (`*_bidx`), outside the snapshot so keys can rotate. Every adult's commitment (承诺) sits on
 * its member row; query authorisations (授权查询) have their own rows (a check is allowed only under
 * one that covers it and has not expired). Status changes and department calls are append-only.
 * Case numbers come from a per-(region, year) counter row, incremented in the submitting
 * transaction: unique and gapless, whatever the concurrency.
 */
export class CreateApplications1764500000005 implements MigrationInterface {
  name = 'CreateApplications1764500000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE application_case_counters (
        -- the 6-digit region code and year of SQ-<region>-<year>-<sequence>
        region_code  text NOT NULL,
        year         integer NOT NULL,
        last_value   integer NOT NULL,
        -- one counter row per region and year, locked by the submitting transaction
        CONSTRAINT application_case_counters_pkey PRIMARY KEY (region_code, year),
        CONSTRAINT application_case_counters_last_value_check CHECK (last_value > 0)
      )`);
    await q.query(`
      CREATE TABLE applications (
        id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        case_number         text NOT NULL,
        type                text NOT NULL,
        channel             text NOT NULL,
        -- the household's region (county or street); for a remote application its home region
        region_code         text NOT NULL,
        -- remote (成德眉资) applications only: the region that reviews it
        target_region_code  text,
        status              text NOT NULL,
        household_snapshot  jsonb NOT NULL,
        -- hex SHA-256 of household_snapshot::text (PostgreSQL's canonical jsonb text)
        snapshot_sha256     text NOT NULL,
        address_enc         text NOT NULL,
        phone_enc           text NOT NULL,
        -- the applicant member's ID number, keyed hash: one open application per applicant
        applicant_id_bidx   text NOT NULL,
        -- the applicant's own account, when they have one (they then see the case online)
        applicant_user_id   uuid,
        filed_by_user_id    uuid NOT NULL,
        filed_by_role       text NOT NULL,
        submitted_at        timestamptz NOT NULL,
        status_changed_at   timestamptz NOT NULL,
        version             integer NOT NULL DEFAULT 1,
        -- the process business key: unique (and its index finds a case by number)
        CONSTRAINT applications_case_number_key UNIQUE (case_number),
        CONSTRAINT applications_applicant_user_fkey FOREIGN KEY (applicant_user_id) REFERENCES users (id),
        CONSTRAINT applications_filed_by_user_fkey FOREIGN KEY (filed_by_user_id) REFERENCES users (id),
        CONSTRAINT applications_case_number_format_check CHECK (case_number ~ '^SQ-[0-9]{6}-[0-9]{4}-[0-9]{6,}$'),
        CONSTRAINT applications_type_check CHECK (type IN ('prh_in_kind', 'prh_rental_subsidy', 'affordable_rental')),
        CONSTRAINT applications_channel_check CHECK (channel IN ('window', 'online', 'remote')),
        CONSTRAINT applications_remote_target_check CHECK ((channel = 'remote') = (target_region_code IS NOT NULL)),
        CONSTRAINT applications_status_check CHECK (status IN (${STATUSES})),
        CONSTRAINT applications_filed_by_role_check CHECK (filed_by_role IN ('applicant', 'window_caseworker')),
        CONSTRAINT applications_snapshot_sha256_check CHECK (snapshot_sha256 ~ ${SHA256}),
        CONSTRAINT applications_version_check CHECK (version > 0)
      )`);
    // region scope and the default list order (newest first) of a county's applications
    await q.query(`CREATE INDEX applications_region_submitted_idx ON applications (region_code, submitted_at DESC)`);
    // remote applications as seen by the city that reviews them
    await q.query(`CREATE INDEX applications_target_region_idx ON applications (target_region_code, submitted_at DESC) WHERE target_region_code IS NOT NULL`);
    // an applicant's own applications
    await q.query(`CREATE INDEX applications_applicant_user_idx ON applications (applicant_user_id) WHERE applicant_user_id IS NOT NULL`);
    // one open application per applicant: a second one while the first is under way is refused
    await q.query(
      `CREATE UNIQUE INDEX applications_open_applicant_key ON applications (applicant_id_bidx) WHERE status NOT IN ('approved', 'rejected', 'withdrawn')`,
    );
    // the status filter of the lists
    await q.query(`CREATE INDEX applications_status_idx ON applications (status, submitted_at DESC)`);
    await q.query(`
      CREATE TABLE application_members (
        id                      uuid PRIMARY KEY,
        application_id          uuid NOT NULL,
        -- 1 = the applicant (申请人), then the others in the order given
        position                smallint NOT NULL,
        relationship            text NOT NULL,
        name_enc                text NOT NULL,
        id_number_enc           text NOT NULL,
        id_number_bidx          text NOT NULL,
        -- 18 or older at submission (from the ID number's birth date)
        adult                   boolean NOT NULL,
        commitment_signed_at    timestamptz,
        commitment_method       text,
        commitment_text_version text,
        commitment_document_sha256 text,
        CONSTRAINT application_members_application_fkey FOREIGN KEY (application_id) REFERENCES applications (id),
        -- an application's members in order (its index also serves reading them)
        CONSTRAINT application_members_position_key UNIQUE (application_id, position),
        -- nobody is listed twice in one household
        CONSTRAINT application_members_person_key UNIQUE (application_id, id_number_bidx),
        CONSTRAINT application_members_position_check CHECK (position > 0),
        CONSTRAINT application_members_relationship_check CHECK (relationship IN ('self', 'spouse', 'child', 'parent', 'sibling', 'grandparent', 'grandchild', 'other')),
        CONSTRAINT application_members_applicant_check CHECK ((position = 1) = (relationship = 'self')),
        CONSTRAINT application_members_commitment_check CHECK ((commitment_signed_at IS NULL) = (commitment_method IS NULL)),
        CONSTRAINT application_members_commitment_method_check CHECK (commitment_method IN (${SIGNATURE_METHODS})),
        CONSTRAINT application_members_adult_commitment_check CHECK (NOT adult OR commitment_signed_at IS NOT NULL),
        CONSTRAINT application_members_commitment_sha256_check CHECK (commitment_document_sha256 ~ ${SHA256})
      )`);
    // a person's applications, by the keyed hash of their ID number (rechecks, duplicates)
    await q.query(`CREATE INDEX application_members_id_number_bidx_idx ON application_members (id_number_bidx)`);
    await q.query(`
      CREATE TABLE application_authorisations (
        id               uuid PRIMARY KEY,
        application_id   uuid NOT NULL,
        member_id        uuid NOT NULL,
        -- the checks it allows (connectors' check types)
        checks           text[] NOT NULL,
        signed_by        text NOT NULL,
        method           text NOT NULL,
        document_sha256  text,
        signed_at        timestamptz NOT NULL,
        expires_at       timestamptz NOT NULL,
        revoked_at       timestamptz,
        created_at       timestamptz NOT NULL,
        CONSTRAINT application_authorisations_application_fkey FOREIGN KEY (application_id) REFERENCES applications (id),
        CONSTRAINT application_authorisations_member_fkey FOREIGN KEY (member_id) REFERENCES application_members (id),
        CONSTRAINT application_authorisations_checks_check CHECK (cardinality(checks) > 0 AND checks <@ ARRAY[${CHECKS}]::text[]),
        CONSTRAINT application_authorisations_signed_by_check CHECK (signed_by IN ('self', 'guardian')),
        CONSTRAINT application_authorisations_method_check CHECK (method IN (${SIGNATURE_METHODS})),
        CONSTRAINT application_authorisations_period_check CHECK (expires_at > signed_at),
        CONSTRAINT application_authorisations_sha256_check CHECK (document_sha256 ~ ${SHA256})
      )`);
    // a member's authorisations, read before every department call
    await q.query(`CREATE INDEX application_authorisations_member_idx ON application_authorisations (member_id)`);
    // an application's authorisations, read with the application
    await q.query(`CREATE INDEX application_authorisations_application_idx ON application_authorisations (application_id)`);
    await q.query(`
      CREATE TABLE application_materials (
        id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        application_id   uuid NOT NULL,
        -- the member the material is about, when it is about one
        member_id        uuid,
        kind             text NOT NULL,
        -- where the document is kept (document store, 电子证照 licence number, …); never its content
        reference        text NOT NULL,
        sha256           text NOT NULL,
        file_name        text,
        added_at         timestamptz NOT NULL,
        added_by_user_id uuid NOT NULL,
        CONSTRAINT application_materials_application_fkey FOREIGN KEY (application_id) REFERENCES applications (id),
        CONSTRAINT application_materials_member_fkey FOREIGN KEY (member_id) REFERENCES application_members (id),
        CONSTRAINT application_materials_added_by_fkey FOREIGN KEY (added_by_user_id) REFERENCES users (id),
        CONSTRAINT application_materials_sha256_check CHECK (sha256 ~ ${SHA256}),
        CONSTRAINT application_materials_reference_check CHECK (reference <> '')
      )`);
    // an application's materials
    await q.query(`CREATE INDEX application_materials_application_idx ON application_materials (application_id)`);
    await q.query(`
      CREATE TABLE application_status_history (
        id                 bigserial PRIMARY KEY,
        application_id     uuid NOT NULL,
        -- null on the first row (submission)
        from_status        text,
        to_status          text NOT NULL,
        reason             text NOT NULL,
        changed_by_user_id uuid,
        -- the username, or the process step (process:<instance>/<element>) that changed it
        changed_by         text NOT NULL,
        changed_at         timestamptz NOT NULL,
        CONSTRAINT application_status_history_application_fkey FOREIGN KEY (application_id) REFERENCES applications (id),
        CONSTRAINT application_status_history_to_status_check CHECK (to_status IN (${STATUSES})),
        CONSTRAINT application_status_history_reason_check CHECK (reason <> '')
      )`);
    // an application's history, in order
    await q.query(`CREATE INDEX application_status_history_application_idx ON application_status_history (application_id, id)`);
    await q.query(`
      CREATE TABLE connector_calls (
        id                uuid PRIMARY KEY,
        application_id    uuid NOT NULL,
        member_id         uuid NOT NULL,
        -- the authorisation (授权查询) the call was made under
        authorisation_id  uuid NOT NULL,
        -- identity's department names (公安, 民政, 自然资源, 市场监管, 人社, 税务, 公积金)
        department        text NOT NULL,
        check_type        text NOT NULL,
        result            text NOT NULL,
        -- the department's answer, never a name or ID number
        department_data   jsonb,
        message_zh        text NOT NULL,
        message_en        text NOT NULL,
        -- ANJU_CONNECTORS at the time, and whether the answer was simulated
        connector_set     text NOT NULL,
        simulated         boolean NOT NULL,
        caller_kind       text NOT NULL,
        caller_user_id    uuid,
        caller_ref        text NOT NULL,
        called_at         timestamptz NOT NULL,
        duration_ms       integer NOT NULL,
        CONSTRAINT connector_calls_application_fkey FOREIGN KEY (application_id) REFERENCES applications (id),
        CONSTRAINT connector_calls_member_fkey FOREIGN KEY (member_id) REFERENCES application_members (id),
        CONSTRAINT connector_calls_authorisation_fkey FOREIGN KEY (authorisation_id) REFERENCES application_authorisations (id),
        CONSTRAINT connector_calls_caller_user_fkey FOREIGN KEY (caller_user_id) REFERENCES users (id),
        CONSTRAINT connector_calls_check_type_check CHECK (check_type IN (${CHECKS})),
        CONSTRAINT connector_calls_result_check CHECK (result IN ('MATCH', 'MISMATCH', 'NO_DATA', 'ERROR')),
        CONSTRAINT connector_calls_caller_check CHECK ((caller_kind = 'user') = (caller_user_id IS NOT NULL) AND caller_kind IN ('user', 'process')),
        CONSTRAINT connector_calls_duration_check CHECK (duration_ms >= 0)
      )`);
    // an application's calls, in order (GET /api/applications/{id}/checks)
    await q.query(`CREATE INDEX connector_calls_application_idx ON connector_calls (application_id, called_at)`);
    await q.query(`
      CREATE FUNCTION applications_refuse_frozen_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'applications: the household snapshot, case number, type and submission time are frozen at submission'
          USING ERRCODE = 'integrity_constraint_violation';
      END
      $$`);
    await q.query(`
      CREATE TRIGGER applications_snapshot_frozen BEFORE UPDATE ON applications FOR EACH ROW
        WHEN (OLD.household_snapshot IS DISTINCT FROM NEW.household_snapshot OR OLD.snapshot_sha256 IS DISTINCT FROM NEW.snapshot_sha256
              OR OLD.case_number IS DISTINCT FROM NEW.case_number OR OLD.type IS DISTINCT FROM NEW.type
              OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at)
        EXECUTE FUNCTION applications_refuse_frozen_change()`);
    await q.query(`
      CREATE FUNCTION applications_refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'integrity_constraint_violation';
      END
      $$`);
    for (const table of ['application_status_history', 'connector_calls']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION applications_refuse_history_change()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE connector_calls`);
    await q.query(`DROP TABLE application_status_history`);
    await q.query(`DROP TABLE application_materials`);
    await q.query(`DROP TABLE application_authorisations`);
    await q.query(`DROP TABLE application_members`);
    await q.query(`DROP TABLE applications`);
    await q.query(`DROP TABLE application_case_counters`);
    await q.query(`DROP FUNCTION applications_refuse_history_change()`);
    await q.query(`DROP FUNCTION applications_refuse_frozen_change()`);
  }
}
