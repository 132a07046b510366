import { evaluate } from 'feelin';
import { fromFeelValue } from './feel-values';
import { FeelFunctionRegistry } from './feel-functions';
import { ExpressionError, checkExpression, classifyExpression, evaluateFeel, getCompiledFeel, parseTemplate } from './feel';

function failure(run: () => unknown): ExpressionError {
  try {
    run();
  } catch (e) {
    if (e instanceof ExpressionError) return e;
    throw e;
  }
  throw new Error('expected an ExpressionError');
}

describe('classifyExpression', () => {
  it.each([
    ['=income < 3000', 'feel', 'income < 3000'],
    ['  = income < 3000 \n', 'feel', 'income < 3000'],
    ['${income < limit}', 'juel-feel', 'income < limit'],
    ['${environment.variables.x}', 'juel-feel', 'environment.variables.x'],
    ['${ {a: "}"}.a }', 'juel-feel', '{a: "}"}.a'],
    ['${a} and ${b}', 'literal', '${a} and ${b}'],
    ['P${days}D', 'literal', 'P${days}D'],
    ['PT1S', 'literal', 'PT1S'],
    ['R3/PT10M', 'literal', 'R3/PT10M'],
    ['street-office', 'literal', 'street-office'],
  ])('%j is %s', (text, kind, body) => {
    expect(classifyExpression(text)).toEqual({ kind, body });
  });

  it('splits templates into literal text and ${} bodies, respecting FEEL strings and contexts', () => {
    expect(parseTemplate('Dear ${name}, due ${ {d: "}"}.d }!')).toEqual([
      { literal: 'Dear ' },
      { expression: 'name' },
      { literal: ', due ' },
      { expression: '{d: "}"}.d' },
      { literal: '!' },
    ]);
    expect(() => parseTemplate('P${days')).toThrow(ExpressionError);
  });
});

describe('evaluateFeel', () => {
  it('evaluates FEEL over a flat context, with or without the = and ${} wrappers', () => {
    expect(evaluateFeel('income < 3000', { income: 2500 })).toBe(true);
    expect(evaluateFeel('=income < 3000', { income: 3500 })).toBe(false);
    expect(evaluateFeel('${income < limit}', { income: 3500, limit: 4000 })).toBe(true);
    expect(evaluateFeel('count(members) >= 2 and household.region = "chengdu"', { members: ['a', 'b'], household: { region: 'chengdu' } })).toBe(true);
  });

  it('gives null for a missing variable, as FEEL does (a condition with it is simply false)', () => {
    expect(evaluateFeel('income < 3000', {})).toBeNull();
    expect(evaluateFeel('approved = true', {})).toBe(false);
  });

  // The compiled form binds only the names an expression reads; it must agree with feelin.
  it.each([
    ['income < limit', { income: 1, limit: 2 }],
    ['for x in xs return x * factor', { xs: [1, 2, 3], factor: 10 }],
    ['xs[a > 1].a', { xs: [{ a: 1 }, { a: 2 }, { a: 3 }], a: 100 }],
    ['xs[item > 1]', { xs: [1, 2, 3] }],
    ['some d in departments satisfies d = dept', { departments: ['housing', 'finance'], dept: 'finance' }],
    ['every m in members satisfies m.age >= 18', { members: [{ age: 20 }, { age: 17 }] }],
    ['if score > 80 then "high" else "low"', { score: 81 }],
    ['{total: sum(amounts), n: count(amounts)}', { amounts: [1, 2, 3] }],
    ['string length(name) + 1', { name: '张三' }],
    ['upper case(substring(code, 1, 2))', { code: 'cd-01' }],
    ['date(applied) + duration("P15D")', { applied: '2025-03-01' }],
    ['{x: 1, y: x + 1}.y', {}],
    ['list contains(groups, "finance")', { groups: ['housing', 'finance'] }],
  ])('agrees with feelin on %j', (expression, variables) => {
    expect(evaluateFeel(expression, variables)).toEqual(fromFeelValue(evaluate(expression, variables).value));
  });

  it('converts temporal results to ISO 8601 strings', () => {
    expect(evaluateFeel('date("2025-03-01") + duration("P15D")', {})).toBe('2025-03-16');
    expect(evaluateFeel('date and time("2025-03-01T09:00:00+08:00")', {})).toBe('2025-03-01T09:00:00+08:00');
    expect(evaluateFeel('date and time("2025-03-01T09:00:00@Asia/Shanghai")', {})).toBe('2025-03-01T09:00:00+08:00');
    expect(evaluateFeel('date and time("2025-07-01T09:00:00@America/New_York")', {})).toBe('2025-07-01T09:00:00-04:00');
    expect(evaluateFeel('date and time("2025-03-01T09:00:00Z")', {})).toBe('2025-03-01T09:00:00Z');
    expect(evaluateFeel('duration("PT1S")', {})).toBe('PT1S');
    expect(evaluateFeel('duration("P3D")', {})).toBe('P3D');
    expect(evaluateFeel('duration("P1Y2M")', {})).toBe('P1Y2M');
    expect(evaluateFeel('[date("2025-01-01"), duration("PT2H")]', {})).toEqual(['2025-01-01', 'PT2H']);
  });

  it('gives a local date and time the registry time zone offset, and leaves it local without one', () => {
    const shanghai = new FeelFunctionRegistry({ timeZone: 'Asia/Shanghai' });
    expect(evaluateFeel('date and time("2025-03-01T09:00:00")', {}, shanghai)).toBe('2025-03-01T09:00:00+08:00');
    expect(evaluateFeel('date and time("2025-03-01T09:00:00")', {})).toBe('2025-03-01T09:00:00');
  });

  it('reads a JS Date variable as a FEEL date and time', () => {
    expect(evaluateFeel('submitted < date and time("2025-01-02T00:00:00Z")', { submitted: new Date('2025-01-01T12:00:00Z') })).toBe(true);
  });

  it('throws EXPRESSION_SYNTAX with the expression text for broken FEEL', () => {
    const error = failure(() => evaluateFeel('=income <', {}));
    expect(error.code).toBe('EXPRESSION_SYNTAX');
    expect(error.expression).toBe('=income <');
    expect(error.message).toContain('"=income <"');
    expect(failure(() => evaluateFeel('1 2', {})).code).toBe('EXPRESSION_SYNTAX');
    expect(failure(() => evaluateFeel('', {})).code).toBe('EXPRESSION_SYNTAX');
  });

  it('throws EXPRESSION_EVALUATION for unknown functions and failing built-ins instead of a silent null', () => {
    expect(failure(() => evaluateFeel('add workng days(today(), 3)', {})).reason).toBe('Unknown function "add workng days"');
    expect(failure(() => evaluateFeel('date(applied)', { applied: '2023-02-30' })).code).toBe('EXPRESSION_EVALUATION');
    expect(failure(() => evaluateFeel('"a" + 1', {})).code).toBe('EXPRESSION_EVALUATION');
  });

  it('wraps an exception thrown by a registered function', () => {
    const registry = new FeelFunctionRegistry().register('lookup quota', () => {
      throw new Error('quota service down');
    }, []);
    const error = failure(() => evaluateFeel('lookup quota()', {}, registry));
    expect(error.code).toBe('EXPRESSION_EVALUATION');
    expect(error.reason).toContain('quota service down');
  });

  it.each([
    'x.constructor',
    'environment.constructor.constructor("return process")()',
    'get value(x, "__proto__")',
    'string(prototype)',
  ])('refuses %j as EXPRESSION_FORBIDDEN before parsing it', (expression) => {
    expect(failure(() => evaluateFeel(expression, { x: {} })).code).toBe('EXPRESSION_FORBIDDEN');
  });

  it('refuses calls through a variable path, the shape of a bpmn-engine service call', () => {
    const error = failure(() => evaluateFeel('environment.services.isBelow(income, 2)', {}));
    expect(error.code).toBe('EXPRESSION_FORBIDDEN');
    expect(evaluateFeel('{double: function(n) n * 2}.double(income)', { income: 4 })).toBe(8);
  });

  it('never hands JavaScript functions or class instances to FEEL', () => {
    const variables = { run: () => 'ran', holder: { run: () => 'ran', kept: 1 }, map: new Map([['a', 1]]) };
    expect(evaluateFeel('run', variables)).toBeNull();
    expect(evaluateFeel('holder', variables)).toEqual({ kept: 1 });
    expect(evaluateFeel('map', variables)).toBeNull();
    expect(failure(() => evaluateFeel('run()', variables)).reason).toBe('Unknown function "run"');
  });
});

describe('checkExpression', () => {
  it('accepts valid FEEL, old-style paths, literals and templates', () => {
    for (const text of ['=income < 3000', '${income < limit}', '${environment.variables.x}', 'PT1S', 'R3/PT10M', 'street office', 'P${days}D', '${environment.services.checkIncome}']) {
      expect(checkExpression(text)).toBeNull();
    }
  });

  it('reports syntax errors, unknown functions, forbidden names and unclosed templates', () => {
    expect(checkExpression('=income <')).toMatch(/incomplete/);
    expect(checkExpression('${income < }')).toMatch(/incomplete|unexpected/);
    expect(checkExpression('=add working days(d, 3)')).toMatch(/Unknown function "add working days"/);
    expect(checkExpression('${environment.constructor.constructor("return process")()}')).toMatch(/"constructor" is not allowed/);
    expect(checkExpression('Dear ${name.__proto__}')).toMatch(/__proto__/);
    expect(checkExpression('P${days D')).toMatch(/Unclosed/);
    expect(checkExpression('${environment.services.isBelow(x, 2)}')).toMatch(/not allowed/);
  });

  it.each(['${a eq b}', '${x lt 5}', '${not approved}', '${empty members}', '${a == b}', '${a && b}', '${!approved}', '${a ? 1 : 2}'])(
    'refuses the JUEL-ism %s instead of letting it evaluate to null',
    (text) => {
      expect(checkExpression(text)).toMatch(/Syntax error|is not FEEL|Unknown name/);
    },
  );

  it('still accepts the FEEL spellings', () => {
    for (const text of ['=a != b', '=not(approved)', '=x in (> 5, < 2)', '=for first in xs return first + 1', '=string length(name) > 2']) {
      expect(checkExpression(text)).toBeNull();
    }
  });

  it('knows the functions of the registry it is given', () => {
    const registry = new FeelFunctionRegistry().register('add working days', (start: string, n: number) => `${start}+${n}`);
    expect(checkExpression('=add working days(d, 3)', registry)).toBeNull();
  });
});

describe('compiled expression cache', () => {
  it('compiles each text once and reuses it', () => {
    const first = getCompiledFeel('cached < 1');
    expect(getCompiledFeel('cached < 1')).toBe(first);
    expect(first.params).toEqual(['cached']);
    expect(evaluateFeel('cached < 1', { cached: 0 })).toBe(true);
  });

  it('evicts the least recently used entry after 256 other texts', () => {
    const first = getCompiledFeel('evicted < 1');
    for (let i = 0; i < 256; i++) getCompiledFeel(`filler${i} < ${i}`);
    expect(getCompiledFeel('evicted < 1')).not.toBe(first);
  });

  it('remembers failures too, and keeps no warnings between evaluations', () => {
    expect(() => getCompiledFeel('broken <')).toThrow(ExpressionError);
    expect(() => getCompiledFeel('broken <')).toThrow(ExpressionError);
    const compiled = getCompiledFeel('date(d)');
    expect(() => evaluateFeel('date(d)', { d: 'not a date' })).toThrow(ExpressionError);
    expect(compiled.warnings).toHaveLength(0);
    expect(evaluateFeel('date(d)', { d: '2025-01-01' })).toBe('2025-01-01');
  });

  it('recompiles after a registration, so a new function becomes callable', () => {
    const registry = new FeelFunctionRegistry();
    expect(checkExpression('=statutory days()', registry)).toMatch(/Unknown function/);
    registry.register('statutory days', () => 15, []);
    expect(evaluateFeel('statutory days()', {}, registry)).toBe(15);
  });
});
