import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../api';
import { AuditContext, AuditService, actorFacts } from '../audit';

/**
 * The audit row of a task operation, written inside the operation's transaction (it commits or
 * rolls back with the change); once committed, the request's own row (the audit interceptor's)
 * is not written a second time. A refused or failed operation leaves no row here: the
 * interceptor records the refusal with its status and code.
 */
@Injectable()
export class TaskAudit {
  constructor(
    private readonly audit: AuditService,
    private readonly context: AuditContext,
  ) {}

  async record(em: EntityManager, actor: Actor, action: string, objectType: 'task' | 'task_queue', objectId: string, status = 200): Promise<void> {
    const request = this.context.current()?.request;
    await this.audit.record(
      {
        ip: request?.ip ?? null,
        method: request?.method ?? null,
        path: request?.path ?? null,
        requestId: request?.requestId ?? null,
        ...actorFacts(actor),
        action,
        objectType,
        objectId,
        result: 'success',
        status,
      },
      em,
    );
  }

  /** After the commit: the request's row is the one written above. */
  written(): void {
    const store = this.context.current();
    if (store) store.recorded = true;
  }
}
