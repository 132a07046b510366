import { Department } from '../identity';

/** A caseworker-visible text in Chinese first, English beside it. */
export type Label = Readonly<{ 'zh-CN': string; en: string }>;

/**
 * The data checks of the online comparison (线上数据比对), one per thing a department can confirm
 * about a person. Each belongs to one department (identity's names, so a mismatch can become a
 * task for `department_checker:<department>:<scope>` in the joint review, 联合审查).
 */
export const CheckType = {
  /** 公安: 户籍 (household register) */
  Hukou: 'hukou',
  /** 公安: 机动车登记 (registered vehicles) */
  Vehicles: 'vehicles',
  /** 民政: 低保 / 特困 / 低收入 status */
  AssistanceStatus: 'assistance_status',
  /** 民政: 居民家庭经济状况核对 (the household-finance check centre's income figure) */
  Income: 'income',
  /** 自然资源 / 不动产登记: homes owned */
  Property: 'property',
  /** 市场监管: shareholdings, legal representative, 个体户 */
  Enterprises: 'enterprises',
  /** 人社: social-insurance contributions */
  SocialInsurance: 'social_insurance',
  /** 税务: individual income tax */
  IncomeTax: 'income_tax',
  /** 住房公积金中心: contributions and loans */
  HousingFund: 'housing_fund',
} as const;
export type CheckType = (typeof CheckType)[keyof typeof CheckType];

export const CHECK_TYPES: readonly CheckType[] = Object.values(CheckType);

export interface CheckInfo {
  department: Department;
  label: Label;
}

export const CHECKS: Readonly<Record<CheckType, CheckInfo>> = {
  hukou: { department: Department.PublicSecurity, label: { 'zh-CN': '户籍', en: 'Household register (hukou)' } },
  vehicles: { department: Department.PublicSecurity, label: { 'zh-CN': '机动车登记', en: 'Registered vehicles' } },
  assistance_status: { department: Department.CivilAffairs, label: { 'zh-CN': '低保、特困、低收入认定', en: 'Minimum-living, extreme-poverty or low-income status' } },
  income: { department: Department.CivilAffairs, label: { 'zh-CN': '家庭经济状况核对（收入）', en: 'Household finance check (income)' } },
  property: { department: Department.NaturalResources, label: { 'zh-CN': '不动产登记（住房）', en: 'Real-estate register (homes owned)' } },
  enterprises: { department: Department.MarketRegulation, label: { 'zh-CN': '企业登记（持股、法定代表人、个体户）', en: 'Enterprise register (shares, legal representative, sole trader)' } },
  social_insurance: { department: Department.HumanResources, label: { 'zh-CN': '社会保险缴纳', en: 'Social-insurance contributions' } },
  income_tax: { department: Department.Taxation, label: { 'zh-CN': '个人所得税', en: 'Individual income tax' } },
  housing_fund: { department: Department.HousingFund, label: { 'zh-CN': '住房公积金缴存和贷款', en: 'Housing provident fund contributions and loans' } },
};

/** The departments that answer checks, with the label a caseworker sees. */
export const CHECK_DEPARTMENT_LABELS: Readonly<Partial<Record<Department, Label>>> = {
  公安: { 'zh-CN': '公安', en: 'Public security' },
  民政: { 'zh-CN': '民政', en: 'Civil affairs' },
  自然资源: { 'zh-CN': '自然资源（不动产登记）', en: 'Natural resources (real-estate register)' },
  市场监管: { 'zh-CN': '市场监管', en: 'Market regulation' },
  人社: { 'zh-CN': '人力资源和社会保障', en: 'Human resources and social security' },
  税务: { 'zh-CN': '税务', en: 'Taxation' },
  公积金: { 'zh-CN': '住房公积金中心', en: 'Housing provident fund centre' },
};

/**
 * MATCH: the department's data agrees with what the household declared; MISMATCH: it does not
 * (a person confirms it: a mismatch alone never refuses an application); NO_DATA: the department
 * holds nothing on the person; ERROR: the department could not be asked or did not answer.
 */
export const CHECK_RESULTS = ['MATCH', 'MISMATCH', 'NO_DATA', 'ERROR'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

export const CHECK_RESULT_LABELS: Readonly<Record<CheckResult, Label>> = {
  MATCH: { 'zh-CN': '一致', en: 'Match' },
  MISMATCH: { 'zh-CN': '不一致', en: 'Mismatch' },
  NO_DATA: { 'zh-CN': '无数据', en: 'No data' },
  ERROR: { 'zh-CN': '查询失败', en: 'Error' },
};

/** 低保 (minimum living allowance), 特困 (extreme poverty support), 低收入 (low income), or none. */
export const ASSISTANCE_STATUSES = ['none', 'dibao', 'tekun', 'low_income'] as const;
export type AssistanceStatus = (typeof ASSISTANCE_STATUSES)[number];

export const ASSISTANCE_STATUS_LABELS: Readonly<Record<AssistanceStatus, Label>> = {
  none: { 'zh-CN': '无', en: 'None' },
  dibao: { 'zh-CN': '城乡低保', en: 'Minimum living allowance (dibao)' },
  tekun: { 'zh-CN': '特困供养', en: 'Extreme-poverty support (tekun)' },
  low_income: { 'zh-CN': '低收入家庭', en: 'Low-income household' },
};

/** What the household declared about one member: what each check compares the department's data with. */
export interface DeclaredFacts {
  hukouRegionCode: string;
  /** yuan per month */
  monthlyIncome: number;
  /** square metres of homes owned */
  ownedHousingArea: number;
  ownedDwellings: number;
  vehicles: number;
  enterpriseHoldings: number;
  assistanceStatus: AssistanceStatus;
  /** months of social-insurance contributions, when declared */
  socialInsuranceMonths: number | null;
}

/** The person a check is about. The ID number is in clear here only for the department call. */
export interface CheckSubject {
  idNumber: string;
  name: string;
  declared: DeclaredFacts;
}

// What each department answers (its data, kept with the call record). Never a name or ID number.
export interface HukouRecord {
  hukouRegionCode: string;
}
export interface VehicleRecord {
  count: number;
  vehicles: { kind: string; registeredYear: number }[];
}
export interface AssistanceRecord {
  status: AssistanceStatus;
  /** YYYY-MM the status was granted */
  since: string | null;
}
export interface IncomeRecord {
  monthlyIncome: number;
  /** YYYY-MM of the assessment */
  assessedMonth: string;
}
export interface PropertyRecord {
  dwellings: number;
  totalArea: number;
}
export interface EnterpriseRecord {
  count: number;
  holdings: { enterprise: string; role: 'shareholder' | 'legal_representative' | 'sole_trader' }[];
}
export interface SocialInsuranceRecord {
  contributing: boolean;
  months: number;
}
export interface IncomeTaxRecord {
  year: number;
  annualIncome: number;
}
export interface HousingFundRecord {
  contributing: boolean;
  /** monthly contribution base, yuan */
  monthlyBase: number;
  activeLoans: number;
}

/** The department data type of each check. */
export interface CheckData {
  hukou: HukouRecord;
  vehicles: VehicleRecord;
  assistance_status: AssistanceRecord;
  income: IncomeRecord;
  property: PropertyRecord;
  enterprises: EnterpriseRecord;
  social_insurance: SocialInsuranceRecord;
  income_tax: IncomeTaxRecord;
  housing_fund: HousingFundRecord;
}

/** One answer of a department. `simulated` is true for every answer of the simulated set. */
export interface CheckOutcome<T = unknown> {
  result: CheckResult;
  data: T | null;
  message: Label;
  simulated: boolean;
}

type Answer<C extends CheckType> = Promise<CheckOutcome<CheckData[C]>>;

// One interface per department. A real connector implements these against the department's
// exchange platform (政务数据共享交换平台) and may reuse comparisons.ts for the verdict.

/** 公安 */
export interface PublicSecurityConnector {
  hukou(subject: CheckSubject): Answer<'hukou'>;
  vehicles(subject: CheckSubject): Answer<'vehicles'>;
}

/** 民政 */
export interface CivilAffairsConnector {
  assistanceStatus(subject: CheckSubject): Answer<'assistance_status'>;
  income(subject: CheckSubject): Answer<'income'>;
}

/** 自然资源 / 不动产登记 */
export interface RealEstateConnector {
  property(subject: CheckSubject): Answer<'property'>;
}

/** 市场监管 */
export interface MarketRegulationConnector {
  enterprises(subject: CheckSubject): Answer<'enterprises'>;
}

/** 人社 */
export interface HumanResourcesConnector {
  socialInsurance(subject: CheckSubject): Answer<'social_insurance'>;
}

/** 税务 */
export interface TaxationConnector {
  incomeTax(subject: CheckSubject): Answer<'income_tax'>;
}

/** 住房公积金中心 */
export interface HousingFundConnector {
  housingFund(subject: CheckSubject): Answer<'housing_fund'>;
}

/** A complete set of department connectors, chosen by ANJU_CONNECTORS. */
export interface ConnectorSet {
  readonly name: string;
  readonly simulated: boolean;
  readonly publicSecurity: PublicSecurityConnector;
  readonly civilAffairs: CivilAffairsConnector;
  readonly realEstate: RealEstateConnector;
  readonly marketRegulation: MarketRegulationConnector;
  readonly humanResources: HumanResourcesConnector;
  readonly taxation: TaxationConnector;
  readonly housingFund: HousingFundConnector;
}

/** Asks the right department of a set for one check. */
export function askDepartment(set: ConnectorSet, check: CheckType, subject: CheckSubject): Promise<CheckOutcome> {
  switch (check) {
    case 'hukou':
      return set.publicSecurity.hukou(subject);
    case 'vehicles':
      return set.publicSecurity.vehicles(subject);
    case 'assistance_status':
      return set.civilAffairs.assistanceStatus(subject);
    case 'income':
      return set.civilAffairs.income(subject);
    case 'property':
      return set.realEstate.property(subject);
    case 'enterprises':
      return set.marketRegulation.enterprises(subject);
    case 'social_insurance':
      return set.humanResources.socialInsurance(subject);
    case 'income_tax':
      return set.taxation.incomeTax(subject);
    case 'housing_fund':
      return set.housingFund.housingFund(subject);
  }
}
