import type { Label } from '../connectors';

/** 申请类型: 公租房实物配租, 公租房租赁补贴, 保障性租赁住房. */
export const APPLICATION_TYPES = ['prh_in_kind', 'prh_rental_subsidy', 'affordable_rental'] as const;
export type ApplicationType = (typeof APPLICATION_TYPES)[number];

export const APPLICATION_TYPE_LABELS: Readonly<Record<ApplicationType, Label>> = {
  prh_in_kind: { 'zh-CN': '公租房实物配租', en: 'Public rental housing, in kind' },
  prh_rental_subsidy: { 'zh-CN': '公租房租赁补贴', en: 'Public rental housing, rental subsidy' },
  affordable_rental: { 'zh-CN': '保障性租赁住房', en: 'Affordable rental housing' },
};

/** 申请渠道: at a service window, online (天府通办 and the like), or remote within 成德眉资 (异地申请). */
export const CHANNELS = ['window', 'online', 'remote'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Readonly<Record<Channel, Label>> = {
  window: { 'zh-CN': '窗口申请', en: 'At a service window' },
  online: { 'zh-CN': '网上申请', en: 'Online' },
  remote: { 'zh-CN': '成德眉资异地申请', en: 'Remote, within Chengdu–Deyang–Meishan–Ziyang' },
};

/** The role an application was filed in: window staff for an applicant, or the applicant online. */
export type FiledByRole = 'window_caseworker' | 'applicant';

/** The region group whose cities accept each other's residents' applications. */
export const REMOTE_GROUP = 'CDMZ';

/** Relationship to the applicant (与申请人关系); `self` is the applicant, always member 1. */
export const RELATIONSHIPS = ['self', 'spouse', 'child', 'parent', 'sibling', 'grandparent', 'grandchild', 'other'] as const;
export type Relationship = (typeof RELATIONSHIPS)[number];

export const RELATIONSHIP_LABELS: Readonly<Record<Relationship, Label>> = {
  self: { 'zh-CN': '申请人本人', en: 'Applicant' },
  spouse: { 'zh-CN': '配偶', en: 'Spouse' },
  child: { 'zh-CN': '子女', en: 'Child' },
  parent: { 'zh-CN': '父母', en: 'Parent' },
  sibling: { 'zh-CN': '兄弟姐妹', en: 'Sibling' },
  grandparent: { 'zh-CN': '祖父母、外祖父母', en: 'Grandparent' },
  grandchild: { 'zh-CN': '孙子女、外孙子女', en: 'Grandchild' },
  other: { 'zh-CN': '其他共同生活成员', en: 'Other household member' },
};

/** 保障对象类别 (DOMAIN.md: the groups PRH and ARH serve). */
export const HOUSEHOLD_CATEGORIES = ['dibao', 'tekun', 'low_income', 'lower_middle_income', 'new_employee', 'migrant_worker', 'arh_target'] as const;
export type HouseholdCategory = (typeof HOUSEHOLD_CATEGORIES)[number];

export const HOUSEHOLD_CATEGORY_LABELS: Readonly<Record<HouseholdCategory, Label>> = {
  dibao: { 'zh-CN': '城镇低保家庭', en: 'Urban minimum-living-allowance household' },
  tekun: { 'zh-CN': '分散供养特困人员', en: 'Extreme-poverty support, living independently' },
  low_income: { 'zh-CN': '低收入住房困难家庭', en: 'Low-income household in housing difficulty' },
  lower_middle_income: { 'zh-CN': '中等偏下收入住房困难家庭', en: 'Lower-middle-income household in housing difficulty' },
  new_employee: { 'zh-CN': '新就业无房职工', en: 'Newly employed worker without housing' },
  migrant_worker: { 'zh-CN': '稳定就业外来务工人员', en: 'Migrant worker in stable employment' },
  arh_target: { 'zh-CN': '新市民、青年人（保障性租赁住房）', en: 'New resident or young person (affordable rental housing)' },
};

export const MARITAL_STATUSES = ['unmarried', 'married', 'divorced', 'widowed'] as const;
export type MaritalStatus = (typeof MARITAL_STATUSES)[number];

/** How a commitment or authorisation was signed: e-signature, or a scanned handwritten signature. */
export const SIGNATURE_METHODS = ['e_signature', 'handwritten_scan'] as const;
export type SignatureMethod = (typeof SIGNATURE_METHODS)[number];

export const SIGNATURE_METHOD_LABELS: Readonly<Record<SignatureMethod, Label>> = {
  e_signature: { 'zh-CN': '电子签名', en: 'Electronic signature' },
  handwritten_scan: { 'zh-CN': '手写签名扫描件', en: 'Scanned handwritten signature' },
};

/** The commitment text (申请承诺书) in force; a member may have signed an earlier one. */
export const COMMITMENT_TEXT_VERSION = '2025-1';

/** 申请材料: kinds of documents referenced by an application. */
export const MATERIAL_KINDS = [
  'id_documents',
  'household_register',
  'residence_permit',
  'marriage_certificate',
  'housing_statement',
  'income_statement',
  'employment_proof',
  'rental_contract',
  'bank_account',
  'commitment_letter',
  'authorisation_letter',
  'disability_certificate',
  'other',
] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];

export const MATERIAL_LABELS: Readonly<Record<MaterialKind, Label>> = {
  id_documents: { 'zh-CN': '家庭成员身份证明', en: 'Identity documents of every member' },
  household_register: { 'zh-CN': '户口簿', en: 'Household register (hukou booklet)' },
  residence_permit: { 'zh-CN': '居住证', en: 'Residence permit' },
  marriage_certificate: { 'zh-CN': '婚姻状况证明', en: 'Marital status certificate' },
  housing_statement: { 'zh-CN': '家庭住房情况声明', en: 'Statement of the household’s housing' },
  income_statement: { 'zh-CN': '家庭收入情况声明', en: 'Statement of the household’s income' },
  employment_proof: { 'zh-CN': '劳动合同或就业证明', en: 'Labour contract or proof of employment' },
  rental_contract: { 'zh-CN': '房屋租赁合同', en: 'Tenancy agreement' },
  bank_account: { 'zh-CN': '补贴发放银行账户（一卡通）', en: 'Bank account for the subsidy (one-card)' },
  commitment_letter: { 'zh-CN': '申请承诺书', en: 'Signed commitment' },
  authorisation_letter: { 'zh-CN': '授权查询书', en: 'Query authorisation' },
  disability_certificate: { 'zh-CN': '残疾人证', en: 'Disability certificate' },
  other: { 'zh-CN': '其他材料', en: 'Other' },
};

/**
 * Materials each type needs (零证明: what department data can confirm is not asked for). A later
 * 补正 notice names the ones missing. `household_register` may be replaced by a residence permit.
 */
export const REQUIRED_MATERIALS: Readonly<Record<ApplicationType, readonly MaterialKind[]>> = {
  prh_in_kind: ['id_documents', 'household_register', 'housing_statement', 'income_statement', 'commitment_letter', 'authorisation_letter'],
  prh_rental_subsidy: ['id_documents', 'household_register', 'housing_statement', 'income_statement', 'rental_contract', 'bank_account', 'commitment_letter', 'authorisation_letter'],
  affordable_rental: ['id_documents', 'housing_statement', 'employment_proof', 'commitment_letter', 'authorisation_letter'],
};

/** The required kinds not among those given (a residence permit stands in for the household register). */
export function missingMaterials(type: ApplicationType, given: readonly MaterialKind[]): MaterialKind[] {
  const have = new Set(given);
  if (have.has('residence_permit')) have.add('household_register');
  return REQUIRED_MATERIALS[type].filter((k) => !have.has(k));
}
