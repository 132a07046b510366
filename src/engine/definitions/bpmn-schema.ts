/**
 * Parsing BPMN XML into a bpmn-moddle tree with exactly one extension descriptor (camunda or
 * zeebe). Loading both makes moddle drop the process (research/engine.md, "Camunda / Zeebe
 * extensions"), so the schema is chosen from the namespaces the diagram declares and uses.
 */

// bpmn-moddle 9 ships no TypeScript declarations; these are the parts Anju reads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const BpmnModdle = require('bpmn-moddle') as new (packages?: Record<string, unknown>) => {
  fromXML(xml: string): Promise<ModdleContext>;
};

export type ExtensionSchema = 'camunda' | 'zeebe' | 'none';

export const CAMUNDA_NS = 'http://camunda.org/schema/1.0/bpmn';
export const ZEEBE_NS = 'http://camunda.org/schema/zeebe/1.0';

/** A bpmn-moddle element: `$type` like `bpmn:ServiceTask`, properties by local name. */
export interface ModdleElement {
  $type: string;
  id?: string;
  $parent?: ModdleElement;
  $attrs?: Record<string, string>;
  get?(name: string): unknown;
  // moddle elements carry arbitrary typed properties; callers narrow them where they read them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

export interface ModdleWarning {
  message: string;
  element?: ModdleElement;
  property?: string;
  value?: unknown;
}

export interface ModdleContext {
  rootElement: ModdleElement;
  elementsById: Record<string, ModdleElement>;
  references: unknown[];
  warnings: ModdleWarning[];
}

export interface ParsedBpmn {
  definitions: ModdleElement;
  moddleContext: ModdleContext;
  warnings: ModdleWarning[];
  schema: ExtensionSchema;
}

/** Whether each extension namespace is declared, and whether its prefix is actually used. */
export interface ExtensionUsage {
  camunda: { declared: boolean; used: boolean };
  zeebe: { declared: boolean; used: boolean };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function prefixesOf(xml: string, namespace: string): string[] {
  const declaration = new RegExp(`xmlns(?::([\\w.-]+))?\\s*=\\s*["']${escapeRegExp(namespace)}["']`, 'g');
  return [...xml.matchAll(declaration)].map((m) => m[1] ?? '');
}

function prefixUsed(xml: string, prefix: string): boolean {
  // A default-namespace declaration cannot be told apart from plain BPMN by a text scan: count it as used.
  if (prefix === '') return true;
  const p = escapeRegExp(prefix);
  return new RegExp(`<${p}:[\\w.-]+|\\s${p}:[\\w.-]+\\s*=`).test(xml);
}

/** The text after the root start tag, where Camunda Modeler 8 still writes `camunda:diagramRelationId`. */
function bodyOf(xml: string): string {
  const root = /<(?:[\w.-]+:)?definitions\b[^>]*>/.exec(xml);
  return root ? xml.slice(root.index + root[0].length) : xml;
}

export function extensionUsage(xml: string): ExtensionUsage {
  const body = bodyOf(xml);
  const usage = (namespace: string) => {
    const prefixes = prefixesOf(xml, namespace);
    return { declared: prefixes.length > 0, used: prefixes.some((p) => prefixUsed(body, p)) };
  };
  return { camunda: usage(CAMUNDA_NS), zeebe: usage(ZEEBE_NS) };
}

/**
 * The extension schema the diagram is written for. When both namespaces are declared (modelers
 * leave stale declarations behind), the one whose prefix is used wins; when both are used, the
 * one used more often wins and the validator reports the mix.
 */
export function detectExtensionSchema(xml: string): ExtensionSchema {
  const { camunda, zeebe } = extensionUsage(xml);
  if (camunda.declared !== zeebe.declared) return camunda.declared ? 'camunda' : 'zeebe';
  if (!camunda.declared) return 'none';
  if (camunda.used !== zeebe.used) return camunda.used ? 'camunda' : 'zeebe';
  const body = bodyOf(xml);
  const count = (ns: string) =>
    prefixesOf(xml, ns).reduce((n, p) => n + (p ? body.split(`${p}:`).length - 1 : 0), 0);
  return count(ZEEBE_NS) > count(CAMUNDA_NS) ? 'zeebe' : 'camunda';
}

/** Options for both `new BpmnModdle(options)` and `new Engine({ moddleOptions })`: one descriptor at most. */
export function moddleOptionsFor(schema: ExtensionSchema): Record<string, unknown> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  switch (schema) {
    case 'camunda':
      return { camunda: require('camunda-bpmn-moddle/resources/camunda.json') as unknown };
    case 'zeebe':
      return { zeebe: require('zeebe-bpmn-moddle/resources/zeebe.json') as unknown };
    default:
      return {};
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Parses with bpmn-moddle 9 (the version bpmn-engine uses). Rejects when the text is not BPMN definitions. */
export async function parseBpmn(xml: string, schema: ExtensionSchema = detectExtensionSchema(xml)): Promise<ParsedBpmn> {
  const moddle = new BpmnModdle(moddleOptionsFor(schema));
  // The engine trims its source the same way before parsing.
  const moddleContext = await moddle.fromXML(xml.trim());
  return { definitions: moddleContext.rootElement, moddleContext, warnings: moddleContext.warnings, schema };
}

/** A property by qualified name; unknown attributes (schema not loaded) come from `$attrs`. */
export function attribute(element: ModdleElement, name: string): unknown {
  return typeof element.get === 'function' ? element.get(name) : element.$attrs?.[name];
}

function read(element: ModdleElement, name: string): string | undefined {
  const value = attribute(element, name);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `ServiceTask <id>`, or `camunda:Field in <ownerId>` for an element without an id. */
export function describeElement(element: ModdleElement | undefined, ownerId?: string): string {
  const type = element?.$type?.replace(/^bpmn:/, '') ?? 'element';
  if (element?.id) return `${type} <${element.id}>`;
  return ownerId ? `${type} in <${ownerId}>` : type;
}

/** Every string an element holds: attributes, unknown attributes, bodies of unknown elements. */
export function stringsOf(element: ModdleElement): string[] {
  const own = Object.keys(element).filter((k) => k === '$body' || !k.startsWith('$')).map((k) => element[k] as unknown);
  return [...own, ...Object.values(element.$attrs ?? {})].filter((v): v is string => typeof v === 'string');
}

/** Contained children (never references), each with the property that holds it. Skips diagram interchange. */
export function childrenOf(element: ModdleElement): [string, ModdleElement][] {
  const byName = element.$descriptor?.propertiesByName ?? {};
  const children: [string, ModdleElement][] = [];
  for (const key of Object.keys(element)) {
    if ((key.startsWith('$') && key !== '$children') || key === 'diagrams' || byName[key]?.isReference) continue;
    const values: unknown[] = Array.isArray(element[key]) ? element[key] : [element[key]];
    for (const v of values) if (v && typeof v === 'object' && '$type' in v) children.push([key, v as ModdleElement]);
  }
  return children;
}

export function extensionValues(element: ModdleElement, type: string): ModdleElement[] {
  const values: ModdleElement[] = element.extensionElements?.values ?? [];
  return values.filter((v) => v.$type === type);
}

/** `${environment.services.name}` or `${name}` → name; plain text → itself; anything else → null. */
function nameFromImplementation(implementation: string): string | null {
  // `##WebService` / `##unspecified` are BPMN's technology URIs, not handler names.
  if (implementation.startsWith('##')) return null;
  const expression = /^\$\{\s*(?:environment\.services\.)?([A-Za-z_][\w-]*)\s*\}$/.exec(implementation);
  if (expression) return expression[1];
  return /^[A-Za-z_][\w.:-]*$/.test(implementation) ? implementation : null;
}

/** The handler name a service, send or business rule task asks for, or null when it names none. */
export function serviceTaskName(element: ModdleElement): string | null {
  // a business rule task that names a decision runs the engine's own DMN handler
  if (decisionRefOf(element)) return 'dmn';
  const taskDefinition = extensionValues(element, 'zeebe:TaskDefinition')[0];
  const zeebeType = taskDefinition ? read(taskDefinition, 'type') : undefined;
  if (zeebeType) return zeebeType;
  const camundaType = read(element, 'camunda:type');
  if (camundaType === 'external') return read(element, 'camunda:topic') ?? null;
  if (camundaType) return camundaType;
  const implementation = read(element, 'implementation');
  return implementation ? nameFromImplementation(implementation) : null;
}

/**
 * The 1-based line of the first `id="..."` attribute of every id, in one pass: a problem list over
 * a large hostile file must not rescan the text once per problem.
 */
export function lineIndex(xml: string): Map<string, number> {
  const lines = new Map<string, number>();
  let line = 1;
  let scanned = 0;
  for (const m of xml.matchAll(/\sid\s*=\s*(["'])([^"'<>]*)\1/g)) {
    // The match starts at the whitespace before `id`, which may itself be the line break.
    const at = m.index + 1;
    for (let i = xml.indexOf('\n', scanned); i !== -1 && i < at; i = xml.indexOf('\n', i + 1)) line++;
    scanned = at;
    if (!lines.has(m[2])) lines.set(m[2], line);
  }
  return lines;
}

/** 1-based line where `id="elementId"` appears, or undefined when the id is not in the text. */
export function lineOf(xml: string, elementId: string): number | undefined {
  return lineIndex(xml).get(elementId);
}

/**
 * The decision a business rule task evaluates: `camunda:decisionRef` (+ `camunda:resultVariable`)
 * or `zeebe:calledDecision decisionId resultVariable`; null for any other element.
 */
export function decisionRefOf(element: ModdleElement): { decisionId: string; resultVariable?: string } | null {
  if (element.$type !== 'bpmn:BusinessRuleTask') return null;
  const zeebe = extensionValues(element, 'zeebe:CalledDecision')[0];
  const decisionId = (zeebe ? read(zeebe, 'decisionId') : undefined) ?? read(element, 'camunda:decisionRef');
  if (!decisionId) return null;
  const resultVariable = (zeebe ? read(zeebe, 'resultVariable') : undefined) ?? read(element, 'camunda:resultVariable');
  return resultVariable ? { decisionId, resultVariable } : { decisionId };
}
