import { describe, expect, it } from 'vitest';
import { alignBenchmark, annualReturn, checkDates, checkPositive, dailyRate, rebase, simpleReturns, totalReturn } from './returns';

describe('returns', () => {
  it('simple returns and total return', () => {
    // 100 → 110 → 99: +10 %, −10 %; total 99/100 − 1 = −1 %
    const r = simpleReturns([100, 110, 99]);
    expect(r).toHaveLength(2);
    expect(r[0]).toBeCloseTo(0.1, 15);
    expect(r[1]).toBeCloseTo(-0.1, 15);
    expect(totalReturn([100, 110, 99])).toBeCloseTo(-0.01, 15);
    expect(totalReturn([100])).toBeNull();
    expect(simpleReturns([100])).toHaveLength(0);
  });

  it('CAGR over trading days / 252', () => {
    // doubling over 504 periods (two years) → √2 − 1
    expect(annualReturn(1, 504)).toBeCloseTo(Math.SQRT2 - 1, 14);
    // +1 % over 126 periods (half a year) → 1.01² − 1 = 0.0201
    expect(annualReturn(0.01, 126)).toBeCloseTo(0.0201, 14);
    expect(annualReturn(0.01, 0)).toBeNull();
    expect(annualReturn(null, 10)).toBeNull();
    // overflow is null, not Infinity: ×1000 in one day
    expect(annualReturn(999, 1)).toBeNull();
  });

  it('daily risk-free rate compounds to the annual rate over 252 days', () => {
    expect(dailyRate(0)).toBe(0);
    expect((1 + dailyRate(0.03)) ** 252).toBeCloseTo(1.03, 12);
  });

  it('forward-fills the benchmark onto strategy dates', () => {
    const dates = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08'];
    // benchmark misses 01-03 and 01-05, has an extra 01-06 and starts after the first strategy date
    const aligned = alignBenchmark(dates, ['2024-01-03', '2024-01-04', '2024-01-06', '2024-01-09'], [10, 11, 12, 13])!;
    // 01-02: before the first close → the first close 10 (flat); 01-03 10; 01-04 11; 01-05 ← 01-04 11;
    // 01-08 ← 01-06 12 (01-09 is later, not used)
    expect(Array.from(aligned)).toEqual([10, 10, 11, 11, 12]);
    expect(alignBenchmark(dates, [], [])).toBeNull();
    expect(Array.from(rebase(Float64Array.from([10, 12, 9]), 1000))).toEqual([1000, 1200, 900]);
  });

  it('rejects malformed dates and values', () => {
    expect(() => checkDates('d', ['2024-01-02', '2024-01-02'])).toThrow(RangeError);
    expect(() => checkDates('d', ['2024-01-03', '2024-01-02'])).toThrow(/strictly increasing/);
    expect(() => checkDates('d', ['2024-1-2'])).toThrow(/YYYY-MM-DD/);
    expect(() => checkDates('d', ['2024-13-01'])).toThrow(RangeError);
    expect(() => checkPositive('e', [1, 0])).toThrow(/e\[1\]/);
    expect(() => checkPositive('e', [1, Number.NaN])).toThrow(RangeError);
    expect(() => checkPositive('e', [1, Infinity])).toThrow(RangeError);
    expect(() => checkDates('d', ['2024-01-02', '2024-01-03'])).not.toThrow();
  });
});
