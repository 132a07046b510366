import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common';
import { ServiceHandlerRegistry, ServiceTaskContext } from '../engine';
import { MailRecipients, NotifyErrorCode, NotifyService } from '../notify';

/** Inputs the `notify` task reads itself; every other input is a template variable. */
const RESERVED = new Set(['template', 'locale', 'to', 'toUsers', 'toGroups', 'toRoles', 'toEmails', 'vars']);

/** A list from a diagram: a FEEL list, or one text with items separated by commas or semicolons. */
function listOf(value: unknown, field: string): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'string') return value.split(/[,;，；]/).map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map((v) => v.trim()).filter(Boolean);
  throw new DomainError('UNPROCESSABLE', NotifyErrorCode.RecipientInvalid, `The notify task's input ${field} must be a text or a list of texts`, { field });
}

/**
 * `to` may name anyone, mixed: an address (has @), a candidate group (has :) or a user (id or
 * username). It is how a diagram mails "whoever this variable holds" (to = applicantEmail).
 */
function classify(items: string[]): MailRecipients {
  return {
    emails: items.filter((i) => i.includes('@')),
    groups: items.filter((i) => !i.includes('@') && i.includes(':')),
    users: items.filter((i) => !i.includes('@') && !i.includes(':')),
  };
}

export function notifyRequestOf(ctx: Pick<ServiceTaskContext, 'inputs' | 'businessKey'>) {
  const inputs = ctx.inputs;
  const template = inputs.template;
  if (typeof template !== 'string' || !template.trim()) {
    throw new DomainError('UNPROCESSABLE', NotifyErrorCode.TemplateUnknown, 'The notify task needs an input "template" naming a mail template (GET /api/mail/templates)', { field: 'template' });
  }
  const mixed = classify(listOf(inputs.to, 'to'));
  const to: MailRecipients = {
    users: [...(mixed.users ?? []), ...listOf(inputs.toUsers, 'toUsers')],
    groups: [...(mixed.groups ?? []), ...listOf(inputs.toGroups, 'toGroups')],
    roles: listOf(inputs.toRoles, 'toRoles'),
    emails: [...(mixed.emails ?? []), ...listOf(inputs.toEmails, 'toEmails')],
  };
  const extra = Object.fromEntries(Object.entries(inputs).filter(([k]) => !RESERVED.has(k)));
  const given = inputs.vars && typeof inputs.vars === 'object' && !Array.isArray(inputs.vars) ? (inputs.vars as Record<string, unknown>) : {};
  const vars = { ...(ctx.businessKey ? { businessKey: ctx.businessKey } : {}), ...extra, ...given };
  return { template: template.trim(), locale: typeof inputs.locale === 'string' ? inputs.locale : undefined, to, vars };
}

/**
 * The `notify` service task (and a send task with the same name): queues a templated mail.
 *
 *   <bpmn:sendTask id="SendTask_Accepted" name="发送受理通知" camunda:type="notify">
 *     <camunda:inputOutput>
 *       <camunda:inputParameter name="template">applicant.accepted</camunda:inputParameter>
 *       <camunda:inputParameter name="to">${applicantEmail}</camunda:inputParameter>
 *       <camunda:inputParameter name="caseNo">${caseNo}</camunda:inputParameter> …
 *
 * It runs as a job outside the step's transaction and may run again after a crash or a failed
 * step: the job's idempotency key is the outbox dedupe key, so a retry never queues a second mail.
 */
@Injectable()
export class NotifyTask implements OnModuleInit {
  constructor(
    private readonly registry: ServiceHandlerRegistry,
    private readonly notify: NotifyService,
    private readonly ds: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register('notify', (ctx) => this.run(ctx));
  }

  async run(ctx: ServiceTaskContext): Promise<void> {
    const req = notifyRequestOf(ctx);
    await this.ds.transaction((em) => this.notify.enqueue(em, { ...req, dedupeKey: `bpmn:${ctx.idempotencyKey}` }));
  }
}
