import { CalendarEntry, CalendarService, CalendarSnapshot } from '../../calendar';
import { evaluateFeel } from './feel';
import { FeelFunctionRegistry } from './feel-functions';
import { registerCalendarFunctions } from './calendar-functions';

// 中秋 and 国庆 2026 as the State Council arranged them: 09-25..27 and 10-01..07 off, Sunday
// 09-20 and Saturday 10-10 on; and an example closure in 凉山.
const entries: CalendarEntry[] = [
  ...['25', '26', '27'].map((d) => ({ date: `2026-09-${d}`, kind: 'holiday' as const, name: '中秋节', regionCode: null })),
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, kind: 'holiday' as const, name: '国庆节', regionCode: null })),
  { date: '2026-09-20', kind: 'workday', name: '国庆节', regionCode: null },
  { date: '2026-10-10', kind: 'workday', name: '国庆节', regionCode: null },
  { date: '2026-10-12', kind: 'closure', name: '示例闭馆', regionCode: '513400' },
];

function registry(): FeelFunctionRegistry {
  const noop = {} as never;
  const calendar = new CalendarService(noop, noop, { now: () => new Date('2026-09-24T02:00:00Z') }, noop);
  // the region tree as RegionsService.allPaths() gives it
  const paths = new Map([
    ['510100', ['510000', '510100']],
    ['513400', ['510000', '513400']],
  ]);
  calendar.install(new CalendarSnapshot(entries, [2026]), paths);
  const r = new FeelFunctionRegistry({ timeZone: 'Asia/Shanghai', clock: { now: () => new Date('2026-10-09T02:00:00Z') } });
  registerCalendarFunctions(r, calendar);
  return r;
}

describe('calendar FEEL functions', () => {
  const r = registry();
  const feel = (expr: string, vars: Record<string, unknown> = {}) => evaluateFeel(expr, vars, r);

  it('adds working days to the end of the last day, 24:00 Asia/Shanghai', () => {
    expect(feel('add working days(receivedOn, 7)', { receivedOn: '2026-09-24' })).toBe('2026-10-12T23:59:59.999+08:00');
    expect(feel('add working days(date("2026-09-24"), 7)')).toBe('2026-10-12T23:59:59.999+08:00');
    // a date and time counts from its Shanghai date
    expect(feel('add working days(date and time("2026-09-23T17:00:00Z"), 7)')).toBe('2026-10-12T23:59:59.999+08:00');
    expect(feel('add working days(start: receivedOn, n: 7, region: "513400")', { receivedOn: '2026-09-24' })).toBe('2026-10-13T23:59:59.999+08:00');
    expect(feel('date(add working days(receivedOn, 7))', { receivedOn: '2026-09-24' })).toBe('2026-10-12');
  });

  it('rolls calendar days forward past rest days', () => {
    expect(feel('add calendar days rolling(receivedOn, 7)', { receivedOn: '2026-09-24' })).toBe('2026-10-08T23:59:59.999+08:00');
  });

  it('answers working-day questions in conditions', () => {
    expect(feel('is working day(date("2026-10-10"))')).toBe(true);
    expect(feel('is working day(date("2026-10-03"))')).toBe(false);
    expect(feel('is working day(d, "513400")', { d: '2026-10-12' })).toBe(false);
    expect(feel('working days between(date("2026-09-24"), date("2026-10-12"))')).toBe(7);
    expect(feel('working days between(receivedOn, today()) <= 5', { receivedOn: '2026-09-24' })).toBe(true);
    expect(feel('now() < add working days(receivedOn, 7)', { receivedOn: '2026-09-24' })).toBe(true);
  });

  it('fails the expression on an impossible date or an unknown region instead of guessing', () => {
    expect(() => feel('add working days("2026-02-30", 3)')).toThrow(/2026-02-30.*day must be 01 to 28/);
    expect(() => feel('add working days("2026-09-24", 3, "999999")')).toThrow(/region/);
    expect(() => feel('add working days("2026-09-24", 1.5)')).toThrow(/n must be an integer/);
  });
});
