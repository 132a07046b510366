import { idNumberProblems } from '../../identity';
import { CHECK_TYPES, CheckType, askDepartment } from '../department-checks';
import { SimulatedConnectorSet } from './simulated-connectors';
import { SIMULATED_FAILURES, SIMULATED_HOUSEHOLDS } from './simulated-records';

const set = new SimulatedConnectorSet();
const person = (name: string) => SIMULATED_HOUSEHOLDS.flatMap((h) => h.members).find((m) => m.name === name)!;
const ask = (name: string, check: CheckType) => {
  const p = person(name);
  return askDepartment(set, check, { idNumber: p.idNumber, name: p.name, declared: p.declared });
};

describe('the simulated connector set', () => {
  it('says it is simulated, in its name and in every answer', async () => {
    expect(set).toMatchObject({ name: 'simulated', simulated: true });
    for (const check of CHECK_TYPES) expect((await ask('张三', check)).simulated).toBe(true);
  });

  it('holds only fictitious people with valid ID numbers, each listed once', () => {
    const ids = SIMULATED_HOUSEHOLDS.flatMap((h) => h.members.map((m) => m.idNumber));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(idNumberProblems(id)).toEqual([]);
    for (const f of SIMULATED_FAILURES) expect(ids).toContain(f.idNumber);
  });

  it('agrees with 张三’s declaration in every department', async () => {
    const results = await Promise.all(CHECK_TYPES.map((c) => ask('张三', c)));
    expect(results.map((r) => r.result)).toEqual(CHECK_TYPES.map(() => 'MATCH'));
  });

  it('has the mismatches on purpose: 王建国’s car and flat, 黄丽’s tax', async () => {
    expect(await ask('王建国', 'vehicles')).toMatchObject({ result: 'MISMATCH', data: { count: 1 } });
    expect(await ask('王建国', 'property')).toMatchObject({ result: 'MISMATCH', data: { dwellings: 1, totalArea: 88.5 } });
    expect((await ask('王建国', 'hukou')).result).toBe('MATCH');
    expect(await ask('黄丽', 'income_tax')).toMatchObject({ result: 'MISMATCH', data: { annualIncome: 96000 } });
  });

  it('fails 税务 for 周敏 (ERROR) and answers every other department', async () => {
    expect(await ask('周敏', 'income_tax')).toMatchObject({ result: 'ERROR', data: null, message: { 'zh-CN': expect.stringContaining('超时') } });
    expect((await ask('周敏', 'hukou')).result).toBe('MATCH');
  });

  it('answers NO_DATA where a department holds nothing, and for people it does not know', async () => {
    expect(await ask('陈秀英', 'income_tax')).toMatchObject({ result: 'NO_DATA', data: null });
    const stranger = await askDepartment(set, 'hukou', { idNumber: '110101199003070011', name: '路人', declared: person('张三').declared });
    expect(stranger.result).toBe('NO_DATA');
  });

  it('answers the same twice, and hands out copies of its records', async () => {
    const first = await ask('王建国', 'vehicles');
    (first.data as { count: number }).count = 99;
    expect(await ask('王建国', 'vehicles')).toMatchObject({ result: 'MISMATCH', data: { count: 1 } });
  });
});
