import type { CheckData, CheckType, DeclaredFacts } from '../department-checks';

/**
 * SIMULATED department records for demos and tests: fictitious people (the ID numbers only satisfy
 * GB 11643's check digit), keyed by ID number, each with what the demo application of their
 * household declares and what each simulated department holds. A record left out means the
 * department holds nothing on the person (NO_DATA); a person not listed gets NO_DATA everywhere.
 *
 * On purpose:
 *  - 王建国's household: 公安 has a car and 不动产 a flat that the household does not declare (MISMATCH);
 *  - 黄丽: 税务 reports about twice the declared income (MISMATCH);
 *  - 周敏: the simulated 税务 connector fails for her ID number (ERROR), every other check matches.
 */
export interface SimulatedPerson {
  idNumber: string;
  name: string;
  relationship: 'self' | 'spouse' | 'child' | 'parent';
  declared: DeclaredFacts;
  records: Partial<{ [C in CheckType]: CheckData[C] }>;
}

export interface SimulatedHousehold {
  key: string;
  /** the household's region (county) */
  regionCode: string;
  /** a remote (成德眉资) application's target region */
  targetRegionCode?: string;
  category: string;
  note: string;
  members: SimulatedPerson[];
}

/** One person's records when every department agrees with the declaration. */
function agreeing(d: DeclaredFacts, extra: { insuranceMonths?: number; taxYear?: number; fundBase?: number } = {}): SimulatedPerson['records'] {
  return {
    hukou: { hukouRegionCode: d.hukouRegionCode },
    vehicles: { count: d.vehicles, vehicles: [] },
    assistance_status: { status: d.assistanceStatus, since: d.assistanceStatus === 'none' ? null : '2023-07' },
    income: { monthlyIncome: d.monthlyIncome, assessedMonth: '2025-12' },
    property: { dwellings: d.ownedDwellings, totalArea: d.ownedHousingArea },
    enterprises: { count: d.enterpriseHoldings, holdings: [] },
    ...(extra.insuranceMonths !== undefined ? { social_insurance: { contributing: true, months: extra.insuranceMonths } } : {}),
    ...(extra.taxYear !== undefined ? { income_tax: { year: extra.taxYear, annualIncome: d.monthlyIncome * 12 } } : {}),
    ...(extra.fundBase !== undefined ? { housing_fund: { contributing: true, monthlyBase: extra.fundBase, activeLoans: 0 } } : {}),
  };
}

const facts = (over: Partial<DeclaredFacts> & Pick<DeclaredFacts, 'hukouRegionCode' | 'monthlyIncome'>): DeclaredFacts => ({
  ownedHousingArea: 0,
  ownedDwellings: 0,
  vehicles: 0,
  enterpriseHoldings: 0,
  assistanceStatus: 'none',
  socialInsuranceMonths: null,
  ...over,
});

const zhangSan = facts({ hukouRegionCode: '510104', monthlyIncome: 2800, socialInsuranceMonths: 60 });
const liMei = facts({ hukouRegionCode: '510104', monthlyIncome: 1500, socialInsuranceMonths: 24 });
const zhangXiaobao = facts({ hukouRegionCode: '510104', monthlyIncome: 0 });
const wangJianguo = facts({ hukouRegionCode: '510107', monthlyIncome: 3000, socialInsuranceMonths: 120 });
const liuFang = facts({ hukouRegionCode: '510107', monthlyIncome: 2200, socialInsuranceMonths: 96 });
const wangXiaohu = facts({ hukouRegionCode: '510107', monthlyIncome: 0 });
const chenXiuying = facts({ hukouRegionCode: '510104', monthlyIncome: 800, assistanceStatus: 'dibao' });
const zhaoLei = facts({ hukouRegionCode: '510603', monthlyIncome: 4500, socialInsuranceMonths: 24 });
const huangLi = facts({ hukouRegionCode: '510112', monthlyIncome: 4000, socialInsuranceMonths: 30 });
const zhouMin = facts({ hukouRegionCode: '510104', monthlyIncome: 3200, socialInsuranceMonths: 48 });

export const SIMULATED_HOUSEHOLDS: readonly SimulatedHousehold[] = [
  {
    key: 'zhang',
    regionCode: '510104',
    category: 'low_income',
    note: 'every department agrees (张三 is the demo applicant account applicant_zhang)',
    members: [
      { idNumber: '510104199001011230', name: '张三', relationship: 'self', declared: zhangSan, records: agreeing(zhangSan, { insuranceMonths: 72, taxYear: 2025, fundBase: 2800 }) },
      { idNumber: '510104199203152429', name: '李梅', relationship: 'spouse', declared: liMei, records: agreeing(liMei, { insuranceMonths: 30, taxYear: 2025 }) },
      { idNumber: '510104201606081215', name: '张小宝', relationship: 'child', declared: zhangXiaobao, records: { hukou: { hukouRegionCode: '510104' } } },
    ],
  },
  {
    key: 'wang',
    regionCode: '510107',
    category: 'lower_middle_income',
    note: 'MISMATCH on purpose: 公安 has a car and 不动产 a flat in 王建国’s name that the household does not declare',
    members: [
      {
        idNumber: '51010719850712101X',
        name: '王建国',
        relationship: 'self',
        declared: wangJianguo,
        records: {
          ...agreeing(wangJianguo, { insuranceMonths: 150, taxYear: 2025, fundBase: 3000 }),
          vehicles: { count: 1, vehicles: [{ kind: '小型轿车', registeredYear: 2021 }] },
          property: { dwellings: 1, totalArea: 88.5 },
        },
      },
      { idNumber: '510107198702203029', name: '刘芳', relationship: 'spouse', declared: liuFang, records: agreeing(liuFang, { insuranceMonths: 100, taxYear: 2025 }) },
      { idNumber: '51010720100101211X', name: '王小虎', relationship: 'child', declared: wangXiaohu, records: { hukou: { hukouRegionCode: '510107' } } },
    ],
  },
  {
    key: 'chen',
    regionCode: '510104',
    category: 'dibao',
    note: 'a single elderly 低保 recipient; every department that holds data agrees (no insurance, tax or fund records)',
    members: [{ idNumber: '510104196203042023', name: '陈秀英', relationship: 'self', declared: chenXiuying, records: agreeing(chenXiuying) }],
  },
  {
    key: 'zhao',
    regionCode: '510603',
    targetRegionCode: '510107',
    category: 'new_employee',
    note: 'a Deyang hukou working in Chengdu, applying remotely (成德眉资) to 武侯区; every department agrees',
    members: [{ idNumber: '510603199511113019', name: '赵磊', relationship: 'self', declared: zhaoLei, records: agreeing(zhaoLei, { insuranceMonths: 26, taxYear: 2025, fundBase: 4500 }) }],
  },
  {
    key: 'huang',
    regionCode: '510112',
    category: 'arh_target',
    note: 'MISMATCH on purpose: 税务 reports 96,000 yuan for 2025 against a declared 4,000 a month',
    members: [
      {
        idNumber: '510112199805062527',
        name: '黄丽',
        relationship: 'self',
        declared: huangLi,
        records: { ...agreeing(huangLi, { insuranceMonths: 30, fundBase: 4000 }), income_tax: { year: 2025, annualIncome: 96000 } },
      },
    ],
  },
  {
    key: 'zhou',
    regionCode: '510104',
    category: 'low_income',
    note: 'ERROR on purpose: the simulated 税务 connector fails for 周敏’s ID number; everything else agrees',
    members: [{ idNumber: '510104198808088883', name: '周敏', relationship: 'self', declared: zhouMin, records: agreeing(zhouMin, { insuranceMonths: 50, taxYear: 2025, fundBase: 3200 }) }],
  },
];

/** The ID number for which a simulated department fails, and which one. */
export const SIMULATED_FAILURES: readonly { idNumber: string; check: CheckType; message: { 'zh-CN': string; en: string } }[] = [
  {
    idNumber: '510104198808088883',
    check: 'income_tax',
    message: { 'zh-CN': '税务数据接口超时（模拟故障）', en: 'The tax data interface timed out (simulated failure)' },
  },
];
