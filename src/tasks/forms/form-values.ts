/** Small helpers over form data: paths, merging, emptiness and options as form-js reads them. */
import type { FormComponent } from '../../engine';

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getPath(obj: unknown, path: string[]): unknown {
  let v = obj;
  for (const s of path) v = isPlainObject(v) ? v[s] : undefined;
  return v;
}

/** Objects merged key by key (the submission over the current values), anything else replaced. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

/** `members`, `0`, `name` → `members[0].name` */
export function displayPath(base: string, segs: string[]): string {
  return segs.reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), base);
}

/** form-js leaves a field empty with null, '' or []; an unchecked checkbox counts as empty for "required". */
export function isEmpty(value: unknown, c: FormComponent): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  return c.type === 'checkbox' && value === false;
}

/** The value as checked: text trimmed, a number sent as text (serializeToString) as a number. */
export function normalize(raw: unknown, c: FormComponent): unknown {
  if (typeof raw === 'string' && (c.type === 'textfield' || c.type === 'textarea')) return raw.trim();
  if (c.type === 'number' && c.serializeToString && typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw))) return Number(raw);
  return raw;
}

/** An option as form-js accepts it: a plain value, or `{ label, value }`; null when unusable. */
export function normalizeOption(o: unknown): { label: string; value: unknown } | null {
  const primitive = (v: unknown) => (typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';
  if (primitive(o)) return { label: String(o), value: o };
  if (!isPlainObject(o)) return null;
  const value = o.value;
  if (!primitive(value) && !(isPlainObject(value) && Object.keys(value).length)) return null;
  return { label: typeof o.label === 'string' && o.label ? o.label : String(value), value };
}

export function finite(v: unknown): number | undefined {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

export function count(v: unknown): number | undefined {
  const n = finite(v);
  return n !== undefined && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** As form-js builds it: the data's names, plus `this`, `parent` and `i` (and `_this_`, `_parent_`, `_i_`). */
export function expressionContext(data: Record<string, unknown>, self: unknown, parent: unknown, indexes: number[]): Record<string, unknown> {
  return { this: self, parent, i: indexes, ...data, _this_: self, _parent_: parent, _i_: indexes };
}
