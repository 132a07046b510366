import { ISOInterval } from '@0dep/piso';
import { isCron, nextCron, recentCron } from '../runtime/timer-definition';
import type { ElementMeta } from './element-meta';

/**
 * When a timer start event next fires after `after`, or null when it is done. bpmn-elements does
 * not schedule timer start events itself, so Anju keeps one job per start event and moves it.
 * `remaining` counts repetitions left for `R<n>/...` cycles (undefined = unbounded).
 */
export function nextStartTimerDue(
  t: NonNullable<ElementMeta['startTimer']>,
  after: Date,
  firstRun: boolean,
  remaining?: number,
): { dueAt: Date; remaining?: number } | null {
  if (t.timerType === 'timeCycle' && isCron(t.value)) return { dueAt: nextCron(t.value, after) };
  if (t.timerType === 'timeDate') return firstRun ? { dueAt: new Date(t.value) } : null;
  const parsed = new ISOInterval(t.value).parse();
  if (t.timerType === 'timeDuration') return firstRun ? { dueAt: parsed.getExpireAt(after, after) } : null;
  const left = firstRun ? (parsed.repeat && parsed.repeat > 0 ? parsed.repeat : undefined) : remaining;
  if (left !== undefined && left <= 0) return null;
  return { dueAt: parsed.getExpireAt(after, after), remaining: left === undefined ? undefined : left - 1 };
}

/**
 * At most this many missed slots of one timer start event are caught up after an outage (the
 * newest ones); older slots are skipped, so a cron of every minute does not start ten thousand
 * instances after a week without executors.
 */
export const START_TIMER_CATCH_UP = 24;

/**
 * The slot to start now for a job due at `due`: `due` itself, or, when more than `keep` slots up
 * to `now` were missed, the oldest of the newest `keep` of them (`skipped` is then true).
 */
export function catchUpSlot(
  t: NonNullable<ElementMeta['startTimer']>,
  due: Date,
  remaining: number | undefined,
  now: Date,
  keep = START_TIMER_CATCH_UP,
): { dueAt: Date; remaining?: number; skipped: boolean } {
  const none = { dueAt: due, remaining, skipped: false };
  if (t.timerType !== 'timeCycle' || due.getTime() > now.getTime()) return none;
  if (isCron(t.value)) {
    // walk back from now: O(keep), however long the outage
    const recent = recentCron(t.value, now, keep, due);
    return recent.length < keep ? none : { dueAt: recent[keep - 1], skipped: true };
  }
  const parsed = new ISOInterval(t.value).parse();
  const window: { dueAt: Date; remaining?: number }[] = [{ dueAt: due, remaining }];
  let last = window[0];
  let seen = 1;
  // an ISO cycle steps cheaply (about a microsecond); a million steps is a cycle of a second down for 11 days
  for (let i = 0; i < 1_000_000; i++) {
    if (last.remaining !== undefined && last.remaining <= 0) break;
    const dueAt = parsed.getExpireAt(last.dueAt, last.dueAt);
    if (dueAt.getTime() > now.getTime() || dueAt.getTime() <= last.dueAt.getTime()) break;
    last = { dueAt, remaining: last.remaining === undefined ? undefined : last.remaining - 1 };
    seen++;
    window.push(last);
    if (window.length > keep) window.shift();
  }
  return { ...window[0], skipped: seen > window.length };
}
