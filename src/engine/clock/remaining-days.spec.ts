import { CalendarEntry, CalendarService, CalendarSnapshot } from '../../calendar';
import { remainingWorkingDays, resumedDeadline } from './remaining-days';

// 国庆 2026 as arranged (10-01..07 off, Saturday 10-10 on); 2027 unknown
const entries: CalendarEntry[] = [
  ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, kind: 'holiday' as const, name: '国庆节', regionCode: null })),
  { date: '2026-10-10', kind: 'workday', name: '国庆节', regionCode: null },
  { date: '2026-10-14', kind: 'closure', name: '示例闭馆', regionCode: '513400' },
];

function calendar(): CalendarService {
  const noop = {} as never;
  const c = new CalendarService(noop, noop, { now: () => new Date('2026-09-24T02:00:00Z') }, noop);
  c.install(new CalendarSnapshot(entries, [2026]), new Map([['513400', ['510000', '513400']]]));
  return c;
}

const at = (iso: string) => new Date(iso);

describe('remaining working days of a paused deadline', () => {
  const cal = calendar();

  it('counts the working days after the pause day up to the deadline day (the pause day counts as used)', () => {
    // paused Tuesday 09-29 at 16:00; deadline 10-12 24:00: 09-30, 10-08, 09, 10 (make-up Saturday), 12
    expect(remainingWorkingDays(cal, at('2026-09-29T16:00:00+08:00'), at('2026-10-12T23:59:59.999+08:00'), null)).toBe(5);
    // the deadline is the pause day itself
    expect(remainingWorkingDays(cal, at('2026-10-12T09:00:00+08:00'), at('2026-10-12T23:59:59.999+08:00'), null)).toBe(0);
    // read on Shanghai dates whatever the instant's UTC date: 00:30 on 09-30 in Shanghai is 09-29 in
    // UTC, which would count 09-30 as well (3); it is 10-08 and 10-09
    expect(remainingWorkingDays(cal, at('2026-09-30T00:30:00+08:00'), at('2026-10-09T23:59:59.999+08:00'), null)).toBe(2);
  });

  it('counts them again from the day after the resume day, at the old time of day', () => {
    const item = { dueBefore: at('2026-10-12T23:59:59.999+08:00'), remainingWorkingDays: 5 };
    const r = resumedDeadline(cal, item, at('2026-09-29T16:00:00+08:00'), at('2026-10-13T10:00:00+08:00'), null);
    // 10-14, 15, 16, 19, 20
    expect(r).toMatchObject({ dueAt: at('2026-10-20T23:59:59.999+08:00'), provisional: false });
    expect(r.deadline).toMatchObject({ due: '2026-10-20', start: '2026-10-13', days: 5 });
    // a deadline at 17:00 keeps its hour; not a calendar deadline, so nothing to track
    const five = resumedDeadline(cal, { dueBefore: at('2026-10-12T17:00:00+08:00'), remainingWorkingDays: 5 }, at('2026-09-29T16:00:00+08:00'), at('2026-10-13T10:00:00+08:00'), null);
    expect(five).toEqual({ dueAt: at('2026-10-20T17:00:00+08:00'), provisional: false, deadline: null });
  });

  it('uses the region’s calendar and flags a result in a year without data', () => {
    const item = { dueBefore: at('2026-10-12T23:59:59.999+08:00'), remainingWorkingDays: 2 };
    // in 凉山 (513400) the example closure on 10-14 is a rest day
    expect(resumedDeadline(cal, item, at('2026-09-29T10:00:00+08:00'), at('2026-10-12T10:00:00+08:00'), '513400').dueAt).toEqual(at('2026-10-15T23:59:59.999+08:00'));
    expect(resumedDeadline(cal, item, at('2026-09-29T10:00:00+08:00'), at('2026-10-12T10:00:00+08:00'), null).dueAt).toEqual(at('2026-10-14T23:59:59.999+08:00'));
    const late = resumedDeadline(cal, { dueBefore: at('2026-12-10T23:59:59.999+08:00'), remainingWorkingDays: 3 }, at('2026-12-01T10:00:00+08:00'), at('2026-12-30T10:00:00+08:00'), null);
    // 12-31, then 2027 counted on weekends only: 01-01, 01-04
    expect(late).toMatchObject({ dueAt: at('2027-01-04T23:59:59.999+08:00'), provisional: true });
  });

  it('changes nothing when paused and resumed on the same day, even for a deadline on a rest day', () => {
    const sunday = { dueBefore: at('2026-10-18T12:00:00+08:00'), remainingWorkingDays: 3 };
    expect(resumedDeadline(cal, sunday, at('2026-10-13T09:00:00+08:00'), at('2026-10-13T18:00:00+08:00'), null).dueAt).toEqual(sunday.dueBefore);
  });
});
