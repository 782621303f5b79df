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

  it('is empty without returns', () => {
    expect(monthlyReturns(['2024-01-02'], new Float64Array(0))).toEqual([]);
  });
});
