import { CalendarSnapshot } from '../calendar';
import { slaBounds, slaOf } from './task-sla';

// 2026: National Day 10-01..10-07 off; Spring Festival make-up working day on Saturday 02-14
const cal = new CalendarSnapshot(
  [
    ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({ date: `2026-10-${d}`, kind: 'holiday' as const, name: '国庆节', regionCode: null })),
    { date: '2026-02-14', kind: 'workday' as const, name: '春节', regionCode: null },
  ],
  [2026],
);
const at = (iso: string) => new Date(iso);

describe('SLA state', () => {
  it('counts "due soon" to the end of the next working day, across a holiday', () => {
    const b = slaBounds(cal, at('2026-09-30T10:00:00+08:00'));
    expect(b.soon.toISOString()).toBe(at('2026-10-08T23:59:59.999+08:00').toISOString());
    const open = (due: string | null) => slaOf({ status: 'open', dueAt: due ? at(due) : null, completedAt: null }, b);
    expect(open('2026-09-30T09:00:00+08:00')).toBe('overdue');
    expect(open('2026-10-05T17:00:00+08:00')).toBe('due_soon');
    expect(open('2026-10-08T23:00:00+08:00')).toBe('due_soon');
    expect(open('2026-10-09T09:00:00+08:00')).toBe('on_time');
    expect(open(null)).toBe('on_time');
  });

  it('takes a make-up working day (调休) on a Saturday as the next working day', () => {
    const b = slaBounds(cal, at('2026-02-13T10:00:00+08:00'));
    expect(b.soon.toISOString()).toBe(at('2026-02-14T23:59:59.999+08:00').toISOString());
    expect(slaOf({ status: 'open', dueAt: at('2026-02-15T12:00:00+08:00'), completedAt: null }, b)).toBe('on_time');
  });

  it('judges a closed task by when it was completed', () => {
    const b = slaBounds(cal, at('2026-12-01T10:00:00+08:00'));
    const due = at('2026-11-02T23:59:59+08:00');
    expect(slaOf({ status: 'completed', dueAt: due, completedAt: at('2026-11-01T10:00:00+08:00') }, b)).toBe('on_time');
    expect(slaOf({ status: 'completed', dueAt: due, completedAt: at('2026-11-03T10:00:00+08:00') }, b)).toBe('overdue');
  });
});
