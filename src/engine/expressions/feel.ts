import { ExpressionError } from './expression-error';
import { type CompiledFeel, compileFeel } from './feel-compiler';
import { FeelFunctionRegistry } from './feel-functions';
import { LruCache } from './lru-cache';
import { fromFeelValue, toFeelValue } from './feel-values';

export { ExpressionError, isExpressionError } from './expression-error';
export type { ExpressionErrorCode } from './expression-error';
export type { CompiledFeel } from './feel-compiler';

export type ExpressionKind = 'feel' | 'juel-feel' | 'literal';
export type TemplatePart = { literal: string } | { expression: string };

/**
 * `=expr` is Camunda 8 FEEL; a string that is one whole `${expr}` is Camunda 7 style and is
 * read as FEEL too (so `${income < limit}` works, and old `${environment.variables.x}` paths are
 * FEEL paths). Anything else is a literal (`PT1S`, `R3/PT10M`, a group name, or a template
 * such as `P${days}D` whose `${}` parts the engine substitutes).
 */
export function classifyExpression(text: string): { kind: ExpressionKind; body: string } {
  const trimmed = text.trim();
  if (trimmed.startsWith('=')) return { kind: 'feel', body: trimmed.slice(1).trim() };
  if (trimmed.startsWith('${') && findClosingBrace(trimmed, 2) === trimmed.length - 1) {
    return { kind: 'juel-feel', body: trimmed.slice(2, -1).trim() };
  }
  return { kind: 'literal', body: text };
}

/** Splits `Dear ${name}, see ${link}` into literal text and `${}` expression bodies. */
export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let index = 0;
  while (index < text.length) {
    const start = text.indexOf('${', index);
    if (start < 0) {
      parts.push({ literal: text.slice(index) });
      break;
    }
    if (start > index) parts.push({ literal: text.slice(index, start) });
    const end = findClosingBrace(text, start + 2);
    if (end < 0) throw new ExpressionError('EXPRESSION_SYNTAX', text, `Unclosed "\${" at position ${start}`);
    parts.push({ expression: text.slice(start + 2, end).trim() });
    index = end + 1;
  }
  return parts;
}

/** `environment.services.name`: how bpmn-engine diagrams name an in-process service function. */
export function isServiceReference(body: string): boolean {
  return /^environment\s*\.\s*services\s*\.\s*[A-Za-z_$][\w$]*$/.test(body);
}

// FEEL answers null with a warning for these; a diagram that hits one has a bug worth an
// incident, not a silently taken default flow. Missing variables stay null, as FEEL says.
const FAILURE_WARNINGS = new Set(['NO_FUNCTION_FOUND', 'FUNCTION_INVOCATION_FAILURE', 'INVALID_ARGUMENTS', 'INVALID_TYPE', 'NOT_COMPARABLE', 'UNSUPPORTED']);

/**
 * Evaluates FEEL over `variables` (a flat context). `expression` is FEEL source; a leading `=`
 * or a whole-string `${}` wrapper is accepted and stripped. Compiled expressions are cached per
 * registry. Temporal results come back as ISO 8601 strings.
 */
export function evaluateFeel(expression: string, variables: Record<string, unknown>, registry?: FeelFunctionRegistry): unknown {
  const compiled = compiledFor(expression, registry);
  const args = compiled.params.map((name) => toFeelValue(Object.hasOwn(variables, name) ? variables[name] : undefined));
  return fromFeelValue(invoke(compiled, args, expression), registry?.timeZone);
}

/**
 * Deploy-time check without evaluating: null when `text` is fine, otherwise the reason. Literals
 * are fine; the `${}` parts of a template are checked one by one.
 */
export function checkExpression(text: string, registry?: FeelFunctionRegistry): string | null {
  if (typeof text !== 'string') return null; // an absent attribute is nothing to check
  try {
    const { kind, body } = classifyExpression(text);
    if (kind === 'juel-feel' && isServiceReference(body)) return null;
    if (kind !== 'literal') {
      compiledFor(text, registry);
      return null;
    }
    for (const part of parseTemplate(text)) {
      if ('expression' in part && !isServiceReference(part.expression)) compiledFor(part.expression, registry, text);
    }
    return null;
  } catch (e) {
    if (e instanceof ExpressionError) return e.message;
    throw e;
  }
}

const CACHE_SIZE = 256;
const sharedCache = new LruCache<string, CompiledFeel | ExpressionError>(CACHE_SIZE);
const registryCaches = new WeakMap<FeelFunctionRegistry, { revision: number; cache: LruCache<string, CompiledFeel | ExpressionError> }>();

/**
 * The compiled form of FEEL `source`, from the cache of `registry` (a registration empties it).
 * Failures are cached too, so a broken expression on a hot path is not re-parsed every time.
 */
export function getCompiledFeel(source: string, registry?: FeelFunctionRegistry): CompiledFeel {
  const cache = cacheFor(registry);
  let entry = cache.get(source);
  if (!entry) {
    try {
      entry = compileFeel(source, registry);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      entry = e;
    }
    cache.set(source, entry);
  }
  if (entry instanceof ExpressionError) throw entry;
  return entry;
}

function cacheFor(registry?: FeelFunctionRegistry): LruCache<string, CompiledFeel | ExpressionError> {
  if (!registry) return sharedCache;
  let entry = registryCaches.get(registry);
  if (!entry || entry.revision !== registry.revision) {
    entry = { revision: registry.revision, cache: new LruCache(CACHE_SIZE) };
    registryCaches.set(registry, entry);
  }
  return entry.cache;
}

/** Compiles `expression` (wrappers stripped); errors name `reportAs`, the text the author wrote. */
function compiledFor(expression: string, registry: FeelFunctionRegistry | undefined, reportAs = expression): CompiledFeel {
  const { kind, body } = classifyExpression(expression);
  try {
    return getCompiledFeel(kind === 'literal' ? expression : body, registry);
  } catch (e) {
    if (e instanceof ExpressionError) throw new ExpressionError(e.code, reportAs, e.reason);
    throw e;
  }
}

function invoke(compiled: CompiledFeel, args: unknown[], expression: string): unknown {
  const mark = compiled.warnings.length;
  try {
    const value: unknown = compiled.fn.invoke(args);
    const failure = compiled.warnings.slice(mark).find((w) => FAILURE_WARNINGS.has(w.type));
    if (failure) throw new ExpressionError('EXPRESSION_EVALUATION', expression, failure.message);
    return value;
  } catch (e) {
    if (e instanceof ExpressionError) throw e;
    const reason = e instanceof Error ? e.message : String(e);
    throw new ExpressionError('EXPRESSION_EVALUATION', expression, `Evaluation failed: ${reason}`, { cause: e });
  } finally {
    compiled.warnings.length = mark;
  }
}

/** Index of the `}` closing a `${` whose body starts at `from`, skipping FEEL strings; -1 if none. */
function findClosingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i = endOfString(text, i);
      if (i < 0) return -1;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function endOfString(text: string, quote: number): number {
  for (let i = quote + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
