import { addDays, endOfDay, isWeekend, toDayNumber, yearOf } from './calendar-date';

/**
 * The counting rules (pure): statutory periods on the official calendar. Weekends are rest days,
 * public holidays (节假日) and one-off closures are rest days, make-up working days (调休上班) on a
 * weekend are working days; a regional overlay (凉山 彝族年, 阿坝/甘孜 藏历新年) overrides the
 * national calendar for its region and everything below it. A year without confirmed national
 * data is counted on weekends only, and every result that depends on such a year is provisional.
 */
export type DayKind = 'holiday' | 'workday' | 'closure';
export type DeadlineRule = 'working-days' | 'calendar-rolling';
export const DEADLINE_RULES: readonly DeadlineRule[] = ['working-days', 'calendar-rolling'];

/** The longest period we count (ten years of days); longer ones are mistakes, not deadlines. */
export const MAX_PERIOD_DAYS = 3660;
// a calendar whose rest days never end is corrupt; stop instead of looping
const MAX_ROLL_FORWARD = 62;

export interface CalendarEntry {
  date: string;
  kind: DayKind;
  name: string;
  /** null for the national calendar, otherwise the region the overlay covers (with its subtree) */
  regionCode: string | null;
}

export interface DayInfo {
  date: string;
  working: boolean;
  /** the holiday's or make-up day's name; 周末 / 工作日 for an ordinary day */
  name: string;
  kind: DayKind | 'weekend' | 'weekday';
  /** the region whose overlay decided the day, null when the national calendar (or the week) did */
  regionCode: string | null;
  provisional: boolean;
}

export interface Deadline {
  rule: DeadlineRule;
  start: string;
  days: number;
  /** the last day of the period */
  due: string;
  /** the end of the last day: 24:00 Asia/Shanghai as `YYYY-MM-DDT23:59:59.999+08:00` */
  dueAt: string;
  dueInstant: Date;
  /** true when a day that decides the result lies in a year without confirmed calendar data */
  provisional: boolean;
  missingYears: number[];
}

export class CalendarSnapshot {
  private readonly national = new Map<string, CalendarEntry>();
  private readonly regional = new Map<string, Map<string, CalendarEntry>>();
  private readonly years: ReadonlySet<number>;

  /** `knownYears`: years with a confirmed national notice (State Council arrangement). */
  constructor(entries: Iterable<CalendarEntry>, knownYears: Iterable<number>) {
    for (const e of entries) {
      if (e.regionCode === null) {
        this.national.set(e.date, e);
        continue;
      }
      let days = this.regional.get(e.regionCode);
      if (!days) this.regional.set(e.regionCode, (days = new Map()));
      days.set(e.date, e);
    }
    this.years = new Set(knownYears);
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  knownYears(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }

  /** The entry deciding `date` for a region given as its path (province first, itself last). */
  entryFor(date: string, regionPath: readonly string[] = []): CalendarEntry | undefined {
    for (let i = regionPath.length - 1; i >= 0; i--) {
      const hit = this.regional.get(regionPath[i])?.get(date);
      if (hit) return hit;
    }
    return this.national.get(date);
  }

  isWorkingDay(date: string, regionPath: readonly string[] = []): boolean {
    const entry = this.entryFor(date, regionPath);
    return entry ? entry.kind === 'workday' : !isWeekend(date);
  }

  day(date: string, regionPath: readonly string[] = []): DayInfo {
    const entry = this.entryFor(date, regionPath);
    const provisional = !this.hasYear(yearOf(date));
    if (entry) return { date, working: entry.kind === 'workday', name: entry.name, kind: entry.kind, regionCode: entry.regionCode, provisional };
    const weekend = isWeekend(date);
    return { date, working: !weekend, name: weekend ? '周末' : '工作日', kind: weekend ? 'weekend' : 'weekday', regionCode: null, provisional };
  }

  /** Calendar entries (not ordinary weekends) in a date range, the region's overlays applied. */
  entriesBetween(from: string, to: string, regionPath: readonly string[] = []): CalendarEntry[] {
    const dates = new Set<string>();
    const inRange = (d: string) => d >= from && d <= to;
    for (const d of this.national.keys()) if (inRange(d)) dates.add(d);
    for (const code of regionPath) for (const d of this.regional.get(code)?.keys() ?? []) if (inRange(d)) dates.add(d);
    return [...dates].sort().map((d) => this.entryFor(d, regionPath)!);
  }
}

class MissingYears {
  private readonly years = new Set<number>();
  constructor(private readonly cal: CalendarSnapshot) {}
  see(date: string): void {
    const y = yearOf(date);
    if (!this.cal.hasYear(y)) this.years.add(y);
  }
  list(): number[] {
    return [...this.years].sort((a, b) => a - b);
  }
}

function checkDays(n: number): void {
  if (!Number.isInteger(n) || Math.abs(n) > MAX_PERIOD_DAYS) throw new RangeError(`n must be an integer from -${MAX_PERIOD_DAYS} to ${MAX_PERIOD_DAYS}`);
}

function deadline(rule: DeadlineRule, start: string, days: number, due: string, missing: MissingYears): Deadline {
  const end = endOfDay(due);
  const missingYears = missing.list();
  return { rule, start, days, due, dueAt: end.iso, dueInstant: end.instant, provisional: missingYears.length > 0, missingYears };
}

/**
 * N working days counted from the day after `start` (行政许可法 Art. 82 and the like): the N-th
 * working day after `start`. N = 0 is `start` itself when it is a working day, else the next
 * one; a negative N counts back (the N-th working day before `start`).
 */
export function addWorkingDays(cal: CalendarSnapshot, start: string, n: number, regionPath: readonly string[] = []): Deadline {
  checkDays(n);
  const missing = new MissingYears(cal);
  const step = n < 0 ? -1 : 1;
  let day = start;
  if (n === 0) {
    missing.see(day);
    for (let i = 0; !cal.isWorkingDay(day, regionPath); i++) {
      if (i > MAX_ROLL_FORWARD) throw new RangeError(`no working day within ${MAX_ROLL_FORWARD} days after ${start}`);
      day = addDays(day, 1);
      missing.see(day);
    }
    return deadline('working-days', start, n, day, missing);
  }
  let left = Math.abs(n);
  let sinceWorking = 0;
  while (left > 0) {
    day = addDays(day, step);
    missing.see(day);
    if (cal.isWorkingDay(day, regionPath)) {
      left--;
      sinceWorking = 0;
    } else if (++sinceWorking > MAX_ROLL_FORWARD) {
      throw new RangeError(`no working day within ${MAX_ROLL_FORWARD} days of ${day}`);
    }
  }
  return deadline('working-days', start, n, day, missing);
}

/**
 * N calendar days after `start` (民法典 Arts. 201–203: counting starts the next day); when the
 * last day is a rest day, the period ends on the next working day instead.
 */
export function addCalendarDaysRolling(cal: CalendarSnapshot, start: string, n: number, regionPath: readonly string[] = []): Deadline {
  checkDays(n);
  if (n < 0) throw new RangeError('n must not be negative for calendar days');
  const missing = new MissingYears(cal);
  let day = addDays(start, n);
  missing.see(day);
  for (let i = 0; !cal.isWorkingDay(day, regionPath); i++) {
    if (i > MAX_ROLL_FORWARD) throw new RangeError(`no working day within ${MAX_ROLL_FORWARD} days after ${addDays(start, n)}`);
    day = addDays(day, 1);
    missing.see(day);
  }
  return deadline('calendar-rolling', start, n, day, missing);
}

export function computeDeadline(cal: CalendarSnapshot, rule: DeadlineRule, start: string, n: number, regionPath: readonly string[] = []): Deadline {
  return rule === 'working-days' ? addWorkingDays(cal, start, n, regionPath) : addCalendarDaysRolling(cal, start, n, regionPath);
}

/**
 * Working days after `a` up to and including `b` (so `addWorkingDays(a, n).due` is n working
 * days after a); negative when b is before a.
 */
export function workingDaysBetween(
  cal: CalendarSnapshot,
  a: string,
  b: string,
  regionPath: readonly string[] = [],
): { days: number; provisional: boolean; missingYears: number[] } {
  const [from, to, sign] = a <= b ? [a, b, 1] : [b, a, -1];
  if (toDayNumber(to) - toDayNumber(from) > MAX_PERIOD_DAYS * 2) throw new RangeError(`the dates are more than ${MAX_PERIOD_DAYS * 2} days apart`);
  const missing = new MissingYears(cal);
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    missing.see(day);
    if (cal.isWorkingDay(day, regionPath)) count++;
  }
  const missingYears = missing.list();
  return { days: sign * count, provisional: missingYears.length > 0, missingYears };
}
