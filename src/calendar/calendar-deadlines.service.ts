import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common';
import { CalendarService, DeadlineInput } from './calendar.service';
import { CalendarRepository, DeadlineOwner, TrackedDeadline } from './calendar.repository';
import { CalendarSnapshot } from './working-days';

export interface MovedDeadline {
  owner: DeadlineOwner;
  before: { due: string; dueAt: Date; provisional: boolean };
  after: { due: string; dueAt: Date; provisional: boolean };
}

/**
 * Called in the transaction that confirms a calendar notice, with every open provisional deadline
 * that was recomputed (moved or not: `before.due` may equal `after.due`, only the flag cleared).
 * The owner of the deadline moves what it scheduled (a job's due time, a task's due date);
 * throwing rolls the confirmation back.
 */
export type DeadlineMovedListener = (em: EntityManager, moved: MovedDeadline[]) => Promise<void>;

/**
 * Deadlines that other modules want kept right: each is tracked by its owner (e.g. an engine
 * job), so that when a missing year is entered every open provisional deadline is recomputed
 * and its owner told to move it.
 */
@Injectable()
export class CalendarDeadlinesService {
  private readonly logger = new Logger('CalendarDeadlines');
  private readonly listeners: DeadlineMovedListener[] = [];

  constructor(
    private readonly calendar: CalendarService,
    private readonly repo: CalendarRepository,
    private readonly clock: Clock,
  ) {}

  /** Registers the hook that moves timers and due dates; the engine registers one at boot. */
  onMoved(listener: DeadlineMovedListener): void {
    this.listeners.push(listener);
  }

  /** Computes a deadline and tracks it for its owner (replacing what the owner had). */
  async track(em: EntityManager, owner: DeadlineOwner, input: DeadlineInput): Promise<TrackedDeadline> {
    const deadline = this.calendar.deadline(input);
    const region = typeof input.region === 'string' && input.region !== '' ? input.region : null;
    return this.repo.upsertDeadline(em, owner, region, deadline);
  }

  /** The owner is done with it (task completed, timer fired or cancelled). */
  close(em: EntityManager, owner: DeadlineOwner): Promise<boolean> {
    return this.repo.closeDeadline(em, owner);
  }

  /** Several owners of one kind are done with theirs (an instance step in which timers fired or tasks ended). */
  closeAll(em: EntityManager, kind: string, ids: string[]): Promise<number> {
    return this.repo.closeDeadlines(em, kind, [...new Set(ids)]);
  }

  /** The open tracked deadlines among these owners of one kind. */
  findOpen(kind: string, ids: string[], em?: EntityManager): Promise<TrackedDeadline[]> {
    return this.repo.openDeadlines(em, kind, [...new Set(ids)]);
  }

  find(owner: DeadlineOwner, em?: EntityManager) {
    return this.repo.findDeadline(em, owner);
  }

  /** Recomputes every open provisional deadline on `cal` and tells the listeners, in `em`. */
  async recomputeProvisional(em: EntityManager, cal: CalendarSnapshot): Promise<MovedDeadline[]> {
    const open = await this.repo.openProvisional(em);
    const now = this.clock.now();
    const moved: MovedDeadline[] = [];
    for (const t of open) {
      const after = this.calendar.deadline({ rule: t.rule, start: t.start, n: t.days, region: t.regionCode ?? undefined }, cal);
      if (after.due === t.due && after.provisional) continue; // still waiting for its year
      await this.repo.updateDeadline(em, t.id, after, now);
      moved.push({
        owner: t.owner,
        before: { due: t.due, dueAt: t.dueAt, provisional: t.provisional },
        after: { due: after.due, dueAt: after.dueInstant, provisional: after.provisional },
      });
    }
    if (moved.length) {
      this.logger.log(`recomputed ${moved.length} provisional deadline(s)`);
      for (const listener of this.listeners) await listener(em, moved);
    }
    return moved;
  }
}
