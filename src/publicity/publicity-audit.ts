import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditContext, AuditService } from '../audit';
import type { Caller } from './caller';

/**
 * Audit rows written in the transaction of the change they record, so a process step (no HTTP
 * request) leaves one too; inside a request the row carries the request's facts and stands for
 * it once the transaction has committed (`done`), so the interceptor does not write a second.
 */
@Injectable()
export class PublicityAudit {
  constructor(
    private readonly audit: AuditService,
    private readonly context: AuditContext,
  ) {}

  async record(em: EntityManager, by: Caller, action: string, objectType: string, objectId: string): Promise<void> {
    const r = this.context.current()?.request;
    await this.audit.record(
      {
        ...(r ? { ip: r.ip, method: r.method, path: r.path, requestId: r.requestId } : {}),
        ...(by.kind === 'user' ? { userId: by.userId, username: by.username } : { username: by.reference }),
        action,
        objectType,
        objectId,
        result: 'success',
      },
      em,
    );
  }

  /** After the commit: the request's row is written. */
  done(): void {
    const store = this.context.current();
    if (store) store.recorded = true;
  }
}
