import { describe, expect, it } from 'vitest';
import { monthlyReturns } from './monthly';
import { simpleReturns } from './returns';

describe('monthly returns', () => {
  it('compounds daily returns by month and year; a return belongs to its later date', () => {
    const dates = ['2023-11-30', '2023-12-01', '2023-12-29', '2024-01-02', '2024-01-31', '2024-03-01'];
    const equity = [100, 110, 99, 99, 108.9, 98.01];
    const rows = monthlyReturns(dates, simpleReturns(equity));
    expect(rows.map((r) => r.year)).toEqual([2023, 2024]);
    // 2023-12: 110/100 · 99/110 = 0.99 → −1 % (November has no return: its only close is the base)
    const y23 = rows[0]!;
    expect(y23.months[10]).toBeNull();
    expect(y23.months[11]).toBeCloseTo(-0.01, 14);
    expect(y23.total).toBeCloseTo(-0.01, 14);
    // 2024-01: 99/99 · 108.9/99 = 1.1 → +10 %; February none; March 98.01/108.9 − 1 = −10 %
    const y24 = rows[1]!;
    expect(y24.months[0]).toBeCloseTo(0.1, 14);
    expect(y24.months[1]).toBeNull();
    expect(y24.months[2]).toBeCloseTo(-0.1, 14);
    // year: 98.01/99 − 1 = −0.01
    expect(y24.total).toBeCloseTo(-0.01, 14);
    expect(y24.months).toHaveLength(12);
  });

  it('keeps the same month of consecutive years apart', () => {
    // 2023-01-31 → 2024-01-02: the one return (+10 %) belongs to January 2024; then +10 % more in January
    const rows = monthlyReturns(['2023-01-31', '2024-01-02', '2024-01-03'], simpleReturns([100, 110, 121]));
    expect(rows.map((r) => r.year)).toEqual([2024]);
    expect(rows[0]!.months[0]).toBeCloseTo(0.21, 14);
    expect(rows[0]!.total).toBeCloseTo(0.21, 14);
    // and a year without a return for its own January: 2023-01 base, 2023-02 and 2024-01 returns
    const two = monthlyReturns(['2023-01-31', '2023-02-01', '2024-01-02'], simpleReturns([100, 90, 99]));
    expect(two.map((r) => [r.year, r.months[0], r.months[1]])).toEqual([[2023, null, expect.closeTo(-0.1, 14)], [2024, expect.closeTo(0.1, 14), null]]);
  });

  it('is empty without returns', () => {
    expect(monthlyReturns(['2024-01-02'], new Float64Array(0))).toEqual([]);
  });
});
