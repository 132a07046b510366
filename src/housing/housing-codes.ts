/**
 * The codes of the two lists with the labels a caseworker sees (zh-CN first, English second).
 * Codes are what the API and the database hold; the import also accepts the Chinese label.
 */
export interface Label {
  zh: string;
  en: string;
}

export const REGION_CODE = /^(\d{6}|\d{9}|\d{6}-[A-Z]{1,8})$/;
export const REGION_CODE_MESSAGE = 'must be a region code such as 510107 or 510107001';
/** 项目编号 */
export const PROJECT_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{1,31}$/;
/** 资产编号 */
export const ASSET_NO = /^[A-Za-z0-9][A-Za-z0-9_./-]{1,39}$/;

function labels<T extends string>(table: Record<T, Label>) {
  const codes = Object.keys(table) as T[];
  return {
    codes,
    labels: table,
    is: (v: unknown): v is T => typeof v === 'string' && (codes as string[]).includes(v),
  };
}

/** 房源类型 */
export const HousingType = labels({
  prh_government: { zh: '公租房(政府投资)', en: 'Public rental housing, government-owned' },
  prh_enterprise: { zh: '公租房(企业自建)', en: 'Public rental housing, enterprise-owned' },
  arh: { zh: '保障性租赁住房', en: 'Affordable rental housing' },
  shared_ownership: { zh: '共有产权住房', en: 'Shared-ownership housing' },
});
export type HousingType = (typeof HousingType.codes)[number];

/** 户型, by the number of bedrooms */
export const Layout = labels({
  studio: { zh: '单间', en: 'Studio' },
  one_bedroom: { zh: '一室一厅', en: 'One bedroom' },
  two_bedroom: { zh: '两室一厅', en: 'Two bedrooms' },
  three_bedroom: { zh: '三室一厅', en: 'Three bedrooms' },
  four_bedroom: { zh: '四室及以上', en: 'Four or more bedrooms' },
});
export type Layout = (typeof Layout.codes)[number];

/**
 * 房源状态 (unit.state.ts has the allowed changes):
 *   vacant        空置: ready to be offered
 *   allocated     已配租: offered to a household in an allocation round, lease not yet signed
 *   leased        已出租: a household lives there under a tenancy (the 人房对应 checks rely on it)
 *   under_repair  维修中: not offered until repaired
 *   frozen        冻结: held back (腾退 in progress, dispute, reserved for a relocation)
 *   sold          已售: a shared-ownership flat sold to its co-owning household
 *   disposed      已处置: left the housing-security stock for good
 */
export const UnitStatus = labels({
  vacant: { zh: '空置', en: 'Vacant' },
  allocated: { zh: '已配租', en: 'Allocated' },
  leased: { zh: '已出租', en: 'Leased' },
  under_repair: { zh: '维修中', en: 'Under repair' },
  frozen: { zh: '冻结', en: 'Frozen' },
  sold: { zh: '已售', en: 'Sold' },
  disposed: { zh: '已处置', en: 'Disposed' },
});
export type UnitStatus = (typeof UnitStatus.codes)[number];

/** 保障类别 (DOMAIN.md: who 公租房 and 保租房 serve; 优抚 is a priority group kept as its own category) */
export const Category = labels({
  dibao: { zh: '城镇低保', en: 'Urban minimum-living-allowance (dibao)' },
  extreme_poverty: { zh: '分散供养特困人员', en: 'Extremely poor, dispersed support' },
  low_income: { zh: '低收入住房困难家庭', en: 'Low income, housing difficulty' },
  lower_middle_income: { zh: '中等偏下收入住房困难家庭', en: 'Lower-middle income, housing difficulty' },
  new_employee: { zh: '新就业无房职工', en: 'Newly employed without housing' },
  migrant_worker: { zh: '稳定就业外来务工人员', en: 'Migrant worker in stable employment' },
  special_care: { zh: '优抚对象', en: 'Entitled group (special care)' },
  arh_new_citizen: { zh: '保租房对象(新市民、青年人)', en: 'Affordable-rental tenant (new resident, young person)' },
});
export type Category = (typeof Category.codes)[number];

/** 保障方式 */
export const GuaranteeForm = labels({
  in_kind: { zh: '实物配租', en: 'In kind (a public rental unit)' },
  rental_subsidy: { zh: '租赁补贴', en: 'Rental subsidy' },
  arh: { zh: '保障性租赁住房', en: 'Affordable rental housing' },
});
export type GuaranteeForm = (typeof GuaranteeForm.codes)[number];

/** 与申请人关系 */
export const Relation = labels({
  applicant: { zh: '申请人', en: 'Applicant' },
  spouse: { zh: '配偶', en: 'Spouse' },
  child: { zh: '子女', en: 'Child' },
  parent: { zh: '父母', en: 'Parent' },
  sibling: { zh: '兄弟姐妹', en: 'Sibling' },
  grandparent: { zh: '祖父母、外祖父母', en: 'Grandparent' },
  grandchild: { zh: '孙子女、外孙子女', en: 'Grandchild' },
  other: { zh: '其他', en: 'Other' },
});
export type Relation = (typeof Relation.codes)[number];

/** A code with both labels, as responses carry it. */
export function labelled<T extends string>(vocabulary: { labels: Record<T, Label> }, code: T): { code: T; zh: string; en: string } {
  return { code, ...vocabulary.labels[code] };
}
