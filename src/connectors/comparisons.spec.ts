import { compare, incomeUnderDeclared } from './comparisons';
import { DeclaredFacts } from './department-checks';

const declared: DeclaredFacts = {
  hukouRegionCode: '510104',
  monthlyIncome: 3000,
  ownedHousingArea: 0,
  ownedDwellings: 0,
  vehicles: 0,
  enterpriseHoldings: 0,
  assistanceStatus: 'none',
  socialInsuranceMonths: 24,
};

describe('comparisons of department data with the declaration', () => {
  it.each([
    ['hukou', { hukouRegionCode: '510104' }, 'MATCH'],
    ['hukou', { hukouRegionCode: '510107' }, 'MISMATCH'],
    ['vehicles', { count: 0, vehicles: [] }, 'MATCH'],
    ['vehicles', { count: 1, vehicles: [{ kind: '小型轿车', registeredYear: 2021 }] }, 'MISMATCH'],
    ['assistance_status', { status: 'none', since: null }, 'MATCH'],
    ['assistance_status', { status: 'dibao', since: '2024-01' }, 'MISMATCH'],
    ['income', { monthlyIncome: 3150, assessedMonth: '2025-12' }, 'MATCH'],
    ['income', { monthlyIncome: 3151, assessedMonth: '2025-12' }, 'MISMATCH'],
    ['property', { dwellings: 0, totalArea: 0 }, 'MATCH'],
    ['property', { dwellings: 1, totalArea: 88.5 }, 'MISMATCH'],
    ['enterprises', { count: 0, holdings: [] }, 'MATCH'],
    ['enterprises', { count: 1, holdings: [{ enterprise: '某某餐饮店', role: 'sole_trader' }] }, 'MISMATCH'],
    ['social_insurance', { contributing: true, months: 24 }, 'MATCH'],
    ['social_insurance', { contributing: true, months: 12 }, 'MISMATCH'],
    ['income_tax', { year: 2025, annualIncome: 36000 }, 'MATCH'],
    ['income_tax', { year: 2025, annualIncome: 96000 }, 'MISMATCH'],
    ['housing_fund', { contributing: true, monthlyBase: 3000, activeLoans: 0 }, 'MATCH'],
    ['housing_fund', { contributing: true, monthlyBase: 3000, activeLoans: 1 }, 'MISMATCH'],
    ['housing_fund', { contributing: true, monthlyBase: 5000, activeLoans: 0 }, 'MISMATCH'],
  ] as const)('%s %j → %s, with a message in Chinese and English', (check, data, result) => {
    const v = compare(check, declared, data as never);
    expect(v.result).toBe(result);
    expect(v.message['zh-CN']).toMatch(/[\u4e00-\u9fff]/);
    expect(v.message.en).toMatch(/[a-z]/);
  });

  it('names both figures in a mismatch', () => {
    expect(compare('vehicles', declared, { count: 2, vehicles: [] }).message).toEqual({
      'zh-CN': '登记机动车 2 辆，申报 0 辆',
      en: '2 registered vehicle(s), declared 0',
    });
  });

  it('tolerates 5 % more income than declared, and any less', () => {
    expect(incomeUnderDeclared(3000, 3150)).toBe(false);
    expect(incomeUnderDeclared(3000, 3150.01)).toBe(true);
    expect(incomeUnderDeclared(3000, 100)).toBe(false);
    expect(incomeUnderDeclared(0, 0)).toBe(false);
    expect(incomeUnderDeclared(0, 1)).toBe(true);
  });

  it('matches social insurance for reference when no months were declared', () => {
    expect(compare('social_insurance', { ...declared, socialInsuranceMonths: null }, { contributing: false, months: 0 }).result).toBe('MATCH');
  });
});
