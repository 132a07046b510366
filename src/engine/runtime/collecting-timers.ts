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
}

export class CollectingTimers {
  private readonly refs = new Set<TimerRef>();
  private count = 0;

  constructor(private readonly now: () => Date) {}

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
      .map((r) => ({
        elementId: r.owner!.id,
        executionId: r.owner!.executionId,
        dueAt: r.expireAt,
        timerType: r.owner!.timerType,
        repeat: r.owner!.repeat,
      }));
  }

  /** Fires a timer the job table says is due, whatever this node's clock says. False if not pending. */
  fire(executionId: string): boolean {
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
