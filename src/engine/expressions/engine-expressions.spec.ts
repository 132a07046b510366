import { Environment } from 'bpmn-elements';
import { buildFeelScope, createEngineExpressions } from './engine-expressions';
import { FeelFunctionRegistry } from './feel-functions';
import { ExpressionError } from './feel';

// What bpmn-elements passes as `context`: { environment, fields, content, properties }.
function message(variables: Record<string, unknown>, content: Record<string, unknown> = {}, output: Record<string, unknown> = {}) {
  return { environment: { variables, output, services: { checkIncome: () => true } }, fields: { routingKey: 'run.execute' }, content, properties: { messageId: 'm1' } };
}

const expressions = createEngineExpressions(new FeelFunctionRegistry());
const resolve = (text: unknown, context: unknown = message({})) => expressions.resolveExpression(text, context);

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (e) {
    if (e instanceof ExpressionError) return e.code;
    throw e;
  }
  return undefined;
}

describe('buildFeelScope', () => {
  it('layers variables, then output, then message content into one flat context', () => {
    const scope = buildFeelScope(message({ a: 'variable', b: 'variable', c: 'variable' }, { c: 'content', dept: 'finance' }, { b: 'output', c: 'output' }));
    expect(scope).toMatchObject({ a: 'variable', b: 'output', c: 'content', dept: 'finance' });
  });

  it("keeps the engine's bookkeeping out of the flat context but reachable under content", () => {
    const scope = buildFeelScope(message({ id: 'APP-1', type: 'rental' }, { id: 'Gateway_Income', type: 'bpmn:ExclusiveGateway', executionId: 'g_1' }));
    expect(scope).toMatchObject({ id: 'APP-1', type: 'rental', content: { id: 'Gateway_Income', executionId: 'g_1' } });
    expect(scope).not.toHaveProperty('executionId');
  });

  it('adds a 1-based loopCounter in a multi-instance iteration', () => {
    expect(buildFeelScope(message({}, { isMultiInstance: true, index: 2, dept: 'civil' }))).toMatchObject({ loopCounter: 3, dept: 'civil' });
    expect(buildFeelScope(message({}, { index: 2 }))).not.toHaveProperty('loopCounter');
  });

  it('exposes environment as variables and output only: no services, fields or properties', () => {
    const scope = buildFeelScope(message({ x: 1, fields: {}, content: {}, properties: {} }, {}, { y: 2 }));
    expect(scope.environment).toEqual({ variables: { x: 1 }, output: { y: 2 } });
    expect(scope).not.toHaveProperty('fields');
    expect(scope).not.toHaveProperty('properties');
  });
});

describe('createEngineExpressions().resolveExpression', () => {
  it('passes literals and non-strings through untouched', () => {
    for (const literal of ['PT1S', 'R3/PT10M', 'street-office', '', '2025-01-01T09:00:00+08:00']) expect(resolve(literal)).toBe(literal);
    expect(resolve(undefined)).toBeUndefined();
    expect(resolve(42)).toBe(42);
  });

  it('evaluates =expr and whole-string ${expr} as FEEL over the message', () => {
    const context = message({ income: 2500, limit: 3000 });
    expect(resolve('=income < 3000', context)).toBe(true);
    expect(resolve('${income < limit}', context)).toBe(true);
    expect(resolve('${true}', context)).toBe(true);
    expect(resolve('${3}', context)).toBe(3);
  });

  it('resolves old bpmn-engine paths', () => {
    const context = message({ x: 'from variables' }, { x: 'from content' }, { y: 'from output' });
    expect(resolve('${environment.variables.x}', context)).toBe('from variables');
    expect(resolve('${environment.output.y}', context)).toBe('from output');
    expect(resolve('${content.x}', context)).toBe('from content');
  });

  it('resolves a service reference to undefined and refuses calling one', () => {
    expect(resolve('${environment.services.checkIncome}')).toBeUndefined();
    expect(codeOf(() => resolve('${environment.services.checkIncome(1)}'))).toBe('EXPRESSION_FORBIDDEN');
    expect(resolve('=environment.services')).toBeNull();
  });

  it('sees nothing of a real bpmn-elements Environment beyond variables and output', () => {
    const environment = new Environment({ variables: { x: 1 }, settings: { secret: 's' }, services: { f: () => 1 } });
    const context = { environment, content: {} };
    expect(resolve('=environment.variables.x', context)).toBe(1);
    for (const path of ['=environment.settings', '=environment.options', '=environment.services', '=environment.timers']) {
      expect(resolve(path, context)).toBeNull();
    }
  });

  it('substitutes each ${} of a template once, as text', () => {
    const context = message({ days: 3, name: '张三', due: null, tags: ['a'], evil: '${environment.variables.days}' });
    expect(resolve('P${days}D', context)).toBe('P3D');
    expect(resolve('Dear ${name}, ${evil}', context)).toBe('Dear 张三, ${environment.variables.days}');
    expect(resolve('due: ${due}; tags: ${tags}', context)).toBe('due: ; tags: ["a"]');
    expect(resolve('until ${date("2025-01-01") + duration("P1D")}', context)).toBe('until 2025-01-02');
  });

  it('reports a failing template part with the whole template', () => {
    try {
      resolve('P${days +}D', message({ days: 3 }));
      throw new Error('expected an ExpressionError');
    } catch (e) {
      expect(e).toBeInstanceOf(ExpressionError);
      expect((e as ExpressionError).expression).toBe('P${days +}D');
      expect((e as ExpressionError).code).toBe('EXPRESSION_SYNTAX');
    }
  });

  it('refuses the Function-constructor escape everywhere, without running it', () => {
    const marker = globalThis as { anjuPwned?: boolean };
    const escape = 'environment.constructor.constructor("globalThis.anjuPwned = true")()';
    for (const text of [`\${${escape}}`, `=${escape}`, `Dear \${${escape}}`]) expect(codeOf(() => resolve(text))).toBe('EXPRESSION_FORBIDDEN');
    expect(marker.anjuPwned).toBeUndefined();
  });
});

describe('isExpression / hasExpression', () => {
  it('tell expressions and templates from literals', () => {
    expect(expressions.isExpression('=a')).toBe(true);
    expect(expressions.isExpression('${a}')).toBe(true);
    expect(expressions.isExpression('P${days}D')).toBe(false);
    expect(expressions.isExpression('PT1S')).toBe(false);
    expect(expressions.hasExpression('P${days}D')).toBe(true);
    expect(expressions.hasExpression('PT1S')).toBe(false);
    expect(expressions.hasExpression(undefined)).toBe(false);
  });
});
