import { idNumberProblems } from '../../identity';
import { CHECK_TYPES, CheckType, askDepartment } from '../department-checks';
import { SimulatedConnectorSet } from './simulated-connectors';
import { SIMULATED_HOUSEHOLDS, SimulatedPerson } from './simulated-records';
import {
  SYNTHETIC_ADDRESS_CODE,
  SYNTHETIC_PEOPLE,
  syntheticHousehold,
  syntheticIdNumber,
  syntheticIndex,
  syntheticPerson,
  syntheticRecords,
} from './synthetic-population';

const set = new SimulatedConnectorSet();
const ask = (p: Pick<SimulatedPerson, 'idNumber' | 'name' | 'declared'>, check: CheckType) => askDepartment(set, check, { idNumber: p.idNumber, name: p.name, declared: p.declared });
const results = async (p: SimulatedPerson) => Object.fromEntries(await Promise.all(CHECK_TYPES.map(async (c) => [c, (await ask(p, c)).result])));
/** The 17 digits with their right check character (the one idNumberProblems accepts). */
const valid = (first17: string) => [...'0123456789X'].map((c) => first17 + c).find((id) => idNumberProblems(id).length === 0)!;
const everywhere = (result: string) => Object.fromEntries(CHECK_TYPES.map((c) => [c, result]));

describe('the synthetic population (simulated departments for any number of fictitious people)', () => {
  it('gives valid, distinct ID numbers in the reserved range, and reads them back', () => {
    const sample = [0, 1, 99, 100, 12_345, 500_000, SYNTHETIC_PEOPLE - 1];
    const ids = sample.map(syntheticIdNumber);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [i, id] of ids.entries()) {
      expect(idNumberProblems(id, new Date('2026-01-01'))).toEqual([]);
      expect(id.slice(0, 6)).toBe(SYNTHETIC_ADDRESS_CODE);
      expect(Number(id.slice(14, 17))).toBeGreaterThanOrEqual(900);
      expect(syntheticIndex(id)).toBe(sample[i]);
    }
    expect(syntheticIdNumber(0)).toMatch(/^51019919600101900[\dX]$/);
    expect(() => syntheticIdNumber(SYNTHETIC_PEOPLE)).toThrow(RangeError);
    // the demo households are nobody here
    for (const m of SIMULATED_HOUSEHOLDS.flatMap((h) => h.members)) expect(syntheticIndex(m.idNumber)).toBeNull();
  });

  it('is deterministic: the same household, people and records every time', () => {
    expect(syntheticHousehold(4711)).toEqual(syntheticHousehold(4711));
    expect(syntheticRecords(syntheticIdNumber(9422))).toEqual(syntheticRecords(syntheticIdNumber(9422)));
    expect(syntheticHousehold(4711).members[0]).toEqual(syntheticPerson(9422));
    // and not the same for everyone
    const incomes = new Set(Array.from({ length: 50 }, (_, h) => syntheticHousehold(h).members[0].declared.monthlyIncome));
    expect(incomes.size).toBeGreaterThan(5);
    const sizes = new Set(Array.from({ length: 50 }, (_, h) => syntheticHousehold(h).members.length));
    expect([...sizes].sort()).toEqual([1, 2]);
  });

  it('MATCHes every check for every member who declares what the departments hold', async () => {
    const households = Array.from({ length: 30 }, (_, h) => syntheticHousehold(h * 977));
    for (const h of households) {
      expect(h.members[0].relationship).toBe('self');
      for (const m of h.members) expect(await results(m)).toEqual(everywhere('MATCH'));
    }
  });

  it('gives MISMATCH in the one department whose records contradict a declaration', async () => {
    const claims = syntheticHousehold(12, { differ: 'assistance_status' }).members[0];
    expect(await results(claims)).toEqual({ ...everywhere('MATCH'), assistance_status: 'MISMATCH' });
    const car = syntheticHousehold(12, { differ: 'vehicles' }).members[0];
    expect(await results(car)).toEqual({ ...everywhere('MATCH'), vehicles: 'MISMATCH' });
    expect(await ask(car, 'vehicles')).toMatchObject({ data: { count: 0 }, simulated: true, message: { 'zh-CN': expect.stringContaining('申报 1 辆') } });
    // a lower income than the records: 民政, 税务 and 公积金 all see it
    const low = syntheticPerson(24);
    low.declared.monthlyIncome = 100;
    const r = await results(low);
    expect([r.income, r.income_tax, r.housing_fund]).toEqual(['MISMATCH', 'MISMATCH', 'MISMATCH']);
  });

  it('answers NO_DATA everywhere for an ID number outside the range', async () => {
    const declared = syntheticPerson(0).declared;
    const outside = [
      valid('11010119900307001'), // another address code
      valid('51019919591231900'), // born before the range
      valid(syntheticIdNumber(0).slice(0, 14) + '899'), // a sequence code below 900
      syntheticIdNumber(5).slice(0, 17) + (syntheticIdNumber(5).endsWith('1') ? '2' : '1'), // a wrong check character
    ];
    for (const idNumber of outside) {
      expect(syntheticIndex(idNumber)).toBeNull();
      expect(await results({ idNumber, name: '路人', declared, relationship: 'self', records: {} })).toEqual(everywhere('NO_DATA'));
    }
  });
});
