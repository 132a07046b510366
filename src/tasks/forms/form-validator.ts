/**
 * Checks submitted task data against a form-js schema and returns every bad field at once. Pure:
 * the data at hand (current values, a FEEL evaluator, today's date) comes in as arguments.
 *
 * The form becomes a JSON Schema for this submission (form-json-schema.ts) and ajv checks it with
 * all errors collected; each ajv error is then told in the form's own words (field path, label,
 * a code, English and Chinese), together with the values sent for hidden, read-only and disabled
 * fields. form-js' viewer checks the same things in the browser; this is the check a caller
 * cannot skip.
 */
import Ajv, { ErrorObject } from 'ajv';
import type { FormSchema } from '../../engine';
import { FormFieldErrorCode as Code, FormFieldProblem, MessageFacts, describeProblem } from './form-field-errors';
import { addFormFormats } from './form-formats';
import { BuildContext, FieldAnnotation, JsonSchema, SubmissionSchemaBuilder } from './form-json-schema';
import { displayPath } from './form-values';

export type FormValidationContext = Partial<BuildContext>;

/**
 * A fresh ajv per check: compiling on a shared instance keeps every compiled schema's values in
 * its scope for good (about 15 kB each), and these schemas differ with the data. Compiling one
 * costs a few milliseconds; the generated schemas are ours, so ajv does not re-validate them.
 */
function newAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    verbose: true,
    strictTuples: false,
    // an option field whose options are not known here takes text, a number or true/false
    allowUnionTypes: true,
    validateSchema: false,
    meta: false,
    // patterns run as form-js runs them in the browser: new RegExp(pattern), no flags
    unicodeRegExp: false,
    multipleOfPrecision: 9,
    // an entry schema shared by many list entries is compiled once, not inlined at each
    inlineRefs: false,
  });
  addFormFormats(ajv);
  ajv.addVocabulary(['x-field']);
  return ajv;
}

export function validateFormData(form: Pick<FormSchema, 'components'>, submitted: Record<string, unknown>, ctx: FormValidationContext = {}): FormFieldProblem[] {
  const builder = new SubmissionSchemaBuilder({ current: ctx.current ?? {}, evaluate: ctx.evaluate, today: ctx.today });
  const { schema, data, locked } = builder.build(form.components ?? [], submitted);
  const validate = newAjv().compile(schema);
  const problems = locked.map((l) => problem(l.code, l.path, l.annotation, {}, sortKey(l.annotation, l.at)));
  if (!validate(data)) problems.push(...(validate.errors ?? []).map(toProblem));
  return report(problems);
}

interface Ranked extends FormFieldProblem {
  key: number[];
}

const LAST = [Number.MAX_SAFE_INTEGER];

function toProblem(e: ErrorObject): Ranked {
  const parent = (e.parentSchema ?? {}) as JsonSchema;
  const segs = pointerSegments(e.instancePath);
  if (e.keyword === 'required') {
    const prop = (e.params as { missingProperty: string }).missingProperty;
    const field = (parent.properties as Record<string, JsonSchema> | undefined)?.[prop]?.['x-field'] as FieldAnnotation | undefined;
    const path = displayPath('', [...segs, prop]);
    return field ? problem(Code.Required, path, field, {}, sortKey(field, indexesOf(segs))) : problem(Code.Required, path, OBJECT, {}, LAST);
  }
  if (e.keyword === 'additionalProperties') {
    return problem(Code.UnknownField, displayPath('', [...segs, (e.params as { additionalProperty: string }).additionalProperty]), OBJECT, {}, LAST);
  }
  const field = parent['x-field'] as FieldAnnotation | undefined;
  // an entry of a checklist or taglist: the problem is the field's
  const at = field?.entry ? segs.slice(0, -1) : segs;
  const [code, facts] = codeOf(e, field ?? OBJECT);
  return problem(code, displayPath('', at), field ?? OBJECT, facts, field ? sortKey(field, indexesOf(at)) : LAST);
}

const OBJECT: FieldAnnotation = { kind: 'object', order: Number.MAX_SAFE_INTEGER, lists: [] };

/** Form order, entry by entry: [list, entry, list, entry, …, field]. */
function sortKey(field: FieldAnnotation, at: number[]): number[] {
  const key: number[] = [];
  field.lists.forEach((list, i) => key.push(list, at[i] ?? 0));
  key.push(field.order);
  return key;
}

function indexesOf(segs: string[]): number[] {
  return segs.filter((s) => /^\d+$/.test(s)).map(Number);
}
function codeOf(e: ErrorObject, field: FieldAnnotation): [Code, MessageFacts] {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type':
      return [Code.InvalidType, { expected: field.kind }];
    case 'enum':
      return [Code.NotAnOption, { options: field.options }];
    case 'uniqueItems':
      return [Code.DuplicateOption, {}];
    case 'minimum':
      return [Code.BelowMin, { limit: params.limit as number }];
    case 'maximum':
      return [Code.AboveMax, { limit: params.limit as number }];
    case 'minLength':
      return [Code.TooShort, { limit: params.limit as number }];
    case 'maxLength':
      return [Code.TooLong, { limit: params.limit as number }];
    case 'pattern':
      return [Code.PatternMismatch, { limit: params.pattern as string, patternMessage: field.patternMessage }];
    case 'format':
      if (params.format === 'email') return [Code.InvalidEmail, {}];
      if (params.format === 'phone') return [Code.InvalidPhone, {}];
      return [Code.InvalidDate, { expected: field.format }];
    case 'formatMinimum':
      return [Code.DateInPast, { limit: params.limit as string }];
    case 'multipleOf':
      return field.decimals !== undefined ? [Code.TooManyDecimals, { limit: field.decimals }] : [Code.StepMismatch, { limit: params.multipleOf as number }];
    default:
      return [Code.Invalid, {}];
  }
}

function problem(code: Code, path: string, field: FieldAnnotation, facts: MessageFacts, key: number[]): Ranked {
  const name = field.label ?? path;
  return { field: path, code, ...describeProblem(code, name, facts), ...(field.label && { label: field.label }), key };
}

/** In form order; one problem per field and code; a field of the wrong type reports only that. */
function report(problems: Ranked[]): FormFieldProblem[] {
  const wrongType = new Set(problems.filter((p) => p.code === Code.InvalidType).map((p) => p.field));
  const seen = new Set<string>();
  return problems
    .filter((p) => !wrongType.has(p.field) || p.code === Code.InvalidType)
    .filter((p) => {
      const key = `${p.field}\u0000${p.code}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((p, i) => ({ p, i }))
    .sort((a, b) => compareKeys(a.p.key, b.p.key) || a.i - b.i)
    .map(({ p: { key: _key, ...rest } }) => rest);
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** `/members/0/name` → `['members', '0', 'name']` */
function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
