/**
 * Every component reads time from the injected Clock, never from `new Date()` directly, so tests
 * (and the ANJU_TEST_CLOCK endpoints) can move time instead of sleeping.
 */
export abstract class Clock {
  abstract now(): Date;
}

/** The real clock, optionally shifted by an offset (only the test-clock endpoint sets one). */
export class AdjustableClock extends Clock {
  private offsetMs = 0;
  private fixed: Date | null = null;

  now(): Date {
    if (this.fixed) return new Date(this.fixed.getTime());
    return new Date(Date.now() + this.offsetMs);
  }

  /** Pin the clock to an instant: it stays there until moved again. */
  set(instant: Date): void {
    this.fixed = new Date(instant.getTime());
  }

  /** Move the clock forward (or back) by ms, whether pinned or running. */
  advance(ms: number): void {
    if (this.fixed) this.fixed = new Date(this.fixed.getTime() + ms);
    else this.offsetMs += ms;
  }

  /** Back to real time. */
  reset(): void {
    this.fixed = null;
    this.offsetMs = 0;
  }
}
