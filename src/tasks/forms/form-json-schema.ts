/**
 * Turns a form-js schema plus the data at hand into a JSON Schema for one submission, and a copy
 * of the submission to check against it (empty values dropped, text trimmed). What depends on
 * the data is decided here, the way form-js decides it in the browser: hidden fields (FEEL
 * `conditional.hide`), read-only and disabled fields, options from a variable or a FEEL
 * expression, FEEL limits, dynamic-list entries. ajv then checks types, options, limits, patterns
 * and formats; the fields a submitter may not set are compared here.
 *
 * Entries of a dynamic list usually share one schema: identical item schemas are compiled once
 * (as `definitions`), so a list of a thousand entries costs what one entry costs.
 */
import { isDeepStrictEqual } from 'node:util';
import { FormComponent, KEYED_TYPES, KeyedType, isFeel, isKeyed, segments } from '../../engine';
import { FormFieldErrorCode } from './form-field-errors';
import { expectedFormat, formatName } from './form-formats';
import { count, deepMerge, displayPath, expressionContext, finite, getPath, isEmpty, isPlainObject, normalize, normalizeOption } from './form-values';

export type Evaluate = (expression: string, context: Record<string, unknown>) => unknown;
export type JsonSchema = Record<string, unknown>;

/** Annotation on every field's schema (`x-field`): what error messages and their order need. */
export interface FieldAnnotation {
  label?: string;
  kind: (typeof KEYED_TYPES)[KeyedType] | 'list' | 'object';
  /** the component's position in the form */
  order: number;
  /** positions of the dynamic lists it sits in, outermost first */
  lists: number[];
  /** the schema of one entry of a checklist or taglist: problems name the field */
  entry?: true;
  options?: string[];
  format?: string;
  patternMessage?: string;
  decimals?: number;
}

/** A value for a field the submitter may not set, found without ajv. */
export interface LockedProblem {
  path: string;
  /** list entry indexes on the path, for ordering */
  at: number[];
  code: FormFieldErrorCode.Hidden | FormFieldErrorCode.ReadOnly | FormFieldErrorCode.Disabled;
  annotation: FieldAnnotation;
}

export interface BuildContext {
  current: Record<string, unknown>;
  evaluate?: Evaluate;
  today?: string;
}

interface Node {
  schema: { type: 'object'; properties: Record<string, JsonSchema>; required: string[]; additionalProperties: false; 'x-field'?: FieldAnnotation };
  copy: Record<string, unknown>;
  children: Map<string, Node>;
  broken?: boolean;
}

interface Scope {
  node: Node;
  /** the whole form's data (current values with the submission over them), as FEEL and valuesKey read it */
  root: Record<string, unknown>;
  current: unknown;
  prefix: string[];
  display: string;
  feel: Record<string, unknown>;
  hidden: boolean;
  lists: number[];
  /** 0-based entry indexes of the enclosing lists */
  at: number[];
}

const LOCK_CODES = { hidden: FormFieldErrorCode.Hidden, readonly: FormFieldErrorCode.ReadOnly, disabled: FormFieldErrorCode.Disabled } as const;

function newNode(raw: Record<string, unknown>, annotation?: FieldAnnotation): Node {
  return {
    schema: { type: 'object', properties: {}, required: [], additionalProperties: false, ...(annotation && { 'x-field': annotation }) },
    copy: { ...raw },
    children: new Map(),
  };
}

export class SubmissionSchemaBuilder {
  private readonly orders = new Map<FormComponent, number>();
  private readonly definitions = new Map<string, string>();
  private readonly defs: Record<string, JsonSchema> = {};
  private readonly locked: LockedProblem[] = [];

  constructor(private readonly ctx: BuildContext) {}

  build(components: FormComponent[], submitted: Record<string, unknown>): { schema: JsonSchema; data: Record<string, unknown>; locked: LockedProblem[] } {
    this.number(components);
    const root = newNode(submitted);
    const data = deepMerge(this.ctx.current, submitted) as Record<string, unknown>;
    const scope = { node: root, root: data, current: this.ctx.current, prefix: [], display: '', hidden: false, lists: [], at: [] };
    this.scope(components, { ...scope, feel: expressionContext(data, data, null, []) });
    const schema = { ...root.schema, ...(this.definitions.size && { definitions: this.defs }) };
    return { schema, data: root.copy, locked: this.locked };
  }

  private number(components: FormComponent[]): void {
    for (const c of components) {
      this.orders.set(c, this.orders.size);
      if (Array.isArray(c.components)) this.number(c.components);
    }
  }

  private scope(components: FormComponent[], scope: Scope): void {
    for (const c of components) {
      const hidden = scope.hidden || this.isTrue(c.conditional?.hide, scope.feel);
      if (c.type === 'group') {
        const prefix = [...scope.prefix, ...segments(typeof c.path === 'string' ? c.path : undefined)];
        this.scope(c.components ?? [], { ...scope, prefix, hidden });
      } else if (c.type === 'dynamiclist') {
        this.place(c, [...scope.prefix, ...segments(c.path)], scope, hidden);
      } else if (isKeyed(c.type) && typeof c.key === 'string') {
        this.place(c, [...scope.prefix, ...segments(c.key)], scope, hidden);
      }
    }
  }

  /** Puts one field's (or list's) schema and value at its location inside the scope's object. */
  private place(c: FormComponent, location: string[], scope: Scope, hidden: boolean): void {
    const order = this.orders.get(c) ?? 0;
    const parent = this.nodeAt(scope, location.slice(0, -1), order);
    if (parent.broken) return;
    const name = location[location.length - 1];
    const raw = parent.copy[name];
    const annotation: FieldAnnotation = {
      ...(typeof c.label === 'string' && c.label.trim() && { label: c.label.trim() }),
      kind: c.type === 'dynamiclist' ? 'list' : KEYED_TYPES[c.type as KeyedType],
      order,
      lists: scope.lists,
    };
    const lock = hidden ? 'hidden' : this.isTrue(c.disabled, scope.feel) ? 'disabled' : this.isTrue(c.readonly, scope.feel) ? 'readonly' : undefined;
    if (lock) {
      // known to the form, not the submitter's to set: compared here, not by ajv
      delete parent.copy[name];
      parent.schema.properties[name] = { 'x-field': annotation };
      const current = getPath(scope.current, location);
      const changed = raw !== undefined && (lock === 'hidden' || current === undefined ? !isEmpty(raw, c) : !isDeepStrictEqual(raw, current));
      if (changed) this.locked.push({ path: displayPath(scope.display, location), at: scope.at, code: LOCK_CODES[lock], annotation });
      return;
    }
    if (isEmpty(raw, c)) {
      delete parent.copy[name];
      parent.schema.properties[name] = { 'x-field': annotation };
    } else if (c.type === 'dynamiclist') {
      this.list(c, parent, name, raw, getPath(scope.current, location), annotation, { ...scope, display: displayPath(scope.display, location) });
    } else {
      parent.copy[name] = normalize(raw, c);
      parent.schema.properties[name] = this.fieldSchema(c, annotation, scope);
    }
    if (c.validate?.required === true) parent.schema.required.push(name);
  }

  private list(c: FormComponent, parent: Node, name: string, raw: unknown, current: unknown, annotation: FieldAnnotation, scope: Scope): void {
    if (!Array.isArray(raw)) {
      parent.schema.properties[name] = { type: 'array', 'x-field': annotation };
      return;
    }
    const lists = [...scope.lists, annotation.order];
    const copy: unknown[] = [];
    const refs = raw.map((item, i) => {
      if (!isPlainObject(item)) {
        copy.push(item);
        return this.define({ type: 'object', 'x-field': { ...annotation, kind: 'object', lists, order: -1 } });
      }
      const node = newNode(item);
      const currentItem = Array.isArray(current) ? current[i] : undefined;
      const self = deepMerge(currentItem, item);
      const feel = expressionContext(scope.root, self, scope.feel.this, [...scope.at, i].map((n) => n + 1));
      this.scope(c.components ?? [], { ...scope, node, current: currentItem, prefix: [], display: `${scope.display}[${i}]`, feel, hidden: false, lists, at: [...scope.at, i] });
      copy.push(node.copy);
      return this.define(node.schema);
    });
    parent.copy[name] = copy;
    const same = refs.every((r) => r.$ref === refs[0]?.$ref);
    parent.schema.properties[name] = { type: 'array', ...(refs.length && { items: same ? refs[0] : refs }), 'x-field': annotation };
  }

  /** A schema kept once under `definitions`, however many entries use it. */
  private define(schema: JsonSchema): { $ref: string } {
    const json = JSON.stringify(schema);
    let name = this.definitions.get(json);
    if (!name) {
      name = `entry${this.definitions.size}`;
      this.definitions.set(json, name);
      this.defs[name] = schema;
    }
    return { $ref: `#/definitions/${name}` };
  }

  /** The object node at `segs` inside the scope, made on the way (missing objects count as empty ones). */
  private nodeAt(scope: Scope, segs: string[], order: number): Node {
    let node = scope.node;
    for (const s of segs) {
      if (node.broken) return node;
      let child = node.children.get(s);
      if (!child) {
        const raw = node.copy[s];
        child = newNode(isPlainObject(raw) ? raw : {}, { kind: 'object', order, lists: scope.lists });
        if (raw !== undefined && raw !== null && !isPlainObject(raw)) child.broken = true;
        node.children.set(s, child);
        node.schema.properties[s] = child.broken ? { type: 'object', 'x-field': child.schema['x-field'] } : child.schema;
        if (!child.broken) node.copy[s] = child.copy;
      }
      node = child;
    }
    return node;
  }

  private fieldSchema(c: FormComponent, annotation: FieldAnnotation, scope: Scope): JsonSchema {
    const v = c.validate ?? {};
    const schema: JsonSchema = { 'x-field': annotation };
    switch (annotation.kind) {
      case 'text': {
        schema.type = 'string';
        const minLength = count(this.resolve(v.minLength, scope.feel));
        const maxLength = count(this.resolve(v.maxLength, scope.feel));
        if (minLength !== undefined) schema.minLength = minLength;
        if (maxLength !== undefined) schema.maxLength = maxLength;
        if (typeof v.pattern === 'string' && v.pattern) {
          schema.pattern = v.pattern;
          if (v.patternErrorMessage) annotation.patternMessage = v.patternErrorMessage;
        }
        if (c.type === 'textfield' && (v.validationType === 'email' || v.validationType === 'phone')) schema.format = v.validationType;
        break;
      }
      case 'number':
        Object.assign(schema, this.numberSchema(c, annotation, scope.feel));
        break;
      case 'boolean':
        schema.type = 'boolean';
        break;
      case 'datetime':
        schema.type = 'string';
        schema.format = formatName(c);
        annotation.format = expectedFormat(c);
        if (c.disallowPassedDates && c.subtype !== 'time' && this.ctx.today) schema.formatMinimum = this.ctx.today;
        break;
      case 'option':
      case 'options':
        Object.assign(schema, this.optionSchema(c, annotation, scope));
        break;
    }
    return schema;
  }

  private numberSchema(c: FormComponent, annotation: FieldAnnotation, feel: Record<string, unknown>): JsonSchema {
    const v = c.validate ?? {};
    const schema: JsonSchema = { type: 'number' };
    const min = finite(this.resolve(v.min, feel));
    const max = finite(this.resolve(v.max, feel));
    if (min !== undefined) schema.minimum = min;
    if (max !== undefined) schema.maximum = max;
    const step = finite(c.increment);
    if (step !== undefined && step > 0) schema.multipleOf = step;
    else if (Number.isInteger(c.decimalDigits) && (c.decimalDigits as number) >= 0) {
      annotation.decimals = c.decimalDigits as number;
      schema.multipleOf = c.decimalDigits === 0 ? 1 : Number(`1e-${c.decimalDigits}`);
    }
    return schema;
  }

  private optionSchema(c: FormComponent, annotation: FieldAnnotation, scope: Scope): JsonSchema {
    const options = this.options(c, scope);
    if (options) annotation.options = options.map((o) => o.label);
    const item: JsonSchema = options ? { enum: options.map((o) => o.value) } : { type: ['string', 'number', 'boolean'] };
    if (annotation.kind === 'option') return item;
    return { type: 'array', uniqueItems: true, items: { ...item, 'x-field': { ...annotation, entry: true } } };
  }

  /** The options a choice field offers for this data, or null when they cannot be known here. */
  private options(c: FormComponent, scope: Scope): { label: string; value: unknown }[] | null {
    let source: unknown = c.values;
    if (typeof c.valuesKey === 'string' && c.valuesKey) source = scope.root[c.valuesKey];
    else if (isFeel(c.valuesExpression)) source = this.evaluate(c.valuesExpression, scope.feel);
    if (!Array.isArray(source)) return null;
    const seen = new Set<string>();
    const out: { label: string; value: unknown }[] = [];
    for (const o of source) {
      const option = normalizeOption(o);
      const key = option && JSON.stringify(option.value);
      if (!option || seen.has(key!)) continue;
      seen.add(key!);
      out.push(option);
    }
    return out;
  }

  private resolve(value: unknown, feel: Record<string, unknown>): unknown {
    return isFeel(value) ? this.evaluate(value, feel) : value;
  }

  private isTrue(value: unknown, feel: Record<string, unknown>): boolean {
    if (typeof value === 'boolean') return value;
    return isFeel(value) && this.evaluate(value, feel) === true;
  }

  /** A FEEL expression that fails to evaluate gives no answer (form-js treats it the same way). */
  private evaluate(expression: string, feel: Record<string, unknown>): unknown {
    if (!this.ctx.evaluate) return undefined;
    try {
      return this.ctx.evaluate(expression, feel);
    } catch {
      return undefined;
    }
  }
}
