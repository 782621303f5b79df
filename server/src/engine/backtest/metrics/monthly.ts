/**
 * Monthly returns table: each daily return belongs to the month of its date (the later of the two
 * closes it compares); a month compounds its returns, a year compounds all of its returns. O(n).
 */
import type { MonthlyRow } from './types';

/** returns[i] is the return on dates[i + 1]. Rows by year, ascending; months without a return are null. */
export function monthlyReturns(dates: readonly string[], returns: Float64Array): MonthlyRow[] {
  const rows: MonthlyRow[] = [];
  let row: MonthlyRow | null = null;
  let month = -1;
  let yearGrowth = 1;
  let monthGrowth = 1;
  for (let i = 0; i < returns.length; i++) {
    const d = dates[i + 1]!;
    const y = Number(d.slice(0, 4));
    const m = Number(d.slice(5, 7)) - 1;
    if (row === null || row.year !== y || month !== m) {
      if (row !== null) row.months[month] = monthGrowth - 1;
      monthGrowth = 1;
      month = m;
    }
    if (row === null || row.year !== y) {
      if (row !== null) row.total = yearGrowth - 1;
      row = { year: y, months: new Array<number | null>(12).fill(null), total: 0 };
      rows.push(row);
      yearGrowth = 1;
    }
    const g = 1 + returns[i]!;
    monthGrowth *= g;
    yearGrowth *= g;
  }
  if (row !== null) {
    row.months[month] = monthGrowth - 1;
    row.total = yearGrowth - 1;
  }
  return rows;
}
