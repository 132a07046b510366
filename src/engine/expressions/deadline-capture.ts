import type { Deadline } from '../../calendar';

/** A statutory deadline a calendar FEEL function computed, with what it was computed from. */
export interface CapturedDeadline {
  rule: Deadline['rule'];
  /** the first argument as a calendar date (YYYY-MM-DD) */
  start: string;
  days: number;
  /** the region argument as given (a region code), null for the national calendar */
  region: string | null;
  due: string;
  dueAt: Date;
  provisional: boolean;
}

let active: CapturedDeadline[] | null = null;

/**
 * Runs `evaluate` (synchronous: FEEL is) and returns, beside its value, every deadline the
 * calendar FEEL functions computed while it ran. The engine evaluates a timer's timeDate or a
 * task's due date this way to learn whether the result is a deadline in a year without calendar
 * data (provisional), and from which start, period and region, so it can be tracked and moved
 * when the year is entered. Synchronous on purpose: no other step can run in between, so a plain
 * module-level collector is exact without an async context.
 */
export function captureDeadlines<T>(evaluate: () => T): { value: T; deadlines: CapturedDeadline[] } {
  const outer = active;
  const mine: CapturedDeadline[] = [];
  active = mine;
  try {
    return { value: evaluate(), deadlines: mine };
  } finally {
    active = outer;
  }
}

/** Called by the calendar FEEL functions; a no-op unless an evaluation is being captured. */
export function recordDeadline(d: Deadline, region: unknown): void {
  active?.push({
    rule: d.rule,
    start: d.start,
    days: d.days,
    region: typeof region === 'string' && region !== '' ? region : null,
    due: d.due,
    dueAt: d.dueInstant,
    provisional: d.provisional,
  });
}

/** The captured deadline that is exactly `dueAt` (the expression's result is the deadline itself), if any. */
export function deadlineAt(deadlines: CapturedDeadline[], dueAt: Date | null | undefined): CapturedDeadline | undefined {
  if (!dueAt) return undefined;
  return deadlines.find((d) => d.dueAt.getTime() === dueAt.getTime());
}
