import { MigrationInterface, QueryRunner } from 'typeorm';
import { SealedValues } from './support/sealed-values';

/** The field name household facts, department answers and eligibility facts are sealed under. */
const FIELD = 'facts';

type Json = Record<string, unknown>;

/** What leaves the clear snapshot (src/applications/household-facts.ts, as of this migration). */
const MEMBER_FACTS = ['monthlyIncome', 'assistanceStatus', 'socialInsuranceMonths', 'assets'];

function split(s: Json): { open: Json; sealed: Json } {
  const { category, totals, members, ...rest } = s as { category: unknown; totals: unknown; members: Json[] };
  return {
    open: { ...rest, members: members.map((m) => Object.fromEntries(Object.entries(m).filter(([k]) => !MEMBER_FACTS.includes(k)))) },
    sealed: { category, totals, members: members.map((m) => ({ memberId: m.memberId, ...Object.fromEntries(MEMBER_FACTS.map((k) => [k, m[k]])) })) },
  };
}

function join(open: Json, sealed: { category: unknown; totals: unknown; members: Json[] }): Json {
  return {
    ...open,
    category: sealed.category,
    totals: sealed.totals,
    members: (open.members as Json[]).map((m) => ({ ...m, ...Object.fromEntries(Object.entries(sealed.members.find((f) => f.memberId === m.memberId) ?? {}).filter(([k]) => k !== 'memberId')) })),
  };
}

const FROZEN_TRIGGER = (withFacts: boolean) => `
  CREATE TRIGGER applications_snapshot_frozen BEFORE UPDATE ON applications FOR EACH ROW
    WHEN (OLD.household_snapshot IS DISTINCT FROM NEW.household_snapshot OR OLD.snapshot_sha256 IS DISTINCT FROM NEW.snapshot_sha256
          ${withFacts ? 'OR OLD.household_facts_enc IS DISTINCT FROM NEW.household_facts_enc' : ''}
          OR OLD.case_number IS DISTINCT FROM NEW.case_number OR OLD.type IS DISTINCT FROM NEW.type
          OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at)
    EXECUTE FUNCTION applications_refuse_frozen_change()`;

/**
 * Two things:
 *
 * 1. `waiting_list_entry_history` (append-only): what happened to a waiting-list entry — put on the
 *    list, the 3-year alarm raised (轮候期满预警, by processes/waiting-list-term.bpmn), the county's
 *    answer to it (配租, 转货币补贴, or another outcome with reasons), leaving the list. Entries
 *    already on the list get their first line (and their end, if they ended) from the entry row.
 *
 * 2. Sensitive household facts stored only encrypted (DOMAIN.md data rules: income, assets,
 *    disability, illness, 低保/特困/优抚 status), in identity's envelopes under the field name `facts`:
 *    - `applications.household_facts_enc`: the frozen household's category, totals and each member's
 *      income, 低保/特困 status, social-insurance months and assets; `household_snapshot` keeps the
 *      rest in clear. `snapshot_sha256` is unchanged: the SHA-256 of the whole snapshot's jsonb text
 *      (clear part and facts joined), so existing hashes still prove their households.
 *    - `connector_calls.department_data_enc` and `message_enc` (the message quotes the answer).
 *    - `application_eligibility.facts_enc`: the totals the eligibility decision read.
 *    Rows already stored are moved with the keys of the running configuration (ANJU_PII_KEYS), the
 *    clear columns dropped. The append-only and frozen-snapshot triggers are lifted for the move
 *    only, inside the migration's transaction.
 */
export class WaitingListTermSealedFacts1764500000010 implements MigrationInterface {
  name = 'WaitingListTermSealedFacts1764500000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE waiting_list_entry_history (
        id                  bigserial PRIMARY KEY,
        entry_id            uuid NOT NULL,
        -- enqueued | alarm_raised | alarm_decided (the county's answer to the alarm) | status_changed
        event               text NOT NULL,
        from_status         text,
        to_status           text NOT NULL,
        -- alarm_decided: allocate (配租) | switch_to_subsidy (转货币补贴) | other
        outcome             text,
        reason              text NOT NULL,
        -- allocated: what was allocated
        reference           text,
        -- a username, or the process step (process:<instance>/<element>)
        changed_by          text NOT NULL,
        changed_by_user_id  uuid,
        changed_at          timestamptz NOT NULL,
        -- the process job that wrote it: a retried job writes once
        idempotency_key     text,
        CONSTRAINT waiting_list_entry_history_entry_fkey FOREIGN KEY (entry_id) REFERENCES waiting_list_entries (id),
        CONSTRAINT waiting_list_entry_history_user_fkey FOREIGN KEY (changed_by_user_id) REFERENCES users (id),
        CONSTRAINT waiting_list_entry_history_idempotency_key UNIQUE (idempotency_key),
        CONSTRAINT waiting_list_entry_history_event_check CHECK (event IN ('enqueued', 'alarm_raised', 'alarm_decided', 'status_changed')),
        CONSTRAINT waiting_list_entry_history_status_check CHECK (to_status IN ('waiting', 'allocated', 'switched_to_subsidy', 'removed')),
        CONSTRAINT waiting_list_entry_history_outcome_check CHECK ((event = 'alarm_decided') = (outcome IS NOT NULL) AND outcome IN ('allocate', 'switch_to_subsidy', 'other')),
        CONSTRAINT waiting_list_entry_history_reason_check CHECK (reason <> '')
      )`);
    // an entry's history, in order
    await q.query(`CREATE INDEX waiting_list_entry_history_entry_idx ON waiting_list_entry_history (entry_id, id)`);
    await q.query(
      `CREATE TRIGGER waiting_list_entry_history_append_only BEFORE UPDATE OR DELETE ON waiting_list_entry_history FOR EACH ROW EXECUTE FUNCTION applications_refuse_history_change()`,
    );
    await q.query(`
      INSERT INTO waiting_list_entry_history (entry_id, event, from_status, to_status, reason, changed_by, changed_at)
      SELECT id, 'enqueued', NULL, 'waiting', '纳入轮候（资格确认）', created_by, created_at FROM waiting_list_entries ORDER BY created_at, id`);
    await q.query(`
      INSERT INTO waiting_list_entry_history (entry_id, event, from_status, to_status, reason, changed_by, changed_at)
      SELECT id, 'alarm_raised', 'waiting', 'waiting', '轮候将于 ' || to_char(max_wait_until, 'YYYY-MM-DD') || ' 满期，提请区县住房保障部门配租或转货币补贴',
             'waiting-list:alarm', alarm_raised_at
        FROM waiting_list_entries WHERE alarm_raised_at IS NOT NULL ORDER BY alarm_raised_at, id`);
    await q.query(`
      INSERT INTO waiting_list_entry_history (entry_id, event, from_status, to_status, reason, reference, changed_by, changed_by_user_id, changed_at)
      SELECT id, 'status_changed', 'waiting', status, status_reason, allocation_reference, status_changed_by, status_changed_by_user_id, status_changed_at
        FROM waiting_list_entries WHERE status <> 'waiting' ORDER BY status_changed_at, id`);

    await q.query(`ALTER TABLE applications ADD COLUMN household_facts_enc text`);
    await q.query(`ALTER TABLE connector_calls ADD COLUMN department_data_enc text, ADD COLUMN message_enc text`);
    await q.query(`ALTER TABLE application_eligibility ADD COLUMN facts_enc text`);
    await q.query(`DROP TRIGGER applications_snapshot_frozen ON applications`);
    await q.query(`ALTER TABLE connector_calls DISABLE TRIGGER connector_calls_append_only`);
    await q.query(`ALTER TABLE application_eligibility DISABLE TRIGGER application_eligibility_append_only`);

    let c: SealedValues | null = null;
    const seal = (value: unknown) => (c ??= new SealedValues(FIELD, 'household facts')).seal(value);
    const apps = (await q.query(`SELECT id, household_snapshot FROM applications ORDER BY id`)) as { id: string; household_snapshot: Json }[];
    for (const a of apps) {
      const { open, sealed } = split(a.household_snapshot);
      await q.query(`UPDATE applications SET household_snapshot = $2::jsonb, household_facts_enc = $3 WHERE id = $1`, [a.id, JSON.stringify(open), seal(sealed)]);
    }
    const calls = (await q.query(`SELECT id, department_data, message_zh, message_en FROM connector_calls ORDER BY id`)) as {
      id: string;
      department_data: unknown;
      message_zh: string;
      message_en: string;
    }[];
    for (const r of calls) {
      await q.query(`UPDATE connector_calls SET department_data_enc = $2, message_enc = $3 WHERE id = $1`, [
        r.id,
        r.department_data === null ? null : seal(r.department_data),
        seal({ 'zh-CN': r.message_zh, en: r.message_en }),
      ]);
    }
    const judged = (await q.query(`SELECT id, facts FROM application_eligibility ORDER BY id`)) as { id: string; facts: unknown }[];
    for (const r of judged) await q.query(`UPDATE application_eligibility SET facts_enc = $2 WHERE id = $1`, [r.id, seal(r.facts)]);

    await q.query(`ALTER TABLE applications ALTER COLUMN household_facts_enc SET NOT NULL`);
    await q.query(`ALTER TABLE connector_calls DROP COLUMN department_data, DROP COLUMN message_zh, DROP COLUMN message_en, ALTER COLUMN message_enc SET NOT NULL`);
    await q.query(`ALTER TABLE application_eligibility DROP COLUMN facts, ALTER COLUMN facts_enc SET NOT NULL`);
    await q.query(FROZEN_TRIGGER(true));
    await q.query(`ALTER TABLE connector_calls ENABLE TRIGGER connector_calls_append_only`);
    await q.query(`ALTER TABLE application_eligibility ENABLE TRIGGER application_eligibility_append_only`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER applications_snapshot_frozen ON applications`);
    await q.query(`ALTER TABLE connector_calls DISABLE TRIGGER connector_calls_append_only`);
    await q.query(`ALTER TABLE application_eligibility DISABLE TRIGGER application_eligibility_append_only`);
    await q.query(`ALTER TABLE connector_calls ADD COLUMN department_data jsonb, ADD COLUMN message_zh text, ADD COLUMN message_en text`);
    await q.query(`ALTER TABLE application_eligibility ADD COLUMN facts jsonb`);

    let c: SealedValues | null = null;
    const open = <T>(envelope: string) => (c ??= new SealedValues(FIELD, 'household facts')).open<T>(envelope);
    const apps = (await q.query(`SELECT id, household_snapshot, household_facts_enc FROM applications ORDER BY id`)) as {
      id: string;
      household_snapshot: Json;
      household_facts_enc: string;
    }[];
    for (const a of apps) {
      const whole = join(a.household_snapshot, open<{ category: unknown; totals: unknown; members: Json[] }>(a.household_facts_enc));
      await q.query(`UPDATE applications SET household_snapshot = $2::jsonb WHERE id = $1`, [a.id, JSON.stringify(whole)]);
    }
    const calls = (await q.query(`SELECT id, department_data_enc, message_enc FROM connector_calls ORDER BY id`)) as { id: string; department_data_enc: string | null; message_enc: string }[];
    for (const r of calls) {
      const m = open<{ 'zh-CN': string; en: string }>(r.message_enc);
      await q.query(`UPDATE connector_calls SET department_data = $2::jsonb, message_zh = $3, message_en = $4 WHERE id = $1`, [
        r.id,
        r.department_data_enc === null ? null : JSON.stringify(open(r.department_data_enc)),
        m['zh-CN'],
        m.en,
      ]);
    }
    const judged = (await q.query(`SELECT id, facts_enc FROM application_eligibility ORDER BY id`)) as { id: string; facts_enc: string }[];
    for (const r of judged) await q.query(`UPDATE application_eligibility SET facts = $2::jsonb WHERE id = $1`, [r.id, JSON.stringify(open(r.facts_enc))]);

    await q.query(`ALTER TABLE connector_calls DROP COLUMN department_data_enc, DROP COLUMN message_enc, ALTER COLUMN message_zh SET NOT NULL, ALTER COLUMN message_en SET NOT NULL`);
    await q.query(`ALTER TABLE application_eligibility DROP COLUMN facts_enc, ALTER COLUMN facts SET NOT NULL`);
    await q.query(`ALTER TABLE applications DROP COLUMN household_facts_enc`);
    await q.query(FROZEN_TRIGGER(false));
    await q.query(`ALTER TABLE connector_calls ENABLE TRIGGER connector_calls_append_only`);
    await q.query(`ALTER TABLE application_eligibility ENABLE TRIGGER application_eligibility_append_only`);
    await q.query(`DROP TABLE waiting_list_entry_history`);
  }
}
