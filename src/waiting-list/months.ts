/**
 * Calendar months on `YYYY-MM-DD` dates: the same day N months later, or the month's last day
 * when it has no such day (2026-08-31 + 6 months = 2027-02-28), as PostgreSQL's date + interval.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
