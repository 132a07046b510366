import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { createTransport } from 'nodemailer';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { Clock } from '../common';
import { APP_CONFIG, AppConfig } from '../config';
import { OutboxRepository, OutboxRow } from './outbox.repository';

const INTERVAL = 'notify-mail-sender';
const BATCH = 10;
const MAX_DELAY_MS = 3600000;
// a send gives up long before its lease ends, so a live node never loses a row it is sending
const SMTP_TIMEOUTS = { connectionTimeout: 30000, greetingTimeout: 30000, socketTimeout: 60000 };

/**
 * Sends the outbox on every node. Due rows are claimed with SKIP LOCKED under a lease; each is
 * sent outside any transaction, then marked. A node that dies between sending and marking leaves
 * the row to be sent again when the lease ends, with the same Message-ID (`<outbox-id@domain>`),
 * so the receiver sees one message. Failures back off exponentially; after the last attempt the
 * mail is failed and shows up as an incident (GET /api/incidents, GET /api/mail/outbox?status=failed).
 * With no SMTP_URL the message is built the same way and stored in the development mailbox.
 */
@Injectable()
export class MailSender implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly node = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('MailSender');
  private readonly smtp;
  private readonly builder = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  private busy: Promise<unknown> | null = null;
  private stopping = false;

  constructor(
    private readonly ds: DataSource,
    private readonly outbox: OutboxRepository,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.smtp = config.mail.smtpUrl ? createTransport({ url: config.mail.smtpUrl, ...SMTP_TIMEOUTS }) : null;
  }

  onApplicationBootstrap(): void {
    const where = this.config.mail.smtpDisplay ? `SMTP ${this.config.mail.smtpDisplay}` : 'the development mailbox (no SMTP_URL; GET /api/mail)';
    this.logger.log(`mail goes to ${where}`);
    if (!this.config.jobs.enabled) return;
    this.scheduler.addInterval(INTERVAL, setInterval(() => this.poll(), this.config.mail.pollIntervalMs));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.scheduler.doesExist('interval', INTERVAL)) this.scheduler.deleteInterval(INTERVAL);
    await this.busy?.catch(() => undefined);
    this.smtp?.close();
  }

  private poll(): void {
    if (this.busy || this.stopping) return;
    this.busy = this.runDue()
      .catch((e: Error) => this.logger.error(`mail poll failed: ${e.message}`))
      .finally(() => (this.busy = null));
  }

  /** Sends every due mail (tests call this instead of waiting for the interval); returns how many were tried. */
  async runDue(limit = 10000): Promise<number> {
    let tried = 0;
    while (tried < limit && !this.stopping) {
      const now = this.clock.now();
      const rows = await this.outbox.claimDue(this.node, now, new Date(now.getTime() + this.config.jobs.leaseMs), Math.min(BATCH, limit - tried));
      if (!rows.length) break;
      for (const row of rows) await this.sendOne(row);
      tried += rows.length;
    }
    return tried;
  }

  private async sendOne(row: OutboxRow): Promise<void> {
    try {
      if (this.smtp) {
        await this.smtp.sendMail(this.message(row));
        if (!(await this.outbox.markSent(undefined, row.id, this.node, 'smtp', this.clock.now()))) {
          this.logger.warn(`mail ${row.id} was sent, but another node had taken it over (same Message-ID ${row.message_id})`);
        }
      } else {
        await this.deliverToMailbox(row);
      }
    } catch (e) {
      const error = (e as Error).message || String(e);
      const now = this.clock.now();
      const last = row.attempts >= row.max_attempts;
      const retryAt = last ? null : new Date(now.getTime() + Math.min(MAX_DELAY_MS, this.config.mail.retryBaseMs * 2 ** (row.attempts - 1)));
      await this.outbox.markAttemptFailed(row, this.node, error, now, retryAt);
      if (last) this.logger.error(`mail ${row.id} (${row.template} to ${row.to_address}) failed after ${row.attempts} attempts: ${error}`);
      else this.logger.warn(`mail ${row.id} attempt ${row.attempts} failed, retry at ${retryAt!.toISOString()}: ${error}`);
    }
  }

  private message(row: OutboxRow) {
    return {
      from: this.config.mail.from,
      to: row.to_address,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
      messageId: row.message_id,
      date: this.clock.now(),
      headers: { 'X-Anju-Template': row.template, 'Auto-Submitted': 'auto-generated' },
    };
  }

  /** Builds the message exactly as SMTP would get it and stores it, marking the row, in one transaction. */
  private async deliverToMailbox(row: OutboxRow): Promise<void> {
    const built = await this.builder.sendMail(this.message(row));
    const raw = Buffer.isBuffer(built.message) ? built.message.toString('utf8') : String(built.message);
    await this.ds.transaction(async (em) => {
      const now = this.clock.now();
      if (!(await this.outbox.markSent(em, row.id, this.node, 'mailbox', now))) return;
      await em.query(
        `INSERT INTO notify_mailbox (outbox_id, message_id, from_address, to_address, to_user_id, subject, text_body, html_body, raw, delivered_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (outbox_id) DO NOTHING`,
        [row.id, row.message_id, this.config.mail.from, row.to_address, row.to_user_id, row.subject, row.text_body, row.html_body, raw, now.toISOString()],
      );
    });
  }
}
