import { variablesInvalid, variablesTooLarge } from '../engine.errors';
import { classifyExpression, evaluateFeel, FeelFunctionRegistry, parseTemplate } from '../expressions';
import type { Mapping } from '../definitions/element-meta';
import type { Vars } from './step-runner';

/** Names bpmn-elements writes into process variables itself; a diagram's data may not use them. */
export const RESERVED_VARIABLES = ['fields', 'content', 'properties', 'environment'];
export const MAX_VARIABLES_BYTES = 256 * 1024;
const NAME = /^[\p{L}_$][\p{L}\p{N}_$]*$/u;

/** Checks variables sent by a caller: a JSON object, no reserved or odd names, JSON-pure values. */
export function checkVariables(variables: unknown, field = 'variables'): Vars {
  if (variables === undefined || variables === null) return {};
  if (typeof variables !== 'object' || Array.isArray(variables)) throw variablesInvalid(`${field} must be a JSON object`, field);
  for (const name of Object.keys(variables)) {
    if (RESERVED_VARIABLES.includes(name)) throw variablesInvalid(`${field}.${name} is reserved by the engine`, `${field}.${name}`);
    if (!NAME.test(name)) throw variablesInvalid(`${field}.${name} is not a valid variable name`, `${field}.${name}`);
  }
  return variables as Vars;
}

/** Refuses a variable set bigger than the per-instance limit. */
export function checkVariablesSize(variables: Vars): void {
  const bytes = Buffer.byteLength(JSON.stringify(variables));
  if (bytes > MAX_VARIABLES_BYTES) throw variablesTooLarge(bytes, MAX_VARIABLES_BYTES);
}

/**
 * A literal stays text; `=…` and `${…}` are FEEL over the scope. A template such as
 * `${region}-street` (how Camunda 7 diagrams build a group name) gets each `${}` replaced once by
 * its value as text: left as a literal, the task row carried the raw `${region}-street`.
 */
export function evaluateValue(text: string, scope: Vars, registry: FeelFunctionRegistry): unknown {
  const kind = classifyExpression(text).kind;
  if (kind !== 'literal') return evaluateFeel(text, scope, registry);
  if (!text.includes('${')) return text;
  return parseTemplate(text)
    .map((part) => ('literal' in part ? part.literal : asText(evaluateFeel(part.expression, scope, registry))))
    .join('');
}

function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Applies camunda:inputOutput / zeebe:ioMapping parameters over a scope. */
export function applyMappings(mappings: Mapping[], scope: Vars, registry: FeelFunctionRegistry): Vars {
  const out: Vars = {};
  for (const m of mappings) {
    if (!m.target) continue;
    if (m.variable) out[m.target] = scope[m.source] ?? null;
    else out[m.target] = m.source.trim() === '' ? null : evaluateValue(m.source, scope, registry);
  }
  return out;
}
