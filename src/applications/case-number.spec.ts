import { CASE_NUMBER, caseRegion, formatCaseNumber } from './case-number';

describe('case numbers', () => {
  it('reads SQ-<county>-<year>-<sequence of at least six digits>', () => {
    expect(formatCaseNumber('510107', 2026, 123)).toBe('SQ-510107-2026-000123');
    expect(formatCaseNumber('510107', 2026, 1234567)).toBe('SQ-510107-2026-1234567');
    expect(formatCaseNumber('510107', 2026, 1)).toMatch(CASE_NUMBER);
  });

  it('numbers by the county-level code of a street or functional zone', () => {
    expect(caseRegion('510104017')).toBe('510104');
    expect(caseRegion('510100-GX')).toBe('510100');
    expect(() => caseRegion('CDMZ')).toThrow('6-digit');
  });

  it('refuses parts that would make a malformed number', () => {
    expect(() => formatCaseNumber('51010', 2026, 1)).toThrow();
    expect(() => formatCaseNumber('510107', 2026, 0)).toThrow();
    expect(() => formatCaseNumber('510107', 26, 1)).toThrow();
  });
});
