import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { rowsOf } from '../../database';

export type PauseStatus = 'paused' | 'resumed' | 'ended';
export type ClockSource = 'api' | 'diagram';

/** One deadline a pause stopped: a timer (boundary or intermediate) or an open task's due date. */
export interface PauseItem {
  kind: 'timer' | 'task';
  elementId: string;
  executionId: string;
  taskId?: string;
  /** the deadline when the clock stopped */
  dueBefore: string;
  /** working days after the pause day up to and including the old deadline's day */
  remainingWorkingDays: number;
  /** the deadline set on resume; null when the timer or task was gone by then */
  dueAfter?: string | null;
  provisional?: boolean;
}

export interface PauseRow {
  id: string;
  instanceId: string;
  status: PauseStatus;
  reason: string;
  elementIds: string[] | null;
  regionCode: string | null;
  items: PauseItem[];
  pausedBy: string | null;
  pausedAt: string;
  pauseSource: ClockSource;
  pauseElementId: string | null;
  resumedBy: string | null;
  resumedAt: string | null;
  resumeReason: string | null;
  resumeSource: ClockSource | null;
  resumeElementId: string | null;
  endedAt: string | null;
}

export interface NewPause {
  instanceId: string;
  reason: string;
  elementIds: string[] | null;
  regionCode: string | null;
  items: PauseItem[];
  by: string | null;
  at: Date;
  source: ClockSource;
  elementId: string | null;
  key: string | null;
}

export interface Resumption {
  by: string | null;
  at: Date;
  reason: string | null;
  source: ClockSource;
  elementId: string | null;
  key: string | null;
  items: PauseItem[];
}

const COLUMNS = `id::text, instance_id AS "instanceId", status, reason, element_ids AS "elementIds", region_code AS "regionCode", items,
  paused_by AS "pausedBy", paused_at AS "pausedAt", pause_source AS "pauseSource", pause_element_id AS "pauseElementId",
  resumed_by AS "resumedBy", resumed_at AS "resumedAt", resume_reason AS "resumeReason", resume_source AS "resumeSource",
  resume_element_id AS "resumeElementId", ended_at AS "endedAt"`;

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
const toPause = (r: PauseRow): PauseRow => ({ ...r, pausedAt: iso(r.pausedAt)!, resumedAt: iso(r.resumedAt), endedAt: iso(r.endedAt) });

/** Raw SQL over engine_clock_pauses; every call takes the caller's transaction (the instance is locked). */
@Injectable()
export class ClockRepository {
  /** Null when the instance already has an open pause (the partial unique index refuses a second). */
  async insert(em: EntityManager, p: NewPause): Promise<PauseRow | null> {
    const rows = rowsOf<PauseRow>(
      await em.query(
        `INSERT INTO engine_clock_pauses (instance_id, status, reason, element_ids, region_code, items, paused_by, paused_at, pause_source, pause_element_id, pause_key)
         VALUES ($1, 'paused', $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (instance_id) WHERE status = 'paused' DO NOTHING
         RETURNING ${COLUMNS}`,
        [p.instanceId, p.reason, p.elementIds, p.regionCode, JSON.stringify(p.items), p.by, p.at.toISOString(), p.source, p.elementId, p.key],
      ),
    );
    return rows.length ? toPause(rows[0]) : null;
  }

  async find(em: EntityManager, id: string, lock = false): Promise<PauseRow | null> {
    const rows: PauseRow[] = await em.query(`SELECT ${COLUMNS} FROM engine_clock_pauses WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows.length ? toPause(rows[0]) : null;
  }

  /** The pause a diagram's service call (by its idempotency key) already made or ended, if any. */
  async findByKey(em: EntityManager, key: string): Promise<{ id: string; pausedByKey: boolean; resumedByKey: boolean } | null> {
    const rows: { id: string; pause_key: string | null }[] = await em.query(
      `SELECT id::text, pause_key FROM engine_clock_pauses WHERE pause_key = $1 OR resume_key = $1 ORDER BY id DESC LIMIT 1`,
      [key],
    );
    return rows.length ? { id: rows[0].id, pausedByKey: rows[0].pause_key === key, resumedByKey: rows[0].pause_key !== key } : null;
  }

  async resume(em: EntityManager, id: string, r: Resumption): Promise<void> {
    await em.query(
      `UPDATE engine_clock_pauses
          SET status = 'resumed', resumed_by = $2, resumed_at = $3, resume_reason = $4, resume_source = $5, resume_element_id = $6, resume_key = $7, items = $8
        WHERE id = $1 AND status = 'paused'`,
      [id, r.by, r.at.toISOString(), r.reason, r.source, r.elementId, r.key, JSON.stringify(r.items)],
    );
  }

  /** The instance ended (completed or cancelled) while its clock was paused. */
  async endOpen(em: EntityManager, instanceId: string, at: Date): Promise<void> {
    await em.query(`UPDATE engine_clock_pauses SET status = 'ended', ended_at = $2 WHERE instance_id = $1 AND status = 'paused'`, [instanceId, at.toISOString()]);
  }

  async list(em: EntityManager, instanceId: string): Promise<PauseRow[]> {
    const rows: PauseRow[] = await em.query(`SELECT ${COLUMNS} FROM engine_clock_pauses WHERE instance_id = $1 ORDER BY id`, [instanceId]);
    return rows.map(toPause);
  }
}
