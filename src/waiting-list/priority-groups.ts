/**
 * Priority groups of the waiting list (优先保障对象): MOHURD Order 11 art. 15 (优抚对象, 孤老病残),
 * Deyang's list (特困, 低保, 重疾, 残疾, 优抚, 退伍军人), MOHURD 2021 on households with several minor
 * children, Sichuan's basic public-service workers (环卫, 公交), and the groups cities commonly add
 * (见义勇为, 劳模, 计生特殊家庭). The order between them is a per-region rule; this file only names them.
 */
export type Label = { 'zh-CN': string; en: string };

export const PRIORITY_GROUPS = [
  'special_care',
  'dibao_tekun',
  'disability',
  'serious_illness',
  'bereaved_family',
  'bravery',
  'model_worker',
  'veteran',
  'elderly',
  'several_minors',
  'frontline_worker',
] as const;
export type PriorityGroup = (typeof PRIORITY_GROUPS)[number];

export const PRIORITY_GROUP_LABELS: Readonly<Record<PriorityGroup, Label>> = {
  special_care: { 'zh-CN': '优抚对象', en: 'Entitled to special care (优抚)' },
  dibao_tekun: { 'zh-CN': '低保、特困供养家庭', en: 'Minimum-living-allowance or extreme-poverty household' },
  disability: { 'zh-CN': '残疾人家庭', en: 'Household with a disabled member' },
  serious_illness: { 'zh-CN': '大病（重特大疾病）家庭', en: 'Household with a seriously ill member' },
  bereaved_family: { 'zh-CN': '计划生育特殊家庭', en: 'Family that lost its only child' },
  bravery: { 'zh-CN': '见义勇为人员', en: 'Honoured for bravery (见义勇为)' },
  model_worker: { 'zh-CN': '劳动模范', en: 'Model worker' },
  veteran: { 'zh-CN': '退役军人', en: 'Veteran' },
  elderly: { 'zh-CN': '老年人家庭（申请人年满 60 周岁）', en: 'Applicant aged 60 or over' },
  several_minors: { 'zh-CN': '多子女家庭（两个及以上未成年子女）', en: 'Two or more minor children' },
  frontline_worker: { 'zh-CN': '环卫、公交一线职工', en: 'Front-line sanitation or public-transport worker' },
};

/** The default order (highest first), as seeded province-wide; a region may set its own. */
export const DEFAULT_PRIORITY_ORDER: readonly PriorityGroup[] = PRIORITY_GROUPS;

export function isPriorityGroup(value: unknown): value is PriorityGroup {
  return typeof value === 'string' && (PRIORITY_GROUPS as readonly string[]).includes(value);
}

/**
 * An entry's priority band under a region's order: the 1-based rank of its highest group; an
 * entry without a group the order lists comes after every group (order.length + 1).
 */
export function bandOf(groups: readonly string[], order: readonly string[]): number {
  const ranks = groups.map((g) => order.indexOf(g)).filter((i) => i >= 0);
  return ranks.length ? Math.min(...ranks) + 1 : order.length + 1;
}

/** The label of a band: its group's, or “no priority group”. */
export function bandLabel(band: number, order: readonly string[]): { group: PriorityGroup | null; label: Label } {
  const group = order[band - 1];
  return isPriorityGroup(group) ? { group, label: PRIORITY_GROUP_LABELS[group] } : { group: null, label: { 'zh-CN': '一般轮候家庭', en: 'No priority group' } };
}

export interface HouseholdFacts {
  category: string;
  members: { position: number; relationship: string; birthDate: string }[];
}

/** Full years from a birth date to a day (both YYYY-MM-DD); the birthday itself counts. */
export function ageOn(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/**
 * The groups the frozen household shows by itself on the qualification day: 低保/特困 from its
 * category, elderly when the applicant is 60 or older, several minors when two or more children are
 * under 18. The others (优抚, 残疾, 大病, …) need a department's confirmation and are given by the caller.
 */
export function derivedGroups(h: HouseholdFacts, qualifiedOn: string): PriorityGroup[] {
  const out: PriorityGroup[] = [];
  if (h.category === 'dibao' || h.category === 'tekun') out.push('dibao_tekun');
  const applicant = h.members.find((m) => m.position === 1);
  if (applicant && ageOn(applicant.birthDate, qualifiedOn) >= 60) out.push('elderly');
  if (h.members.filter((m) => m.relationship === 'child' && ageOn(m.birthDate, qualifiedOn) < 18).length >= 2) out.push('several_minors');
  return out;
}

/** The given and derived groups, each once, in the canonical order of PRIORITY_GROUPS. */
export function mergeGroups(...lists: readonly (readonly PriorityGroup[])[]): PriorityGroup[] {
  const all = new Set(lists.flat());
  return PRIORITY_GROUPS.filter((g) => all.has(g));
}
