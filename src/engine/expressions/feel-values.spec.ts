import { runInNewContext } from 'node:vm';
import { isPlainObject, toFeelValue } from './feel-values';

describe('FEEL values: plain data from any realm', () => {
  it('reads a plain object made in another realm (the step recovers state with structuredClone, which under jest belongs to the host realm)', () => {
    const foreign = runInNewContext('({ department: "民政", result: "MISMATCH", nested: { months: 24 } })') as Record<string, unknown>;
    expect(Object.getPrototypeOf(foreign)).not.toBe(Object.prototype);
    expect(isPlainObject(foreign)).toBe(true);
    expect(toFeelValue([foreign])).toEqual([{ department: '民政', result: 'MISMATCH', nested: { months: 24 } }]);
  });

  it('still refuses what is not data: class instances, maps, dates of another realm are not plain objects', () => {
    class Environment {
      secret = 1;
    }
    expect(isPlainObject(new Environment())).toBe(false);
    expect(isPlainObject(new Map())).toBe(false);
    expect(isPlainObject(runInNewContext('new Map()'))).toBe(false);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(toFeelValue({ env: new Environment(), n: 1 })).toEqual({ n: 1 });
  });
});
