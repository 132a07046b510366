/**
 * What Anju knows about form-js schemas (the `.form` files Camunda Modeler and the form-js editor
 * write): the component types, which of them hold data, and how their keys and paths nest. Shared
 * by the deploy-time check here and the completion check in tasks/forms.
 */

export interface FormValidate {
  required?: boolean;
  /** number, or FEEL (`=expr`) evaluated against the form data */
  min?: number | string;
  max?: number | string;
  minLength?: number | string;
  maxLength?: number | string;
  pattern?: string;
  patternErrorMessage?: string;
  validationType?: 'email' | 'phone' | 'custom' | '' | null;
}

export interface FormComponent {
  type: string;
  id?: string;
  key?: string;
  /** groups and dynamic lists: where their children's data sits */
  path?: string;
  label?: string;
  components?: FormComponent[];
  validate?: FormValidate;
  values?: { label?: string; value: unknown }[];
  valuesKey?: string;
  valuesExpression?: string;
  conditional?: { hide?: string };
  readonly?: boolean | string;
  disabled?: boolean | string;
  defaultValue?: unknown;
  /** datetime */
  subtype?: 'date' | 'time' | 'datetime';
  timeSerializingFormat?: 'utc_offset' | 'utc_normalized' | 'no_timezone';
  disallowPassedDates?: boolean;
  /** number */
  decimalDigits?: number;
  increment?: number | string;
  serializeToString?: boolean;
  /** dynamiclist */
  isRepeating?: boolean;
  [other: string]: unknown;
}

export interface FormSchema {
  id: string;
  type?: string;
  schemaVersion?: number;
  versionTag?: string;
  components: FormComponent[];
  [other: string]: unknown;
}

/** Components that bind a value under their `key`, and what that value is. */
export const KEYED_TYPES = {
  textfield: 'text',
  textarea: 'text',
  number: 'number',
  datetime: 'datetime',
  checkbox: 'boolean',
  radio: 'option',
  select: 'option',
  checklist: 'options',
  taglist: 'options',
  // computed by the form from other fields; its value is not checked (see docs/bpmn-authoring.md)
  expression: 'any',
} as const;
export type KeyedType = keyof typeof KEYED_TYPES;

/** Components that only show something (text, images, tables of existing data, buttons). */
export const PRESENTATION_TYPES = new Set(['text', 'html', 'image', 'button', 'spacer', 'separator', 'iframe', 'table', 'documentPreview']);

/** Containers: a group may give its children a data path; a dynamic list repeats them over an array at its path. */
export const CONTAINER_TYPES = new Set(['group', 'dynamiclist']);

/** form-js types Anju refuses at deploy, with the reason. */
export const UNSUPPORTED_TYPES: Record<string, string> = {
  filepicker: 'file uploads need a document store, which Anju does not have yet; attach documents to the case instead',
};

export const OPTION_TYPES = new Set(['radio', 'select', 'checklist', 'taglist']);

export function isKeyed(type: string): type is KeyedType {
  return Object.hasOwn(KEYED_TYPES, type);
}

/** A key or path as form-js writes it: dot-separated segments of word characters. */
export const KEY_PATTERN = /^\w+(\.\w+)*$/;

/** `=expr` is FEEL in form-js; anything else is a literal. */
export function isFeel(value: unknown): value is string {
  return typeof value === 'string' && value.trim().startsWith('=');
}

/** Names form-js binds inside a dynamic list's expressions (the item, its parent, the indexes). */
export const LOCAL_EXPRESSION_NAMES = new Set(['this', 'parent', 'i', '_this_', '_parent_', '_i_']);

export function segments(path: string | undefined): string[] {
  return path ? path.split('.').filter(Boolean) : [];
}

/** How a component is shown in a message: its label, else its key or id. */
export function describeComponent(c: FormComponent): string {
  const name = typeof c.label === 'string' && c.label.trim() ? `"${c.label.trim()}"` : '';
  const ref = c.key ?? c.path ?? c.id ?? c.type;
  return name ? `${name} (${ref})` : String(ref);
}
