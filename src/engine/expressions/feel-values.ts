import { FeelDate, FeelDateTime, FeelDuration, FeelTime, dateAndTime, toFeel } from 'feelin';

/** Keys that only matter to JavaScript's object model; no diagram has a reason to name them. */
export const FORBIDDEN_NAMES: readonly string[] = ['constructor', '__proto__', 'prototype'];
const FORBIDDEN_KEYS = new Set(FORBIDDEN_NAMES);

// Process variables are small JSON documents; anything deeper is a mistake or a cycle.
const MAX_DEPTH = 32;

/**
 * Copies a value into what FEEL may see: JSON-like data plus FEEL temporals. Functions, class
 * instances (an Environment, a Buffer, a Map) and prototype-shaped keys are dropped, so an
 * expression can only ever call FEEL built-ins and registered functions. A JS Date becomes a
 * FEEL date and time (UTC). Returns undefined for values that are not data.
 */
export function toFeelValue(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return value;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return value;
  if (type !== 'object') return undefined;
  if (isFeelTemporal(value)) return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : toFeel(value);
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => toFeelValue(item, depth + 1) ?? null);
  if (!isPlainObject(value)) return undefined;
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(key)) continue;
    const converted = toFeelValue(entry, depth + 1);
    if (converted !== undefined) copy[key] = converted;
  }
  return copy;
}

/**
 * Converts a FEEL result back to plain data. Temporals become ISO 8601 strings so they can feed
 * timer timeDate/timeDuration and due dates: a date as `YYYY-MM-DD`, a date and time with its
 * UTC offset (a named zone is replaced by its offset at that instant; a local date and time gets
 * `timeZone`'s offset when one is given), a duration as `P…`. FEEL functions and ranges are not
 * data and become null.
 */
export function fromFeelValue(value: unknown, timeZone?: string, depth = 0): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if (value instanceof FeelDateTime) return dateTimeToIso(value, timeZone);
  if (value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDuration) return value.toString();
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item) => fromFeelValue(item, timeZone, depth + 1));
  if (!isPlainObject(value)) return null;
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    if (!FORBIDDEN_KEYS.has(key)) copy[key] = fromFeelValue(entry, timeZone, depth + 1);
  }
  return copy;
}

export function isFeelTemporal(value: unknown): value is FeelDate | FeelTime | FeelDateTime | FeelDuration {
  return value instanceof FeelDate || value instanceof FeelTime || value instanceof FeelDateTime || value instanceof FeelDuration;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  // Object.prototype of any realm (its own prototype is null): the step recovers state through
  // structuredClone, whose objects belong to the host realm when the code runs in a vm context
  // (jest); comparing with this realm's Object.prototype made every such object null in FEEL
  return proto === null || (Object.getPrototypeOf(proto) === null && Object.prototype.toString.call(value) === '[object Object]');
}

const OFFSET_SUFFIX = /(Z|[+-]\d{2}:\d{2})$/;

function dateTimeToIso(value: FeelDateTime, timeZone: string | undefined): string {
  // feelin prints a named zone as `…@Asia/Shanghai`, which no ISO 8601 parser accepts.
  const text = value.toString();
  const at = text.indexOf('@');
  if (at >= 0) return text.slice(0, at) + formatOffset(value['time offset']);
  if (OFFSET_SUFFIX.test(text) || !timeZone) return text;
  const zoned = dateAndTime(`${text}@${timeZone}`);
  return zoned ? dateTimeToIso(zoned, undefined) : text;
}

function formatOffset(offset: FeelDuration | null): string {
  if (!offset) return 'Z';
  const total = offset.hours * 3600 + offset.minutes * 60 + offset.seconds;
  if (total === 0) return 'Z';
  const abs = Math.abs(total);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${total < 0 ? '-' : '+'}${pad(Math.floor(abs / 3600))}:${pad(Math.floor((abs % 3600) / 60))}`;
}
