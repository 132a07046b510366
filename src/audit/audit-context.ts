import { Injectable } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AuditEntry } from './audit-chain';

/** What the HTTP edge knows about the request being audited. */
export interface RequestFacts {
  ip: string | null;
  method: string;
  path: string;
  requestId: string | null;
  action: string;
}

/** What a service adds while handling it: who logged in, which object, which fields, why. */
export type AuditNotes = Partial<Pick<AuditEntry, 'userId' | 'username' | 'organizationId' | 'objectType' | 'objectId' | 'fields' | 'purpose' | 'action'>>;

export interface AuditStore {
  request: RequestFacts;
  notes: AuditNotes;
  /** set when a service already wrote the row for this request (AuditService.recordNow) */
  recorded: boolean;
}

const storage = new AsyncLocalStorage<AuditStore>();

/**
 * The audit facts of the request in progress, carried through async calls so that a service
 * (which knows nothing about HTTP) can say which object it touched, and the interceptor writes
 * one row with everything once the request ends.
 */
@Injectable()
export class AuditContext {
  run<T>(store: AuditStore, fn: () => T): T {
    return storage.run(store, fn);
  }

  current(): AuditStore | undefined {
    return storage.getStore();
  }

  /** Adds facts to the current request's row (no-op outside a request, e.g. in a job). */
  note(notes: AuditNotes): void {
    const store = storage.getStore();
    if (store) Object.assign(store.notes, notes);
  }
}
