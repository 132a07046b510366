import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../api';
import type { ApplicationStatus, ApplicationType } from '../applications';
import { rowsOf } from '../database';
import { regionScopeSql } from '../identity';
import type { HouseholdFacts, PriorityGroup } from './priority-groups';
import type { AlarmOutcome, EntryStatus, HistoryEvent } from './waiting-list.state';

export interface EntryRow {
  id: string;
  application_id: string;
  case_number: string;
  housing_type: ApplicationType;
  household_snapshot_sha256: string;
  household_size: number;
  applicant_user_id: string | null;
  region_code: string;
  region_name: string | null;
  priority_groups: PriorityGroup[];
  qualified_on: string;
  rule_id: number;
  max_wait_until: string;
  alarm_on: string;
  alarm_raised_at: Date | null;
  status: EntryStatus;
  status_reason: string;
  allocation_reference: string | null;
  status_changed_at: Date;
  status_changed_by: string;
  created_at: Date;
  created_by: string;
  applicant_name_enc: string;
}

/** A waiting entry with its place in its county's list. */
export interface RankedRow extends EntryRow {
  band: number;
  position: number;
  ahead_in_band: number;
  waiting_total: number;
}

/** One line of an entry's history (table waiting_list_entry_history, append-only). */
export interface HistoryRow {
  event: HistoryEvent;
  from_status: EntryStatus | null;
  to_status: EntryStatus;
  outcome: AlarmOutcome | null;
  reason: string;
  reference: string | null;
  changed_by: string;
  changed_at: Date;
}

export type NewHistoryRow = Omit<HistoryRow, 'changed_at'> & { changed_at: Date; changed_by_user_id: string | null; idempotency_key?: string | null };

export type NewEntry = Omit<EntryRow, 'region_name' | 'alarm_raised_at' | 'allocation_reference' | 'applicant_name_enc'> & { status_changed_by_user_id: string | null };

/** What enqueueing needs of an application (applications' tables, read-only; the row stays locked). */
export interface ApplicationFacts {
  id: string;
  case_number: string;
  type: ApplicationType;
  status: ApplicationStatus;
  region_code: string;
  target_region_code: string | null;
  snapshot_sha256: string;
  applicant_user_id: string | null;
  /** ages and relationships (the snapshot's clear part); the category is sealed with the household's facts */
  household: Omit<HouseholdFacts, 'category'> & { size: number };
  /** the application's sealed household facts (identity's envelope, field `facts`: JSON with `category`) */
  household_facts_enc: string | null;
  /** a snapshot written before the facts were sealed keeps its category in clear */
  open_category: string | null;
}

const COLUMNS = `e.id, e.application_id, e.case_number, e.housing_type, e.household_snapshot_sha256, e.household_size, e.applicant_user_id,
  e.region_code, e.priority_groups, to_char(e.qualified_on, 'YYYY-MM-DD') AS qualified_on, e.rule_id,
  to_char(e.max_wait_until, 'YYYY-MM-DD') AS max_wait_until, to_char(e.alarm_on, 'YYYY-MM-DD') AS alarm_on, e.alarm_raised_at,
  e.status, e.status_reason, e.allocation_reference, e.status_changed_at, e.status_changed_by, e.created_at, e.created_by,
  (SELECT r.name FROM regions r WHERE r.code = e.region_code ORDER BY r.valid_to DESC NULLS FIRST LIMIT 1) AS region_name,
  (SELECT m.name_enc FROM application_members m WHERE m.application_id = e.application_id AND m.position = 1) AS applicant_name_enc`;

/**
 * A county's waiting entries ranked: priority band ($2: the region's order, highest first; no
 * listed group = after all of them), then qualification date, then case number.
 */
const RANKED = `
  WITH banded AS (
    SELECT e.*, COALESCE((SELECT min(array_position($2::text[], g)) FROM unnest(e.priority_groups) AS g), cardinality($2::text[]) + 1) AS band
      FROM waiting_list_entries e WHERE e.region_code = $1 AND e.status = 'waiting'
  ), ranked AS (
    SELECT banded.*,
           row_number() OVER (ORDER BY band, qualified_on, case_number)::int AS position,
           (row_number() OVER (PARTITION BY band ORDER BY qualified_on, case_number) - 1)::int AS ahead_in_band,
           count(*) OVER ()::int AS waiting_total
      FROM banded
  )`;

@Injectable()
export class WaitingListRepository {
  constructor(private readonly ds: DataSource) {}

  private q(em?: EntityManager) {
    return em ?? this.ds;
  }

  async lockApplication(em: EntityManager, applicationId: string): Promise<ApplicationFacts | null> {
    const rows = (await em.query(
      `SELECT a.id, a.case_number, a.type, a.status, a.region_code, a.target_region_code, a.snapshot_sha256, a.applicant_user_id,
              a.household_facts_enc, a.household_snapshot->>'category' AS open_category,
              jsonb_build_object('size', a.household_snapshot->'size',
                'members', (SELECT coalesce(jsonb_agg(jsonb_build_object('position', m->'position', 'relationship', m->'relationship', 'birthDate', m->'birthDate')), '[]'::jsonb)
                              FROM jsonb_array_elements(a.household_snapshot->'members') AS m)) AS household
         FROM applications a WHERE a.id = $1 FOR UPDATE`,
      [applicationId],
    )) as ApplicationFacts[];
    return rows[0] ?? null;
  }

  /** An application by case number, with the region that handles it (a remote case's target). */
  async applicationByCase(caseNumber: string, em?: EntityManager): Promise<{ id: string; region: string } | null> {
    const [row] = (await this.q(em).query(`SELECT id, coalesce(target_region_code, region_code) AS region FROM applications WHERE case_number = $1`, [caseNumber])) as {
      id: string;
      region: string;
    }[];
    return row ?? null;
  }

  /** The region's path (province first) and level, from its latest node; null when unknown. */
  async region(code: string, em?: EntityManager): Promise<{ code: string; path: string[]; level: string; name: string } | null> {
    const [row] = (await this.q(em).query(`SELECT code, path, level, name FROM regions WHERE code = $1 ORDER BY valid_to DESC NULLS FIRST LIMIT 1`, [code])) as {
      code: string;
      path: string;
      level: string;
      name: string;
    }[];
    return row ? { code: row.code, path: row.path.split('/').filter(Boolean), level: row.level, name: row.name } : null;
  }

  /** The county-level region (county or functional zone) at or above a code: whose list a household joins. */
  async countyOf(code: string, em?: EntityManager): Promise<string | null> {
    const [row] = (await this.q(em).query(
      `SELECT a.code FROM regions r JOIN regions a ON starts_with(r.path, a.path)
        WHERE r.code = $1 AND a.level IN ('county', 'functional_zone') ORDER BY r.valid_to DESC NULLS FIRST, length(a.path) DESC LIMIT 1`,
      [code],
    )) as { code: string }[];
    return row?.code ?? null;
  }

  /** True when the region code lies inside the actor's data scope. */
  async inScope(actor: Actor, code: string): Promise<boolean> {
    const params: unknown[] = [code];
    const rows: unknown[] = await this.ds.query(`SELECT 1 FROM (VALUES ($1::text)) AS v (code) WHERE ${regionScopeSql(actor, 'v.code', params)}`, params);
    return rows.length > 0;
  }

  async insert(em: EntityManager, e: NewEntry): Promise<void> {
    await em.query(
      `INSERT INTO waiting_list_entries (id, application_id, case_number, housing_type, household_snapshot_sha256, household_size, applicant_user_id,
                                         region_code, priority_groups, qualified_on, rule_id, max_wait_until, alarm_on, status, status_reason,
                                         status_changed_at, status_changed_by, status_changed_by_user_id, created_at, created_by, enqueue_announced_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text[], $10::date, $11, $12::date, $13::date, $14, $15, $16, $17, $18, $19, $20, $19)`,
      [e.id, e.application_id, e.case_number, e.housing_type, e.household_snapshot_sha256, e.household_size, e.applicant_user_id,
        e.region_code, e.priority_groups, e.qualified_on, e.rule_id, e.max_wait_until, e.alarm_on, e.status, e.status_reason,
        e.status_changed_at, e.status_changed_by, e.status_changed_by_user_id, e.created_at, e.created_by],
    );
  }

  /**
   * Waiting entries whose "put on the list" event never reached the listeners (put there before a
   * listener existed), oldest first, locked for this transaction; another node skips them.
   */
  async unannounced(em: EntityManager, limit: number): Promise<EntryRow[]> {
    return em.query(
      `SELECT ${COLUMNS} FROM waiting_list_entries e
        WHERE e.enqueue_announced_at IS NULL AND e.status = 'waiting'
        ORDER BY e.created_at, e.id LIMIT $1 FOR UPDATE OF e SKIP LOCKED`,
      [limit],
    );
  }

  async markAnnounced(em: EntityManager, id: string, at: Date): Promise<void> {
    await em.query(`UPDATE waiting_list_entries SET enqueue_announced_at = $2 WHERE id = $1`, [id, at]);
  }

  async find(id: string, em?: EntityManager, lock = false): Promise<EntryRow | null> {
    if (lock) await this.q(em).query(`SELECT 1 FROM waiting_list_entries WHERE id = $1 FOR UPDATE`, [id]);
    const rows: EntryRow[] = await this.q(em).query(`SELECT ${COLUMNS} FROM waiting_list_entries e WHERE e.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async byApplication(applicationId: string, em?: EntityManager): Promise<EntryRow | null> {
    const rows: EntryRow[] = await this.q(em).query(`SELECT ${COLUMNS} FROM waiting_list_entries e WHERE e.application_id = $1`, [applicationId]);
    return rows[0] ?? null;
  }

  async findVisible(actor: Actor, id: string): Promise<EntryRow | null> {
    const params: unknown[] = [id];
    const rows: EntryRow[] = await this.ds.query(`SELECT ${COLUMNS} FROM waiting_list_entries e WHERE e.id = $1 AND ${regionScopeSql(actor, 'e.region_code', params)}`, params);
    return rows[0] ?? null;
  }

  /** A county's waiting entries in list order, a page of them. */
  async ranked(region: string, order: readonly string[], limit: number, offset: number): Promise<{ rows: RankedRow[]; total: number }> {
    const rows: RankedRow[] = await this.ds.query(`${RANKED} SELECT ${COLUMNS}, e.band, e.position, e.ahead_in_band, e.waiting_total FROM ranked e ORDER BY e.position LIMIT $3 OFFSET $4`, [
      region, order, limit, offset,
    ]);
    const [{ total }] = (await this.ds.query(`SELECT count(*)::int AS total FROM waiting_list_entries WHERE region_code = $1 AND status = 'waiting'`, [region])) as { total: number }[];
    return { rows, total };
  }

  /** One waiting entry with its place in its county's list. */
  async rankOf(entry: Pick<EntryRow, 'id' | 'region_code'>, order: readonly string[]): Promise<RankedRow | null> {
    const rows: RankedRow[] = await this.ds.query(`${RANKED} SELECT ${COLUMNS}, e.band, e.position, e.ahead_in_band, e.waiting_total FROM ranked e WHERE e.id = $3`, [
      entry.region_code, order, entry.id,
    ]);
    return rows[0] ?? null;
  }

  /** A county's entries that left the list with a status, latest first. */
  async ended(region: string, status: EntryStatus, limit: number, offset: number): Promise<{ rows: EntryRow[]; total: number }> {
    const rows: EntryRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM waiting_list_entries e WHERE e.region_code = $1 AND e.status = $2 ORDER BY e.status_changed_at DESC, e.id LIMIT $3 OFFSET $4`,
      [region, status, limit, offset],
    );
    const [{ total }] = (await this.ds.query(`SELECT count(*)::int AS total FROM waiting_list_entries WHERE region_code = $1 AND status = $2`, [region, status])) as {
      total: number;
    }[];
    return { rows, total };
  }

  ofApplicant(userId: string): Promise<EntryRow[]> {
    return this.ds.query(`SELECT ${COLUMNS} FROM waiting_list_entries e WHERE e.applicant_user_id = $1 ORDER BY e.created_at, e.id`, [userId]);
  }

  async setStatus(em: EntityManager, id: string, s: { status: EntryStatus; reason: string; reference: string | null; at: Date; by: string; byUserId: string | null }): Promise<void> {
    await em.query(
      `UPDATE waiting_list_entries SET status = $2, status_reason = $3, allocation_reference = $4, status_changed_at = $5, status_changed_by = $6,
              status_changed_by_user_id = $7, version = version + 1 WHERE id = $1`,
      [id, s.status, s.reason, s.reference, s.at, s.by, s.byUserId],
    );
  }

  /** Appends a line to an entry's history; false when a line with the same idempotency key exists (a retried job). */
  async appendHistory(em: EntityManager, entryId: string, h: NewHistoryRow): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await em.query(
        `INSERT INTO waiting_list_entry_history (entry_id, event, from_status, to_status, outcome, reason, reference, changed_by, changed_by_user_id, changed_at, idempotency_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
        [entryId, h.event, h.from_status, h.to_status, h.outcome, h.reason, h.reference, h.changed_by, h.changed_by_user_id, h.changed_at, h.idempotency_key ?? null],
      ),
    );
    return rows.length > 0;
  }

  async hasHistoryKey(em: EntityManager, key: string): Promise<boolean> {
    return ((await em.query(`SELECT 1 FROM waiting_list_entry_history WHERE idempotency_key = $1`, [key])) as unknown[]).length > 0;
  }

  history(entryId: string, em?: EntityManager): Promise<HistoryRow[]> {
    return this.q(em).query(
      `SELECT event, from_status, to_status, outcome, reason, reference, changed_by, changed_at FROM waiting_list_entry_history WHERE entry_id = $1 ORDER BY id`,
      [entryId],
    );
  }

  /** Marks one entry's alarm as raised (once); the entry row must be locked by the caller. */
  async markAlarmRaised(em: EntityManager, id: string, at: Date): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(await em.query(`UPDATE waiting_list_entries SET alarm_raised_at = $2 WHERE id = $1 AND alarm_raised_at IS NULL RETURNING id`, [id, at]));
    return rows.length > 0;
  }

  /**
   * Marks the waiting entries whose alarm day has come and whose alarm was not raised yet, and
   * returns them: each is returned once. SKIP LOCKED lets several nodes share the work.
   */
  async raiseDueAlarms(em: EntityManager, today: string, at: Date, limit: number): Promise<EntryRow[]> {
    const marked = rowsOf<{ id: string }>(
      await em.query(
        `UPDATE waiting_list_entries SET alarm_raised_at = $2
          WHERE id IN (SELECT id FROM waiting_list_entries WHERE status = 'waiting' AND alarm_raised_at IS NULL AND alarm_on <= $1::date
                        ORDER BY alarm_on, case_number LIMIT $3 FOR UPDATE SKIP LOCKED)
          RETURNING id`,
        [today, at, limit],
      ),
    );
    if (!marked.length) return [];
    return em.query(`SELECT ${COLUMNS} FROM waiting_list_entries e WHERE e.id = ANY($1::uuid[]) ORDER BY e.alarm_on, e.case_number`, [marked.map((r) => r.id)]);
  }
}
