import { parseExpression, parseUnaryTests } from 'feelin';
import type { DeployProblem } from '../definitions/validate-bpmn';

/**
 * DMN 1.3 decision requirement graphs read with dmn-moddle: decision tables and literal
 * expressions, with their required decisions. Everything a policy team writes in a cell is FEEL;
 * nothing is evaluated here, only parsed, so a broken cell is refused at deploy naming its rule.
 */

// dmn-moddle 12 ships ESM without TypeScript declarations; Node 20.19+ loads it through require.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DmnModdle } = require('dmn-moddle') as { DmnModdle: new () => { fromXML(xml: string, type?: string): Promise<DmnContext> } };

interface DmnElement {
  $type: string;
  id?: string;
  name?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [key: string]: any;
}

interface DmnContext {
  rootElement: DmnElement;
  warnings: { message: string; element?: DmnElement }[];
}

export const HIT_POLICIES = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'] as const;
export type HitPolicy = (typeof HIT_POLICIES)[number];
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

export interface TableInput {
  id: string;
  label: string;
  /** FEEL over the variables, e.g. `household.monthlyIncomePerCapita` */
  expression: string;
  typeRef?: string;
}

export interface TableOutput {
  id: string;
  name: string;
  label: string;
  typeRef?: string;
  /** allowed output values, in priority order (PRIORITY and OUTPUT ORDER hit policies) */
  values: string[];
}

export interface TableRule {
  id: string;
  description?: string;
  /** unary tests, one per input; `-` matches anything */
  inputEntries: string[];
  /** FEEL expressions, one per output */
  outputEntries: string[];
}

export interface DecisionTable {
  hitPolicy: HitPolicy;
  aggregation?: Aggregation;
  inputs: TableInput[];
  outputs: TableOutput[];
  rules: TableRule[];
}

export interface Decision {
  id: string;
  name: string;
  /** ids of the decisions whose results this one reads (by their names) */
  requires: string[];
  table?: DecisionTable;
  literal?: { expression: string; variableName: string };
}

export interface DecisionGraph {
  id: string;
  name: string;
  decisions: Record<string, Decision>;
}

export type ParseResult = { graph: DecisionGraph; errors: []; warnings: DeployProblem[] } | { graph: null; errors: DeployProblem[]; warnings: DeployProblem[] };

const MAX_ELEMENTS = 10_000;

/** Parses and checks a .dmn file. Errors name the decision, column or rule and the problem. */
export async function parseDmn(xml: string): Promise<ParseResult> {
  const errors: DeployProblem[] = [];
  const warnings: DeployProblem[] = [];
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return fail([{ code: 'DMN_DOCTYPE', message: 'DOCTYPE and entity declarations are not allowed' }]);
  if ((xml.match(/<[A-Za-z]/g)?.length ?? 0) > MAX_ELEMENTS) {
    return fail([{ code: 'DMN_TOO_MANY_ELEMENTS', message: `More than ${MAX_ELEMENTS} XML elements` }]);
  }
  let ctx: DmnContext;
  try {
    ctx = await new DmnModdle().fromXML(xml, 'dmn:Definitions');
  } catch (e) {
    return fail([{ code: 'DMN_NOT_XML', message: `Not a DMN 1.3 file: ${firstLine((e as Error).message)}` }]);
  }
  for (const w of ctx.warnings) errors.push({ elementId: w.element?.id, code: 'DMN_SCHEMA', message: firstLine(w.message) });
  const root = ctx.rootElement;
  if (!root || root.$type !== 'dmn:Definitions') return fail([{ code: 'DMN_NOT_XML', message: 'The root element is not DMN definitions' }]);

  const decisions: Record<string, Decision> = {};
  for (const el of (root.drgElement ?? []) as DmnElement[]) {
    if (el.$type !== 'dmn:Decision') continue;
    const d = readDecision(el, errors);
    if (d) decisions[d.id] = d;
  }
  if (!Object.keys(decisions).length) errors.push({ code: 'DMN_NO_DECISION', message: 'The file holds no decision' });
  for (const d of Object.values(decisions)) {
    for (const r of d.requires) if (!decisions[r]) errors.push({ elementId: d.id, code: 'DMN_REQUIREMENT_MISSING', message: `Decision ${d.id} requires ${r}, which is not in this file` });
  }
  const cycle = findCycle(decisions);
  if (cycle) errors.push({ elementId: cycle[0], code: 'DMN_REQUIREMENT_CYCLE', message: `Decisions require each other in a cycle: ${cycle.join(' → ')}` });
  if (errors.length) return { graph: null, errors, warnings };
  return { graph: { id: root.id ?? 'definitions', name: root.name ?? root.id ?? '', decisions }, errors: [], warnings };
}

function fail(errors: DeployProblem[]): ParseResult {
  return { graph: null, errors, warnings: [] };
}

function readDecision(el: DmnElement, errors: DeployProblem[]): Decision | null {
  const id = el.id!;
  const requires = ((el.informationRequirement ?? []) as DmnElement[])
    .map((r) => r.requiredDecision?.href as string | undefined)
    .filter((h): h is string => !!h)
    .map((h) => h.replace(/^#/, ''));
  const logic = el.decisionLogic as DmnElement | undefined;
  const decision: Decision = { id, name: el.name ?? id, requires };
  if (logic?.$type === 'dmn:DecisionTable') decision.table = readTable(id, logic, errors);
  else if (logic?.$type === 'dmn:LiteralExpression') {
    const text = (logic.text ?? '').trim();
    checkFeel(text, id, 'expression', errors);
    decision.literal = { expression: text, variableName: el.variable?.name ?? decision.name };
  } else {
    errors.push({ elementId: id, code: 'DMN_LOGIC_UNSUPPORTED', message: `Decision ${id} must be a decision table or a literal expression${logic ? ` (found ${logic.$type})` : ''}` });
    return null;
  }
  return decision;
}

function readTable(decisionId: string, t: DmnElement, errors: DeployProblem[]): DecisionTable {
  const hitPolicy = (t.hitPolicy ?? 'UNIQUE') as HitPolicy;
  if (!HIT_POLICIES.includes(hitPolicy)) errors.push({ elementId: decisionId, code: 'DMN_HIT_POLICY', message: `Hit policy ${hitPolicy} is not supported` });
  const aggregation = t.aggregation as Aggregation | undefined;
  if (aggregation && hitPolicy !== 'COLLECT') errors.push({ elementId: decisionId, code: 'DMN_HIT_POLICY', message: `Aggregation ${aggregation} needs hit policy COLLECT` });
  const inputs: TableInput[] = ((t.input ?? []) as DmnElement[]).map((i) => {
    const expression = ((i.inputExpression?.text as string | undefined) ?? '').trim();
    if (!expression) errors.push({ elementId: i.id, code: 'DMN_INPUT_EXPRESSION', message: `Input ${i.label ?? i.id} of ${decisionId} has no expression` });
    else checkFeel(expression, i.id ?? decisionId, `input ${i.label ?? i.id}`, errors);
    return { id: i.id ?? '', label: i.label ?? expression, expression, typeRef: i.inputExpression?.typeRef };
  });
  const outputs: TableOutput[] = ((t.output ?? []) as DmnElement[]).map((o, n) => {
    const values = splitValues(o.outputValues?.text as string | undefined);
    return { id: o.id ?? '', name: o.name ?? o.label ?? `output${n + 1}`, label: o.label ?? o.name ?? '', typeRef: o.typeRef, values };
  });
  if (!outputs.length) errors.push({ elementId: decisionId, code: 'DMN_NO_OUTPUT', message: `Decision table ${decisionId} has no output column` });
  if (outputs.length > 1 && outputs.some((o) => !o.name)) errors.push({ elementId: decisionId, code: 'DMN_OUTPUT_NAME', message: 'Every output of a multi-output table needs a name' });
  if ((hitPolicy === 'PRIORITY' || hitPolicy === 'OUTPUT ORDER') && !outputs.some((o) => o.values.length)) {
    errors.push({ elementId: decisionId, code: 'DMN_HIT_POLICY', message: `${hitPolicy} needs output values listed in priority order` });
  }
  const rules: TableRule[] = ((t.rule ?? []) as DmnElement[]).map((r) => {
    const inputEntries = ((r.inputEntry ?? []) as DmnElement[]).map((e) => ((e.text as string | undefined) ?? '').trim() || '-');
    const outputEntries = ((r.outputEntry ?? []) as DmnElement[]).map((e) => ((e.text as string | undefined) ?? '').trim());
    const rid = r.id ?? decisionId;
    if (inputEntries.length !== inputs.length) errors.push({ elementId: rid, code: 'DMN_RULE_SHAPE', message: `Rule ${rid} has ${inputEntries.length} input entries for ${inputs.length} inputs` });
    if (outputEntries.length !== outputs.length) errors.push({ elementId: rid, code: 'DMN_RULE_SHAPE', message: `Rule ${rid} has ${outputEntries.length} output entries for ${outputs.length} outputs` });
    inputEntries.forEach((text, n) => checkUnaryTests(text, rid, inputs[n]?.label ?? `input ${n + 1}`, errors));
    outputEntries.forEach((text, n) => {
      if (!text) errors.push({ elementId: rid, code: 'DMN_OUTPUT_ENTRY', message: `Rule ${rid} leaves output ${outputs[n]?.name ?? n + 1} empty` });
      else checkFeel(text, rid, `output ${outputs[n]?.name ?? n + 1}`, errors);
    });
    return { id: rid, description: (r.description as string | undefined) ?? undefined, inputEntries, outputEntries };
  });
  return { hitPolicy, aggregation, inputs, outputs, rules };
}

/** `"a","b"` → ['"a"', '"b"']: the listed output values, kept as FEEL literals. */
function splitValues(text?: string): string[] {
  if (!text?.trim()) return [];
  return text.match(/"(?:[^"\\]|\\.)*"|[^,\s][^,]*/g)?.map((v) => v.trim()) ?? [];
}

function checkFeel(text: string, elementId: string, where: string, errors: DeployProblem[]): void {
  if (!syntaxOk(() => parseExpression(text, {}, undefined))) errors.push({ elementId, code: 'DMN_FEEL_SYNTAX', message: `${where}: "${text}" is not a FEEL expression` });
}

function checkUnaryTests(text: string, elementId: string, where: string, errors: DeployProblem[]): void {
  if (!syntaxOk(() => parseUnaryTests(text, {}, undefined))) errors.push({ elementId, code: 'DMN_FEEL_SYNTAX', message: `${where}: "${text}" is not a FEEL unary test` });
}

/** feelin's lezer parser marks errors in the tree instead of throwing. */
function syntaxOk(parse: () => { iterate(spec: { enter(node: { type: { isError: boolean } }): boolean | void }): void }): boolean {
  let ok = true;
  try {
    parse().iterate({
      enter(node) {
        if (node.type.isError) ok = false;
        return ok;
      },
    });
  } catch {
    return false;
  }
  return ok;
}

function findCycle(decisions: Record<string, Decision>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    if (state.get(id) === 'done' || !decisions[id]) return null;
    if (state.get(id) === 'visiting') return [...path.slice(path.indexOf(id)), id];
    state.set(id, 'visiting');
    path.push(id);
    for (const r of decisions[id].requires) {
      const c = visit(r);
      if (c) return c;
    }
    path.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of Object.keys(decisions)) {
    const c = visit(id);
    if (c) return c;
  }
  return null;
}

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 300);
}
