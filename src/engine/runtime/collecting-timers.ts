import { CapturedDeadline, deadlineAt } from '../expressions/deadline-capture';

/**
 * The `timers` object given to bpmn-engine. It only records what the engine asks for: no
 * in-process setTimeout ever carries a business deadline. After a step, the pending timers become
 * job rows; when a job is due, the executor runs a step that calls `fire(executionId)`.
 */
export interface TimerOwner {
  id: string;
  executionId: string;
  expireAt?: Date | string;
  timerType?: string;
  repeat?: number;
  parent?: { id: string; executionId: string };
  [k: string]: unknown;
}

export interface TimerRef {
  timerId: string;
  owner: TimerOwner | null;
  callback: (...args: unknown[]) => void;
  delay: number;
  args: unknown[];
  expireAt: Date;
}

export interface PendingTimer {
  elementId: string;
  executionId: string;
  dueAt: Date;
  timerType?: string;
  repeat?: number;
  /** its statutory clock is paused (中止计时): it has no job row and never fires */
  paused?: boolean;
  /** the calendar deadline its due time is, when a calendar FEEL function computed it in this step */
  deadline?: CapturedDeadline;
}

/**
 * What Anju changed about a pending timer after the engine armed it, kept beside the engine's
 * state (the state still holds the original expireAt) and applied every time the timer is armed
 * again on recover: paused, or moved to `dueAt` (a resumed clock, a recomputed provisional deadline).
 */
export interface TimerOverride {
  paused?: boolean;
  /** ISO instant */
  dueAt?: string;
  /** a provisional deadline tracked by the calendar for this timer */
  tracked?: boolean;
}

/** Where a paused timer's engine-side expiry is parked: never reached, so never fired on resume. */
export const PAUSED_EXPIRE_AT = new Date('9999-12-31T23:59:59.999Z');

export class CollectingTimers {
  private readonly refs = new Set<TimerRef>();
  private readonly deadlines = new Map<string, CapturedDeadline>();
  private count = 0;

  constructor(
    private readonly now: () => Date,
    private readonly overrides: Readonly<Record<string, TimerOverride>> = {},
  ) {}

  /**
   * Called by the timer event definition each time it arms a timer (first time or on recover),
   * with the expiry the engine computed and the calendar deadlines its expression produced.
   * Returns the expiry to use: parked when paused, moved when overridden.
   */
  arm(executionId: string, expireAt: Date, computed: CapturedDeadline[]): Date {
    const deadline = deadlineAt(computed, expireAt);
    if (deadline) this.deadlines.set(executionId, deadline);
    const override = this.overrides[executionId];
    if (override?.paused) return PAUSED_EXPIRE_AT;
    if (override?.dueAt) return new Date(override.dueAt);
    return expireAt;
  }

  isPaused(executionId: string): boolean {
    return this.overrides[executionId]?.paused === true;
  }

  /** Read by bpmn-engine on stop() and completion. */
  get executing(): TimerRef[] {
    return [...this.refs];
  }

  register = (owner: TimerOwner) => ({
    setTimeout: (callback: TimerRef['callback'], delay: number, ...args: unknown[]) => this.add(owner, callback, delay, args),
    clearTimeout: (ref: TimerRef) => this.clearTimeout(ref),
  });

  setTimeout = (callback: TimerRef['callback'], delay: number, ...args: unknown[]) => this.add(null, callback, delay, args);

  clearTimeout = (ref: TimerRef | undefined): undefined => {
    if (ref) this.refs.delete(ref);
    return undefined;
  };

  /** BPMN timers (not the engine's own housekeeping delays), read before the engine stops. */
  pending(): PendingTimer[] {
    return this.executing
      .filter((r) => r.owner?.timerType)
      .map((r) => {
        const executionId = r.owner!.executionId;
        const deadline = this.deadlines.get(executionId);
        return {
          elementId: r.owner!.id,
          executionId,
          dueAt: r.expireAt,
          timerType: r.owner!.timerType,
          repeat: r.owner!.repeat,
          ...(this.isPaused(executionId) && { paused: true }),
          ...(deadline && { deadline }),
        };
      });
  }

  /** Fires a timer the job table says is due, whatever this node's clock says. False if not pending or paused. */
  fire(executionId: string): boolean {
    if (this.isPaused(executionId)) return false;
    for (const ref of this.refs) {
      if (ref.owner?.executionId === executionId) {
        this.refs.delete(ref);
        ref.callback(...ref.args);
        return true;
      }
    }
    return false;
  }

  private add(owner: TimerOwner | null, callback: TimerRef['callback'], delay: number, args: unknown[]): TimerRef {
    const expireAt = owner?.expireAt ? new Date(owner.expireAt) : new Date(this.now().getTime() + delay);
    const ref: TimerRef = { timerId: `timer_${this.count++}`, owner, callback, delay, args, expireAt };
    this.refs.add(ref);
    return ref;
  }
}
