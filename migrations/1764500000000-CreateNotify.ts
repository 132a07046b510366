import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reliable mail. `notify_outbox` holds one row per message and recipient, written in the same
 * transaction as the change that causes it; recipients are resolved to addresses and the subject
 * and body rendered at enqueue time, so neither a template change nor a role change alters a
 * queued mail. A sender on every node claims due rows (SKIP LOCKED, under a lease) and sends them;
 * the Message-ID is derived from the row id, so a resend after a crash is the same message.
 * `notify_mailbox` is the development mailbox (no SMTP_URL). `notify_schedule_runs` lets one node
 * run each slot of cron-like mail work (digests, scans, weekly reminders). Users get a work e-mail
 * address and a preferred locale.
 */
export class CreateNotify1764500000000 implements MigrationInterface {
  name = 'CreateNotify1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN email text, ADD COLUMN locale text NOT NULL DEFAULT 'zh-CN'`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_email_format_check CHECK (email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' AND length(email) <= 254)`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_locale_check CHECK (locale IN ('zh-CN', 'en'))`);

    await q.query(`
      CREATE TABLE notify_outbox (
        id              uuid PRIMARY KEY,
        template        text NOT NULL,
        locale          text NOT NULL,
        to_address      text NOT NULL,
        -- the user the address was resolved from (NULL for a literal address)
        to_user_id      uuid REFERENCES users (id) ON DELETE SET NULL,
        subject         text NOT NULL,
        text_body       text NOT NULL,
        html_body       text NOT NULL,
        -- the caller's idempotency key; one message per key and recipient
        dedupe_key      text,
        message_id      text NOT NULL,
        status          text NOT NULL DEFAULT 'pending',
        attempts        integer NOT NULL DEFAULT 0,
        max_attempts    integer NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        locked_by       text,
        locked_until    timestamptz,
        last_error      text,
        -- 'smtp' or 'mailbox' (the development mailbox)
        delivered_via   text,
        sent_at         timestamptz,
        failed_at       timestamptz,
        retried_at      timestamptz,
        retried_by      text,
        created_at      timestamptz NOT NULL,
        CONSTRAINT notify_outbox_status_check CHECK (status IN ('pending', 'sent', 'failed')),
        CONSTRAINT notify_outbox_locale_check CHECK (locale IN ('zh-CN', 'en')),
        CONSTRAINT notify_outbox_attempts_check CHECK (attempts >= 0 AND max_attempts >= 1),
        CONSTRAINT notify_outbox_delivered_via_check CHECK (delivered_via IN ('smtp', 'mailbox')),
        CONSTRAINT notify_outbox_sent_check CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        CONSTRAINT notify_outbox_message_id_key UNIQUE (message_id)
      )`);
    // at most one message per dedupe key and recipient: a retried job or a second node queues nothing new
    await q.query(`CREATE UNIQUE INDEX notify_outbox_dedupe_key ON notify_outbox (dedupe_key, to_address) WHERE dedupe_key IS NOT NULL`);
    // the sender's claim: due pending rows in due order
    await q.query(`CREATE INDEX notify_outbox_due_idx ON notify_outbox (next_attempt_at) WHERE status = 'pending'`);
    // the operator's list of failed mail (incidents)
    await q.query(`CREATE INDEX notify_outbox_failed_idx ON notify_outbox (failed_at) WHERE status = 'failed'`);
    // the outbox of one user, newest first (GET /api/mail/outbox?userId=)
    await q.query(`CREATE INDEX notify_outbox_to_user_idx ON notify_outbox (to_user_id, created_at)`);

    await q.query(`
      CREATE TABLE notify_mailbox (
        id           bigserial PRIMARY KEY,
        outbox_id    uuid NOT NULL REFERENCES notify_outbox (id) ON DELETE CASCADE,
        message_id   text NOT NULL,
        from_address text NOT NULL,
        to_address   text NOT NULL,
        to_user_id   uuid REFERENCES users (id) ON DELETE SET NULL,
        subject      text NOT NULL,
        text_body    text NOT NULL,
        html_body    text NOT NULL,
        -- the whole RFC 5322 message as it would have gone out
        raw          text NOT NULL,
        delivered_at timestamptz NOT NULL,
        CONSTRAINT notify_mailbox_outbox_key UNIQUE (outbox_id)
      )`);
    // a user's own development mailbox, newest first
    await q.query(`CREATE INDEX notify_mailbox_to_user_idx ON notify_mailbox (to_user_id, id)`);

    await q.query(`
      CREATE TABLE notify_schedule_runs (
        name        text NOT NULL,
        slot        text NOT NULL,
        node        text NOT NULL,
        created_at  timestamptz NOT NULL,
        CONSTRAINT notify_schedule_runs_pkey PRIMARY KEY (name, slot)
      )`);

    await q.query(`
      CREATE TABLE user_task_deadline_mails (
        task_id     uuid NOT NULL REFERENCES user_tasks (id) ON DELETE CASCADE,
        kind        text NOT NULL,
        recipients  integer NOT NULL,
        queued_at   timestamptz NOT NULL,
        CONSTRAINT user_task_deadline_mails_pkey PRIMARY KEY (task_id, kind),
        CONSTRAINT user_task_deadline_mails_kind_check CHECK (kind IN ('due-soon', 'overdue'))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE user_task_deadline_mails`);
    await q.query(`DROP TABLE notify_schedule_runs`);
    await q.query(`DROP TABLE notify_mailbox`);
    await q.query(`DROP TABLE notify_outbox`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_locale_check`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_email_format_check`);
    await q.query(`ALTER TABLE users DROP COLUMN locale, DROP COLUMN email`);
  }
}
