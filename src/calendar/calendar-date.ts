/**
 * Calendar dates as `YYYY-MM-DD` strings, computed without the process time zone: a date is a
 * day number (days since 1970-01-01) and back, through UTC arithmetic only. Asia/Shanghai has kept
 * UTC+08:00 without daylight saving since 1991, so an instant's Shanghai date is its UTC date
 * eight hours later, and a deadline's end is a fixed-offset instant.
 *
 * Impossible dates (2026-02-30, 2026-13-45) are refused, never rolled over as `Date` would.
 */
export const CALENDAR_TIME_ZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86400_000;
const MIN_YEAR = 1992;
const MAX_YEAR = 2199;

/** Why a value is not a date; the caller turns it into a domain error naming its field. */
export class InvalidDateError extends Error {
  constructor(
    readonly value: unknown,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(value)} is not a valid date: ${reason}`);
    this.name = 'InvalidDateError';
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function checkParts(value: unknown, y: number, m: number, d: number): void {
  if (y < MIN_YEAR || y > MAX_YEAR) throw new InvalidDateError(value, `year must be from ${MIN_YEAR} to ${MAX_YEAR}`);
  if (m < 1 || m > 12) throw new InvalidDateError(value, 'month must be 01 to 12');
  if (d < 1 || d > daysInMonth(y, m)) throw new InvalidDateError(value, `day must be 01 to ${daysInMonth(y, m)} in ${y}-${String(m).padStart(2, '0')}`);
}

/** A strict `YYYY-MM-DD`: the same string back, or InvalidDateError. */
export function parseDate(value: unknown): string {
  if (typeof value !== 'string') throw new InvalidDateError(value, 'expected a YYYY-MM-DD string');
  const m = DATE.exec(value);
  if (!m) throw new InvalidDateError(value, 'expected YYYY-MM-DD');
  checkParts(value, Number(m[1]), Number(m[2]), Number(m[3]));
  return value;
}

/**
 * The Asia/Shanghai calendar date of a date or an instant: `YYYY-MM-DD` as is; a date and time
 * with an offset (or Z) at that instant; a date and time without one as Shanghai wall time; a JS
 * Date at its instant, whatever the process time zone.
 */
export function toCalendarDate(value: unknown): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new InvalidDateError(String(value), 'invalid Date');
    return shanghaiDateOf(value);
  }
  if (typeof value !== 'string') throw new InvalidDateError(value, 'expected a date (YYYY-MM-DD) or a date and time');
  if (DATE.test(value)) return parseDate(value);
  const m = DATE_TIME.exec(value);
  if (!m) throw new InvalidDateError(value, 'expected YYYY-MM-DD or YYYY-MM-DDTHH:mm[:ss][offset]');
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  checkParts(value, y, mo, d);
  if (h > 23 || mi > 59 || s > 59) throw new InvalidDateError(value, 'time must be 00:00:00 to 23:59:59');
  const zone = m[8];
  if (!zone) return `${m[1]}-${m[2]}-${m[3]}`; // Shanghai wall time: its own date
  let offsetMin = 0;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const [oh, om] = zone.slice(1).split(':').map(Number);
    if (oh > 14 || om > 59) throw new InvalidDateError(value, 'offset out of range');
    offsetMin = sign * (oh * 60 + om);
  }
  const instant = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMin * 60_000;
  return shanghaiDateOf(new Date(instant));
}

/** The date a wall clock in Shanghai shows at `instant`. */
export function shanghaiDateOf(instant: Date): string {
  return fromDayNumber(Math.floor((instant.getTime() + OFFSET_MS) / DAY_MS));
}

export function toDayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

export function fromDayNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, n: number): string {
  return fromDayNumber(toDayNumber(date) + n);
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  // 1970-01-01 was a Thursday
  return (((toDayNumber(date) + 4) % 7) + 7) % 7;
}

export function isWeekend(date: string): boolean {
  const w = weekday(date);
  return w === 0 || w === 6;
}

/**
 * The end of a deadline's last day: 24:00 Asia/Shanghai, written as the day's last millisecond
 * (`YYYY-MM-DDT23:59:59.999+08:00`) so the date stays the last day's date. The instant is the
 * same whatever the server's time zone.
 */
export function endOfDay(date: string): { iso: string; instant: Date } {
  return { iso: `${date}T23:59:59.999+08:00`, instant: new Date((toDayNumber(date) + 1) * DAY_MS - OFFSET_MS - 1) };
}
