import { TimerEventDefinition } from 'bpmn-elements';
import { ISOInterval } from '@0dep/piso';
import { CronExpressionParser } from 'cron-parser';

const CRON = /^\s*(\S+\s+){4,5}\S+\s*$/;
const TIME_ZONE = 'Asia/Shanghai';

/** True for a 5- or 6-field cron expression (as Camunda accepts in timeCycle). */
export function isCron(value: string): boolean {
  return CRON.test(value) && !value.trim().startsWith('R');
}

/** The next instant a cron expression fires after `from`, read in Asia/Shanghai. */
export function nextCron(value: string, from: Date): Date {
  return CronExpressionParser.parse(value.trim(), { currentDate: from, tz: TIME_ZONE }).next().toDate();
}

/** Up to `n` slots of a cron expression at or before `now` and after `after`, newest first. */
export function recentCron(value: string, now: Date, n: number, after: Date): Date[] {
  const it = CronExpressionParser.parse(value.trim(), { currentDate: new Date(now.getTime() + 1), tz: TIME_ZONE });
  const slots: Date[] = [];
  while (slots.length < n) {
    const slot = it.prev().toDate();
    if (slot.getTime() <= after.getTime()) break;
    slots.push(slot);
  }
  return slots;
}

/**
 * bpmn-elements' timer, reading time from Anju's clock instead of the host's and accepting cron
 * in timeCycle. Everything else (overdue timers firing on resume, repeats) stays the engine's.
 */
export function clockTimerEventDefinition(now: () => Date) {
  const Base = TimerEventDefinition as unknown as new (...args: unknown[]) => {
    parse(type: string, value: string): ParsedTimer;
    _getTimers(message: unknown): { expireAt?: Date; timeout?: number };
  };
  class ClockTimerEventDefinition extends Base {
    // bpmn-elements measures the time left against the host's clock; a timer whose due time the
    // host has passed but Anju's (moved) clock has not would fire at once
    override _getTimers(message: unknown) {
      const timers = super._getTimers(message);
      if (timers.expireAt) timers.timeout = timers.expireAt.getTime() - now().getTime();
      return timers;
    }

    override parse(timerType: string, value: string): ParsedTimer {
      const at = now();
      if (timerType === 'timeCycle' && isCron(value)) {
        const expireAt = nextCron(value, at);
        return { expireAt, repeat: -1, delay: expireAt.getTime() - at.getTime() };
      }
      if (timerType === 'timeDate') return super.parse(timerType, value);
      // durations and cycles count from Anju's clock, not the host's
      const parsed = new ISOInterval(value).parse();
      const expireAt = parsed.getExpireAt(at, at);
      return { expireAt, repeat: parsed.repeat, delay: expireAt.getTime() - at.getTime() };
    }
  }
  return ClockTimerEventDefinition;
}

interface ParsedTimer {
  expireAt?: Date;
  repeat?: number;
  delay?: number;
}
