import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock } from '../common';
import { APP_CONFIG, AppConfig } from '../config';
import { Recipient, UserDirectory, isRole, parseCandidateGroup } from '../identity';
import { noRecipients, recipientInvalid } from './notify.errors';
import { RenderedMail, TemplateRenderer } from './template-renderer';
import { Locale } from './templates';

export interface MailRecipients {
  /** user ids or usernames */
  users?: readonly string[];
  /** candidate groups: `<role>:<scope>` or `department_checker:<dept>:<scope>` */
  groups?: readonly string[];
  /** every active holder of these roles, whatever their scope */
  roles?: readonly string[];
  /** literal addresses (an applicant's contact address from the case) */
  emails?: readonly string[];
}

export interface EnqueueRequest {
  template: string;
  /** forces one language; otherwise each user's preferred locale, zh-CN for literal addresses */
  locale?: Locale | string;
  to: MailRecipients;
  vars: Record<string, unknown>;
  /** the caller's idempotency key: a second enqueue with the same key queues nothing for the same address */
  dedupeKey?: string;
}

export interface EnqueueResult {
  /** outbox ids of the rows this call wrote */
  queued: string[];
  /** addresses already queued under the same dedupe key */
  duplicates: number;
  /** users who could not be mailed (no address on their account) */
  skipped: { userId: string; username: string; reason: 'no-email' }[];
}

const EMAIL = /^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$/;

/**
 * Queues mail. Recipients are resolved to addresses and the message rendered now, inside the
 * caller's transaction: the outbox row commits or rolls back with the change that caused it, and
 * a later change of a template or of someone's roles never alters a queued mail. One row per
 * address (each in its reader's language, no address shown to another recipient).
 */
@Injectable()
export class NotifyService {
  private readonly logger = new Logger('Notify');

  constructor(
    readonly templates: TemplateRenderer,
    private readonly directory: UserDirectory,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async enqueue(em: EntityManager, req: EnqueueRequest): Promise<EnqueueResult> {
    // everything that can be wrong with the request is found before anything is written
    const forced = req.locale === undefined ? null : this.templates.locale(req.locale);
    this.templates.check(req.template, req.vars);
    const emails = this.checkRecipients(req.template, req.to);
    const users = await this.resolveUsers(em, req.to);
    const result: EnqueueResult = { queued: [], duplicates: 0, skipped: [] };
    const targets = new Map<string, { userId: string | null; locale: Locale }>();
    for (const u of users) {
      if (!u.email) result.skipped.push({ userId: u.userId, username: u.username, reason: 'no-email' });
      else if (!targets.has(u.email.toLowerCase())) targets.set(u.email.toLowerCase(), { userId: u.userId, locale: forced ?? u.locale });
    }
    for (const e of emails) if (!targets.has(e)) targets.set(e, { userId: null, locale: forced ?? 'zh-CN' });
    const rendered = new Map<Locale, RenderedMail>();
    const now = this.clock.now().toISOString();
    for (const [address, t] of targets) {
      if (!rendered.has(t.locale)) rendered.set(t.locale, this.templates.render(req.template, t.locale, req.vars));
      const mail = rendered.get(t.locale)!;
      const id = randomUUID();
      const rows = (await em.query(
        `INSERT INTO notify_outbox (id, template, locale, to_address, to_user_id, subject, text_body, html_body, dedupe_key, message_id,
                                    max_attempts, next_attempt_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
         ON CONFLICT (dedupe_key, to_address) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id`,
        [id, req.template, t.locale, address, t.userId, mail.subject, mail.text, mail.html, req.dedupeKey ?? null, messageIdOf(id, this.config.mail.messageIdDomain),
          this.config.mail.maxAttempts, now],
      )) as unknown[];
      if (rows.length) result.queued.push(id);
      else result.duplicates++;
    }
    if (result.skipped.length) this.logger.warn(`mail ${req.template}: no e-mail address for ${result.skipped.map((s) => s.username).join(', ')}`);
    return result;
  }

  private checkRecipients(template: string, to: MailRecipients): string[] {
    const lists = { users: to.users ?? [], groups: to.groups ?? [], roles: to.roles ?? [], emails: to.emails ?? [] };
    for (const [field, list] of Object.entries(lists)) {
      if (!Array.isArray(list)) throw recipientInvalid(`to.${field}`, String(list), 'must be a list');
      for (const v of list) if (typeof v !== 'string' || !v.trim()) throw recipientInvalid(`to.${field}`, String(v), 'must be a non-empty text');
    }
    if (!Object.values(lists).some((l) => l.length)) throw noRecipients(template);
    for (const g of lists.groups) if (!parseCandidateGroup(g.trim())) throw recipientInvalid('to.groups', g, 'is not a candidate group (<role>:<scope> or department_checker:<department>:<scope>)');
    for (const r of lists.roles) if (!isRole(r.trim())) throw recipientInvalid('to.roles', r, 'is not a role');
    return lists.emails.map((e) => {
      const address = e.trim().toLowerCase();
      if (!EMAIL.test(address) || address.length > 254) throw recipientInvalid('to.emails', e, 'is not an e-mail address');
      return address;
    });
  }

  private async resolveUsers(em: EntityManager, to: MailRecipients): Promise<Recipient[]> {
    const trim = (l?: readonly string[]) => (l ?? []).map((s) => s.trim());
    const found = [
      ...(await this.directory.byRefs(trim(to.users), em)),
      ...(await this.directory.membersOf(trim(to.groups), em)),
      ...(await this.directory.withRoles(trim(to.roles), em)),
    ];
    const unknown = trim(to.users).filter((ref) => !found.some((u) => u.userId === ref || u.username === ref));
    if (unknown.length) this.logger.warn(`mail recipients not found or disabled: ${unknown.join(', ')}`);
    const byId = new Map(found.map((u) => [u.userId, u]));
    return [...byId.values()];
  }
}

/** The Message-ID of an outbox row: a resend of the row is the same message to every receiver. */
export function messageIdOf(outboxId: string, domain: string): string {
  return `<${outboxId}@${domain}>`;
}
