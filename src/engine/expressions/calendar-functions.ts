import { Injectable, OnModuleInit } from '@nestjs/common';
import { dateAndTime } from 'feelin';
import { CalendarService } from '../../calendar';
import { recordDeadline } from './deadline-capture';
import { FeelFunctionRegistry } from './feel-functions';

/** What the FEEL functions need from the calendar (CalendarService, or a stub in a unit test). */
export type CalendarFunctionsSource = Pick<CalendarService, 'deadline' | 'day' | 'workingDaysBetween'>;

/**
 * The calendar's FEEL functions, so a policy team writes "15 working days after receipt" in a
 * diagram: `add working days(receivedOn, 15)` in a timeDate, a due date or a condition.
 *
 * - `add working days(start, n[, region])`, `add calendar days rolling(start, n[, region])`:
 *   the end of the period's last day, a date and time at 23:59:59.999+08:00 (24:00 Asia/Shanghai),
 *   so a timer fires at the end of the last day and `date(…)` gives the last day;
 * - `is working day(date[, region])`: boolean;
 * - `working days between(a, b[, region])`: working days after a up to and including b.
 *
 * `start`/`date` may be a date, a date and time (its Shanghai date counts) or a `YYYY-MM-DD`
 * string; impossible dates fail the expression. A result in a year without calendar data is
 * counted on weekends only; the engine captures what these functions computed while it evaluates a
 * timer or a task's due date (deadline-capture.ts) and tracks a provisional result, so entering
 * the year moves the timer and the due date.
 */
export function registerCalendarFunctions(registry: FeelFunctionRegistry, calendar: CalendarFunctionsSource): void {
  const end = (rule: 'working-days' | 'calendar-rolling') => (start: unknown, n: unknown, region?: unknown) => {
    const deadline = calendar.deadline({ rule, start, n, region: region ?? undefined, startField: 'start' });
    // the engine captures this while it evaluates a timer or a due date (provisional tracking)
    recordDeadline(deadline, region);
    return dateAndTime(deadline.dueAt);
  };
  registry.register('add working days', end('working-days'), ['start', 'n', 'region']);
  registry.register('add calendar days rolling', end('calendar-rolling'), ['start', 'n', 'region']);
  registry.register('is working day', (date: unknown, region?: unknown) => calendar.day(date, region ?? undefined).working, ['date', 'region']);
  registry.register('working days between', (a: unknown, b: unknown, region?: unknown) => calendar.workingDaysBetween(a, b, region ?? undefined).days, ['a', 'b', 'region']);
}

/** Registers the calendar's FEEL functions when the engine module starts. */
@Injectable()
export class CalendarFeelFunctions implements OnModuleInit {
  constructor(
    private readonly registry: FeelFunctionRegistry,
    private readonly calendar: CalendarService,
  ) {}

  onModuleInit(): void {
    if (!this.registry.has('add working days')) registerCalendarFunctions(this.registry, this.calendar);
  }
}
