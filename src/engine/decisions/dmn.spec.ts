import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unaryTest } from 'feelin';
import { FeelFunctionRegistry } from '../expressions';
import { DecisionError, evaluateDecision, simpleTest } from './dmn-evaluate';
import { DecisionGraph, parseDmn } from './dmn-parse';

const fixture = (name: string) => readFileSync(join(__dirname, '../../../test/fixtures/dmn', name), 'utf8');

async function graphOf(xml: string): Promise<DecisionGraph> {
  const parsed = await parseDmn(xml);
  if (!parsed.graph) throw new Error(JSON.stringify(parsed.errors));
  return parsed.graph;
}

/** A one-table DMN file with the given hit policy, inputs (expressions) and rules. */
function table(hitPolicy: string, inputs: string[], outputs: string[], rules: [string[], string[]][], extra = ''): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="D" name="t" namespace="https://anju.example/dmn">
  <decision id="d" name="d">
    <decisionTable id="T" hitPolicy="${hitPolicy}" ${extra}>
      ${inputs.map((e, i) => `<input id="I${i}" label="in${i}"><inputExpression id="IE${i}"><text>${esc(e)}</text></inputExpression></input>`).join('\n')}
      ${outputs.map((o, i) => `<output id="O${i}" name="${o.split('|')[0]}"${o.includes('|') ? '' : ''}>${o.includes('|') ? `<outputValues id="OV${i}"><text>${esc(o.split('|')[1])}</text></outputValues>` : ''}</output>`).join('\n')}
      ${rules
        .map(
          ([ins, outs], r) =>
            `<rule id="R${r + 1}">${ins.map((t, i) => `<inputEntry id="R${r + 1}I${i}"><text>${esc(t)}</text></inputEntry>`).join('')}${outs
              .map((t, i) => `<outputEntry id="R${r + 1}O${i}"><text>${esc(t)}</text></outputEntry>`)
              .join('')}</rule>`,
        )
        .join('\n')}
    </decisionTable>
  </decision>
</definitions>`;
}

describe('DMN: parsing and checking a file', () => {
  it('reads decisions, their tables and requirements', async () => {
    const g = await graphOf(fixture('housing-standards.dmn'));
    expect(Object.keys(g.decisions).sort()).toEqual(['eligibilityFindings', 'eligible', 'housingStandards']);
    expect(g.decisions.housingStandards.table).toMatchObject({ hitPolicy: 'FIRST', inputs: [{ label: '市州', expression: 'cityCode' }, { label: '申请类型' }] });
    expect(g.decisions.housingStandards.table!.rules).toHaveLength(3);
    expect(g.decisions.eligibilityFindings.requires).toEqual(['housingStandards']);
    expect(g.decisions.eligible.literal).toEqual({ expression: 'count(findings) = 0', variableName: 'eligible' });
  });

  it.each([
    ['not XML', 'hello', 'DMN_NOT_XML'],
    ['a DOCTYPE', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><definitions/>', 'DMN_DOCTYPE'],
  ])('refuses %s', async (_, xml, code) => {
    const r = await parseDmn(xml);
    expect(r.graph).toBeNull();
    expect(r.errors[0].code).toBe(code);
  });

  it('names the rule whose cell is not FEEL, and a rule with a missing entry', async () => {
    const r = await parseDmn(table('UNIQUE', ['income'], ['out'], [[['< <'], ['1']], [['> 5'], ['2 +']]]));
    expect(r.errors).toEqual([
      expect.objectContaining({ elementId: 'R1', code: 'DMN_FEEL_SYNTAX' }),
      expect.objectContaining({ elementId: 'R2', code: 'DMN_FEEL_SYNTAX' }),
    ]);
    const shape = await parseDmn(table('UNIQUE', ['a', 'b'], ['out'], [[['1'], ['1']]]));
    expect(shape.errors).toEqual([expect.objectContaining({ elementId: 'R1', code: 'DMN_RULE_SHAPE' })]);
  });

  it('refuses an unknown hit policy, a missing required decision, and a cycle', async () => {
    expect((await parseDmn(table('SOMETIMES', ['a'], ['o'], [[['1'], ['1']]]))).errors[0]).toMatchObject({ code: expect.stringMatching(/DMN_HIT_POLICY|DMN_SCHEMA/) });
    const missing = fixture('housing-standards.dmn').replace('href="#housingStandards"', 'href="#nowhere"');
    expect((await parseDmn(missing)).errors).toEqual([expect.objectContaining({ elementId: 'eligibilityFindings', code: 'DMN_REQUIREMENT_MISSING' })]);
    const cycle = fixture('housing-standards.dmn').replace(
      '<decisionTable id="Table_Standards"',
      '<informationRequirement id="IR_X"><requiredDecision href="#eligible" /></informationRequirement><decisionTable id="Table_Standards"',
    );
    expect((await parseDmn(cycle)).errors).toEqual([expect.objectContaining({ code: 'DMN_REQUIREMENT_CYCLE' })]);
  });
});

describe('DMN: evaluating', () => {
  it('judges a household against its city standard: required decisions first, then findings, then the verdict', async () => {
    const g = await graphOf(fixture('housing-standards.dmn'));
    const ok = evaluateDecision(g, 'eligible', { cityCode: '510100', applicationType: '公租房实物配租', income: 5400, members: 2, ownedArea: 0, vehicles: 1 });
    expect(ok.result).toBe(true);
    expect(ok.required.map((r) => [r.decisionId, r.result])).toEqual([
      ['housingStandards', { incomeLimitPerCapita: 3000, areaLimitPerCapita: 16, vehicleLimit: 1 }],
      ['eligibilityFindings', []],
    ]);
    expect(ok.required[0].matchedRules).toEqual(['Rule_Chengdu_PRH']);

    // the same household in Deyang: a lower line and no vehicle allowed
    const dy = evaluateDecision(g, 'eligibilityFindings', { cityCode: '510600', applicationType: '公租房实物配租', income: 5400, members: 2, ownedArea: 32, vehicles: 1 });
    expect(dy.result).toEqual(['INCOME_OVER_LIMIT', 'HOUSING_AREA_OVER_LIMIT', 'VEHICLES_OVER_LIMIT']);
    expect(dy.matchedRules).toEqual(['Rule_IncomeOver', 'Rule_AreaOver', 'Rule_Vehicles']);
    // a city without its own row falls to the provincial baseline (FIRST)
    expect(evaluateDecision(g, 'housingStandards', { cityCode: '511400', applicationType: '保障性租赁住房' }).matchedRules).toEqual(['Rule_Default']);
  });

  it('finds a decision by name as well as by id, and reports an unknown one', async () => {
    const g = await graphOf(fixture('housing-standards.dmn'));
    expect(evaluateDecision(g, 'standards', { cityCode: '510600', applicationType: 'x' }).decisionId).toBe('housingStandards');
    expect(() => evaluateDecision(g, 'nope', {})).toThrow(DecisionError);
  });

  it('applies each hit policy', async () => {
    const rules: [string[], string[]][] = [
      [['>= 0'], ['"low"', '1']],
      [['>= 10'], ['"mid"', '2']],
      [['>= 20'], ['"high"', '3']],
    ];
    const run = async (hp: string, x: number, extra = '', outs = ['level', 'score']) => evaluateDecision(await graphOf(table(hp, ['x'], outs, rules, extra)), 'd', { x }).result;
    await expect(run('FIRST', 25)).resolves.toEqual({ level: 'low', score: 1 });
    await expect(run('RULE ORDER', 25)).resolves.toEqual([{ level: 'low', score: 1 }, { level: 'mid', score: 2 }, { level: 'high', score: 3 }]);
    await expect(run('COLLECT', 15)).resolves.toHaveLength(2);
    await expect(run('PRIORITY', 25, '', ['level|"high","mid","low"', 'score'])).resolves.toEqual({ level: 'high', score: 3 });
    await expect(run('OUTPUT ORDER', 15, '', ['level|"high","mid","low"', 'score'])).resolves.toEqual([{ level: 'mid', score: 2 }, { level: 'low', score: 1 }]);
    await expect(run('UNIQUE', 5)).resolves.toEqual({ level: 'low', score: 1 });
    await expect(run('UNIQUE', 15)).rejects.toMatchObject({ code: 'DECISION_HIT_POLICY_VIOLATED' });
    await expect(run('ANY', 15)).rejects.toMatchObject({ code: 'DECISION_HIT_POLICY_VIOLATED' });
    const sum = async (agg: string, x: number) =>
      evaluateDecision(await graphOf(table('COLLECT', ['x'], ['score'], rules.map(([i, o]) => [i, [o[1]]]), `aggregation="${agg}"`)), 'd', { x }).result;
    await expect(sum('SUM', 25)).resolves.toBe(6);
    await expect(sum('MAX', 15)).resolves.toBe(2);
    await expect(sum('MIN', 15)).resolves.toBe(1);
    await expect(sum('COUNT', 25)).resolves.toBe(3);
    await expect(run('FIRST', -1)).resolves.toBeNull();
  });

  it('uses registered FEEL functions in input expressions', async () => {
    const registry = new FeelFunctionRegistry();
    registry.register('per capita', (total: unknown, n: unknown) => (total as number) / (n as number), ['total', 'n']);
    const g = await graphOf(table('FIRST', ['per capita(income, members)'], ['ok'], [[['<= 3000'], ['true']], [['-'], ['false']]]));
    expect(evaluateDecision(g, 'd', { income: 6000, members: 2 }, registry).result).toBe(true);
    expect(evaluateDecision(g, 'd', { income: 6001, members: 2 }, registry).result).toBe(false);
  });

  it('compiles literal cells with the same meaning as FEEL unary tests', () => {
    const cells = ['-', '< 3000', '<= 3000', '> 2.5', '>= -1', '3000', '= 7', '[1..5]', '(1..5)', ']1..5[', '[1..5)', '"低保","特困"', '"a"', 'true', 'false', 'not("a","b")', 'not([1..5])'];
    const values: unknown[] = [null, 0, 1, 2.5, 3, 5, 7, 3000, 3001, -1, 'a', 'b', '低保', '特困', true, false];
    const kind = (cell: string) => (/"/.test(cell) ? 'string' : /true|false/.test(cell) ? 'boolean' : 'number');
    for (const cell of cells) {
      const compiled = simpleTest(cell);
      expect(compiled).not.toBeNull();
      // a value of another type never matches (FEEL gives null); feelin coerces true < 3000 to true, so only same-typed values are compared with it
      for (const v of values.filter((x) => x !== null && typeof x !== kind(cell))) if (cell !== '-') expect(compiled!(v)).toBe(false);
      for (const v of values.filter((x) => x === null || typeof x === kind(cell))) {
        const reference = unaryTest(cell, { '?': v }).value === true;
        if (compiled!(v) !== reference) throw new Error(`cell ${cell} with ${JSON.stringify(v)}: compiled ${compiled!(v)}, FEEL ${reference}`);
      }
    }
    expect(simpleTest('? > limit')).toBeNull();
  });
});
