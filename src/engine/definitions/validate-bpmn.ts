/**
 * Deploy-time validation of BPMN XML. bpmn-engine runs whatever parses, ignores moddle warnings
 * and evaluates `${...}` as property walks that can reach `Function` (research/engine.md), so
 * everything that would run code, fail late or misbehave is refused here, naming the element.
 */
import { ISOInterval, getDate } from '@0dep/piso';
import * as bpmnElements from 'bpmn-elements';
import { map as mapModdleContext, TypeResolver } from 'moddle-context-serializer';
import {
  attribute, childrenOf, describeElement, detectExtensionSchema, extensionUsage, ExtensionSchema, lineIndex,
  ModdleContext, ModdleElement, ModdleWarning, parseBpmn, ParsedBpmn, serviceTaskName, stringsOf,
} from './bpmn-schema';
import { isCron, nextCron } from '../runtime/timer-definition';

export interface DeployProblem { elementId?: string; line?: number; code: string; message: string }

export interface ValidationResult {
  errors: DeployProblem[];
  warnings: DeployProblem[];
  schema: ExtensionSchema;
  processes: { id: string; name?: string; isExecutable: boolean }[];
}

export interface ValidateOptions {
  isServiceRegistered(name: string): boolean;
  /** null when the expression is fine, else a message describing the problem. */
  checkExpression(text: string): string | null;
  /** Default 10 MiB. */
  maxBytes?: number;
  /** Default 10,000 XML elements, diagram interchange included. */
  maxElements?: number;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
// Parsing, checking and linting cost about half a millisecond per element on the event loop: a
// 10 MB file of 90,000 tasks held the server for minutes. The largest MIWG reference diagram has
// about 2,400 elements, diagram interchange included.
const DEFAULT_MAX_ELEMENTS = 10000;
// A hostile file can name thousands of bad elements; the first ones are enough to act on.
const MAX_LISTED = 500;
const SERVICE_LIKE = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);
// Java/JUEL delegates of Camunda 7; nothing in Anju executes them.
const JAVA_MECHANISMS = ['camunda:class', 'camunda:delegateExpression', 'camunda:expression'];
// FormalExpression children, by the property that holds them, that the engine evaluates.
const EXPRESSION_PROPERTIES: Record<string, string> = {
  conditionExpression: 'condition', condition: 'condition', timeDuration: 'timer duration',
  timeDate: 'timer date', timeCycle: 'timer cycle', loopCardinality: 'loop cardinality',
  completionCondition: 'completion condition',
};
const MUST_BE_EXPRESSION = new Set(['condition', 'completion condition', 'camunda:collection']);
// Attributes whose values the task list or the timers resolve as expressions.
const EXPRESSION_ATTRIBUTES: Record<string, string[]> = {
  'bpmn:UserTask': ['camunda:assignee', 'camunda:candidateUsers', 'camunda:candidateGroups', 'camunda:dueDate', 'camunda:followUpDate'],
  'bpmn:MultiInstanceLoopCharacteristics': ['camunda:collection'],
  'zeebe:AssignmentDefinition': ['assignee', 'candidateGroups', 'candidateUsers'],
  'zeebe:TaskSchedule': ['dueDate', 'followUpDate'],
  'zeebe:LoopCharacteristics': ['inputCollection', 'outputElement'],
};
// Free text the engine never evaluates; `${...}` there is harmless prose.
const PROSE_TYPES = new Set(['bpmn:Documentation', 'bpmn:TextAnnotation']);

/** Collects problems once each, with the line of the element they name, at most MAX_LISTED per list. */
class Problems {
  readonly errors: DeployProblem[] = [];
  readonly warnings: DeployProblem[] = [];
  private readonly seen = new Set<string>();
  private readonly unlisted = new Map<DeployProblem[], number>();
  private lines?: Map<string, number>;
  constructor(private readonly xml: string) {}

  error(code: string, message: string, elementId?: string, line?: number): void {
    this.add(this.errors, code, message, elementId, line);
  }
  warn(code: string, message: string, elementId?: string, line?: number): void {
    this.add(this.warnings, code, message, elementId, line);
  }
  /** Appends a note to each list that was cut short. */
  close(): void {
    for (const [list, count] of this.unlisted) {
      list.push({ code: 'BPMN_TOO_MANY_PROBLEMS', message: `${count} more problems are not listed` });
    }
    this.unlisted.clear();
  }
  private add(list: DeployProblem[], code: string, message: string, elementId?: string, line?: number): void {
    const key = `${code}\u0000${elementId ?? ''}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (list.length >= MAX_LISTED) return void this.unlisted.set(list, (this.unlisted.get(list) ?? 0) + 1);
    this.lines ??= elementId ? lineIndex(this.xml) : undefined;
    const at = line ?? (elementId ? this.lines?.get(elementId) : undefined);
    list.push({ ...(elementId && { elementId }), ...(at && { line: at }), code, message });
  }
}

function messageOf(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ').trim();
}

/** A `${...}` the default resolver would turn into a call or a walk to `Function`; null when harmless. */
export function unsafeTemplate(text: string): string | null {
  if (!text.includes('${')) return null;
  // Checked over the whole text: the engine re-scans after each substitution, so pieces can combine.
  if (/constructor|__proto__|prototype/.test(text)) return 'reaches constructor, __proto__ or prototype inside ${...}';
  for (const m of text.matchAll(/\$\{([\s\S]*?)\}/g)) {
    if (m[1].includes('(')) return `calls a function in ${m[0]}; only plain variable paths and \${environment.services.name} are allowed`;
  }
  return null;
}

interface Context {
  opts: ValidateOptions;
  problems: Problems;
  /** `ownerId NUL text` of strings already passed to checkExpression. */
  checked: Set<string>;
  /** Processes and sub-processes, for the parallel-join check. */
  scopes: ModdleElement[];
  /** Ids that already have a moddle warning (an unresolved reference reads as a missing one). */
  moddleWarned: Set<string>;
}

function checkText(ctx: Context, text: unknown, label: string, ownerId?: string): void {
  if (typeof text !== 'string') return;
  const value = text.trim();
  ctx.checked.add(`${ownerId ?? ''}\u0000${text}`);
  const where = ownerId ? ` of <${ownerId}>` : '';
  if (value === '') return ctx.problems.error('BPMN_EXPRESSION_INVALID', `The ${label}${where} is empty`, ownerId);
  let problem = unsafeTemplate(value);
  // plain text where a boolean or a list is expected would always be "truthy": demand an expression
  if (MUST_BE_EXPRESSION.has(label) && !/^(=|\$\{[\s\S]*\}$)/.test(value)) {
    problem ??= 'write it as FEEL, e.g. "=income < 3000" or "${income < 3000}"';
  }
  try {
    problem ??= ctx.opts.checkExpression(value);
  } catch (e) {
    problem = messageOf(e);
  }
  if (problem) ctx.problems.error('BPMN_EXPRESSION_INVALID', `The ${label}${where} "${value}" is refused: ${problem}`, ownerId);
}

function checkServiceTask(ctx: Context, task: ModdleElement): void {
  const what = describeElement(task);
  const java = JAVA_MECHANISMS.find((name) => attribute(task, name));
  if (java) {
    return ctx.problems.error('BPMN_SERVICE_NOT_BOUND', `${what} uses ${java}, a Java/JUEL mechanism Anju does not run; ` +
      'name a handler with camunda:type (or camunda:type="external" with camunda:topic) or zeebe:taskDefinition', task.id);
  }
  const implementation = attribute(task, 'implementation');
  if (typeof implementation === 'string' && /\$\{|^\s*=/.test(implementation)) checkText(ctx, implementation, 'implementation', task.id);
  const name = serviceTaskName(task);
  if (!name) {
    return ctx.problems.error('BPMN_SERVICE_NOT_BOUND', `${what} names no handler; set camunda:type, a zeebe:taskDefinition ` +
      'type or implementation="${environment.services.name}"', task.id);
  }
  if (!ctx.opts.isServiceRegistered(name)) {
    ctx.problems.error('BPMN_SERVICE_NOT_BOUND', `${what} asks for the handler "${name}", which no handler is registered for`, task.id);
  }
}

function checkFormalExpression(ctx: Context, expression: ModdleElement, via: string, ownerId?: string): void {
  const label = EXPRESSION_PROPERTIES[via];
  if (label === 'condition' && expression.language) {
    return ctx.problems.error('BPMN_SCRIPT_CONDITION', `The condition of <${ownerId}> declares language="${expression.language}", ` +
      'so the engine would hand it to a script runner; script conditions are refused. Drop the language attribute and ' +
      'write FEEL (=...) or a ${...} variable path', ownerId);
  }
  checkText(ctx, expression.body, label, ownerId);
  const problem = TIMER_LABELS.has(label) ? timerLiteralProblem(label, expression.body) : null;
  if (problem) ctx.problems.error('BPMN_TIMER_INVALID', `The ${label} of <${ownerId}> "${String(expression.body).trim()}" ${problem}`, ownerId);
}

const TIMER_LABELS = new Set(['timer duration', 'timer date', 'timer cycle']);

/**
 * A timer value written as a literal is read now, not when an instance first reaches it (where
 * it would fail the step): ISO 8601 durations, dates and repeating intervals, and in a cycle a
 * cron expression of 5 or 6 fields. FEEL (`=…`) and templates (`${…}`) are read at run time.
 */
function timerLiteralProblem(label: string, body: unknown): string | null {
  if (typeof body !== 'string' || /^\s*=|\$\{/.test(body) || body.trim() === '') return null;
  const value = body.trim();
  try {
    if (label === 'timer date') getDate(value);
    else if (label === 'timer cycle' && isCron(value)) nextCron(value, new Date(0));
    else new ISOInterval(value).parse();
    return null;
  } catch (e) {
    const cron = label === 'timer cycle' ? '; a cycle is an ISO 8601 repeating interval (R3/PT1H) or a cron expression of 5 or 6 fields (0 0 9 * * ?), without a year' : '';
    return `cannot be read: ${messageOf(e)}${cron}`;
  }
}

/** Shapes on which moddle-context-serializer (the engine's loader) throws instead of reporting. */
function checkLoadable(ctx: Context, element: ModdleElement, via: string, ownerId?: string): void {
  if (via === 'resources' && !element.resourceAssignmentExpression) {
    ctx.problems.error('BPMN_UNSUPPORTED_ELEMENT', `${describeElement(element, ownerId)} has no resourceAssignmentExpression, ` +
      'which bpmn-elements cannot load; assign the task with candidateGroups or assignee instead', ownerId);
  }
  const flow = element.$type === 'bpmn:SequenceFlow';
  if (flow && (!element.sourceRef || !element.targetRef) && !ctx.moddleWarned.has(element.id ?? '')) {
    ctx.problems.error('BPMN_UNSUPPORTED_ELEMENT', `${describeElement(element)} lacks a sourceRef or targetRef; ` +
      'the engine cannot load or run it', element.id);
  }
  if (element.$type !== 'bpmn:MessageFlow') return;
  for (const end of [element.sourceRef, element.targetRef] as (ModdleElement | undefined)[]) {
    const blackBox = end?.$type === 'bpmn:Participant' && !end.processRef;
    const nested = end && !['bpmn:Participant', 'bpmn:Process'].includes(end.$type) && end.$parent?.$type !== 'bpmn:Process';
    if (!blackBox && !nested) continue;
    ctx.problems.error('BPMN_UNSUPPORTED_ELEMENT', `MessageFlow <${element.id}> ends at ${describeElement(end)}, ` +
      `${blackBox ? 'a pool without a process' : 'which is not directly inside a process'}; bpmn-elements cannot load that`, element.id);
  }
}

function checkElement(ctx: Context, element: ModdleElement, via: string, ownerId?: string): void {
  checkLoadable(ctx, element, via, ownerId);
  const type = element.$type;
  if (type === 'bpmn:ScriptTask') {
    ctx.problems.error('BPMN_SCRIPT_TASK', `${describeElement(element)} would run a script in the server; script tasks are refused, ` +
      'use a service task bound to a handler', element.id);
  }
  if (SERVICE_LIKE.has(type)) checkServiceTask(ctx, element);
  if (EXPRESSION_PROPERTIES[via]) checkFormalExpression(ctx, element, via, ownerId);
  for (const name of EXPRESSION_ATTRIBUTES[type] ?? []) {
    const value = attribute(element, name);
    if (value !== undefined && value !== null) checkText(ctx, value, name, element.id ?? ownerId);
  }
}

/** Walks the semantic tree once: element checks plus a scan of every string for unsafe `${...}`. */
function walk(ctx: Context, element: ModdleElement, via: string, ownerId: string | undefined, seen: Set<object>): void {
  if (seen.has(element)) return;
  seen.add(element);
  checkElement(ctx, element, via, ownerId);
  if (Array.isArray(element.flowElements)) ctx.scopes.push(element);
  const id = element.id ?? ownerId;
  if (!PROSE_TYPES.has(element.$type)) {
    for (const text of stringsOf(element)) {
      const problem = ctx.checked.has(`${id ?? ''}\u0000${text}`) ? null : unsafeTemplate(text);
      if (problem) ctx.problems.error('BPMN_EXPRESSION_INVALID', `${describeElement(element, id)} holds "${text}", which ${problem}`, id);
    }
  }
  for (const [key, child] of childrenOf(element)) walk(ctx, child, key, id, seen);
}

/** Reports every moddle warning; returns the ids of the elements they name. */
function reportModdleWarnings(problems: Problems, warnings: ModdleWarning[]): Set<string> {
  const ids = new Set<string>();
  for (const w of warnings) {
    if (w.element?.id) ids.add(w.element.id);
    const line = /line: (\d+)/.exec(w.message);
    const property = w.property ? ` (${w.property})` : '';
    const where = w.element ? `${describeElement(w.element)}: ` : '';
    problems.error('BPMN_MODDLE_WARNING', `${where}${messageOf(w.message)}${property}`, w.element?.id,
      line ? Number(line[1]) + 1 : undefined);
  }
  return ids;
}

/** Resolves every mapped element against bpmn-elements' exports, as the engine does when it loads. */
function checkSupported(problems: Problems, moddleContext: ModdleContext): void {
  let mapped: ReturnType<typeof mapModdleContext>;
  try {
    mapped = mapModdleContext(moddleContext as never, undefined as never);
  } catch (e) {
    // The walk usually named the cause already; otherwise report what the loader said.
    if (problems.errors.some((p) => p.code === 'BPMN_UNSUPPORTED_ELEMENT')) return;
    return problems.error('BPMN_UNSUPPORTED_ELEMENT', `bpmn-elements cannot load this diagram: ${messageOf(e)}`);
  }
  const resolve = TypeResolver({ ...bpmnElements });
  const entities = [
    ...mapped.processes, ...mapped.activities, ...mapped.dataObjects, ...mapped.messageFlows,
    ...mapped.sequenceFlows, ...mapped.associations,
  ] as { id?: string; type?: string }[];
  for (const entity of entities) {
    try {
      resolve(entity);
    } catch (e) {
      const unknown = /Unknown activity type (\S+)/.exec(messageOf(e))?.[1] ?? entity.type;
      const what = describeElement({ $type: entity.type ?? 'element', id: entity.id });
      const inside = unknown === entity.type ? '' : ` (in its ${unknown})`;
      problems.error('BPMN_UNSUPPORTED_ELEMENT', `${what}${inside}: bpmn-elements has no behaviour for ${unknown}, ` +
        'so the engine cannot load the diagram', entity.id);
    }
  }
}

const JOIN_TYPES = new Set(['bpmn:ParallelGateway', 'bpmn:InclusiveGateway']);

interface FlowGraph { next: Map<string, string[]>; inCount: Map<string, number>; outCount: Map<string, number>; types: Map<string, string> }

/** Sequence flows of one scope; a boundary event counts as a successor of the activity it is attached to. */
function flowGraph(scope: ModdleElement): FlowGraph {
  const g: FlowGraph = { next: new Map(), inCount: new Map(), outCount: new Map(), types: new Map() };
  const elements: ModdleElement[] = scope.flowElements ?? [];
  const link = (from: string, to: string) => g.next.set(from, [...(g.next.get(from) ?? []), to]);
  const count = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
  for (const el of elements) {
    if (el.id) g.types.set(el.id, el.$type);
    const from: string | undefined = el.$type === 'bpmn:SequenceFlow' ? el.sourceRef?.id : el.attachedToRef?.id;
    const to: string | undefined = el.$type === 'bpmn:SequenceFlow' ? el.targetRef?.id : el.id;
    if (!from || !to || (el.$type !== 'bpmn:SequenceFlow' && el.$type !== 'bpmn:BoundaryEvent')) continue;
    link(from, to);
    if (el.$type === 'bpmn:SequenceFlow') {
      count(g.outCount, from);
      count(g.inCount, to);
    }
  }
  return g;
}

const isJoin = (g: FlowGraph, id: string) => JOIN_TYPES.has(g.types.get(id) ?? '') && (g.inCount.get(id) ?? 0) > 1;

/** Nodes reachable from `start` without passing through a join (the joins reached are included). */
function forward(g: FlowGraph, start: string): Set<string> {
  const seen = new Set<string>();
  const queue = [...(g.next.get(start) ?? [])];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    if (!isJoin(g, id)) queue.push(...(g.next.get(id) ?? []));
  }
  return seen;
}

/**
 * bpmn-engine #200: an exclusive split or merge between a parallel split and the join it reaches
 * lets the join complete before that branch does. Only the same scope counts: an embedded
 * sub-process around the exclusive block is the workaround that was measured to work.
 */
function checkEarlyJoins(problems: Problems, scopes: ModdleElement[]): void {
  for (const scope of scopes) {
    const g = flowGraph(scope);
    const reachesJoin = new Map<string, boolean>();
    for (const [split, type] of g.types) {
      if (type !== 'bpmn:ParallelGateway' || (g.outCount.get(split) ?? 0) < 2) continue;
      for (const id of forward(g, split)) {
        const ins = g.inCount.get(id) ?? 0, outs = g.outCount.get(id) ?? 0;
        if (g.types.get(id) !== 'bpmn:ExclusiveGateway' || (ins < 2 && outs < 2)) continue;
        if (!reachesJoin.has(id)) reachesJoin.set(id, [...forward(g, id)].some((n) => isJoin(g, n)));
        if (!reachesJoin.get(id)) continue;
        const does = ins > 1 && outs > 1 ? 'splits and merges' : ins > 1 ? 'merges' : 'splits';
        problems.error('BPMN_EARLY_JOIN', `Exclusive gateway <${id}> ${does} inside a parallel branch of <${split}>; ` +
          "bpmn-elements' parallel join would then complete before this branch does (bpmn-engine #200). " +
          'Wrap the exclusive block in an embedded sub-process', id);
      }
    }
  }
}

type CheckFn = (node: ModdleElement, reporter: { report(id: string | undefined, message: string): void }) => unknown;
interface LintRule { check: CheckFn | { enter?: CheckFn; leave?: CheckFn } }
interface LintReport { id?: string; message: string; category: string }
/* eslint-disable @typescript-eslint/no-require-imports -- bpmnlint ships no declarations for its entry point */
const { Linter } = require('bpmnlint') as {
  Linter: new (options: object) => { lint(root: ModdleElement, config: object): Promise<Record<string, LintReport[]>> };
};
const RECOMMENDED = (require('bpmnlint/config/recommended') as { rules: Record<string, unknown> }).rules;

// Only bpmnlint's own recommended rules, required directly: no .bpmnlintrc lookup, no plugins.
function loadRule(pkg: string, name: string): unknown {
  if (pkg !== 'bpmnlint' || !Object.hasOwn(RECOMMENDED, name)) return undefined;
  return require(`bpmnlint/rules/${name}`) as unknown;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** A rule that throws reports one warning and then stops, instead of failing the whole lint. */
function guardRule(rule: LintRule): LintRule {
  let failed = false;
  const guard = (fn?: CheckFn): CheckFn | undefined => fn && ((node, reporter) => {
    if (failed) return false;
    try {
      return fn(node, reporter);
    } catch (e) {
      failed = true;
      reporter.report(node.id, `The lint rule failed: ${messageOf(e)}`);
      return false;
    }
  });
  const { check } = rule;
  return { ...rule, check: typeof check === 'function' ? guard(check)! : { enter: guard(check.enter), leave: guard(check.leave) } };
}

/**
 * bpmnlint 11 parses with its own bpmn-moddle 10, which is ESM-only; its recommended rules gave
 * identical reports on the bpmn-moddle 9 tree for all 21 MIWG reference diagrams, so that tree is linted.
 */
async function lint(problems: Problems, definitions: ModdleElement): Promise<void> {
  try {
    const linter = new Linter({ resolver: { resolveRule: loadRule, resolveConfig: () => undefined }, transformRule: guardRule });
    const reports = await linter.lint(definitions, { rules: RECOMMENDED });
    for (const [rule, list] of Object.entries(reports)) {
      for (const r of list) {
        problems.warn(`LINT_${rule}`, r.category === 'rule-error' ? `The lint rule failed: ${r.message}` : r.message, r.id);
      }
    }
  } catch (e) {
    problems.warn('LINT_FAILED', `bpmnlint could not run: ${messageOf(e)}`);
  }
}

function checkSchemas(problems: Problems, xml: string, schema: ExtensionSchema): void {
  const { camunda, zeebe } = extensionUsage(xml);
  if (camunda.used && zeebe.used) {
    problems.error('BPMN_CAMUNDA_ZEEBE_MIXED', 'The diagram uses both camunda (Camunda 7) and zeebe (Camunda 8) extensions; ' +
      `they cannot be loaded together, use one (read as ${schema})`);
  } else if (camunda.declared && zeebe.declared) {
    problems.warn('BPMN_EXTENSION_SCHEMA', `The diagram declares both camunda and zeebe namespaces; read as ${schema}, the one it uses`);
  }
}

function processesOf(definitions: ModdleElement): ValidationResult['processes'] {
  const roots: ModdleElement[] = definitions.rootElements ?? [];
  return roots.filter((r) => r.$type === 'bpmn:Process').map((p) => ({
    id: String(p.id), ...(p.name && { name: String(p.name) }), isExecutable: p.isExecutable === true,
  }));
}

/** Runs one check; a crash inside a check refuses the diagram instead of escaping. */
async function guarded(problems: Problems, stage: string, check: () => void | Promise<void>): Promise<void> {
  try {
    await check();
  } catch (e) {
    problems.error('BPMN_CHECK_FAILED', `The ${stage} check could not complete: ${messageOf(e)}`);
  }
}

/** Whether the text opens more than `max` elements, counted without parsing (stops at max + 1). */
function elementsExceed(xml: string, max: number): boolean {
  let count = 0;
  for (let i = xml.indexOf('<'); i !== -1; i = xml.indexOf('<', i + 1)) {
    const c = xml.charCodeAt(i + 1) | 0x20; // ASCII letters, either case
    if (c >= 0x61 && c <= 0x7a && ++count > max) return true;
  }
  return false;
}

function refuseEarly(xml: string, opts: ValidateOptions, problems: Problems): boolean {
  const bytes = Buffer.byteLength(xml, 'utf8');
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxElements = opts.maxElements ?? DEFAULT_MAX_ELEMENTS;
  if (bytes > max) problems.error('BPMN_TOO_LARGE', `The diagram is ${bytes} bytes; the limit is ${max}`);
  else if (elementsExceed(xml, maxElements)) {
    problems.error('BPMN_TOO_MANY_ELEMENTS', `The diagram has more than ${maxElements} XML elements; split it into processes that call each other`);
  } else if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    problems.error('BPMN_DOCTYPE', 'The diagram contains a DOCTYPE or ENTITY declaration; BPMN needs none, and they are refused');
  } else if (!xml.trim().startsWith('<')) problems.error('BPMN_NOT_XML', 'The file is not XML');
  return problems.errors.length > 0;
}

async function parseOrReport(xml: string, schema: ExtensionSchema, problems: Problems): Promise<ParsedBpmn | null> {
  try {
    const parsed = await parseBpmn(xml, schema);
    if (parsed.definitions?.$type === 'bpmn:Definitions') return parsed;
  } catch (e) {
    problems.error('BPMN_NOT_XML', `The file is not a BPMN 2.0 definitions document: ${messageOf(e)}`);
    return null;
  }
  problems.error('BPMN_NOT_XML', 'The file is not a BPMN 2.0 definitions document');
  return null;
}

export async function validateBpmn(xml: string, opts: ValidateOptions): Promise<ValidationResult> {
  const text = typeof xml === 'string' ? xml : String(xml);
  const problems = new Problems(text);
  const result = (schema: ExtensionSchema, processes: ValidationResult['processes'] = []): ValidationResult => {
    problems.close();
    return { errors: problems.errors, warnings: problems.warnings, schema, processes };
  };
  if (refuseEarly(text, opts, problems)) return result('none');
  const schema = detectExtensionSchema(text);
  const parsed = await parseOrReport(text, schema, problems);
  if (!parsed) return result(schema);
  const processes = processesOf(parsed.definitions);
  checkSchemas(problems, text, schema);
  const moddleWarned = reportModdleWarnings(problems, parsed.warnings);
  if (!processes.some((p) => p.isExecutable)) {
    problems.error('BPMN_NO_EXECUTABLE_PROCESS', 'The diagram has no process with isExecutable="true"');
  }
  const ctx: Context = { opts, problems, checked: new Set(), scopes: [], moddleWarned };
  await guarded(problems, 'element', () => walk(ctx, parsed.definitions, '', undefined, new Set()));
  await guarded(problems, 'supported-element', () => checkSupported(problems, parsed.moddleContext));
  await guarded(problems, 'parallel-join', () => checkEarlyJoins(problems, ctx.scopes));
  await lint(problems, parsed.definitions);
  return result(schema, processes);
}
