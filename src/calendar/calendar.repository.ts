import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../database';
import { CalendarEntry, DayKind, Deadline, DeadlineRule } from './working-days';

export type NoticeStatus = 'pending' | 'confirmed' | 'superseded' | 'withdrawn';

export interface NoticeRow {
  id: string;
  year: number;
  regionCode: string | null;
  version: number;
  sourceDocument: string;
  title: string | null;
  note: string | null;
  status: NoticeStatus;
  enteredBy: string;
  enteredAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
}

export interface NoticeDay {
  date: string;
  kind: DayKind;
  name: string;
}

export interface NewNotice {
  year: number;
  regionCode: string | null;
  sourceDocument: string;
  title: string | null;
  note: string | null;
  enteredBy: string;
  enteredAt: Date;
  days: NoticeDay[];
}

export interface DeadlineOwner {
  kind: string;
  id: string;
}

export interface TrackedDeadline {
  id: string;
  owner: DeadlineOwner;
  rule: DeadlineRule;
  start: string;
  days: number;
  regionCode: string | null;
  due: string;
  dueAt: Date;
  provisional: boolean;
}

const NOTICE = `
  SELECT id::text, year, region_code AS "regionCode", version, source_document AS "sourceDocument", title, note, status,
         entered_by AS "enteredBy", entered_at AS "enteredAt", confirmed_by AS "confirmedBy", confirmed_at AS "confirmedAt"
    FROM calendar_notices`;

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const toNotice = (r: NoticeRow): NoticeRow => ({ ...r, year: Number(r.year), version: Number(r.version), enteredAt: iso(r.enteredAt)!, confirmedAt: iso(r.confirmedAt) });

/** Raw SQL over calendar_notices, calendar_days and calendar_deadlines; every write takes the caller's transaction. */
@Injectable()
export class CalendarRepository {
  constructor(private readonly ds: DataSource) {}

  private q(em?: EntityManager) {
    return em ?? this.ds.manager;
  }

  /** The confirmed days of every scope, and the years whose national calendar is confirmed. */
  async loadCalendar(em?: EntityManager): Promise<{ entries: CalendarEntry[]; knownYears: number[] }> {
    const entries: CalendarEntry[] = await this.q(em).query(
      `SELECT to_char(d.day, 'YYYY-MM-DD') AS date, d.kind, d.name, d.region_code AS "regionCode"
         FROM calendar_days d JOIN calendar_notices n ON n.id = d.notice_id AND n.status = 'confirmed'`,
    );
    const years: { year: number }[] = await this.q(em).query(`SELECT year FROM calendar_notices WHERE status = 'confirmed' AND region_code IS NULL`);
    return { entries, knownYears: years.map((y) => Number(y.year)) };
  }

  /** Changes whenever the set of confirmed notices changes: cheap to poll from every node. */
  async revision(): Promise<string> {
    const [r]: { n: string; s: string | null; c: unknown }[] = await this.ds.query(
      `SELECT count(*)::text AS n, sum(id)::text AS s, max(confirmed_at) AS c FROM calendar_notices WHERE status = 'confirmed'`,
    );
    return `${r.n}:${r.s}:${iso(r.c)}`;
  }

  /** Serialises writers of one (year, scope): versions are numbered without gaps or duplicates. */
  async lockScope(em: EntityManager, year: number, regionCode: string | null): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`calendar:${year}:${regionCode ?? 'national'}`]);
  }

  async insertNotice(em: EntityManager, n: NewNotice): Promise<NoticeRow> {
    // a newer entry replaces one still awaiting confirmation
    await em.query(
      `UPDATE calendar_notices SET status = 'withdrawn', superseded_at = $3
        WHERE year = $1 AND region_code IS NOT DISTINCT FROM $2 AND status = 'pending'`,
      [n.year, n.regionCode, n.enteredAt],
    );
    const [row] = rowsOf<NoticeRow>(
      await em.query(
        `INSERT INTO calendar_notices (year, region_code, version, source_document, title, note, status, entered_by, entered_at)
         SELECT $1::int, $2::text, COALESCE(max(version), 0) + 1, $3::text, $4::text, $5::text, 'pending', $6::text, $7::timestamptz
           FROM calendar_notices WHERE year = $1::int AND region_code IS NOT DISTINCT FROM $2::text
         RETURNING id::text`,
        [n.year, n.regionCode, n.sourceDocument, n.title, n.note, n.enteredBy, n.enteredAt],
      ),
    );
    await em.query(
      `INSERT INTO calendar_days (notice_id, day, region_code, kind, name, source_document, version, entered_by)
       SELECT n.id, t.d::date, n.region_code, t.k, t.nm, n.source_document, n.version, n.entered_by
         FROM calendar_notices n, unnest($2::text[], $3::text[], $4::text[]) AS t(d, k, nm)
        WHERE n.id = $1`,
      [row.id, n.days.map((d) => d.date), n.days.map((d) => d.kind), n.days.map((d) => d.name)],
    );
    return (await this.findNotice(em, row.id))!;
  }

  async findNotice(em: EntityManager | undefined, id: string, lock = false): Promise<NoticeRow | null> {
    const rows: NoticeRow[] = await this.q(em).query(`${NOTICE} WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows.length ? toNotice(rows[0]) : null;
  }

  async noticeDays(em: EntityManager | undefined, noticeId: string): Promise<NoticeDay[]> {
    return this.q(em).query(`SELECT to_char(day, 'YYYY-MM-DD') AS date, kind, name FROM calendar_days WHERE notice_id = $1 ORDER BY day`, [noticeId]);
  }

  async listNotices(year?: number, regionCode?: string | null): Promise<NoticeRow[]> {
    const rows: NoticeRow[] = await this.ds.query(
      `${NOTICE} WHERE ($1::int IS NULL OR year = $1) AND ($2::text IS NULL OR COALESCE(region_code, 'national') = $2)
        ORDER BY year DESC, region_code NULLS FIRST, version DESC LIMIT 500`,
      [year ?? null, regionCode === undefined ? null : (regionCode ?? 'national')],
    );
    return rows.map(toNotice);
  }

  async confirmedNotice(year: number, regionCode: string | null): Promise<NoticeRow | null> {
    const rows: NoticeRow[] = await this.ds.query(`${NOTICE} WHERE year = $1 AND region_code IS NOT DISTINCT FROM $2 AND status = 'confirmed'`, [year, regionCode]);
    return rows.length ? toNotice(rows[0]) : null;
  }

  /** The confirmed version of the scope becomes superseded; this one is in force from now. */
  async confirm(em: EntityManager, notice: NoticeRow, by: string, at: Date): Promise<void> {
    await em.query(
      `UPDATE calendar_notices SET status = 'superseded', superseded_at = $3
        WHERE year = $1 AND region_code IS NOT DISTINCT FROM $2 AND status = 'confirmed'`,
      [notice.year, notice.regionCode, at],
    );
    await em.query(`UPDATE calendar_notices SET status = 'confirmed', confirmed_by = $2, confirmed_at = $3 WHERE id = $1`, [notice.id, by, at]);
    await em.query(`UPDATE calendar_days SET confirmed_by = $2 WHERE notice_id = $1`, [notice.id, by]);
  }

  async upsertDeadline(em: EntityManager, owner: DeadlineOwner, regionCode: string | null, d: Deadline): Promise<TrackedDeadline> {
    const [row] = rowsOf<{ id: string }>(
      await em.query(
        `INSERT INTO calendar_deadlines (owner_kind, owner_id, rule, start_date, days, region_code, due_date, due_at, provisional)
         VALUES ($1, $2, $3, $4::date, $5, $6, $7::date, $8, $9)
         ON CONFLICT (owner_kind, owner_id) DO UPDATE
           SET rule = EXCLUDED.rule, start_date = EXCLUDED.start_date, days = EXCLUDED.days, region_code = EXCLUDED.region_code,
               due_date = EXCLUDED.due_date, due_at = EXCLUDED.due_at, provisional = EXCLUDED.provisional, status = 'open'
         RETURNING id::text`,
        [owner.kind, owner.id, d.rule, d.start, d.days, regionCode, d.due, d.dueInstant, d.provisional],
      ),
    );
    return { id: row.id, owner, rule: d.rule, start: d.start, days: d.days, regionCode, due: d.due, dueAt: d.dueInstant, provisional: d.provisional };
  }

  async closeDeadline(em: EntityManager, owner: DeadlineOwner): Promise<boolean> {
    const rows = rowsOf<unknown>(
      await em.query(`UPDATE calendar_deadlines SET status = 'closed' WHERE owner_kind = $1 AND owner_id = $2 AND status = 'open' RETURNING id`, [owner.kind, owner.id]),
    );
    return rows.length > 0;
  }

  /** Closes the open deadlines of several owners of one kind in one statement; returns how many. */
  async closeDeadlines(em: EntityManager, kind: string, ids: string[]): Promise<number> {
    if (!ids.length) return 0;
    const rows = rowsOf<unknown>(
      await em.query(`UPDATE calendar_deadlines SET status = 'closed' WHERE owner_kind = $1 AND owner_id = ANY($2::text[]) AND status = 'open' RETURNING id`, [kind, ids]),
    );
    return rows.length;
  }

  /** The open deadlines of several owners of one kind (e.g. to show which are provisional). */
  async openDeadlines(em: EntityManager | undefined, kind: string, ids: string[]): Promise<TrackedDeadline[]> {
    if (!ids.length) return [];
    const rows = await this.q(em).query(`${DEADLINE} WHERE owner_kind = $1 AND owner_id = ANY($2::text[]) AND status = 'open'`, [kind, ids]);
    return rows.map(toDeadline);
  }

  async findDeadline(em: EntityManager | undefined, owner: DeadlineOwner): Promise<(TrackedDeadline & { status: string }) | null> {
    const rows = await this.q(em).query(`${DEADLINE} WHERE owner_kind = $1 AND owner_id = $2`, [owner.kind, owner.id]);
    return rows.length ? toDeadline(rows[0]) : null;
  }

  /** Open provisional deadlines, locked for the recomputation in this transaction. */
  async openProvisional(em: EntityManager): Promise<TrackedDeadline[]> {
    const rows = await em.query(`${DEADLINE} WHERE status = 'open' AND provisional ORDER BY id FOR UPDATE`);
    return rows.map(toDeadline);
  }

  async updateDeadline(em: EntityManager, id: string, d: Deadline, at: Date): Promise<void> {
    await em.query(`UPDATE calendar_deadlines SET due_date = $2::date, due_at = $3, provisional = $4, recomputed_at = $5 WHERE id = $1`, [
      id,
      d.due,
      d.dueInstant,
      d.provisional,
      at,
    ]);
  }
}

const DEADLINE = `
  SELECT id::text, owner_kind, owner_id, rule, to_char(start_date, 'YYYY-MM-DD') AS start, days, region_code,
         to_char(due_date, 'YYYY-MM-DD') AS due, due_at, provisional, status
    FROM calendar_deadlines`;

interface DeadlineRow {
  id: string;
  owner_kind: string;
  owner_id: string;
  rule: DeadlineRule;
  start: string;
  days: number;
  region_code: string | null;
  due: string;
  due_at: string | Date;
  provisional: boolean;
  status: string;
}

function toDeadline(r: DeadlineRow): TrackedDeadline & { status: string } {
  return {
    id: r.id,
    owner: { kind: r.owner_kind, id: r.owner_id },
    rule: r.rule,
    start: r.start,
    days: Number(r.days),
    regionCode: r.region_code,
    due: r.due,
    dueAt: new Date(r.due_at),
    provisional: r.provisional,
    status: r.status,
  };
}
