import { START_TIMER_CATCH_UP, catchUpSlot, nextStartTimerDue } from './start-timers';

const hourly = { timerType: 'timeCycle', value: 'R/PT1H' } as const;
const at = (s: string) => new Date(s);

describe('timer start events: catching up after an outage', () => {
  it('starts the due slot itself when no later slot has passed', () => {
    expect(catchUpSlot(hourly, at('2027-01-04T00:30:00Z'), undefined, at('2027-01-04T01:00:00Z'))).toEqual({ dueAt: at('2027-01-04T00:30:00Z'), skipped: false });
  });

  it('keeps every missed slot when there are no more than the cap', () => {
    const slot = catchUpSlot(hourly, at('2027-01-04T00:30:00Z'), undefined, at('2027-01-05T00:29:00Z'));
    expect(slot).toEqual({ dueAt: at('2027-01-04T00:30:00Z'), skipped: false });
  });

  it('after three days down, an hourly timer starts only the newest 24 slots', () => {
    // slots 00:30 on the 4th … 23:30 on the 6th: 72 slots have passed by 00:00 on the 7th
    const slot = catchUpSlot(hourly, at('2027-01-04T00:30:00Z'), undefined, at('2027-01-07T00:00:00Z'));
    expect(START_TIMER_CATCH_UP).toBe(24);
    expect(slot).toEqual({ dueAt: at('2027-01-06T00:30:00Z'), skipped: true });
  });

  it('counts the repetitions a bounded cycle has left across the skipped slots', () => {
    const bounded = { timerType: 'timeCycle', value: 'R100/PT1H' } as const;
    const first = nextStartTimerDue(bounded, at('2027-01-04T00:00:00Z'), true)!;
    expect(first.remaining).toBe(99);
    const slot = catchUpSlot(bounded, first.dueAt, first.remaining, at('2027-01-07T00:30:00Z'));
    expect(slot).toEqual({ dueAt: at('2027-01-06T01:00:00Z'), remaining: 99 - 48, skipped: true });
  });

  it('a cron of every minute after a week down starts 24 instances, not 10,080', () => {
    const slot = catchUpSlot({ timerType: 'timeCycle', value: '* * * * *' }, at('2027-01-04T00:00:00Z'), undefined, at('2027-01-11T00:00:00Z'), 24);
    expect(slot).toEqual({ dueAt: at('2027-01-10T23:37:00Z'), skipped: true });
  });

  it('a cron whose missed slots fit in the cap is caught up slot by slot', () => {
    const slot = catchUpSlot({ timerType: 'timeCycle', value: '0 9 * * *' }, at('2027-01-04T01:00:00Z'), undefined, at('2027-01-10T02:00:00Z'));
    expect(slot).toEqual({ dueAt: at('2027-01-04T01:00:00Z'), skipped: false });
  });
});
