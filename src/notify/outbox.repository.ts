import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isUuid } from '../common';
import { rowsOf } from '../database';

export interface OutboxRow {
  id: string;
  template: string;
  locale: string;
  to_address: string;
  to_user_id: string | null;
  subject: string;
  text_body: string;
  html_body: string;
  dedupe_key: string | null;
  message_id: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  max_attempts: number;
  next_attempt_at: Date;
  last_error: string | null;
  created_at: Date;
}

export interface OutboxView {
  id: string;
  template: string;
  locale: string;
  to: string;
  toUserId: string | null;
  subject: string;
  messageId: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  deliveredVia: string | null;
  sentAt: Date | null;
  failedAt: Date | null;
  createdAt: Date;
}

const VIEW = `id, template, locale, to_address AS "to", to_user_id AS "toUserId", subject, message_id AS "messageId", status, attempts,
  max_attempts AS "maxAttempts", next_attempt_at AS "nextAttemptAt", last_error AS "lastError", delivered_via AS "deliveredVia",
  sent_at AS "sentAt", failed_at AS "failedAt", created_at AS "createdAt"`;

/** The outbox's state transitions; the sender and the operator's endpoints share them. */
@Injectable()
export class OutboxRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Claims up to `limit` due rows for this node until `leaseUntil` and counts the attempt. SKIP
   * LOCKED: two nodes never claim the same row; a row whose lease ran out (its node died mid-send)
   * is due again.
   */
  async claimDue(node: string, now: Date, leaseUntil: Date, limit: number): Promise<OutboxRow[]> {
    return rowsOf<OutboxRow>(
      await this.ds.query(
        `UPDATE notify_outbox SET locked_by = $1, locked_until = $3, attempts = attempts + 1
          WHERE id IN (SELECT id FROM notify_outbox
                        WHERE status = 'pending' AND next_attempt_at <= $2 AND (locked_until IS NULL OR locked_until < $2)
                        ORDER BY next_attempt_at LIMIT $4 FOR UPDATE SKIP LOCKED)
          RETURNING id, template, locale, to_address, to_user_id, subject, text_body, html_body, dedupe_key, message_id, status, attempts,
                    max_attempts, next_attempt_at, last_error, created_at`,
        [node, now.toISOString(), leaseUntil.toISOString(), limit],
      ),
    );
  }

  /** Marks the row sent if this node still holds it; false when another node took it over. */
  async markSent(em: EntityManager | undefined, id: string, node: string, via: 'smtp' | 'mailbox', at: Date): Promise<boolean> {
    const rows = rowsOf<{ id: string }>(
      await (em ?? this.ds).query(
        `UPDATE notify_outbox SET status = 'sent', sent_at = $3, delivered_via = $4, last_error = NULL, locked_by = NULL, locked_until = NULL
          WHERE id = $1 AND locked_by = $2 AND status = 'pending' RETURNING id`,
        [id, node, at.toISOString(), via],
      ),
    );
    return rows.length === 1;
  }

  /** Records a failed attempt: due again at `retryAt`, or failed for good when it was the last attempt. */
  async markAttemptFailed(row: OutboxRow, node: string, error: string, now: Date, retryAt: Date | null): Promise<void> {
    await this.ds.query(
      `UPDATE notify_outbox SET last_error = $3, locked_by = NULL, locked_until = NULL,
              status = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE status END,
              failed_at = CASE WHEN $4::timestamptz IS NULL THEN $5::timestamptz ELSE failed_at END,
              next_attempt_at = COALESCE($4::timestamptz, next_attempt_at)
        WHERE id = $1 AND locked_by = $2 AND status = 'pending'`,
      [row.id, node, error.slice(0, 2000), retryAt?.toISOString() ?? null, now.toISOString()],
    );
  }

  list(filter: { status?: string; limit: number }): Promise<OutboxView[]> {
    return this.ds.query(
      `SELECT ${VIEW} FROM notify_outbox WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC, id LIMIT $2`,
      [filter.status ?? null, filter.limit],
    );
  }

  async find(id: string): Promise<OutboxView | null> {
    if (!isUuid(id)) return null;
    const [row] = (await this.ds.query(`SELECT ${VIEW} FROM notify_outbox WHERE id = $1`, [id])) as OutboxView[];
    return row ?? null;
  }

  /** Failed mail → pending, due now, with fresh attempts; null when there is no such row. */
  async retry(id: string, by: string | null, now: Date): Promise<{ status: string; retried: boolean } | null> {
    if (!isUuid(id)) return null;
    return this.ds.transaction(async (em) => {
      const [row] = (await em.query(`SELECT status FROM notify_outbox WHERE id = $1 FOR UPDATE`, [id])) as { status: string }[];
      if (!row || row.status !== 'failed') return row ? { status: row.status, retried: false } : null;
      await em.query(
        `UPDATE notify_outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, failed_at = NULL, retried_at = $2, retried_by = $3,
                locked_by = NULL, locked_until = NULL WHERE id = $1`,
        [id, now.toISOString(), by],
      );
      return { status: 'pending', retried: true };
    });
  }
}
