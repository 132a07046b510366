import { CalendarEntry, CalendarSnapshot, addCalendarDaysRolling, addWorkingDays, workingDaysBetween } from './working-days';

// The national calendar as chinese-days 1.5.7 carries it (the migration seeds the same data);
// time-zone.spec.ts checks these rules against chinese-days' own findWorkday.
function nationalFromChineseDays(): CalendarSnapshot {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>; workdays: Record<string, string> };
  const entries: CalendarEntry[] = [
    ...Object.entries(data.holidays).map(([date, v]) => ({ date, kind: 'holiday' as const, name: v.split(',')[1], regionCode: null })),
    ...Object.entries(data.workdays).map(([date, v]) => ({ date, kind: 'workday' as const, name: v.split(',')[1], regionCode: null })),
  ];
  const years = Array.from({ length: 2026 - 2004 + 1 }, (_, i) => 2004 + i);
  return new CalendarSnapshot(entries, years);
}

const LIANGSHAN = ['510000', '513400'];
const XICHANG = ['510000', '513400', '513401'];
const CHENGDU = ['510000', '510100'];

describe('working-day rules', () => {
  const national = nationalFromChineseDays();

  it('counts N working days from the day after the start, across 国庆 and its make-up days', () => {
    expect(addWorkingDays(national, '2026-09-24', 7)).toMatchObject({ due: '2026-10-12', dueAt: '2026-10-12T23:59:59.999+08:00', provisional: false });
    expect(addWorkingDays(national, '2026-09-30', 1).due).toBe('2026-10-08');
    // Saturday 2026-10-10 is a make-up working day and counts
    expect(addWorkingDays(national, '2026-09-28', 5).due).toBe('2026-10-10');
    // the make-up Sunday 2026-09-20 counts too
    expect(addWorkingDays(national, '2026-09-18', 1).due).toBe('2026-09-20');
    expect(addWorkingDays(national, '2026-02-10', 15).due).toBe('2026-03-09');
  });

  it('treats n = 0 as the start itself or the next working day, and counts negative n backwards', () => {
    expect(addWorkingDays(national, '2026-10-09', 0).due).toBe('2026-10-09');
    expect(addWorkingDays(national, '2026-10-01', 0).due).toBe('2026-10-08');
    expect(addWorkingDays(national, '2026-10-08', -1).due).toBe('2026-09-30');
    expect(addWorkingDays(national, '2026-10-12', -2).due).toBe('2026-10-09');
  });

  it('rolls the last of N calendar days forward past rest days', () => {
    expect(addCalendarDaysRolling(national, '2026-09-24', 7).due).toBe('2026-10-08');
    expect(addCalendarDaysRolling(national, '2026-06-12', 7).due).toBe('2026-06-22');
    // a make-up Saturday is a working day: no roll
    expect(addCalendarDaysRolling(national, '2026-10-03', 7).due).toBe('2026-10-10');
    // an ordinary Saturday rolls to Monday
    expect(addCalendarDaysRolling(national, '2026-11-07', 7).due).toBe('2026-11-16');
    expect(addCalendarDaysRolling(national, '2026-11-10', 0).due).toBe('2026-11-10');
    expect(() => addCalendarDaysRolling(national, '2026-11-10', -3)).toThrow(RangeError);
  });

  it('refuses periods that are not whole numbers or are absurdly long', () => {
    expect(() => addWorkingDays(national, '2026-11-10', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays(national, '2026-11-10', 100000)).toThrow(RangeError);
  });

  it('counts working days between two dates as the inverse of adding them', () => {
    for (const [start, n] of [['2026-09-24', 7], ['2025-12-25', 10], ['2024-02-01', 20], ['2026-04-30', 3]] as const) {
      const due = addWorkingDays(national, start, n).due;
      expect(workingDaysBetween(national, start, due).days).toBe(n);
      expect(workingDaysBetween(national, due, start).days).toBe(-n);
    }
    expect(workingDaysBetween(national, '2026-10-01', '2026-10-07').days).toBe(0);
  });

  it('applies a regional overlay to its region and the subtree below it, not elsewhere', () => {
    const overlay: CalendarEntry[] = [
      // an example overlay, not real data: a 3-day rest on Wed–Fri, a make-up Saturday after it
      { date: '2026-11-18', kind: 'holiday', name: '彝历新年', regionCode: '513400' },
      { date: '2026-11-19', kind: 'holiday', name: '彝历新年', regionCode: '513400' },
      { date: '2026-11-20', kind: 'holiday', name: '彝历新年', regionCode: '513400' },
      { date: '2026-11-21', kind: 'workday', name: '彝历新年', regionCode: '513400' },
      // a county's own closure overrides the prefecture's make-up day
      { date: '2026-11-21', kind: 'closure', name: '临时闭馆', regionCode: '513401' },
    ];
    const cal = new CalendarSnapshot([...overlayFree(national), ...overlay], national.knownYears());
    expect(addWorkingDays(cal, '2026-11-17', 1, CHENGDU).due).toBe('2026-11-18');
    expect(addWorkingDays(cal, '2026-11-17', 1, LIANGSHAN).due).toBe('2026-11-21');
    expect(addWorkingDays(cal, '2026-11-17', 1, XICHANG).due).toBe('2026-11-23');
    expect(cal.day('2026-11-21', XICHANG)).toMatchObject({ working: false, kind: 'closure', regionCode: '513401' });
    expect(cal.day('2026-11-19', LIANGSHAN)).toMatchObject({ working: false, name: '彝历新年', regionCode: '513400' });
    expect(cal.day('2026-11-19')).toMatchObject({ working: true, kind: 'weekday', regionCode: null });
  });

  it('counts a year without data on weekends only and flags the result provisional', () => {
    // 2027-10-01 is National Day; without the 2027 notice it counts as an ordinary Friday
    const d = addWorkingDays(national, '2027-09-29', 2);
    expect(d).toMatchObject({ due: '2027-10-01', provisional: true, missingYears: [2027] });
    // a period that only crosses into the missing year is provisional too
    expect(addWorkingDays(national, '2026-12-28', 5)).toMatchObject({ due: '2027-01-04', provisional: true, missingYears: [2027] });
    expect(addWorkingDays(national, '2026-12-01', 5)).toMatchObject({ due: '2026-12-08', provisional: false, missingYears: [] });
    expect(addCalendarDaysRolling(national, '2026-12-25', 8)).toMatchObject({ due: '2027-01-04', provisional: true });
    expect(workingDaysBetween(national, '2026-12-30', '2027-01-05')).toMatchObject({ days: 4, provisional: true, missingYears: [2027] });
    expect(national.day('2027-10-01')).toMatchObject({ working: true, provisional: true });
  });
});

function overlayFree(cal: CalendarSnapshot): CalendarEntry[] {
  return cal.entriesBetween('2004-01-01', '2026-12-31');
}
