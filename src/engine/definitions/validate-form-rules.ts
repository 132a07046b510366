/**
 * Per-component rules of the deploy-time form check: validate values, options, datetime and
 * number settings, conditions. Each problem names the component (see validate-form.ts).
 */
import { FormComponent, OPTION_TYPES, isFeel, isKeyed } from './form-schema';
import type { FormProblems } from './form-problems';

const VALIDATE_KEYS = new Set(['required', 'min', 'max', 'minLength', 'maxLength', 'pattern', 'patternErrorMessage', 'validationType']);
/** Which validate settings each kind of field honours (as form-js' editor offers them). */
const TEXT_TYPES = new Set(['textfield', 'textarea']);
const VALIDATION_TYPES = new Set(['email', 'phone', 'custom', '']);
const SUBTYPES = new Set(['date', 'time', 'datetime']);
const TIME_FORMATS = new Set(['utc_offset', 'utc_normalized', 'no_timezone']);
const OPTIONS_KEY = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

export function checkComponentRules(c: FormComponent, problems: FormProblems): void {
  if (c.validate !== undefined) checkValidate(c, problems);
  if (OPTION_TYPES.has(c.type)) checkOptions(c, problems);
  if (c.type === 'datetime') checkDatetime(c, problems);
  if (c.type === 'number') checkNumber(c, problems);
  checkFlags(c, problems);
}

function checkValidate(c: FormComponent, problems: FormProblems): void {
  const v = c.validate as unknown;
  const bad = (message: string) => problems.add('FORM_VALIDATE_INVALID', message, c);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return bad('"validate" must be an object');
  if (!isKeyed(c.type)) return bad(`"validate" has no effect on a ${c.type}, which holds no value`);
  const validate = v as Record<string, unknown>;
  for (const key of Object.keys(validate)) if (!VALIDATE_KEYS.has(key)) bad(`unknown validate setting "${key}" (known: ${[...VALIDATE_KEYS].join(', ')})`);
  if (validate.required !== undefined && typeof validate.required !== 'boolean') bad('validate.required must be true or false');
  const isText = TEXT_TYPES.has(c.type);
  for (const k of ['min', 'max'] as const) {
    if (validate[k] === undefined) continue;
    if (c.type !== 'number') bad(`validate.${k} applies to number fields only`);
    else if (!isFiniteNumber(validate[k]) && !isFeel(validate[k])) bad(`validate.${k} must be a number or a FEEL expression (=…), not ${JSON.stringify(validate[k])}`);
  }
  for (const k of ['minLength', 'maxLength'] as const) {
    if (validate[k] === undefined) continue;
    if (!isText) bad(`validate.${k} applies to text fields only`);
    else if (!isCount(validate[k]) && !isFeel(validate[k])) bad(`validate.${k} must be a whole number ≥ 0 or a FEEL expression (=…), not ${JSON.stringify(validate[k])}`);
  }
  if (isFiniteNumber(validate.min) && isFiniteNumber(validate.max) && validate.min > validate.max) bad(`validate.min ${validate.min} is above validate.max ${validate.max}`);
  if (isCount(validate.minLength) && isCount(validate.maxLength) && validate.minLength > validate.maxLength) {
    bad(`validate.minLength ${validate.minLength} is above validate.maxLength ${validate.maxLength}`);
  }
  checkPattern(c, validate, isText, problems);
  if (validate.validationType !== undefined && validate.validationType !== null) {
    if (c.type !== 'textfield') bad('validate.validationType applies to text fields only');
    else if (typeof validate.validationType !== 'string' || !VALIDATION_TYPES.has(validate.validationType)) {
      bad(`validate.validationType must be "email", "phone" or "custom", not ${JSON.stringify(validate.validationType)}`);
    }
  }
}

function checkPattern(c: FormComponent, validate: Record<string, unknown>, isText: boolean, problems: FormProblems): void {
  if (validate.patternErrorMessage !== undefined && typeof validate.patternErrorMessage !== 'string') {
    problems.add('FORM_VALIDATE_INVALID', 'validate.patternErrorMessage must be text', c);
  }
  if (validate.pattern === undefined || validate.pattern === '') return;
  if (!isText) return problems.add('FORM_VALIDATE_INVALID', 'validate.pattern applies to text fields only', c);
  if (typeof validate.pattern !== 'string') return problems.add('FORM_PATTERN_INVALID', 'validate.pattern must be text', c);
  try {
    // as form-js tests it in the browser: no flags
    new RegExp(validate.pattern);
  } catch (e) {
    problems.add('FORM_PATTERN_INVALID', `validate.pattern ${JSON.stringify(validate.pattern)} is not a valid regular expression: ${(e as Error).message}`, c);
  }
}

function checkOptions(c: FormComponent, problems: FormProblems): void {
  const bad = (message: string) => problems.add('FORM_OPTIONS_INVALID', message, c);
  const sources = (['values', 'valuesKey', 'valuesExpression'] as const).filter((k) => c[k] !== undefined && c[k] !== '');
  if (sources.length === 0) return bad('a choice field needs its options: "values", "valuesKey" or "valuesExpression"');
  if (sources.length > 1) return bad(`give the options one way, not ${sources.join(' and ')}`);
  if (c.valuesKey !== undefined && (typeof c.valuesKey !== 'string' || !OPTIONS_KEY.test(c.valuesKey))) {
    return bad(`valuesKey ${JSON.stringify(c.valuesKey)} must name a variable`);
  }
  if (c.valuesExpression !== undefined && !isFeel(c.valuesExpression)) return bad('valuesExpression must be a FEEL expression starting with "="');
  if (c.values === undefined) return;
  if (!Array.isArray(c.values) || c.values.length === 0) return bad('"values" must be a non-empty list of { label, value }');
  const seen = new Set<string>();
  c.values.forEach((o: unknown, i) => {
    const option = o as { label?: unknown; value?: unknown } | null;
    if (typeof option !== 'object' || option === null || Array.isArray(option) || !isOptionValue(option.value)) {
      return bad(`option ${i + 1} must be { "label": text, "value": text, number or true/false }`);
    }
    if (option.label !== undefined && typeof option.label !== 'string') return bad(`option ${i + 1}: the label must be text`);
    const key = JSON.stringify(option.value);
    if (seen.has(key)) bad(`the option value ${key} appears twice`);
    seen.add(key);
  });
}

function checkDatetime(c: FormComponent, problems: FormProblems): void {
  if (c.subtype !== undefined && !SUBTYPES.has(c.subtype)) problems.add('FORM_COMPONENT_INVALID', `subtype must be date, time or datetime, not ${JSON.stringify(c.subtype)}`, c);
  if (c.timeSerializingFormat !== undefined && !TIME_FORMATS.has(c.timeSerializingFormat)) {
    problems.add('FORM_COMPONENT_INVALID', `timeSerializingFormat must be utc_offset, utc_normalized or no_timezone, not ${JSON.stringify(c.timeSerializingFormat)}`, c);
  }
}

function checkNumber(c: FormComponent, problems: FormProblems): void {
  if (c.decimalDigits !== undefined && !isCount(c.decimalDigits)) problems.add('FORM_COMPONENT_INVALID', 'decimalDigits must be a whole number ≥ 0', c);
  if (c.increment !== undefined && c.increment !== '') {
    const n = typeof c.increment === 'string' ? Number(c.increment) : c.increment;
    if (!isFiniteNumber(n) || n <= 0) problems.add('FORM_COMPONENT_INVALID', `increment must be a number above 0, not ${JSON.stringify(c.increment)}`, c);
  }
}

function checkFlags(c: FormComponent, problems: FormProblems): void {
  for (const k of ['readonly', 'disabled'] as const) {
    const v = c[k];
    if (v !== undefined && typeof v !== 'boolean' && !isFeel(v)) problems.add('FORM_COMPONENT_INVALID', `${k} must be true, false or a FEEL expression (=…)`, c);
  }
  if (c.conditional !== undefined) {
    const hide = (c.conditional as { hide?: unknown } | null)?.hide;
    if (typeof c.conditional !== 'object' || c.conditional === null || (hide !== undefined && hide !== '' && !isFeel(hide))) {
      problems.add('FORM_EXPRESSION_INVALID', 'conditional.hide must be a FEEL expression starting with "="', c);
    }
  }
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function isCount(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0;
}

function isOptionValue(v: unknown): boolean {
  if (typeof v === 'string') return v !== '';
  if (typeof v === 'number') return Number.isFinite(v);
  return typeof v === 'boolean';
}
