import { HousingType, Label, Layout, UnitStatus } from '../housing-codes';
import { IMPORTABLE_STATUSES } from '../unit.state';

/**
 * The columns of the unit import (one sheet, one unit a row, Chinese headers). The template,
 * the export and the reader share this list; a header matches by its Chinese or English name,
 * ignoring spaces, case, full-width brackets and a bracketed unit such as (㎡).
 */
export type ColumnKey =
  | 'projectCode'
  | 'building'
  | 'entrance'
  | 'floor'
  | 'roomNo'
  | 'housingType'
  | 'layout'
  | 'buildingArea'
  | 'usableArea'
  | 'hasElevator'
  | 'accessible'
  | 'assetNo'
  | 'status'
  | 'regionCode';

export interface ColumnDef {
  key: ColumnKey;
  zh: string;
  en: string;
  required: boolean;
  /** kept as text in the template (leading zeros, codes) */
  text: boolean;
  width: number;
  hint: Label;
}

const list = (labels: Record<string, Label>, codes?: readonly string[]) =>
  (codes ?? Object.keys(labels)).map((c) => labels[c].zh).join('、');

export const UNIT_COLUMNS: readonly ColumnDef[] = [
  { key: 'projectCode', zh: '项目编号', en: 'Project code', required: true, text: true, width: 12, hint: { zh: '已登记项目的编号，如 WH-CQ', en: 'code of a registered project, e.g. WH-CQ' } },
  { key: 'building', zh: '楼栋号', en: 'Building', required: true, text: true, width: 10, hint: { zh: '项目中没有的楼栋会自动新建', en: 'a building the project lacks is created' } },
  { key: 'entrance', zh: '单元号', en: 'Entrance', required: false, text: true, width: 8, hint: { zh: '可空', en: 'optional' } },
  { key: 'floor', zh: '楼层', en: 'Floor', required: true, text: false, width: 8, hint: { zh: '1 至 120 的整数', en: 'a whole number from 1 to 120' } },
  { key: 'roomNo', zh: '房号', en: 'Room number', required: true, text: true, width: 10, hint: { zh: '同一楼栋同一单元内不重复', en: 'unique within a building and entrance' } },
  { key: 'housingType', zh: '房源类型', en: 'Housing type', required: true, text: false, width: 18, hint: { zh: list(HousingType.labels), en: HousingType.codes.join(', ') } },
  { key: 'layout', zh: '户型', en: 'Layout', required: true, text: false, width: 12, hint: { zh: `${list(Layout.labels)}，或“两室一厅”这样的写法`, en: Layout.codes.join(', ') } },
  { key: 'buildingArea', zh: '建筑面积(㎡)', en: 'Building area (m²)', required: true, text: false, width: 14, hint: { zh: '大于 0、不超过 300，最多两位小数', en: 'more than 0, at most 300, two decimals at most' } },
  { key: 'usableArea', zh: '使用面积(㎡)', en: 'Usable area (m²)', required: true, text: false, width: 14, hint: { zh: '大于 0、不超过建筑面积', en: 'more than 0, at most the building area' } },
  { key: 'hasElevator', zh: '电梯', en: 'Elevator', required: true, text: false, width: 8, hint: { zh: '是 或 否', en: 'yes or no' } },
  { key: 'accessible', zh: '无障碍', en: 'Accessible', required: false, text: false, width: 8, hint: { zh: '是 或 否，空为否', en: 'yes or no; empty = no' } },
  { key: 'assetNo', zh: '资产编号', en: 'Asset number', required: true, text: true, width: 16, hint: { zh: '全省唯一；字母、数字、- _ . /', en: 'unique; letters, digits, - _ . /' } },
  { key: 'status', zh: '状态', en: 'Status', required: false, text: false, width: 10, hint: { zh: `${list(UnitStatus.labels, IMPORTABLE_STATUSES)}，空为空置`, en: `${IMPORTABLE_STATUSES.join(', ')}; empty = vacant` } },
  { key: 'regionCode', zh: '区划代码', en: 'Region code', required: false, text: true, width: 12, hint: { zh: '空为项目所在区划；可填项目区划内的街道', en: "empty = the project's region; or a street inside it" } },
];

/** A header as compared: no spaces, lower case, ASCII brackets, no trailing bracketed unit. */
export function normalizeHeader(text: string): string {
  return text
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')')
    .replace(/\s+/g, '')
    .toLowerCase()
    .replace(/\([^()]*\)$/, '');
}

const BY_HEADER = new Map<string, ColumnDef>(UNIT_COLUMNS.flatMap((c) => [[normalizeHeader(c.zh), c] as const, [normalizeHeader(c.en), c] as const]));

export function columnOfHeader(text: string): ColumnDef | undefined {
  return BY_HEADER.get(normalizeHeader(text));
}

export function columnDef(key: ColumnKey): ColumnDef {
  return UNIT_COLUMNS.find((c) => c.key === key)!;
}
