import { ISOInterval } from '@0dep/piso';
import { isCron, nextCron } from '../runtime/timer-definition';
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
