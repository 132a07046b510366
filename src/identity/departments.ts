/**
 * Departments (部门) that own organisations and whose checkers take part in the joint review
 * (联合审查). The value is the short Chinese name used in candidate-group names and stored in
 * organizations.department (the migration's CHECK lists the same values).
 */
export const Department = {
  HousingConstruction: '住建', // 住房城乡建设 (lead department)
  CivilAffairs: '民政',
  PublicSecurity: '公安',
  NaturalResources: '自然资源',
  MarketRegulation: '市场监管',
  HumanResources: '人社', // 人力资源和社会保障
  Taxation: '税务',
  HousingFund: '公积金', // 住房公积金中心
  DisabledPersons: '残联',
  VeteranAffairs: '退役军人',
  Court: '法院',
  Finance: '财政',
  DevelopmentReform: '发改',
} as const;
export type Department = (typeof Department)[keyof typeof Department];
export const DEPARTMENTS: readonly Department[] = Object.values(Department);

/** Kinds of organisation: a department of a region, an estate operator (运营单位), 街道办, 社区. */
export const ORGANIZATION_KINDS = ['department', 'operator', 'street_office', 'community'] as const;
export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];
