import { ModdleElement, attribute, decisionRefOf, extensionValues, serviceTaskName } from './bpmn-schema';

/**
 * What the runtime needs to know about each element, read once at deploy from the moddle tree
 * (Camunda 7 `camunda:` attributes or Camunda 8 `zeebe:` extension elements), so a step never
 * re-parses XML. Values are kept as written: FEEL (`=…`, `${…}`) is evaluated at the step.
 */
export interface Mapping {
  /** expression or literal producing the value */
  source: string;
  /** variable it is written to */
  target: string;
  /** `source` names a variable copied as is (camunda:in/out `source=`), not an expression */
  variable?: boolean;
}

export interface TaskMeta {
  candidateGroups?: string;
  candidateUsers?: string;
  assignee?: string;
  dueDate?: string;
  followUpDate?: string;
  priority?: string;
  formKey?: string;
}

export interface CallMeta {
  processKey: string;
  /** 'latest' or an exact version number */
  version: 'latest' | number;
  /** copy every parent variable in / every child variable out (Camunda `variables="all"`, zeebe propagateAll) */
  allIn: boolean;
  allOut: boolean;
  inputs: Mapping[];
  outputs: Mapping[];
}

export interface ElementMeta {
  type: string;
  name?: string;
  handler?: string;
  /** a business rule task's decision (its handler is then the built-in 'dmn') */
  decision?: { decisionId: string; resultVariable?: string };
  task?: TaskMeta;
  inputs?: Mapping[];
  outputs?: Mapping[];
  call?: CallMeta;
  /** start events: the trigger that starts an instance */
  startTimer?: { timerType: 'timeDate' | 'timeCycle' | 'timeDuration'; value: string };
  startMessage?: string;
  /** name of the signal a top-level start event waits for */
  startSignal?: string;
  /** boundary events: the activity they are attached to */
  attachedTo?: string;
}

export interface DefinitionMeta {
  processId: string;
  elements: Record<string, ElementMeta>;
  /** message element id → message name, and back */
  messages: Record<string, string>;
  signals: Record<string, string>;
  /** a plain start event exists (API starts go through it) */
  hasNoneStart: boolean;
}

const TASK_TYPES = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);

export function readDefinitionMeta(definitions: ModdleElement, processId: string): DefinitionMeta {
  const meta: DefinitionMeta = { processId, elements: {}, messages: {}, signals: {}, hasNoneStart: false };
  for (const root of definitions.rootElements ?? []) {
    if (root.$type === 'bpmn:Message') meta.messages[root.id!] = root.name ?? root.id!;
    if (root.$type === 'bpmn:Signal') meta.signals[root.id!] = root.name ?? root.id!;
  }
  const process = (definitions.rootElements ?? []).find((r: ModdleElement) => r.id === processId);
  if (process) walk(process, meta, true);
  return meta;
}

function walk(scope: ModdleElement, meta: DefinitionMeta, topLevel: boolean): void {
  for (const el of (scope.flowElements ?? []) as ModdleElement[]) {
    const entry: ElementMeta = { type: el.$type, ...(el.name && { name: el.name }) };
    if (TASK_TYPES.has(el.$type)) entry.handler = serviceTaskName(el) ?? undefined;
    const decision = decisionRefOf(el);
    if (decision) entry.decision = decision;
    if (el.$type === 'bpmn:UserTask') entry.task = readTask(el);
    if (el.$type === 'bpmn:CallActivity') entry.call = readCall(el);
    if (el.$type === 'bpmn:BoundaryEvent' && el.attachedToRef) entry.attachedTo = (el.attachedToRef as ModdleElement).id;
    if (el.$type === 'bpmn:StartEvent' && topLevel) readStart(el, entry, meta);
    const io = readIo(el);
    if (io.inputs.length) entry.inputs = io.inputs;
    if (io.outputs.length) entry.outputs = io.outputs;
    meta.elements[el.id!] = entry;
    if (el.flowElements) walk(el, meta, false);
  }
}

function str(el: ModdleElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const v = attribute(el, name);
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function readTask(el: ModdleElement): TaskMeta {
  const assignment = extensionValues(el, 'zeebe:AssignmentDefinition')[0];
  const schedule = extensionValues(el, 'zeebe:TaskSchedule')[0];
  const form = extensionValues(el, 'zeebe:FormDefinition')[0];
  const priority = extensionValues(el, 'zeebe:PriorityDefinition')[0];
  const task: TaskMeta = {
    candidateGroups: str(el, 'camunda:candidateGroups') ?? str(assignment, 'candidateGroups'),
    candidateUsers: str(el, 'camunda:candidateUsers') ?? str(assignment, 'candidateUsers'),
    assignee: str(el, 'camunda:assignee') ?? str(assignment, 'assignee'),
    dueDate: str(el, 'camunda:dueDate') ?? str(schedule, 'dueDate'),
    followUpDate: str(el, 'camunda:followUpDate') ?? str(schedule, 'followUpDate'),
    priority: str(el, 'camunda:priority') ?? str(priority, 'priority'),
    // camunda:formRef (Camunda 7.16+) names a form by id, like zeebe's formId
    formKey: str(el, 'camunda:formKey') ?? str(el, 'camunda:formRef') ?? str(form, 'formKey') ?? str(form, 'formId'),
  };
  return Object.fromEntries(Object.entries(task).filter(([, v]) => v !== undefined)) as TaskMeta;
}

function readIo(el: ModdleElement): { inputs: Mapping[]; outputs: Mapping[] } {
  const camunda = extensionValues(el, 'camunda:InputOutput')[0];
  if (camunda) {
    const map = (ps: ModdleElement[] = []) => ps.map((p) => ({ target: p.name as string, source: typeof p.value === 'string' ? p.value : '' }));
    return { inputs: map(camunda.inputParameters), outputs: map(camunda.outputParameters) };
  }
  const zeebe = extensionValues(el, 'zeebe:IoMapping')[0];
  if (zeebe) {
    // zeebe sources are always FEEL, with or without the leading '='
    const feel = (v: unknown) => (typeof v === 'string' && !v.trim().startsWith('=') ? `=${v}` : String(v ?? ''));
    const map = (ps: ModdleElement[] = []) => ps.map((p) => ({ source: feel(p.source), target: p.target as string }));
    return { inputs: map(zeebe.inputParameters), outputs: map(zeebe.outputParameters) };
  }
  return { inputs: [], outputs: [] };
}

function readCall(el: ModdleElement): CallMeta {
  const zeebe = extensionValues(el, 'zeebe:CalledElement')[0];
  if (zeebe) {
    // zeebe:ioMapping on a call activity maps the parent's variables into the child and the
    // child's back out (read without it, the child got none of the mapped inputs)
    const io = readIo(el);
    return {
      processKey: str(zeebe, 'processId') ?? '',
      version: 'latest',
      allIn: attribute(zeebe, 'propagateAllParentVariables') !== false,
      allOut: attribute(zeebe, 'propagateAllChildVariables') !== false,
      inputs: io.inputs,
      outputs: io.outputs,
    };
  }
  const ins = extensionValues(el, 'camunda:In');
  const outs = extensionValues(el, 'camunda:Out');
  const binding = str(el, 'camunda:calledElementBinding');
  const version = Number(str(el, 'camunda:calledElementVersion'));
  // camunda:in/out `source` is a variable name, `sourceExpression` an expression: a plain name
  // evaluated as text would hand the child the literal name instead of the value
  const pairs = (ps: ModdleElement[]): Mapping[] =>
    ps
      .filter((p) => !str(p, 'variables'))
      .map((p) => {
        const expression = str(p, 'sourceExpression');
        const target = str(p, 'target') ?? '';
        return expression !== undefined ? { source: expression, target } : { source: str(p, 'source') ?? '', target, variable: true };
      });
  return {
    processKey: str(el, 'calledElement') ?? '',
    version: binding === 'version' && Number.isInteger(version) ? version : 'latest',
    // without any camunda:in/out, pass everything (the engine-neutral expectation)
    allIn: ins.length === 0 || ins.some((p) => str(p, 'variables') === 'all'),
    allOut: outs.length === 0 || outs.some((p) => str(p, 'variables') === 'all'),
    inputs: pairs(ins),
    outputs: pairs(outs),
  };
}

function readStart(el: ModdleElement, entry: ElementMeta, meta: DefinitionMeta): void {
  const defs = (el.eventDefinitions ?? []) as ModdleElement[];
  if (!defs.length) meta.hasNoneStart = true;
  for (const d of defs) {
    if (d.$type === 'bpmn:TimerEventDefinition') {
      for (const timerType of ['timeCycle', 'timeDate', 'timeDuration'] as const) {
        const body = (d[timerType] as ModdleElement | undefined)?.body;
        if (typeof body === 'string' && body.trim()) entry.startTimer = { timerType, value: body.trim() };
      }
    }
    if (d.$type === 'bpmn:MessageEventDefinition' && d.messageRef) entry.startMessage = (d.messageRef as ModdleElement).name ?? (d.messageRef as ModdleElement).id;
    if (d.$type === 'bpmn:SignalEventDefinition' && d.signalRef) entry.startSignal = (d.signalRef as ModdleElement).name ?? (d.signalRef as ModdleElement).id;
  }
}
