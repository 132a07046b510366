import ExcelJS from 'exceljs';
import { HousingType, Label, Layout, UnitStatus } from '../housing-codes';
import { UnitDto } from '../stock/stock.dto';
import { IMPORTABLE_STATUSES } from '../unit.state';
import { DATA_SHEET } from './sheet-reader';
import { ColumnKey, UNIT_COLUMNS } from './unit-columns';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Rows the template offers drop-down lists and text formats for. */
const TEMPLATE_ROWS = 2000;

export interface SheetColumn {
  header: string;
  width: number;
  text?: boolean;
}

/** Adds a sheet with a bold, frozen header row and the given rows. */
export function addTable(workbook: ExcelJS.Workbook, name: string, columns: SheetColumn[], rows: unknown[][]): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.text ? { numFmt: '@' } : {} }));
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(r);
  return sheet;
}

/** The notes sheet: every column in Chinese and English, required or not, what it holds. */
function addNotes(workbook: ExcelJS.Workbook, columns: readonly { zh: string; en: string; required?: boolean; hint: Label }[]): void {
  addTable(
    workbook,
    '说明 Notes',
    [
      { header: '列名', width: 16 },
      { header: 'Column', width: 20 },
      { header: '必填 Required', width: 14 },
      { header: '填写说明', width: 60 },
      { header: 'Notes', width: 60 },
    ],
    columns.map((c) => [c.zh, c.en, c.required === undefined ? '' : c.required ? '是 yes' : '否 no', c.hint.zh, c.hint.en]),
  );
}

function finish(workbook: ExcelJS.Workbook): Promise<Buffer> {
  workbook.creator = 'Anju 安居';
  return workbook.xlsx.writeBuffer().then((b) => Buffer.from(b as ArrayBuffer));
}

const columnLetter = (n: number) => (n <= 26 ? String.fromCharCode(64 + n) : String.fromCharCode(64 + Math.floor((n - 1) / 26)) + String.fromCharCode(65 + ((n - 1) % 26)));

/** The import template: the header row, drop-down lists where the values are fixed, and the notes sheet. */
export function unitTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = addTable(workbook, DATA_SHEET, UNIT_COLUMNS.map((c) => ({ header: c.zh, width: c.width, text: c.text })), []);
  const lists: Partial<Record<ColumnKey, string[]>> = {
    housingType: HousingType.codes.map((c) => HousingType.labels[c].zh),
    layout: Layout.codes.map((c) => Layout.labels[c].zh),
    hasElevator: ['是', '否'],
    accessible: ['是', '否'],
    status: IMPORTABLE_STATUSES.map((s) => UnitStatus.labels[s].zh),
  };
  UNIT_COLUMNS.forEach((c, i) => {
    const values = lists[c.key];
    if (!values) return;
    const letter = columnLetter(i + 1);
    // a list is a suggestion (the reader also takes other wordings), so Excel only warns
    // exceljs takes a range here (its typings only know single cells)
    (sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(`${letter}2:${letter}${TEMPLATE_ROWS + 1}`, {
      type: 'list',
      allowBlank: !c.required,
      formulae: [`"${values.join(',')}"`],
      showErrorMessage: true,
      errorStyle: 'warning',
    });
  });
  addNotes(workbook, UNIT_COLUMNS);
  return finish(workbook);
}

const EXTRA_UNIT_COLUMNS: (SheetColumn & { en: string; hint: Label })[] = [
  { header: '项目名称', en: 'Project name', width: 24, hint: { zh: '导出时附带，导入时忽略', en: 'exported; ignored by the import' } },
  { header: '区划名称', en: 'Region name', width: 12, hint: { zh: '导出时附带，导入时忽略', en: 'exported; ignored by the import' } },
  { header: '状态起始时间', en: 'Status since', width: 20, hint: { zh: '北京时间', en: 'Beijing time' } },
  { header: '当前保障对象编号', en: 'Current household number', width: 20, hint: { zh: '有在租租约时', en: 'while a tenancy is current' } },
];

const beijing = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');

/** Units in the import's columns (so an export can be edited and imported elsewhere), then a few read-only ones. */
export function unitsWorkbook(units: UnitDto[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const value = (u: UnitDto, key: ColumnKey): unknown => {
    switch (key) {
      case 'projectCode':
        return u.projectCode;
      case 'building':
        return u.buildingNumber;
      case 'housingType':
        return u.labels.housingType.zh;
      case 'layout':
        return u.labels.layout.zh;
      case 'hasElevator':
        return u.hasElevator ? '是' : '否';
      case 'accessible':
        return u.accessible ? '是' : '否';
      case 'status':
        return u.labels.status.zh;
      default:
        return u[key];
    }
  };
  addTable(
    workbook,
    DATA_SHEET,
    [...UNIT_COLUMNS.map((c) => ({ header: c.zh, width: c.width, text: c.text })), ...EXTRA_UNIT_COLUMNS],
    units.map((u) => [...UNIT_COLUMNS.map((c) => value(u, c.key)), u.projectName, u.regionName, beijing(u.statusSince), u.currentTenancy?.householdNo ?? '']),
  );
  addNotes(workbook, [...UNIT_COLUMNS, ...EXTRA_UNIT_COLUMNS.map((c) => ({ zh: c.header, en: c.en, hint: c.hint }))]);
  return finish(workbook);
}

export { addNotes, finish };
