import { DomainError } from '../../common';
import { HousingErrorCode } from '../housing.errors';
import { ColumnDef, ColumnKey, UNIT_COLUMNS, columnOfHeader } from './unit-columns';
import { CellProblem } from './unit-row';

/** One line of the error report: where (row as Excel numbers it, column as headed in the file) and what. */
export interface ImportProblem {
  row: number;
  column: string;
  field: ColumnKey | null;
  value: string;
  /** zh-CN */
  problem: string;
  problemEn: string;
}

/** Problems listed in the 422; the count is always exact. */
export const MAX_LISTED_PROBLEMS = 1000;

/** Which file column holds which field, by header; missing and duplicated columns are problems at row 1. */
export function mapHeaders(headers: string[]): { index: Map<ColumnKey, number>; headerText: Map<ColumnKey, string>; problems: ImportProblem[]; ignored: string[] } {
  const index = new Map<ColumnKey, number>();
  const headerText = new Map<ColumnKey, string>();
  const problems: ImportProblem[] = [];
  const ignored: string[] = [];
  headers.forEach((text, i) => {
    if (!text) return;
    const def = columnOfHeader(text);
    if (!def) return void ignored.push(text);
    if (index.has(def.key)) {
      problems.push({ row: 1, column: text, field: def.key, value: text, problem: `列“${def.zh}”出现了两次`, problemEn: `the column ${def.en} appears twice` });
      return;
    }
    index.set(def.key, i);
    headerText.set(def.key, text);
  });
  for (const c of UNIT_COLUMNS) {
    if (c.required && !index.has(c.key)) problems.push({ row: 1, column: c.zh, field: c.key, value: '', problem: `缺少必填列“${c.zh}”`, problemEn: `the required column ${c.en} is missing` });
  }
  return { index, headerText, problems, ignored };
}

export function problemAt(row: number, def: ColumnDef, headerText: Map<ColumnKey, string>, p: Omit<CellProblem, 'field'>): ImportProblem {
  return { row, column: headerText.get(def.key) ?? def.zh, field: def.key, value: p.value, problem: p.zh, problemEn: p.en };
}

/** 422 IMPORT_REJECTED: the whole report, nothing imported. */
export function importRejected(problems: ImportProblem[], rowsRead: number): DomainError {
  const order = (k: ColumnKey | null) => (k ? UNIT_COLUMNS.findIndex((c) => c.key === k) : -1);
  const sorted = [...problems].sort((a, b) => a.row - b.row || order(a.field) - order(b.field));
  const rowsWithErrors = new Set(sorted.filter((p) => p.row > 1).map((p) => p.row)).size;
  const what = rowsWithErrors ? `${rowsWithErrors} of ${rowsRead} rows have problems` : 'the header row has problems';
  return new DomainError('UNPROCESSABLE', HousingErrorCode.ImportRejected, `${what}; nothing was imported`, {
    rowsRead,
    rowsWithErrors,
    errorCount: sorted.length,
    truncated: sorted.length > MAX_LISTED_PROBLEMS,
    errors: sorted.slice(0, MAX_LISTED_PROBLEMS),
  });
}
