import { FeelFunction, date, dateAndTime, evaluate, parseExpression, toFeel } from 'feelin';
import { LruCache } from './lru-cache';
import { FORBIDDEN_NAMES, fromFeelValue, toFeelValue } from './feel-values';

// `any` so that typed functions such as `(start: string, n: number) => string` can be registered.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FeelFunctionImpl = (...args: any[]) => unknown;

export interface FeelFunctionRegistryOptions {
  /** Source of FEEL's `now()` and `today()`, so a moved test clock moves them too. */
  clock?: { now(): Date };
  /** IANA zone (e.g. `Asia/Shanghai`) for `today()`, `now()` and date-times written without an offset. */
  timeZone?: string;
}

/**
 * The FEEL functions a diagram may call besides FEEL's built-ins; nothing else is callable.
 * Modules register plain functions (the calendar's `add working days(start, n)`); they receive
 * plain arguments (FEEL dates and durations arrive as ISO 8601 strings) and may return plain data,
 * a JS Date (a FEEL date and time) or a feelin temporal such as `date("2025-01-02")`.
 */
export class FeelFunctionRegistry {
  readonly timeZone: string | undefined;
  private readonly clock: { now(): Date } | undefined;
  private readonly functions = new Map<string, FeelFunction>();
  private snapshot: Record<string, unknown> | null = null;
  private version = 0;

  constructor(options: FeelFunctionRegistryOptions = {}) {
    if (options.timeZone !== undefined) assertTimeZone(options.timeZone);
    this.timeZone = options.timeZone;
    this.clock = options.clock;
  }

  /** Bumped on every registration: expressions compiled against an older set are recompiled. */
  get revision(): number {
    return this.version;
  }

  register(name: string, fn: FeelFunctionImpl, params?: string[]): this {
    const key = normalizeFeelName(name);
    assertRegistrableName(key);
    if (this.functions.has(key)) throw new Error(`FEEL function "${key}" is already registered`);
    const parameterNames = params ?? inferParameterNames(fn, key);
    const call = (...args: unknown[]) => toFeelValue(fn(...args.map((a) => fromFeelValue(a, this.timeZone)))) ?? null;
    this.functions.set(key, new FeelFunction(call, parameterNames));
    this.snapshot = null;
    this.version += 1;
    return this;
  }

  has(name: string): boolean {
    return this.functions.has(normalizeFeelName(name));
  }

  names(): string[] {
    return [...this.functions.keys()];
  }

  /** The FEEL context holding the registered functions (and the clock-bound now/today). */
  context(): Record<string, unknown> {
    if (!this.snapshot) this.snapshot = { ...this.clockFunctions(), ...Object.fromEntries(this.functions) };
    return this.snapshot;
  }

  private clockFunctions(): Record<string, FeelFunction> {
    const clock = this.clock;
    if (!clock) return {};
    const zone = this.timeZone;
    // A context entry shadows the built-in of the same name, which reads the system clock.
    return {
      now: new FeelFunction(() => (zone ? dateAndTime(`${wallClock(clock.now(), zone)}@${zone}`) : toFeel(clock.now())), []),
      today: new FeelFunction(() => date(wallClock(clock.now(), zone ?? systemTimeZone()).slice(0, 10)), []),
    };
  }
}

/** FEEL treats runs of whitespace inside a name as one space. */
export function normalizeFeelName(name: string): string {
  return name.trim().replace(/\s+/g, ' ');
}

const builtinNames = new LruCache<string, boolean>(512);

/** Whether FEEL itself resolves `name` (a built-in function) when no context defines it. */
export function isFeelBuiltinName(name: string): boolean {
  const key = normalizeFeelName(name);
  let known = builtinNames.get(key);
  if (known === undefined) {
    // Evaluating a bare name with an empty context only looks it up; nothing is called.
    // A name that only parses with itself in the context (`working days between`) is no built-in.
    try {
      known = !evaluate(key, {}).warnings.some((w) => w.type === 'NO_VARIABLE_FOUND');
    } catch {
      known = false;
    }
    builtinNames.set(key, known);
  }
  return known;
}

/**
 * Whether `name` parses as exactly one FEEL variable name (spaces allowed; a one-word name must
 * not be a keyword). A name of several plain words may contain a keyword, as the calendar's
 * `working days between` does: FEEL reads it as one name because the context holds it.
 */
export function isPlainFeelName(name: string): boolean {
  if (parsesAsOneName(name, {})) return true;
  return /\s/.test(name) && /^[\p{L}_][\p{L}\p{N}_ ]*$/u.test(name) && parsesAsOneName(name, { [name]: null });
}

function parsesAsOneName(name: string, context: Record<string, unknown>): boolean {
  let whole = false;
  let broken = false;
  parseExpression(name, context, undefined).iterate({
    enter(node) {
      if (node.type.isError) broken = true;
      if (node.name === 'VariableName' && node.from === 0 && node.to === name.length) whole = true;
    },
  });
  return whole && !broken;
}

function assertRegistrableName(name: string): void {
  if (!name) throw new Error('A FEEL function needs a name');
  const forbidden = FORBIDDEN_NAMES.find((word) => name.includes(word));
  if (forbidden) throw new Error(`FEEL function name "${name}" contains "${forbidden}"`);
  if (!isPlainFeelName(name)) throw new Error(`"${name}" is not a plain FEEL name (letters, digits, spaces; not a keyword)`);
  if (isFeelBuiltinName(name)) throw new Error(`"${name}" is a FEEL built-in and cannot be redefined`);
}

const PARAMS = /^(?:async\s+)?(?:function\s*\*?\s*)?(?:[A-Za-z_$][\w$]*\s*)?\(([^)]*)\)/;
const SINGLE_ARROW_PARAM = /^(?:async\s+)?([A-Za-z_$][\w$]*)\s*=>/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Parameter names let FEEL call a function with named arguments (`f(start: d, n: 3)`). */
function inferParameterNames(fn: FeelFunctionImpl, name: string): string[] {
  const source = Function.prototype.toString.call(fn);
  const match = PARAMS.exec(source) ?? SINGLE_ARROW_PARAM.exec(source);
  const names = match && !source.includes('[native code]') ? match[1].split(',').map((p) => p.replace(/=[^]*$/, '').trim()) : null;
  const cleaned = names?.filter((p) => p !== '');
  if (!cleaned || !cleaned.every((p) => IDENTIFIER.test(p))) {
    throw new Error(`Cannot read the parameter names of FEEL function "${name}"; pass them to register()`);
  }
  return cleaned;
}

function assertTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new Error(`Unknown time zone "${zone}"`);
  }
}

function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** `YYYY-MM-DDTHH:mm:ss.sss` as a wall clock in `zone` shows it at `instant`. */
function wallClock(instant: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  const ms = String(instant.getUTCMilliseconds()).padStart(3, '0');
  return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}.${ms}`;
}
