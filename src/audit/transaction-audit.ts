import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor, Caller } from '../api';
import { AuditContext } from './audit-context';
import { AuditService, actorFacts } from './audit.service';

/**
 * Audit rows written in the transaction of the change they record: they commit or roll back
 * with it, and a process step (no HTTP request) leaves one too. Inside a request the row carries
 * the request's facts; once the transaction has committed, `done()` marks the request recorded so
 * the audit interceptor does not write a second row. A refused or failed change leaves no row
 * here: the interceptor records the refusal with its status and code.
 */
@Injectable()
export class TransactionAudit {
  constructor(
    private readonly audit: AuditService,
    private readonly context: AuditContext,
  ) {}

  /** `by`: the acting user (an Actor, with their organisation) or a Caller (a user or a process step). */
  async record(em: EntityManager, by: Actor | Caller, action: string, objectType: string, objectId: string, status?: number): Promise<void> {
    const r = this.context.current()?.request;
    await this.audit.record(
      {
        ...(r ? { ip: r.ip, method: r.method, path: r.path, requestId: r.requestId } : {}),
        ...whoFacts(by),
        action,
        objectType,
        objectId,
        result: 'success',
        ...(status !== undefined && { status }),
      },
      em,
    );
  }

  /** After the commit: the request's row is the one written in the transaction. */
  done(): void {
    const store = this.context.current();
    if (store) store.recorded = true;
  }
}

function whoFacts(by: Actor | Caller) {
  if (!('kind' in by)) return actorFacts(by);
  return by.kind === 'user' ? { userId: by.userId, username: by.username } : { username: by.reference };
}
