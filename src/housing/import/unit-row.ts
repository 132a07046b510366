import { ASSET_NO, HousingType, Label, Layout, PROJECT_CODE, REGION_CODE, UnitStatus } from '../housing-codes';
import { IMPORTABLE_STATUSES } from '../unit.state';
import { ColumnKey, UNIT_COLUMNS } from './unit-columns';

/** One row of the import after validation. */
export interface ParsedUnitRow {
  projectCode: string;
  building: string;
  entrance: string | null;
  floor: number;
  roomNo: string;
  housingType: HousingType;
  layout: Layout;
  buildingArea: number;
  usableArea: number;
  hasElevator: boolean;
  accessible: boolean;
  assetNo: string;
  status: UnitStatus;
  regionCode: string | null;
}

/** A problem with one cell, in both languages. */
export interface CellProblem extends Label {
  field: ColumnKey;
  value: string;
}

export type RawUnitRow = Partial<Record<ColumnKey, string>>;

/** Cell text as compared with labels: no spaces, ASCII brackets. */
function compact(text: string): string {
  return text.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')');
}

function lookup<T extends string>(vocabulary: { codes: readonly T[]; labels: Record<T, Label> }, text: string, synonyms: Record<string, T> = {}): T | null {
  const t = compact(text);
  const lower = t.toLowerCase();
  for (const code of vocabulary.codes) {
    if (code === lower || compact(vocabulary.labels[code].zh) === t || vocabulary.labels[code].en.toLowerCase() === text.trim().toLowerCase()) return code;
  }
  return synonyms[t] ?? null;
}

const TYPE_SYNONYMS: Record<string, HousingType> = {
  公租房: 'prh_government',
  '公租房(政府)': 'prh_government',
  政府公租房: 'prh_government',
  '公租房(政府投资)': 'prh_government',
  '公租房(企业)': 'prh_enterprise',
  企业公租房: 'prh_enterprise',
  '公租房(社会投资)': 'prh_enterprise',
  保租房: 'arh',
  共有产权: 'shared_ownership',
};

const DIGITS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

/** 户型 from a code, a label, or the usual "N室M厅" wording (the bedroom count decides). */
export function parseLayout(text: string): Layout | null {
  const known = lookup(Layout, text, { 单间: 'studio', 开间: 'studio', 一室: 'studio', 一居室: 'studio' });
  if (known) return known;
  const m = /^([一二两三四五六1-6])(室|房|居室?)([一二两三1-3]厅)?([一二两1-2]卫)?$/.exec(compact(text));
  if (!m) return null;
  const rooms = DIGITS[m[1]] ?? Number(m[1]);
  if (rooms === 1) return m[3] ? 'one_bedroom' : 'studio';
  return rooms === 2 ? 'two_bedroom' : rooms === 3 ? 'three_bedroom' : 'four_bedroom';
}

const YES = new Set(['是', '有', 'y', 'yes', 'true', '1', '√']);
const NO = new Set(['否', '无', '没有', 'n', 'no', 'false', '0', '×']);

export function parseYesNo(text: string): boolean | null {
  const t = compact(text).toLowerCase();
  return YES.has(t) ? true : NO.has(t) ? false : null;
}

/** A positive decimal with at most two places, or null. */
export function parseArea(text: string): number | null {
  const t = compact(text).replace(/(㎡|m²|m2|平方米|平米)$/i, '');
  if (!/^\d{1,4}(\.\d{1,2})?$/.test(t)) return null;
  return Number(t);
}

/**
 * Checks one row on its own (no database): every required cell present, every value of the
 * right form. Problems name the column; cross-row and database checks come later.
 */
export function validateUnitRow(raw: RawUnitRow): { unit: ParsedUnitRow | null; problems: CellProblem[] } {
  const problems: CellProblem[] = [];
  const cell = (k: ColumnKey) => (raw[k] ?? '').trim();
  const bad = (field: ColumnKey, zh: string, en: string) => problems.push({ field, value: cell(field), zh, en });
  for (const c of UNIT_COLUMNS) if (c.required && !cell(c.key)) bad(c.key, '必填，不能为空', 'is required');
  const given = (k: ColumnKey) => cell(k) !== '';

  if (given('projectCode') && !PROJECT_CODE.test(cell('projectCode'))) bad('projectCode', '项目编号格式不对（2 至 32 位字母、数字、- 或 _）', 'must be 2 to 32 letters, digits, - or _');
  if (cell('building').length > 20) bad('building', '楼栋号最长 20 个字符', 'at most 20 characters');
  if (cell('entrance').length > 20) bad('entrance', '单元号最长 20 个字符', 'at most 20 characters');
  if (cell('roomNo').length > 20) bad('roomNo', '房号最长 20 个字符', 'at most 20 characters');
  const floorText = compact(cell('floor')).replace(/(层|楼|f)$/i, '');
  const floor = /^\d{1,3}$/.test(floorText) ? Number(floorText) : NaN;
  if (given('floor') && !(floor >= 1 && floor <= 120)) bad('floor', '楼层须为 1 至 120 的整数', 'must be a whole number from 1 to 120');
  const housingType = given('housingType') ? lookup(HousingType, cell('housingType'), TYPE_SYNONYMS) : null;
  if (given('housingType') && !housingType) bad('housingType', `房源类型须为：${HousingType.codes.map((c) => HousingType.labels[c].zh).join('、')}`, `must be one of ${HousingType.codes.join(', ')}`);
  const layout = given('layout') ? parseLayout(cell('layout')) : null;
  if (given('layout') && !layout) bad('layout', `无法识别的户型，可填：${Layout.codes.map((c) => Layout.labels[c].zh).join('、')}`, `must be one of ${Layout.codes.join(', ')}`);
  const buildingArea = given('buildingArea') ? parseArea(cell('buildingArea')) : null;
  if (given('buildingArea') && (buildingArea === null || buildingArea <= 0 || buildingArea > 300)) {
    bad('buildingArea', '建筑面积须大于 0、不超过 300，最多两位小数', 'must be more than 0 and at most 300, with two decimals at most');
  }
  const usableArea = given('usableArea') ? parseArea(cell('usableArea')) : null;
  if (given('usableArea') && (usableArea === null || usableArea <= 0 || usableArea > 300)) {
    bad('usableArea', '使用面积须大于 0、不超过 300，最多两位小数', 'must be more than 0 and at most 300, with two decimals at most');
  } else if (usableArea !== null && buildingArea !== null && usableArea > buildingArea) {
    bad('usableArea', '使用面积不能大于建筑面积', 'must not exceed the building area');
  }
  const hasElevator = given('hasElevator') ? parseYesNo(cell('hasElevator')) : null;
  if (given('hasElevator') && hasElevator === null) bad('hasElevator', '请填“是”或“否”', 'must be yes or no');
  const accessible = given('accessible') ? parseYesNo(cell('accessible')) : false;
  if (accessible === null) bad('accessible', '请填“是”或“否”', 'must be yes or no');
  if (given('assetNo') && !ASSET_NO.test(cell('assetNo'))) bad('assetNo', '资产编号须为 2 至 40 位字母、数字或 - _ . /', 'must be 2 to 40 letters, digits, - _ . /');
  const status = given('status') ? lookup(UnitStatus, cell('status')) : 'vacant';
  if (!status || !IMPORTABLE_STATUSES.includes(status)) {
    bad('status', `导入时状态须为：${IMPORTABLE_STATUSES.map((s) => UnitStatus.labels[s].zh).join('、')}`, `must be one of ${IMPORTABLE_STATUSES.join(', ')}`);
  } else if (status === 'sold' && housingType && housingType !== 'shared_ownership') {
    bad('status', '只有共有产权住房可以是“已售”', 'only shared-ownership units can be sold');
  }
  if (given('regionCode') && !REGION_CODE.test(cell('regionCode'))) bad('regionCode', '区划代码格式不对（如 510107 或 510107001）', 'must be a region code such as 510107 or 510107001');

  if (problems.length) return { unit: null, problems };
  return {
    unit: {
      projectCode: cell('projectCode'),
      building: cell('building'),
      entrance: cell('entrance') || null,
      floor,
      roomNo: cell('roomNo'),
      housingType: housingType!,
      layout: layout!,
      buildingArea: buildingArea!,
      usableArea: usableArea!,
      hasElevator: hasElevator!,
      accessible: accessible!,
      assetNo: cell('assetNo'),
      status: status!,
      regionCode: cell('regionCode') || null,
    },
    problems,
  };
}
