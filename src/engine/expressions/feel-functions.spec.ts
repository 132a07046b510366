import { date } from 'feelin';
import { FeelFunctionRegistry, isFeelBuiltinName } from './feel-functions';
import { evaluateFeel } from './feel';

/** A stand-in for the calendar module's function: skips Saturdays and Sundays only. */
function addWorkingDays(start: string, n: number): string {
  const day = new Date(`${start}T00:00:00Z`);
  for (let left = n; left > 0; ) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) left--;
  }
  return day.toISOString().slice(0, 10);
}

describe('FeelFunctionRegistry', () => {
  it('calls a registered function whose name has spaces, with plain arguments', () => {
    const seen: unknown[] = [];
    const registry = new FeelFunctionRegistry().register('add working days', (start: string, n: number) => {
      seen.push(start, n);
      return addWorkingDays(start, n);
    });
    // 2025-01-03 is a Friday: three working days later is Wednesday the 8th.
    expect(evaluateFeel('add working days(date("2025-01-03"), 3)', {}, registry)).toBe('2025-01-08');
    expect(seen).toEqual(['2025-01-03', 3]);
    expect(evaluateFeel('add  working   days(applied, n)', { applied: '2025-01-03', n: 1 }, registry)).toBe('2025-01-06');
  });

  it('binds named arguments by the parameter names it was given or read from the function', () => {
    const registry = new FeelFunctionRegistry()
      .register('add working days', addWorkingDays)
      .register('deadline', (...args: unknown[]) => `${String(args[0])}/${String(args[1])}`, ['from', 'days']);
    expect(evaluateFeel('add working days(n: 1, start: "2025-01-03")', {}, registry)).toBe('2025-01-06');
    expect(evaluateFeel('deadline(days: 15, from: "2025-01-03")', {}, registry)).toBe('2025-01-03/15');
  });

  it('lets a function return FEEL dates (comparable in FEEL) or JS Dates (date and time)', () => {
    const registry = new FeelFunctionRegistry()
      .register('statutory date', () => date('2025-06-30'), [])
      .register('opened at', () => new Date('2025-01-01T00:00:00Z'), []);
    expect(evaluateFeel('statutory date() > date("2025-06-01")', {}, registry)).toBe(true);
    expect(evaluateFeel('statutory date()', {}, registry)).toBe('2025-06-30');
    expect(evaluateFeel('opened at() < date and time("2025-01-02T00:00:00Z")', {}, registry)).toBe(true);
  });

  it('never lets a function hand a callable back to FEEL', () => {
    const registry = new FeelFunctionRegistry().register('leak', () => () => 'ran', []);
    expect(evaluateFeel('leak()', {}, registry)).toBeNull();
  });

  it.each(['count', 'now', 'today', 'date', 'string length', 'sum', 'get value'])('refuses the FEEL built-in %j', (name) => {
    expect(() => new FeelFunctionRegistry().register(name, () => 1, [])).toThrow(/built-in/);
  });

  it.each(['', 'for', 'true', 'a.b', 'f(x)', '1abc', 'date and time', 'x + y'])('refuses %j, which is not a plain FEEL name', (name) => {
    expect(() => new FeelFunctionRegistry().register(name, () => 1, [])).toThrow();
  });

  it('refuses JavaScript object-model words and duplicates', () => {
    expect(() => new FeelFunctionRegistry().register('my constructor', () => 1, [])).toThrow(/constructor/);
    const registry = new FeelFunctionRegistry().register('quota', () => 1, []);
    expect(() => registry.register('quota', () => 2, [])).toThrow(/already registered/);
  });

  it('asks for parameter names it cannot read', () => {
    const bound = addWorkingDays.bind(null);
    expect(() => new FeelFunctionRegistry().register('bound days', bound)).toThrow(/pass them/);
    expect(() => new FeelFunctionRegistry().register('bound days', bound, ['start', 'n'])).not.toThrow();
  });

  it('answers has() and context() with normalised names', () => {
    const registry = new FeelFunctionRegistry().register('  add   working days ', addWorkingDays);
    expect(registry.has('add working days')).toBe(true);
    expect(registry.has('add  working days')).toBe(true);
    expect(registry.names()).toEqual(['add working days']);
    expect(Object.keys(registry.context())).toEqual(['add working days']);
  });

  it('binds now() and today() to an injected clock in the configured zone', () => {
    const clock = { now: () => new Date('2025-01-01T17:30:00Z') };
    const shanghai = new FeelFunctionRegistry({ clock, timeZone: 'Asia/Shanghai' });
    expect(evaluateFeel('today()', {}, shanghai)).toBe('2025-01-02');
    expect(evaluateFeel('now()', {}, shanghai)).toBe('2025-01-02T01:30:00+08:00');
    expect(evaluateFeel('now() > date and time("2025-01-01T17:00:00Z")', {}, shanghai)).toBe(true);
    const utc = new FeelFunctionRegistry({ clock });
    expect(evaluateFeel('now()', {}, utc)).toBe('2025-01-01T17:30:00Z');
  });

  it('refuses an unknown time zone', () => {
    expect(() => new FeelFunctionRegistry({ timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
  });

  it('tells FEEL built-ins from other names', () => {
    expect(isFeelBuiltinName('string length')).toBe(true);
    expect(isFeelBuiltinName('add working days')).toBe(false);
  });
});
