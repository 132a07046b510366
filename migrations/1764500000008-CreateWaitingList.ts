import { MigrationInterface, QueryRunner } from 'typeorm';

// src/waiting-list/priority-groups.ts holds the labels; a new group needs a migration here too
const GROUPS = `'special_care', 'dibao_tekun', 'disability', 'serious_illness', 'bereaved_family', 'bravery', 'model_worker',
  'veteran', 'elderly', 'several_minors', 'frontline_worker'`;
const DEFAULT_ORDER = `ARRAY['special_care', 'dibao_tekun', 'disability', 'serious_illness', 'bereaved_family', 'bravery', 'model_worker',
  'veteran', 'elderly', 'several_minors', 'frontline_worker']`;

/**
 * The waiting list (轮候): households found eligible for a unit wait in their county's list, in
 * priority-group order, then by qualification date (资格确认日), then by case number.
 *
 * The order of priority groups, the longest wait (Sichuan: 3 years) and how long before it the
 * county is alarmed are versioned per-region rules: the version in force for a county is the
 * latest of the nearest region on its path up to the province (seeded: 510000, 36 months, alarm 3
 * months before). An entry keeps the limit and alarm day computed from the rule in force on its
 * qualification day; the alarm is raised once (alarm_raised_at).
 */
export class CreateWaitingList1764500000008 implements MigrationInterface {
  name = 'CreateWaitingList1764500000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE waiting_list_rules (
        id                   serial PRIMARY KEY,
        -- the region the rule covers, with everything under it (510000: the province-wide default)
        region_code          text NOT NULL,
        -- priority groups, highest first; a group not listed counts as no priority
        priority_order       text[] NOT NULL,
        -- the longest wait on the list (Sichuan draft: 3 years)
        max_wait_months      integer NOT NULL,
        -- the county is alarmed this many months before an entry reaches the longest wait
        alarm_months_before  integer NOT NULL,
        effective_from       date NOT NULL,
        source               text NOT NULL,
        created_by           text NOT NULL,
        created_at           timestamptz NOT NULL DEFAULT now(),
        -- one version per region and day; the index also finds a region's versions
        CONSTRAINT waiting_list_rules_version_key UNIQUE (region_code, effective_from),
        CONSTRAINT waiting_list_rules_order_check CHECK (priority_order <@ ARRAY[${GROUPS}]::text[]),
        CONSTRAINT waiting_list_rules_max_wait_check CHECK (max_wait_months BETWEEN 1 AND 120),
        CONSTRAINT waiting_list_rules_alarm_check CHECK (alarm_months_before >= 0 AND alarm_months_before < max_wait_months),
        CONSTRAINT waiting_list_rules_source_check CHECK (source <> '')
      )`);
    await q.query(`
      INSERT INTO waiting_list_rules (region_code, priority_order, max_wait_months, alarm_months_before, effective_from, source, created_by)
      VALUES ('510000', ${DEFAULT_ORDER}, 36, 3, DATE '2000-01-01', '默认值（四川：轮候期不超过 3 年，提前 3 个月预警）', 'migration')`);
    await q.query(`
      CREATE TABLE waiting_list_entries (
        id                      uuid PRIMARY KEY,
        application_id          uuid NOT NULL,
        case_number             text NOT NULL,
        -- the application's type: the kind of housing waited for
        housing_type            text NOT NULL,
        -- the household as frozen at submission: the application's snapshot hash and its size
        household_snapshot_sha256 text NOT NULL,
        household_size          smallint NOT NULL,
        -- the applicant's own account, when there is one (GET /api/waiting-list/me)
        applicant_user_id       uuid,
        -- the county-level region whose list it is on
        region_code             text NOT NULL,
        priority_groups         text[] NOT NULL,
        -- 资格确认日: the day the household was found eligible
        qualified_on            date NOT NULL,
        -- the rule version in force on qualified_on, and the days it gives
        rule_id                 integer NOT NULL,
        max_wait_until          date NOT NULL,
        alarm_on                date NOT NULL,
        alarm_raised_at         timestamptz,
        status                  text NOT NULL,
        status_reason           text NOT NULL,
        -- allocated: what was allocated (a unit's asset number, a tenancy or an allocation round)
        allocation_reference    text,
        status_changed_at       timestamptz NOT NULL,
        -- a username, or the process step (process:<instance>/<element>)
        status_changed_by       text NOT NULL,
        status_changed_by_user_id uuid,
        created_at              timestamptz NOT NULL,
        created_by              text NOT NULL,
        version                 integer NOT NULL DEFAULT 1,
        CONSTRAINT waiting_list_entries_application_fkey FOREIGN KEY (application_id) REFERENCES applications (id),
        CONSTRAINT waiting_list_entries_applicant_user_fkey FOREIGN KEY (applicant_user_id) REFERENCES users (id),
        CONSTRAINT waiting_list_entries_changed_by_user_fkey FOREIGN KEY (status_changed_by_user_id) REFERENCES users (id),
        CONSTRAINT waiting_list_entries_rule_fkey FOREIGN KEY (rule_id) REFERENCES waiting_list_rules (id),
        -- an application is put on the list once
        CONSTRAINT waiting_list_entries_application_key UNIQUE (application_id),
        CONSTRAINT waiting_list_entries_groups_check CHECK (priority_groups <@ ARRAY[${GROUPS}]::text[]),
        CONSTRAINT waiting_list_entries_status_check CHECK (status IN ('waiting', 'allocated', 'switched_to_subsidy', 'removed')),
        CONSTRAINT waiting_list_entries_allocation_check CHECK ((status = 'allocated') = (allocation_reference IS NOT NULL)),
        CONSTRAINT waiting_list_entries_dates_check CHECK (alarm_on <= max_wait_until AND max_wait_until > qualified_on),
        CONSTRAINT waiting_list_entries_household_size_check CHECK (household_size > 0),
        CONSTRAINT waiting_list_entries_status_reason_check CHECK (status_reason <> ''),
        CONSTRAINT waiting_list_entries_version_check CHECK (version > 0)
      )`);
    // a county's list (ordered in the query by priority band, qualification date, case number)
    await q.query(`CREATE INDEX waiting_list_entries_region_idx ON waiting_list_entries (region_code, status, qualified_on)`);
    // an applicant's own entries
    await q.query(`CREATE INDEX waiting_list_entries_applicant_idx ON waiting_list_entries (applicant_user_id) WHERE applicant_user_id IS NOT NULL`);
    // entries whose 3-year alarm is due and not yet raised (dueForAlarm)
    await q.query(`CREATE INDEX waiting_list_entries_alarm_idx ON waiting_list_entries (alarm_on) WHERE status = 'waiting' AND alarm_raised_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE waiting_list_entries`);
    await q.query(`DROP TABLE waiting_list_rules`);
  }
}
