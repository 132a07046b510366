import { isCalendarDate, localDate, plusYears } from './dates';

describe('lease dates', () => {
  it('takes the local day in Asia/Shanghai, not UTC', () => {
    expect(localDate(new Date('2026-06-30T16:30:00Z'))).toBe('2026-07-01');
    expect(localDate(new Date('2026-06-30T15:59:59Z'))).toBe('2026-06-30');
  });

  it('knows real calendar days', () => {
    expect(['2026-02-28', '2028-02-29', '2026-12-31'].map(isCalendarDate)).toEqual([true, true, true]);
    expect(['2026-02-29', '2026-13-01', '2026-04-31', '2026-4-1', 'tomorrow'].map(isCalendarDate)).toEqual([false, false, false, false, false]);
  });

  it('adds years as PostgreSQL does, so the 5-year lease limit agrees with the database check', () => {
    expect(plusYears('2026-01-01', 5)).toBe('2031-01-01');
    expect(plusYears('2028-02-29', 5)).toBe('2033-02-28');
    expect(plusYears('2028-02-29', 4)).toBe('2032-02-29');
  });
});
