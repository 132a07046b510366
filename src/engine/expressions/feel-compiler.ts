import { FeelFunction, evaluate, isFunction, parseExpression } from 'feelin';
import type { Warning } from 'feelin';
import { ExpressionError } from './expression-error';
import { FeelFunctionRegistry, isFeelBuiltinName, normalizeFeelName } from './feel-functions';
import { FORBIDDEN_NAMES } from './feel-values';

/**
 * A FEEL expression compiled once into a FEEL function whose parameters are the expression's
 * free variables: `income < limit` becomes `function(income, limit) income < limit`. feelin's
 * `evaluate()` re-parses and rebuilds its interpreter tree on every call (about 130 µs); invoking
 * the compiled function costs a few µs and takes only the values the expression names.
 */
export interface CompiledFeel {
  readonly source: string;
  readonly params: readonly string[];
  readonly fn: FeelFunction;
  /**
   * feelin's warning list for this function. Each invocation appends its warnings here (the
   * interpreter keeps the list it was built with); evaluateFeel reads and trims it per call.
   */
  readonly warnings: Warning[];
}

interface SourceFacts {
  errorAt: number | null;
  /** Names read as values: the free variables (plus a few bound ones, which is harmless). */
  variables: Set<string>;
  /** Plain names in call position, e.g. `count` or `add working days`. */
  callees: Set<string>;
  /** Calls through a path on a variable, e.g. `environment.services.check(x)`. */
  pathCalls: { root: string; text: string }[];
  /** Names bound inside the expression: context keys, `for`/`some` variables, parameters. */
  bound: Set<string>;
  /** `a == b`, which FEEL parses as comparing `a` with the unary test `= b`. */
  doubleEquals: boolean;
}

export function compileFeel(source: string, registry?: FeelFunctionRegistry): CompiledFeel {
  const fail = (code: ExpressionError['code'], reason: string) => new ExpressionError(code, source, reason);
  if (!source.trim()) throw fail('EXPRESSION_SYNTAX', 'Nothing to evaluate');
  const forbidden = FORBIDDEN_NAMES.find((word) => source.includes(word));
  if (forbidden) throw fail('EXPRESSION_FORBIDDEN', `"${forbidden}" is not allowed`);

  const context = registry?.context() ?? {};
  const facts = readSource(source, context);
  const problem = findProblem(source, facts, registry);
  if (problem) throw fail(problem.code, problem.reason);

  const params = [...facts.variables].filter((name) => !registry?.has(name));
  let compiled: { value: unknown; warnings: Warning[] };
  try {
    compiled = evaluate(`function(${params.join(', ')}) ${source}`, context);
  } catch (e) {
    throw new ExpressionError('EXPRESSION_SYNTAX', source, `Cannot compile: ${(e as Error).message}`, { cause: e });
  }
  if (!isFunction(compiled.value)) throw fail('EXPRESSION_SYNTAX', 'Cannot compile the expression');
  return { source, params, fn: compiled.value, warnings: compiled.warnings };
}

function findProblem(source: string, facts: SourceFacts, registry?: FeelFunctionRegistry): { code: ExpressionError['code']; reason: string } | null {
  if (facts.errorAt !== null) return { code: 'EXPRESSION_SYNTAX', reason: syntaxReason(source, facts.errorAt) };
  // Camunda 7 diagrams bring JUEL; FEEL would read `a == b` as `a = (= b)` and `a eq b` or
  // `not approved` as one unknown name, and quietly answer null.
  if (facts.doubleEquals) return { code: 'EXPRESSION_SYNTAX', reason: '"==" is not FEEL: compare with "="' };
  const known = (name: string) => facts.bound.has(name) || registry?.has(name) === true || isFeelBuiltinName(name);
  const spaced = [...facts.variables].find((name) => name.includes(' ') && !known(name));
  if (spaced) {
    return { code: 'EXPRESSION_SYNTAX', reason: `Unknown name "${spaced}" (JUEL operators such as eq, lt, not, empty are not FEEL)` };
  }
  const callee = [...facts.callees].find((name) => !known(name));
  if (callee) return { code: 'EXPRESSION_EVALUATION', reason: `Unknown function "${callee}"` };
  const pathCall = facts.pathCalls.find((call) => !facts.bound.has(call.root));
  if (pathCall) {
    return { code: 'EXPRESSION_FORBIDDEN', reason: `Calling "${pathCall.text}" is not allowed: only FEEL built-ins and registered functions can be called` };
  }
  return null;
}

function readSource(source: string, context: Record<string, unknown>): SourceFacts {
  const facts: SourceFacts = { errorAt: null, variables: new Set(), callees: new Set(), pathCalls: [], bound: new Set(), doubleEquals: false };
  const text = (from: number, to: number) => normalizeFeelName(source.slice(from, to));
  parseExpression(source, context, undefined).iterate({
    enter(ref) {
      if (ref.type.isError) {
        facts.errorAt ??= ref.from;
      } else if (ref.name === 'Name') {
        facts.bound.add(text(ref.from, ref.to));
      } else if (ref.name === 'VariableName') {
        const parent = ref.node.parent;
        const isCallee = parent?.name === 'FunctionInvocation' && parent.from === ref.from;
        (isCallee ? facts.callees : facts.variables).add(text(ref.from, ref.to));
      } else if (ref.name === 'SimplePositiveUnaryTest') {
        facts.doubleEquals ||= ref.node.parent?.name === 'Comparison' && ref.node.prevSibling?.name === 'CompareOp';
      } else if (ref.name === 'FunctionInvocation') {
        const callee = ref.node.firstChild;
        let root = callee;
        while (root?.name === 'PathExpression') root = root.firstChild;
        if (callee && callee !== root && root?.name === 'VariableName') {
          facts.pathCalls.push({ root: text(root.from, root.to), text: source.slice(callee.from, callee.to) });
        }
      }
    },
  });
  return facts;
}

function syntaxReason(source: string, position: number): string {
  const rest = source.slice(position).trim();
  if (!rest) return 'Syntax error: the expression is incomplete';
  return `Syntax error at position ${position}: unexpected "${rest.length > 20 ? `${rest.slice(0, 20)}…` : rest}"`;
}
