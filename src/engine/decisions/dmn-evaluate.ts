import { unaryTest } from 'feelin';
import { ExpressionError, evaluateFeel, type FeelFunctionRegistry } from '../expressions';
import { toFeelValue } from '../expressions/feel-values';
import type { Decision, DecisionGraph, DecisionTable } from './dmn-parse';

export interface DecisionOutcome {
  decisionId: string;
  decisionName: string;
  /** single hit: the output (a value, or an object for several outputs) or null; multiple hits: a list */
  result: unknown;
  /** ids of the rules that matched, in rule order */
  matchedRules: string[];
}

export interface Evaluation extends DecisionOutcome {
  /** the required decisions evaluated first, each once */
  required: DecisionOutcome[];
}

/** A decision that cannot give an answer: a UNIQUE table with two matches, an ANY table with conflicting outputs, a FEEL failure. */
export class DecisionError extends Error {
  constructor(
    readonly decisionId: string,
    readonly code: 'DECISION_NOT_FOUND' | 'DECISION_HIT_POLICY_VIOLATED' | 'DECISION_EVALUATION_FAILED',
    message: string,
    readonly elementId?: string,
  ) {
    super(message);
    this.name = 'DecisionError';
  }
}

/**
 * Evaluates a decision over `variables`: required decisions first (their results join the
 * variables under the required decision's name), then the table or literal expression. Input
 * expressions and output entries are FEEL through Anju's evaluator (with the registered
 * functions); input entries are FEEL unary tests.
 */
export function evaluateDecision(graph: DecisionGraph, decisionId: string, variables: Record<string, unknown>, registry?: FeelFunctionRegistry): Evaluation {
  const root = graph.decisions[decisionId] ?? Object.values(graph.decisions).find((d) => d.name === decisionId);
  if (!root) throw new DecisionError(decisionId, 'DECISION_NOT_FOUND', `No decision ${decisionId} in ${graph.id}`);
  const done = new Map<string, DecisionOutcome>();
  const run = (d: Decision): DecisionOutcome => {
    const known = done.get(d.id);
    if (known) return known;
    const scope = { ...variables };
    for (const r of d.requires) {
      const required = run(graph.decisions[r]);
      scope[graph.decisions[r].name] = required.result;
    }
    const outcome = d.table ? evaluateTable(d, d.table, scope, registry) : evaluateLiteral(d, scope, registry);
    done.set(d.id, outcome);
    return outcome;
  };
  const outcome = run(root);
  return { ...outcome, required: [...done.values()].filter((o) => o.decisionId !== root.id) };
}

function evaluateLiteral(d: Decision, scope: Record<string, unknown>, registry?: FeelFunctionRegistry): DecisionOutcome {
  return { decisionId: d.id, decisionName: d.name, result: feel(d, d.id, d.literal!.expression, scope, registry), matchedRules: [] };
}

function evaluateTable(d: Decision, t: DecisionTable, scope: Record<string, unknown>, registry?: FeelFunctionRegistry): DecisionOutcome {
  const values = t.inputs.map((i) => feel(d, i.id, i.expression, scope, registry));
  const feelScope = toFeelValue(scope) as Record<string, unknown>;
  const matched = t.rules.filter((r) => r.inputEntries.every((entry, n) => matches(d, r.id, entry, values[n], feelScope)));
  const outputsOf = (ruleIndex: number) => {
    const r = matched[ruleIndex];
    const row: Record<string, unknown> = {};
    t.outputs.forEach((o, n) => (row[o.name] = feel(d, r.id, r.outputEntries[n], scope, registry)));
    return row;
  };
  const rows = matched.map((_, n) => outputsOf(n));
  const single = (row: Record<string, unknown>) => (t.outputs.length === 1 ? row[t.outputs[0].name] : row);
  const ids = matched.map((r) => r.id);
  const outcome = (result: unknown, ruleIds = ids): DecisionOutcome => ({ decisionId: d.id, decisionName: d.name, result, matchedRules: ruleIds });

  switch (t.hitPolicy) {
    case 'UNIQUE':
      if (rows.length > 1) throw new DecisionError(d.id, 'DECISION_HIT_POLICY_VIOLATED', `Decision ${d.id} (UNIQUE) matched ${rows.length} rules: ${ids.join(', ')}`, d.id);
      return outcome(rows.length ? single(rows[0]) : null);
    case 'FIRST':
      return outcome(rows.length ? single(rows[0]) : null, ids.slice(0, 1));
    case 'ANY': {
      const distinct = new Set(rows.map((r) => JSON.stringify(r)));
      if (distinct.size > 1) throw new DecisionError(d.id, 'DECISION_HIT_POLICY_VIOLATED', `Decision ${d.id} (ANY) matched rules with different outputs: ${ids.join(', ')}`, d.id);
      return outcome(rows.length ? single(rows[0]) : null);
    }
    case 'PRIORITY': {
      if (!rows.length) return outcome(null);
      const order = rows.map((r, n) => ({ n, rank: rankOf(t, r) })).sort((a, b) => compareRanks(a.rank, b.rank) || a.n - b.n);
      return outcome(single(rows[order[0].n]), [ids[order[0].n]]);
    }
    case 'OUTPUT ORDER': {
      const order = rows.map((r, n) => ({ n, rank: rankOf(t, r) })).sort((a, b) => compareRanks(a.rank, b.rank) || a.n - b.n);
      return outcome(order.map((o) => single(rows[o.n])), order.map((o) => ids[o.n]));
    }
    case 'RULE ORDER':
      return outcome(rows.map(single));
    case 'COLLECT': {
      const list = rows.map(single);
      if (!t.aggregation) return outcome(list);
      if (t.aggregation === 'COUNT') return outcome(list.length);
      const nums = list.filter((v): v is number => typeof v === 'number');
      if (nums.length !== list.length) throw new DecisionError(d.id, 'DECISION_EVALUATION_FAILED', `Decision ${d.id}: ${t.aggregation} needs numeric outputs`, d.id);
      if (!nums.length) return outcome(null);
      if (t.aggregation === 'SUM') return outcome(nums.reduce((a, b) => a + b, 0));
      return outcome(t.aggregation === 'MIN' ? Math.min(...nums) : Math.max(...nums));
    }
  }
}

/** Position of each output value in its column's listed values (unlisted values rank last). */
function rankOf(t: DecisionTable, row: Record<string, unknown>): number[] {
  return t.outputs.map((o) => {
    if (!o.values.length) return 0;
    const i = o.values.findIndex((v) => JSON.stringify(literal(v)) === JSON.stringify(row[o.name]));
    return i < 0 ? o.values.length : i;
  });
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

function literal(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function feel(d: Decision, elementId: string, expression: string, scope: Record<string, unknown>, registry?: FeelFunctionRegistry): unknown {
  try {
    return evaluateFeel(expression, scope, registry);
  } catch (e) {
    if (e instanceof ExpressionError) throw new DecisionError(d.id, 'DECISION_EVALUATION_FAILED', `Decision ${d.id}, ${elementId}: ${e.message}`, elementId);
    throw e;
  }
}

// --- input entries -------------------------------------------------------------------------

type Test = (value: unknown) => boolean;
const SIMPLE_CACHE = new Map<string, Test | null>();
const NUM = '(-?\\d+(?:\\.\\d+)?)';
const COMPARE = new RegExp(`^(<=|>=|<|>|=)?\\s*${NUM}$`);
const INTERVAL = new RegExp(`^([\\[\\]\\(])\\s*${NUM}\\s*\\.\\.\\s*${NUM}\\s*([\\[\\]\\)])$`);
const STRINGS = /^"[^"\\]*"(\s*,\s*"[^"\\]*")*$/;

/**
 * Most cells are literals (`< 3000`, `[15..30]`, `"低保","特困"`, `true`, `-`); those are compiled
 * once into a plain test with FEEL's meaning (a comparison with null or a value of another type
 * does not match). Anything else goes to feelin's unary-test evaluation with `?` bound.
 */
function matches(d: Decision, ruleId: string, entry: string, value: unknown, scope: Record<string, unknown>): boolean {
  const simple = simpleTest(entry);
  if (simple) return simple(value);
  try {
    return unaryTest(entry, { ...scope, '?': toFeelValue(value) ?? null }).value === true;
  } catch (e) {
    throw new DecisionError(d.id, 'DECISION_EVALUATION_FAILED', `Decision ${d.id}, rule ${ruleId}: cannot test "${entry}": ${(e as Error).message}`, ruleId);
  }
}

export function simpleTest(entry: string): Test | null {
  if (SIMPLE_CACHE.has(entry)) return SIMPLE_CACHE.get(entry)!;
  const test = compileSimple(entry.trim())?.test ?? null;
  if (SIMPLE_CACHE.size > 5000) SIMPLE_CACHE.clear();
  SIMPLE_CACHE.set(entry, test);
  return test;
}

/** A compiled cell and the type of value it can match (a value of another type gives FEEL's null: no match). */
function compileSimple(e: string): { test: Test; type: 'any' | 'number' | 'string' | 'boolean' } | null {
  if (e === '-' || e === '') return { test: () => true, type: 'any' };
  const not = /^not\((.*)\)$/.exec(e);
  if (not) {
    const inner = compileSimple(not[1].trim());
    if (!inner || inner.type === 'any') return null;
    return { test: (v) => v === null || v === undefined || (typeof v === inner.type && !inner.test(v)), type: inner.type };
  }
  if (e === 'true' || e === 'false') return { test: (v) => v === (e === 'true'), type: 'boolean' };
  const c = COMPARE.exec(e);
  if (c) {
    const n = Number(c[2]);
    const op = c[1] ?? '=';
    return { test: (v) => typeof v === 'number' && (op === '<' ? v < n : op === '<=' ? v <= n : op === '>' ? v > n : op === '>=' ? v >= n : v === n), type: 'number' };
  }
  const i = INTERVAL.exec(e);
  if (i) {
    const [lo, hi] = [Number(i[2]), Number(i[3])];
    const loIn = i[1] === '[';
    const hiIn = i[4] === ']';
    return { test: (v) => typeof v === 'number' && (loIn ? v >= lo : v > lo) && (hiIn ? v <= hi : v < hi), type: 'number' };
  }
  if (STRINGS.test(e)) {
    const set = new Set(e.match(/"[^"\\]*"/g)!.map((s) => s.slice(1, -1)));
    return { test: (v) => typeof v === 'string' && set.has(v), type: 'string' };
  }
  return null;
}
