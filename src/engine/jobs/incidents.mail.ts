import type { MailIncident } from '../../notify';

/**
 * Mail that failed its last attempt is an incident too (notify/ owns it): listed beside the job
 * incidents with the job kind `mail`, and retried through the same endpoint with its id.
 */
export const MAIL_JOB_PREFIX = 'mail-';

export function isMailJobId(id: string): boolean {
  return id.startsWith(MAIL_JOB_PREFIX);
}

export function mailOutboxId(jobId: string): string {
  return jobId.slice(MAIL_JOB_PREFIX.length);
}

/** The shape of incidents.service's IncidentView (not imported: that file imports this one). */
export interface MailIncidentView {
  id: string;
  jobId: string;
  processInstanceId: null;
  elementId: string;
  jobKind: 'mail';
  message: string;
  createdAt: Date;
  resolvedAt: null;
  resolvedBy: null;
}

export function mailIncidentView(m: MailIncident): MailIncidentView {
  const id = `${MAIL_JOB_PREFIX}${m.outboxId}`;
  return {
    id,
    jobId: id,
    processInstanceId: null,
    elementId: m.template,
    jobKind: 'mail',
    message: `${m.template} to ${m.to} failed after ${m.attempts} attempts: ${m.message}`,
    createdAt: m.failedAt,
    resolvedAt: null,
    resolvedBy: null,
  };
}
