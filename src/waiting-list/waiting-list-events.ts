import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { EntryStatus } from './waiting-list.state';

/** A household went onto a county's list: its 3-year term (and the alarm before it) starts to run. */
export interface EntryEnqueued {
  entryId: string;
  /** the application's case number: the business key of the entry's processes */
  caseNumber: string;
  /** the county whose list it is on (its housing bureau gets the alarm) */
  regionCode: string;
  qualifiedOn: string;
  /** the day the county is alarmed, and the day the longest wait ends (YYYY-MM-DD, Asia/Shanghai) */
  alarmOn: string;
  maxWaitUntil: string;
}

/** An entry left the list (allocated, switched to a rental subsidy, removed): a pending alarm is no longer needed. */
export interface EntryClosed {
  entryId: string;
  caseNumber: string;
  status: Exclude<EntryStatus, 'waiting'>;
}

export type EnqueuedListener = (em: EntityManager, event: EntryEnqueued) => Promise<void>;
export type ClosedListener = (em: EntityManager, event: EntryClosed) => Promise<void>;

/**
 * The waiting list's in-process events, called inside the transaction of the change: a listener
 * that throws rolls it back, so an entry never waits without its term process and never leaves the
 * list without the process having been told. workflows/ registers the listeners at boot.
 */
@Injectable()
export class WaitingListEvents {
  private readonly enqueuedListeners: EnqueuedListener[] = [];
  private readonly closedListeners: ClosedListener[] = [];

  onEnqueued(listener: EnqueuedListener): void {
    this.enqueuedListeners.push(listener);
  }

  onClosed(listener: ClosedListener): void {
    this.closedListeners.push(listener);
  }

  async enqueued(em: EntityManager, event: EntryEnqueued): Promise<void> {
    for (const l of this.enqueuedListeners) await l(em, event);
  }

  async closed(em: EntityManager, event: EntryClosed): Promise<void> {
    for (const l of this.closedListeners) await l(em, event);
  }
}
