import { CalendarService, Deadline, endOfDay, toCalendarDate } from '../../calendar';

/** What the rules need from the calendar (CalendarService, or a stub in a unit test). */
export type WorkingDayCalendar = Pick<CalendarService, 'deadline' | 'workingDaysBetween'>;

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Milliseconds since midnight Asia/Shanghai (no daylight saving there). */
function timeOfDay(instant: Date): number {
  return (((instant.getTime() + SHANGHAI_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS;
}

/**
 * The working days a deadline has left when its clock stops: those after the pause day up to and
 * including the deadline's day (the pause day itself counts as used, as the start day of a period
 * does). 0 when the deadline is on the pause day.
 */
export function remainingWorkingDays(cal: WorkingDayCalendar, pausedAt: Date, dueAt: Date, region: string | null): number {
  const days = cal.workingDaysBetween(toCalendarDate(pausedAt), toCalendarDate(dueAt), region ?? undefined).days;
  return Math.max(0, days);
}

export interface ResumedDeadline {
  dueAt: Date;
  provisional: boolean;
  /** the calendar deadline the new due time is exactly (end of its last day), to track when provisional */
  deadline: Deadline | null;
}

/**
 * The deadline after a pause: the remaining working days counted again from the day after the
 * resume day (the resume day counts as paused), at the old deadline's time of day, on the
 * instance's calendar. A pause and resume on the same day change nothing.
 */
export function resumedDeadline(
  cal: WorkingDayCalendar,
  item: { dueBefore: Date; remainingWorkingDays: number },
  pausedAt: Date,
  resumedAt: Date,
  region: string | null,
): ResumedDeadline {
  const resumeDay = toCalendarDate(resumedAt);
  const d = cal.deadline({ rule: 'working-days', start: resumeDay, n: item.remainingWorkingDays, region: region ?? undefined });
  const exact = (at: Date) => (at.getTime() === d.dueInstant.getTime() ? d : null);
  if (resumeDay === toCalendarDate(pausedAt)) return { dueAt: item.dueBefore, provisional: d.provisional, deadline: exact(item.dueBefore) };
  const dueAt = new Date(endOfDay(d.due).instant.getTime() + 1 - DAY_MS + timeOfDay(item.dueBefore));
  return { dueAt, provisional: d.provisional, deadline: exact(dueAt) };
}
