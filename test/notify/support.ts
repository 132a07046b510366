import { simpleParser, ParsedMail } from 'mailparser';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { DataSource, EntityManager } from 'typeorm';
import { EnqueueRequest, EnqueueResult, MailSender, NotifyService } from '../../src/notify';
import { TestApp } from '../support/app';

export interface Received {
  raw: string;
  parsed: ParsedMail;
  rcptTo: string[];
}

/**
 * A real SMTP server on 127.0.0.1 (smtp-server), keeping every message it accepts, raw and
 * parsed (mailparser). `stop()` takes it down; `start()` brings it back on the same port.
 */
export class TestSmtpServer {
  readonly received: Received[] = [];
  port = 0;
  private server: SMTPServer | null = null;

  async start(): Promise<number> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              this.received.push({ raw, parsed, rcptTo: session.envelope.rcptTo.map((r) => r.address) });
              callback();
            },
            (e: Error) => callback(e),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }
}

/** Queues mail in its own transaction, as a module would inside its change. */
export function enqueue(t: TestApp, req: EnqueueRequest, em?: EntityManager): Promise<EnqueueResult> {
  const notify = t.app.get(NotifyService);
  return em ? notify.enqueue(em, req) : t.app.get(DataSource).transaction((tx) => notify.enqueue(tx, req));
}

/** Runs the sender once over every due mail (what the interval does on each node). */
export function sendDue(t: TestApp): Promise<number> {
  return t.app.get(MailSender).runDue();
}

export async function outboxRows(t: TestApp, where = 'true', params: unknown[] = []) {
  return (await t.ds.query(
    `SELECT id, template, locale, to_address, status, attempts, next_attempt_at, last_error, message_id, dedupe_key, subject, text_body, delivered_via
       FROM notify_outbox WHERE ${where} ORDER BY created_at, to_address`,
    params,
  )) as {
    id: string;
    template: string;
    locale: string;
    to_address: string;
    status: string;
    attempts: number;
    next_attempt_at: Date;
    last_error: string | null;
    message_id: string;
    dedupe_key: string | null;
    subject: string;
    text_body: string;
    delivered_via: string | null;
  }[];
}
