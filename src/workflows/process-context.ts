import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainError } from '../common';
import type { Caller } from '../api';
import { ServiceTaskContext } from '../engine';
import { NotifyService } from '../notify';

/** The process step a service task runs as (recorded as who changed a status, asked a department, …). */
export function processCaller(ctx: Pick<ServiceTaskContext, 'processInstanceId' | 'elementId'>): Caller & { kind: 'process' } {
  return { kind: 'process', reference: `process:${ctx.processInstanceId}/${ctx.elementId}` };
}

/** A process variable the diagram must have set; a missing one is a modelling error, named. */
export function required<T>(ctx: Pick<ServiceTaskContext, 'variables' | 'inputs' | 'elementId'>, name: string): T {
  const v = ctx.inputs[name] ?? ctx.variables[name];
  if (v === undefined || v === null || v === '') {
    throw new DomainError('UNPROCESSABLE', 'PROCESS_VARIABLE_MISSING', `${ctx.elementId} needs the variable or input "${name}"`, { field: name });
  }
  return v as T;
}

export function optionalText(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null;
}

/** Who completed a user task of this instance (the latest completion of the element): the person a decision is recorded against. */
export interface Completion {
  taskId: string;
  userId: string | null;
  username: string | null;
}

@Injectable()
export class ProcessTasks {
  async completion(em: EntityManager, instanceId: string, elementId: string): Promise<Completion | null> {
    const [row] = (await em.query(
      `SELECT t.id, t.completed_by, u.username FROM user_tasks t LEFT JOIN users u ON u.id::text = t.completed_by::text
        WHERE t.instance_id = $1 AND t.element_id = $2 AND t.status = 'completed' ORDER BY t.completed_at DESC, t.id LIMIT 1`,
      [instanceId, elementId],
    )) as { id: string; completed_by: string | null; username: string | null }[];
    return row ? { taskId: row.id, userId: row.username ? row.completed_by : null, username: row.username ?? row.completed_by } : null;
  }
}

/**
 * Mail to the applicant through the outbox, in the step's transaction: to their own account when
 * they have one (an application filed at a window for someone without an account reaches nobody
 * by mail; the notice then goes on paper, as today). Once per job: the dedupe key.
 */
@Injectable()
export class ApplicantMail {
  constructor(private readonly notify: NotifyService) {}

  async send(em: EntityManager, applicantUserId: string | null, template: string, vars: Record<string, unknown>, dedupeKey: string): Promise<boolean> {
    if (!applicantUserId) return false;
    const r = await this.notify.enqueue(em, { template, to: { users: [applicantUserId] }, vars, dedupeKey });
    return r.queued.length + r.duplicates > 0;
  }
}
