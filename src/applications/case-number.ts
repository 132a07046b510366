/**
 * Case numbers (申请编号, the process business key): `SQ-<region>-<year>-<sequence>`, e.g.
 * SQ-510107-2026-000123. The region is the county-level code of the region that handles the case
 * (the target region of a remote application), the year is the submission's in Asia/Shanghai, and
 * the sequence counts that region's applications of that year from 1, at least six digits.
 */
export const CASE_NUMBER = /^SQ-\d{6}-\d{4}-\d{6,}$/;

/** The 6-digit county-level part of a region code (510104017 → 510104; 510100-GX → 510100). */
export function caseRegion(regionCode: string): string {
  const digits = /^\d{6}/.exec(regionCode)?.[0];
  if (!digits) throw new Error(`caseRegion: ${JSON.stringify(regionCode)} does not start with a 6-digit region code`);
  return digits;
}

export function formatCaseNumber(region: string, year: number, sequence: number): string {
  if (!/^\d{6}$/.test(region) || !Number.isInteger(year) || year < 1000 || year > 9999 || !Number.isInteger(sequence) || sequence < 1) {
    throw new Error(`formatCaseNumber: bad parts ${region}, ${year}, ${sequence}`);
  }
  return `SQ-${region}-${year}-${String(sequence).padStart(6, '0')}`;
}
