import { InvalidDateError, addDays, endOfDay, isWeekend, parseDate, shanghaiDateOf, toCalendarDate, weekday } from './calendar-date';

describe('calendar dates', () => {
  it('accepts real dates and refuses impossible ones instead of rolling them over', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    for (const bad of ['2026-02-30', '2025-02-29', '2026-13-45', '2026-04-31', '2026-00-10', '2026-1-5', '20260105', '', 'today']) {
      expect(() => parseDate(bad)).toThrow(InvalidDateError);
    }
    expect(() => parseDate('2026-02-30')).toThrow('day must be 01 to 28 in 2026-02');
    expect(() => parseDate(20260105)).toThrow(InvalidDateError);
  });

  it('reads an instant as its Asia/Shanghai date, whatever offset it was written with', () => {
    expect(toCalendarDate('2026-10-01T00:30:00+08:00')).toBe('2026-10-01');
    expect(toCalendarDate('2026-09-30T16:30:00Z')).toBe('2026-10-01');
    expect(toCalendarDate('2026-09-30T15:59:59Z')).toBe('2026-09-30');
    expect(toCalendarDate('2026-09-30T12:00:00-05:00')).toBe('2026-10-01');
    expect(toCalendarDate('2026-09-30T23:00')).toBe('2026-09-30'); // no offset: Shanghai wall time
    expect(toCalendarDate(new Date('2026-10-01T00:30:00+08:00'))).toBe('2026-10-01');
    expect(() => toCalendarDate('2026-02-30T10:00:00+08:00')).toThrow(InvalidDateError);
    expect(() => toCalendarDate('2026-02-03T25:00:00+08:00')).toThrow(InvalidDateError);
    expect(() => toCalendarDate(new Date('nonsense'))).toThrow(InvalidDateError);
  });

  it('counts days and weekdays across month, leap-day and year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(weekday('2026-10-10')).toBe(6);
    expect(weekday('1970-01-01')).toBe(4);
    expect(isWeekend('2026-10-11')).toBe(true);
    expect(isWeekend('2026-10-12')).toBe(false);
  });

  it('ends a deadline at 24:00 Shanghai of its last day', () => {
    const end = endOfDay('2026-10-12');
    expect(end.iso).toBe('2026-10-12T23:59:59.999+08:00');
    expect(end.instant.toISOString()).toBe('2026-10-12T15:59:59.999Z');
    expect(shanghaiDateOf(end.instant)).toBe('2026-10-12');
    expect(shanghaiDateOf(new Date(end.instant.getTime() + 1))).toBe('2026-10-13');
  });
});
