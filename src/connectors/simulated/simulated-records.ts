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

/**
 * The demo applications' households (src/demo: `npm start` files 20 applications at different
 * stages on an empty embedded database). Fictitious 锦江区 people, and one Deyang household applying
 * remotely to 锦江区. Every member has a record in every department that agrees with the
 * declaration (so the joint review gives nobody a task), except the 民政 ones marked MISMATCH.
 */
function demoPerson(idNumber: string, name: string, relationship: SimulatedPerson['relationship'], declared: DeclaredFacts, insuranceMonths?: number): SimulatedPerson {
  if (insuranceMonths === undefined) {
    // a child: every department holds a record, all empty
    const records: SimulatedPerson['records'] = {
      ...agreeing(declared),
      social_insurance: { contributing: false, months: 0 },
      income_tax: { year: 2025, annualIncome: 0 },
      housing_fund: { contributing: false, monthlyBase: 0, activeLoans: 0 },
    };
    return { idNumber, name, relationship, declared, records };
  }
  return { idNumber, name, relationship, declared, records: agreeing(declared, { insuranceMonths, taxYear: 2025, fundBase: declared.monthlyIncome }) };
}

/** The same, with 民政 (civil affairs) holding something else: a 部门核查 task for its checkers. */
function civilAffairsMismatch(p: SimulatedPerson, records: Pick<SimulatedPerson['records'], 'income' | 'assistance_status'>): SimulatedPerson {
  return { ...p, records: { ...p.records, ...records } };
}

const jj = (monthlyIncome: number, socialInsuranceMonths: number | null, over: Partial<DeclaredFacts> = {}) => facts({ hukouRegionCode: '510104', monthlyIncome, socialInsuranceMonths, ...over });
const solo = (key: string, category: string, note: string, person: SimulatedPerson): SimulatedHousehold => ({ key, regionCode: '510104', category, note, members: [person] });

const DEMO_HOUSEHOLDS: SimulatedHousehold[] = [
  {
    key: 'demo_liu',
    regionCode: '510104',
    category: 'low_income',
    note: 'demo: a family of three; every department agrees',
    members: [
      demoPerson('510104197803152116', '刘志强', 'self', jj(2600, 120), 130),
      demoPerson('510104198105065626', '孙丽娟', 'spouse', jj(1900, 96), 100),
      demoPerson('51010420150301671X', '刘小川', 'child', jj(0, null)),
    ],
  },
  solo('demo_yang', 'low_income', 'demo: every department agrees', demoPerson('510104198007223221', '杨秀兰', 'self', jj(2300, 84), 90)),
  {
    key: 'demo_wu',
    regionCode: '510104',
    category: 'lower_middle_income',
    note: 'demo: a family of three; every department agrees',
    members: [
      demoPerson('510104198305084311', '吴国庆', 'self', jj(3600, 150), 160),
      demoPerson('510104198407127829', '彭慧', 'spouse', jj(2400, 110), 120),
      demoPerson('510104201809208933', '吴宇轩', 'child', jj(0, null)),
    ],
  },
  solo('demo_xu', 'arh_target', 'demo: a young worker (affordable rental housing); every department agrees', demoPerson('510104199102145422', '徐静', 'self', jj(4200, 36), 40)),
  solo('demo_ma', 'low_income', 'demo: every department agrees', demoPerson('510104197509306137', '马俊', 'self', jj(2100, 140), 150)),
  solo('demo_hu', 'low_income', 'demo: every department agrees (the demo objection in 公示 is about her)', demoPerson('510104198611037249', '胡晓燕', 'self', jj(2500, 60), 66)),
  solo(
    'demo_guo',
    'low_income',
    'demo, MISMATCH on purpose: 民政’s household-finance check reports 2,900 a month against a declared 2,200',
    civilAffairsMismatch(demoPerson('510104196904178353', '郭海', 'self', jj(2200, 180), 200), { income: { monthlyIncome: 2900, assessedMonth: '2025-12' } }),
  ),
  solo(
    'demo_he',
    'dibao',
    'demo, MISMATCH on purpose: she declares 城乡低保, 民政 holds no assistance status for her',
    civilAffairsMismatch(demoPerson('510104199406261465', '何欣', 'self', jj(1200, 30, { assistanceStatus: 'dibao' }), 32), { assistance_status: { status: 'none', since: null } }),
  ),
  solo(
    'demo_gao',
    'low_income',
    'demo, MISMATCH on purpose: 民政’s household-finance check reports 3,100 a month against a declared 2,400',
    civilAffairsMismatch(demoPerson('510104198208192572', '高振宇', 'self', jj(2400, 100), 110), { income: { monthlyIncome: 3100, assessedMonth: '2025-12' } }),
  ),
  solo('demo_lin', 'low_income', 'demo: every department agrees', demoPerson('510104198801013686', '林婷', 'self', jj(2700, 72), 80)),
  solo('demo_luo', 'lower_middle_income', 'demo: every department agrees', demoPerson('510104197312124794', '罗明', 'self', jj(2950, 200), 220)),
  solo(
    'demo_zheng',
    'low_income',
    'demo, MISMATCH on purpose: 民政 lists her as a 低收入家庭, which she does not declare (its checker confirms the declaration)',
    civilAffairsMismatch(demoPerson('510104199005055804', '郑雪梅', 'self', jj(2000, 48), 50), { assistance_status: { status: 'low_income', since: '2024-03' } }),
  ),
  solo('demo_liang', 'low_income', 'demo: every department agrees', demoPerson('510104198510206912', '梁伟', 'self', jj(2800, 90), 96)),
  solo('demo_xie', 'low_income', 'demo: every department agrees', demoPerson('510104197906077024', '谢芳', 'self', jj(1800, 160), 170)),
  solo('demo_song', 'low_income', 'demo: every department agrees', demoPerson('510104199303188138', '宋涛', 'self', jj(2550, 40), 44)),
  solo('demo_tang', 'dibao', 'demo: a 低保 recipient; every department agrees', demoPerson('510104198709091243', '唐敏', 'self', jj(900, 20, { assistanceStatus: 'dibao' }), 24)),
  solo('demo_han', 'low_income', 'demo: every department agrees, but his income is over Chengdu’s line (the demo refusal)', demoPerson('51010419770228235X', '韩磊', 'self', jj(3400, 170), 180)),
  solo('demo_cao', 'low_income', 'demo: every department agrees (the demo withdrawal)', demoPerson('510104199211113462', '曹雨', 'self', jj(2200, 50), 55)),
  {
    key: 'demo_feng',
    regionCode: '510603',
    targetRegionCode: '510104017',
    category: 'migrant_worker',
    note: 'demo: a Deyang couple working in 锦江区, applying remotely (成德眉资) for a rental subsidy; every department agrees',
    members: [
      demoPerson('510603198904124574', '冯刚', 'self', facts({ hukouRegionCode: '510603', monthlyIncome: 2600, socialInsuranceMonths: 36 }), 40),
      demoPerson('510603199008085647', '邓琳', 'spouse', facts({ hukouRegionCode: '510603', monthlyIncome: 1800, socialInsuranceMonths: 30 }), 30),
    ],
  },
];

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
  ...DEMO_HOUSEHOLDS,
];

/** The ID number for which a simulated department fails, and which one. */
export const SIMULATED_FAILURES: readonly { idNumber: string; check: CheckType; message: { 'zh-CN': string; en: string } }[] = [
  {
    idNumber: '510104198808088883',
    check: 'income_tax',
    message: { 'zh-CN': '税务数据接口超时（模拟故障）', en: 'The tax data interface timed out (simulated failure)' },
  },
];
