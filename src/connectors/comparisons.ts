import {
  ASSISTANCE_STATUS_LABELS,
  AssistanceRecord,
  CheckData,
  CheckType,
  DeclaredFacts,
  EnterpriseRecord,
  HousingFundRecord,
  HukouRecord,
  IncomeRecord,
  IncomeTaxRecord,
  Label,
  PropertyRecord,
  SocialInsuranceRecord,
  VehicleRecord,
} from './department-checks';

/** A comparison's verdict on department data that exists. */
export interface Verdict {
  result: 'MATCH' | 'MISMATCH';
  message: Label;
}

/**
 * Income a department reports may exceed the declared income by this share before it counts as
 * a mismatch (rounding, a bonus month). Only under-declaration matters for eligibility; a person
 * confirms every mismatch, so this only decides what reaches a caseworker, never an outcome.
 */
export const INCOME_TOLERANCE = 0.05;

/** Square metres by which registered and declared floor areas may differ (measurement rounding). */
export const AREA_TOLERANCE = 1;

const yuan = (n: number) => `${Math.round(n * 100) / 100}`;
const match = (zh: string, en: string): Verdict => ({ result: 'MATCH', message: { 'zh-CN': zh, en } });
const mismatch = (zh: string, en: string): Verdict => ({ result: 'MISMATCH', message: { 'zh-CN': zh, en } });

/** True when the department's monthly income is above the declared one by more than the tolerance. */
export function incomeUnderDeclared(declaredMonthly: number, departmentMonthly: number): boolean {
  return departmentMonthly > declaredMonthly * (1 + INCOME_TOLERANCE) + 0.005;
}

function hukou(d: DeclaredFacts, r: HukouRecord): Verdict {
  return r.hukouRegionCode === d.hukouRegionCode
    ? match(`户籍地 ${r.hukouRegionCode} 与申报一致`, `Hukou region ${r.hukouRegionCode} as declared`)
    : mismatch(`户籍地为 ${r.hukouRegionCode}，申报为 ${d.hukouRegionCode}`, `Hukou region is ${r.hukouRegionCode}, declared ${d.hukouRegionCode}`);
}

function vehicles(d: DeclaredFacts, r: VehicleRecord): Verdict {
  return r.count === d.vehicles
    ? match(`登记机动车 ${r.count} 辆，与申报一致`, `${r.count} registered vehicle(s), as declared`)
    : mismatch(`登记机动车 ${r.count} 辆，申报 ${d.vehicles} 辆`, `${r.count} registered vehicle(s), declared ${d.vehicles}`);
}

function assistance(d: DeclaredFacts, r: AssistanceRecord): Verdict {
  const got = ASSISTANCE_STATUS_LABELS[r.status];
  const declared = ASSISTANCE_STATUS_LABELS[d.assistanceStatus];
  return r.status === d.assistanceStatus
    ? match(`救助认定：${got['zh-CN']}，与申报一致`, `Assistance status: ${got.en}, as declared`)
    : mismatch(`救助认定为「${got['zh-CN']}」，申报为「${declared['zh-CN']}」`, `Assistance status is "${got.en}", declared "${declared.en}"`);
}

function income(d: DeclaredFacts, r: IncomeRecord): Verdict {
  return incomeUnderDeclared(d.monthlyIncome, r.monthlyIncome)
    ? mismatch(`核对月收入 ${yuan(r.monthlyIncome)} 元，高于申报的 ${yuan(d.monthlyIncome)} 元`, `Checked monthly income ${yuan(r.monthlyIncome)} yuan exceeds the declared ${yuan(d.monthlyIncome)}`)
    : match(`核对月收入 ${yuan(r.monthlyIncome)} 元，与申报相符`, `Checked monthly income ${yuan(r.monthlyIncome)} yuan agrees with the declaration`);
}

function property(d: DeclaredFacts, r: PropertyRecord): Verdict {
  const same = r.dwellings === d.ownedDwellings && Math.abs(r.totalArea - d.ownedHousingArea) <= AREA_TOLERANCE;
  return same
    ? match(`登记住房 ${r.dwellings} 套、${r.totalArea} 平方米，与申报一致`, `${r.dwellings} home(s), ${r.totalArea} m² registered, as declared`)
    : mismatch(
        `登记住房 ${r.dwellings} 套、${r.totalArea} 平方米，申报 ${d.ownedDwellings} 套、${d.ownedHousingArea} 平方米`,
        `${r.dwellings} home(s), ${r.totalArea} m² registered; declared ${d.ownedDwellings}, ${d.ownedHousingArea} m²`,
      );
}

function enterprises(d: DeclaredFacts, r: EnterpriseRecord): Verdict {
  return r.count === d.enterpriseHoldings
    ? match(`登记企业关联 ${r.count} 项，与申报一致`, `${r.count} enterprise holding(s), as declared`)
    : mismatch(`登记企业关联 ${r.count} 项，申报 ${d.enterpriseHoldings} 项`, `${r.count} enterprise holding(s) registered, declared ${d.enterpriseHoldings}`);
}

function socialInsurance(d: DeclaredFacts, r: SocialInsuranceRecord): Verdict {
  if (d.socialInsuranceMonths === null) {
    return match(`社保缴纳 ${r.months} 个月（未申报月数，仅供参考）`, `${r.months} month(s) of contributions (none declared; for reference)`);
  }
  return r.months >= d.socialInsuranceMonths
    ? match(`社保缴纳 ${r.months} 个月，不少于申报的 ${d.socialInsuranceMonths} 个月`, `${r.months} month(s) of contributions, at least the declared ${d.socialInsuranceMonths}`)
    : mismatch(`社保缴纳 ${r.months} 个月，少于申报的 ${d.socialInsuranceMonths} 个月`, `${r.months} month(s) of contributions, fewer than the declared ${d.socialInsuranceMonths}`);
}

function incomeTax(d: DeclaredFacts, r: IncomeTaxRecord): Verdict {
  const monthly = r.annualIncome / 12;
  return incomeUnderDeclared(d.monthlyIncome, monthly)
    ? mismatch(
        `${r.year} 年度申报个税收入 ${yuan(r.annualIncome)} 元（月均 ${yuan(monthly)} 元），高于申报月收入 ${yuan(d.monthlyIncome)} 元`,
        `${r.year} taxable income ${yuan(r.annualIncome)} yuan (${yuan(monthly)} a month) exceeds the declared monthly ${yuan(d.monthlyIncome)}`,
      )
    : match(`${r.year} 年度个税收入月均 ${yuan(monthly)} 元，与申报相符`, `${r.year} taxable income averages ${yuan(monthly)} yuan a month, as declared`);
}

function housingFund(d: DeclaredFacts, r: HousingFundRecord): Verdict {
  if (r.activeLoans > 0 && d.ownedDwellings === 0) {
    return mismatch(`有 ${r.activeLoans} 笔公积金住房贷款，申报无住房`, `${r.activeLoans} housing-fund home loan(s), but no home declared`);
  }
  if (r.contributing && incomeUnderDeclared(d.monthlyIncome, r.monthlyBase)) {
    return mismatch(`公积金缴存基数 ${yuan(r.monthlyBase)} 元，高于申报月收入 ${yuan(d.monthlyIncome)} 元`, `Contribution base ${yuan(r.monthlyBase)} yuan exceeds the declared monthly income ${yuan(d.monthlyIncome)}`);
  }
  return match(
    r.contributing ? `公积金缴存基数 ${yuan(r.monthlyBase)} 元，无住房贷款，与申报相符` : '未缴存公积金，无住房贷款',
    r.contributing ? `Contribution base ${yuan(r.monthlyBase)} yuan, no home loan, as declared` : 'No contributions, no home loan',
  );
}

/**
 * Compares a department's data with what the household declared for the member. Pure, so a real
 * connector can reuse it when its department returns data rather than a verdict.
 */
export function compare<C extends CheckType>(check: C, declared: DeclaredFacts, data: CheckData[C]): Verdict {
  const fns: { [K in CheckType]: (d: DeclaredFacts, r: CheckData[K]) => Verdict } = {
    hukou,
    vehicles,
    assistance_status: assistance,
    income,
    property,
    enterprises,
    social_insurance: socialInsurance,
    income_tax: incomeTax,
    housing_fund: housingFund,
  };
  return (fns[check] as (d: DeclaredFacts, r: CheckData[C]) => Verdict)(declared, data);
}
