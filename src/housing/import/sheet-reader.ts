import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';

/** A sheet as text: the header cells and each non-blank row with its number as the user sees it. */
export interface SheetText {
  headers: string[];
  rows: { rowNumber: number; cells: string[] }[];
}

export class UnreadableSheetError extends Error {}

/** The data sheet of a workbook made from the template; any other workbook's first sheet. */
export const DATA_SHEET = '房源';

/**
 * Reads an uploaded .xlsx or .csv into text cells. The kind comes from the content (an .xlsx is a
 * zip), the name only breaks ties. A CSV may be UTF-8 (with or without BOM) or GB 18030, what
 * Excel in Chinese saves by default. Row numbers are those Excel shows: the header is row 1.
 */
export async function readSheet(content: Buffer, fileName: string): Promise<SheetText> {
  const isZip = content.length > 4 && content.readUInt32LE(0) === 0x04034b50;
  const isOle = content.length > 8 && content.readUInt32LE(0) === 0xe011cfd0;
  if (isOle || /\.xls$/i.test(fileName)) throw new UnreadableSheetError('old .xls workbooks are not read: save it as .xlsx (Excel 2007 or later) or .csv');
  const workbook = new ExcelJS.Workbook();
  let sheet: ExcelJS.Worksheet | undefined;
  if (isZip) {
    try {
      await workbook.xlsx.load(content as unknown as ArrayBuffer);
    } catch (e) {
      throw new UnreadableSheetError(`not a valid .xlsx workbook (${(e as Error).message})`);
    }
    sheet = workbook.getWorksheet(DATA_SHEET) ?? workbook.worksheets[0];
  } else {
    if (/\.xlsx$/i.test(fileName)) throw new UnreadableSheetError('the file is named .xlsx but is not an .xlsx workbook');
    try {
      sheet = await workbook.csv.read(Readable.from([decodeText(content)]), { map: (v: unknown) => v, parserOptions: { ignoreEmpty: false } } as never);
    } catch (e) {
      throw new UnreadableSheetError(`not a readable CSV file (${(e as Error).message})`);
    }
  }
  if (!sheet || sheet.rowCount === 0) throw new UnreadableSheetError('the sheet is empty: it needs a header row and one unit a row');
  const width = sheet.getRow(1).cellCount;
  const textOf = (row: ExcelJS.Row) => Array.from({ length: Math.max(width, row.cellCount) }, (_, i) => cellText(row.getCell(i + 1).value));
  const headers = textOf(sheet.getRow(1));
  const rows: SheetText['rows'] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = textOf(row);
    if (cells.some((c) => c !== '')) rows.push({ rowNumber, cells });
  });
  return { headers, rows };
}

/** UTF-8 when it decodes as such (BOM dropped), else GB 18030 (a superset of GBK). */
export function decodeText(content: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    return new TextDecoder('gb18030').decode(content);
  }
}

/** The text of a cell whatever Excel stored: rich text, a formula's result, a hyperlink's text, a date as YYYY-MM-DD. */
export function cellText(value: ExcelJS.CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  // ten places drop binary noise (55.300000000000004 from a formula) and keep every real digit
  if (typeof value === 'number') return String(Number(value.toFixed(10)));
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return '';
  if ('text' in value) return cellText(value.text as ExcelJS.CellValue);
  if ('error' in value) return String(value.error);
  return '';
}
