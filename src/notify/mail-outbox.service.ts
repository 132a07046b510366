import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, Role } from '../api';
import { Clock } from '../common';
import { mailNotFailed, mailNotFound } from './notify.errors';
import { OutboxRepository, OutboxView } from './outbox.repository';

export interface MailboxMessage {
  id: string;
  outboxId: string;
  messageId: string;
  from: string;
  to: string;
  toUserId: string | null;
  subject: string;
  text: string;
  html: string;
  deliveredAt: Date;
}

/** `zhang.san@example.cn` → `zh***@example.cn`: enough for an operator to tell mails apart, not an applicant's address. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '***' : `${address.slice(0, Math.min(2, at))}***${address.slice(at)}`;
}

/** A mail that failed its last attempt, as the operator's incident list shows it (the address masked). */
export interface MailIncident {
  outboxId: string;
  template: string;
  to: string;
  subject: string;
  attempts: number;
  message: string;
  failedAt: Date;
}

/** What operators and users see of the mail: the development mailbox, the outbox, failed mail and its retry. */
@Injectable()
export class MailOutboxService {
  constructor(
    private readonly ds: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The development mailbox. A system administrator reads everyone's mail (optionally one
   * address); anyone else only the mail addressed to their own account.
   */
  mailbox(actor: Actor, q: { to?: string; limit?: number }): Promise<MailboxMessage[]> {
    const admin = actor.roles.includes(Role.SystemAdmin);
    return this.ds.query(
      `SELECT id::text, outbox_id AS "outboxId", message_id AS "messageId", from_address AS "from", to_address AS "to", to_user_id AS "toUserId",
              subject, text_body AS "text", html_body AS "html", delivered_at AS "deliveredAt"
         FROM notify_mailbox
        WHERE ($1::uuid IS NULL OR to_user_id = $1) AND ($2::text IS NULL OR to_address = lower($2))
        ORDER BY notify_mailbox.id DESC LIMIT $3`, // the bigint column, not the text output column of the same name
      [admin ? null : actor.id, q.to ?? null, q.limit ?? 50],
    );
  }

  list(q: { status?: string; limit?: number }): Promise<OutboxView[]> {
    return this.outbox.list({ status: q.status, limit: q.limit ?? 100 });
  }

  async incidents(): Promise<MailIncident[]> {
    const failed = await this.outbox.list({ status: 'failed', limit: 500 });
    return failed.map((m) => ({
      outboxId: m.id,
      template: m.template,
      to: maskAddress(m.to),
      subject: m.subject,
      attempts: m.attempts,
      message: m.lastError ?? 'failed',
      failedAt: m.failedAt ?? m.createdAt,
    }));
  }

  /** An operator's retry of a failed mail: due now with fresh attempts, same Message-ID. */
  async retry(id: string, actor: string | null): Promise<OutboxView> {
    const r = await this.outbox.retry(id, actor, this.clock.now());
    if (!r) throw mailNotFound(id);
    if (!r.retried) throw mailNotFailed(id, r.status);
    return (await this.outbox.find(id))!;
  }
}
