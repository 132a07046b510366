/**
 * Deploy-time check of a form-js schema (`.form`). A form that the completion check could not
 * apply faithfully is refused here, naming the component (id, else key) and the problem: the
 * alternative is a task nobody can complete, or one whose data is never checked.
 */
import { createHash } from 'node:crypto';
import {
  CONTAINER_TYPES, FormComponent, FormSchema, KEY_PATTERN, KEYED_TYPES, LOCAL_EXPRESSION_NAMES, OPTION_TYPES, PRESENTATION_TYPES,
  UNSUPPORTED_TYPES, describeComponent, isFeel, isKeyed, segments,
} from './form-schema';
import { FormProblems } from './form-problems';
import { checkComponentRules } from './validate-form-rules';
import type { DeployProblem } from './validate-bpmn';

export interface ValidateFormOptions {
  /** null when the FEEL text is fine, else the reason */
  checkExpression(text: string): string | null;
  /** the free variables a FEEL text reads */
  expressionVariables(text: string): string[];
}

export interface PreparedForm {
  formId: string;
  schema: FormSchema;
  sha256: string;
  /** top-level variables the form reads: its data when served with a task */
  variables: string[];
}

export const MAX_FORM_BYTES = 1024 * 1024;
const MAX_COMPONENTS = 2000;
const MAX_DEPTH = 10;
const FORM_ID = /^[\p{L}_][\p{L}\p{N}_.-]{0,199}$/u;
/** Names a process variable may have (engine/runtime/variables.ts), and the ones the engine keeps for itself. */
const VARIABLE_NAME = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;
const RESERVED = new Set(['fields', 'content', 'properties', 'environment']);

interface Scope {
  /** data path of the enclosing groups, inside the current scope */
  prefix: string[];
  /** '' at the top; the list's path for the items of a dynamic list */
  name: string;
  depth: number;
}

export function validateForm(content: Buffer | string, opts: ValidateFormOptions): { errors: DeployProblem[] } | { form: PreparedForm } {
  const problems = new FormProblems();
  const text = typeof content === 'string' ? content : content.toString('utf8');
  if (Buffer.byteLength(text) > MAX_FORM_BYTES) {
    problems.add('FORM_TOO_LARGE', `The form is ${Buffer.byteLength(text)} bytes; the limit is ${MAX_FORM_BYTES}`);
    return { errors: problems.list };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    problems.add('FORM_NOT_JSON', `Not a JSON document: ${(e as Error).message}`);
    return { errors: problems.list };
  }
  if (!isObject(parsed)) {
    problems.add('FORM_NOT_JSON', 'A form-js schema is a JSON object with "id" and "components"');
    return { errors: problems.list };
  }
  const schema = parsed as FormSchema;
  checkHeader(schema, problems);
  const walker = new Walker(problems, opts);
  if (Array.isArray(schema.components)) walker.walk(schema.components, { prefix: [], name: '', depth: 0 });
  walker.checkPaths();
  if (problems.list.length) return { errors: problems.list };
  const normalized = JSON.stringify(schema);
  return {
    form: {
      formId: schema.id,
      schema,
      sha256: createHash('sha256').update(normalized).digest('hex'),
      variables: [...walker.variables].sort(),
    },
  };
}

function checkHeader(schema: FormSchema, problems: FormProblems): void {
  if (schema.id === undefined || schema.id === null || schema.id === '') {
    problems.add('FORM_ID_MISSING', 'The form has no "id": tasks reference a form by it (camunda:formKey, zeebe:formDefinition formId)');
  } else if (typeof schema.id !== 'string' || !FORM_ID.test(schema.id)) {
    problems.add('FORM_ID_INVALID', `The form id ${JSON.stringify(schema.id)} must be text of letters, digits, "_", "-" or "." (at most 200), starting with a letter or "_"`);
  }
  if (schema.type !== undefined && schema.type !== 'default') {
    problems.add('FORM_TYPE_INVALID', `A form-js schema has "type": "default", not ${JSON.stringify(schema.type)}`);
  }
  if (!Array.isArray(schema.components)) {
    problems.add('FORM_COMPONENTS_MISSING', 'The form has no "components" list');
  }
}

class Walker {
  readonly variables = new Set<string>();
  private readonly ids = new Set<string>();
  /** per scope: every data path a field binds, with the component that binds it */
  private readonly values = new Map<string, Map<string, FormComponent>>();
  private count = 0;

  constructor(
    private readonly problems: FormProblems,
    private readonly opts: ValidateFormOptions,
  ) {}

  walk(components: unknown[], scope: Scope): void {
    if (scope.depth > MAX_DEPTH) {
      this.problems.add('FORM_TOO_DEEP', `Groups and lists nest more than ${MAX_DEPTH} levels deep`);
      return;
    }
    for (const item of components) {
      if (++this.count > MAX_COMPONENTS) {
        if (this.count === MAX_COMPONENTS + 1) this.problems.add('FORM_TOO_LARGE', `The form has more than ${MAX_COMPONENTS} components`);
        return;
      }
      if (!isObject(item) || typeof item.type !== 'string') {
        this.problems.add('FORM_COMPONENT_INVALID', `Component ${this.count} is not an object with a "type"`);
        continue;
      }
      this.component(item as FormComponent, scope);
    }
  }

  private component(c: FormComponent, scope: Scope): void {
    if (c.id !== undefined) {
      if (typeof c.id !== 'string' || !c.id) this.problems.add('FORM_COMPONENT_INVALID', 'its "id" must be non-empty text', c);
      else if (this.ids.has(c.id)) this.problems.add('FORM_COMPONENT_ID_DUPLICATE', `the component id ${c.id} is used twice`, c);
      else this.ids.add(c.id);
    }
    if (UNSUPPORTED_TYPES[c.type]) return this.problems.add('FORM_COMPONENT_UNSUPPORTED', `type "${c.type}" is not supported: ${UNSUPPORTED_TYPES[c.type]}`, c);
    const known = isKeyed(c.type) || PRESENTATION_TYPES.has(c.type) || CONTAINER_TYPES.has(c.type);
    if (!known) {
      const all = [...Object.keys(KEYED_TYPES), ...CONTAINER_TYPES, ...PRESENTATION_TYPES].join(', ');
      return this.problems.add('FORM_COMPONENT_TYPE_UNKNOWN', `unknown component type "${c.type}" (known: ${all})`, c);
    }
    checkComponentRules(c, this.problems);
    this.expressions(c);
    if (isKeyed(c.type)) this.bind(c, scope);
    if (c.type === 'group') this.group(c, scope);
    if (c.type === 'dynamiclist') this.list(c, scope);
    // options from a variable are read from the form's data, also inside a dynamic list
    if (OPTION_TYPES.has(c.type) && typeof c.valuesKey === 'string' && c.valuesKey) this.variables.add(c.valuesKey);
  }

  private bind(c: FormComponent, scope: Scope): void {
    if (typeof c.key !== 'string' || !c.key) return this.problems.add('FORM_KEY_MISSING', `a ${c.type} needs a "key": the variable its value is written to`, c);
    if (!KEY_PATTERN.test(c.key)) return this.problems.add('FORM_KEY_INVALID', `the key "${c.key}" must be dot-separated names of letters, digits and "_"`, c);
    this.claim([...scope.prefix, ...segments(c.key)], c, scope);
  }

  private group(c: FormComponent, scope: Scope): void {
    let prefix = scope.prefix;
    if (c.path !== undefined && c.path !== '') {
      if (typeof c.path !== 'string' || !KEY_PATTERN.test(c.path)) return this.problems.add('FORM_PATH_INVALID', `the path "${String(c.path)}" must be dot-separated names`, c);
      prefix = [...prefix, ...segments(c.path)];
      this.checkTopName(prefix[0], c, scope);
    }
    if (c.components !== undefined && !Array.isArray(c.components)) return this.problems.add('FORM_COMPONENT_INVALID', '"components" must be a list', c);
    this.walk(c.components ?? [], { ...scope, prefix, depth: scope.depth + 1 });
  }

  private list(c: FormComponent, scope: Scope): void {
    if (typeof c.path !== 'string' || !c.path) return this.problems.add('FORM_PATH_MISSING', 'a dynamic list needs a "path": the list variable its items are written to', c);
    if (!KEY_PATTERN.test(c.path)) return this.problems.add('FORM_PATH_INVALID', `the path "${c.path}" must be dot-separated names`, c);
    const full = [...scope.prefix, ...segments(c.path)];
    this.claim(full, c, scope);
    if (c.components !== undefined && !Array.isArray(c.components)) return this.problems.add('FORM_COMPONENT_INVALID', '"components" must be a list', c);
    const name = `${scope.name}${scope.name ? '/' : ''}${full.join('.')}[]`;
    this.walk(c.components ?? [], { prefix: [], name, depth: scope.depth + 1 });
  }

  private claim(path: string[], c: FormComponent, scope: Scope): void {
    this.checkTopName(path[0], c, scope);
    const paths = this.values.get(scope.name) ?? new Map<string, FormComponent>();
    this.values.set(scope.name, paths);
    const key = path.join('.');
    const other = paths.get(key);
    if (other) return this.problems.add('FORM_KEY_DUPLICATE', `"${key}" is also bound by ${describeComponent(other)}`, c);
    paths.set(key, c);
  }

  private checkTopName(name: string, c: FormComponent, scope: Scope): void {
    if (scope.name !== '') return;
    if (RESERVED.has(name)) this.problems.add('FORM_KEY_RESERVED', `"${name}" is reserved by the engine; choose another variable name`, c);
    else if (!VARIABLE_NAME.test(name)) this.problems.add('FORM_KEY_INVALID', `"${name}" cannot be a process variable name (it starts with a digit)`, c);
    else this.variables.add(name);
  }

  /** A field's key inside another field's key (`applicant` and `applicant.name`) would overwrite one with the other. */
  checkPaths(): void {
    for (const paths of this.values.values()) {
      const keys = [...paths.keys()].sort();
      for (let i = 1; i < keys.length; i++) {
        const [outer, inner] = [keys[i - 1], keys[i]];
        if (inner.startsWith(`${outer}.`)) this.problems.add('FORM_KEY_DUPLICATE', `"${inner}" lies inside "${outer}", which ${describeComponent(paths.get(outer)!)} binds`, paths.get(inner));
      }
    }
  }

  private expressions(c: FormComponent): void {
    const texts: [string, unknown][] = [
      ['conditional.hide', c.conditional?.hide],
      ['readonly', c.readonly],
      ['disabled', c.disabled],
      ['valuesExpression', c.valuesExpression],
      ...(['min', 'max', 'minLength', 'maxLength'] as const).map((k): [string, unknown] => [`validate.${k}`, isObject(c.validate) ? c.validate[k] : undefined]),
    ];
    for (const [where, value] of texts) {
      if (!isFeel(value)) continue;
      const problem = this.opts.checkExpression(value);
      if (problem) {
        this.problems.add('FORM_EXPRESSION_INVALID', `${where} ${JSON.stringify(value)}: ${problem}`, c);
        continue;
      }
      for (const name of this.opts.expressionVariables(value)) if (!LOCAL_EXPRESSION_NAMES.has(name)) this.variables.add(name);
    }
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
