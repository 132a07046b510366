import { ExpressionError } from './expression-error';
import { FeelFunctionRegistry } from './feel-functions';
import { isPlainObject } from './feel-values';
import { classifyExpression, evaluateFeel, isServiceReference, parseTemplate } from './feel';

/** The `expressions` option of `new Engine({ expressions })`. */
export interface EngineExpressions {
  resolveExpression(expression: unknown, context?: unknown, expressionFnContext?: unknown): unknown;
  isExpression(text: unknown): boolean;
  hasExpression(text: unknown): boolean;
}

/**
 * Message content keys bpmn-elements uses for its own bookkeeping. They stay reachable as
 * `content.<key>` but are kept out of the flat context, so a gateway's `id` or `type` never
 * shadows a process variable of that name.
 */
const ENGINE_CONTENT_KEYS = new Set([
  'id', 'type', 'name', 'executionId', 'parent', 'inbound', 'outbound', 'state', 'index', 'output',
  'isRootScope', 'isMultiInstance', 'isSequential', 'isSubProcess', 'isRecovered', 'isDefault',
  'isSequenceFlow', 'isForCompensation', 'isTransaction', 'loopCardinality', 'outboundTakeOne',
  'attachedTo', 'sourceId', 'targetId', 'sequenceId', 'evaluationId', 'action', 'result',
  'timeout', 'expireAt', 'startedAt', 'timerType', 'timeDuration', 'timeDate', 'timeCycle', 'repeat',
  'message', 'error', 'discardSequence', 'preventComplete',
]);

// Process variables also carry the start message's fields/content/properties (bpmn-elements
// assigns them); they are engine internals, not data a diagram should route on.
const ENGINE_VARIABLE_KEYS = new Set(['fields', 'content', 'properties']);

/**
 * FEEL for everything the engine resolves (conditions, timer values, collections, names), with
 * no JavaScript evaluation at all. Single pass: a `${…}` that arrives inside a variable's value
 * is data and is never evaluated. `${environment.services.x}` resolves to undefined because
 * Anju runs service tasks as jobs, not as in-process functions.
 */
export function createEngineExpressions(registry: FeelFunctionRegistry): EngineExpressions {
  return {
    resolveExpression(expression, context) {
      if (typeof expression !== 'string') return expression;
      const { kind, body } = classifyExpression(expression);
      if (kind === 'literal') return expression.includes('${') ? substitute(expression, context, registry) : expression;
      if (kind === 'juel-feel' && isServiceReference(body)) return undefined;
      return evaluateFeel(expression, buildFeelScope(context), registry);
    },
    isExpression(text) {
      return typeof text === 'string' && classifyExpression(text).kind !== 'literal';
    },
    hasExpression(text) {
      if (typeof text !== 'string') return false;
      return classifyExpression(text).kind !== 'literal' || /\$\{[^]*\}/.test(text);
    },
  };
}

/**
 * The flat FEEL context for an engine message: `environment.variables`, then
 * `environment.output`, then the message content without engine bookkeeping (multi-instance
 * iterations put their elementVariable there), plus `loopCounter` (1-based, as in Camunda) in an
 * iteration. `environment` ({ variables, output }) and `content` stay available for old-style
 * paths such as `${environment.variables.x}` and `${content.x}`. Nothing else of the engine
 * (services, settings, message fields or properties) is visible.
 */
export function buildFeelScope(context: unknown): Record<string, unknown> {
  const message = isRecord(context) ? context : {};
  const environment = isRecord(message.environment) ? message.environment : {};
  const variables = omit(asRecord(environment.variables), ENGINE_VARIABLE_KEYS);
  const output = asRecord(environment.output);
  const content = asRecord(message.content);
  const scope: Record<string, unknown> = { ...variables, ...output, ...omit(content, ENGINE_CONTENT_KEYS) };
  if (content.isMultiInstance === true && typeof content.index === 'number') scope.loopCounter = content.index + 1;
  scope.environment = { variables, output };
  scope.content = content;
  return scope;
}

/** Replaces each `${}` once with its value as text; substituted text is never scanned again. */
function substitute(template: string, context: unknown, registry: FeelFunctionRegistry): string {
  const scope = buildFeelScope(context);
  let result = '';
  for (const part of parseTemplate(template)) {
    if ('literal' in part) result += part.literal;
    else if (!isServiceReference(part.expression)) result += asText(evaluatePart(part.expression, template, scope, registry));
  }
  return result;
}

function evaluatePart(body: string, template: string, scope: Record<string, unknown>, registry: FeelFunctionRegistry): unknown {
  try {
    return evaluateFeel(body, scope, registry);
  } catch (e) {
    if (e instanceof ExpressionError) throw new ExpressionError(e.code, template, e.reason, { cause: e });
    throw e;
  }
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function omit(record: Record<string, unknown>, keys: Set<string>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (!keys.has(key)) copy[key] = value;
  return copy;
}
