import { EntityManager } from 'typeorm';

export interface EngineEvent {
  type: string;
  elementId?: string | null;
  executionId?: string | null;
  data?: unknown;
  actor?: string | null;
}

/** Appends history rows (engine_events is append-only: a trigger refuses UPDATE and DELETE). */
export async function appendHistory(em: EntityManager, instanceId: string, events: EngineEvent[], at: Date): Promise<void> {
  if (!events.length) return;
  await em.query(
    `INSERT INTO engine_events (instance_id, type, element_id, execution_id, data, actor, occurred_at)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[], $7::timestamptz[])`,
    [
      instanceId,
      events.map((e) => e.type),
      events.map((e) => e.elementId ?? null),
      events.map((e) => e.executionId ?? null),
      events.map((e) => (e.data === undefined ? null : JSON.stringify(e.data))),
      events.map((e) => e.actor ?? null),
      events.map(() => at.toISOString()),
    ],
  );
}

export interface HistoryRow {
  id: string;
  type: string;
  elementId: string | null;
  executionId: string | null;
  data: unknown;
  actor: string | null;
  occurredAt: Date;
}

export async function readHistory(em: EntityManager, instanceId: string, afterId = 0, limit = 500): Promise<HistoryRow[]> {
  const rows: Record<string, unknown>[] = await em.query(
    `SELECT id, type, element_id, execution_id, data, actor, occurred_at FROM engine_events
      WHERE instance_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
    [instanceId, afterId, limit],
  );
  return rows.map((r) => ({
    id: String(r.id),
    type: r.type as string,
    elementId: r.element_id as string | null,
    executionId: r.execution_id as string | null,
    data: r.data,
    actor: r.actor as string | null,
    occurredAt: r.occurred_at as Date,
  }));
}
