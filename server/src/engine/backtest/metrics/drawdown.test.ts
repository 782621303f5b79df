import { describe, expect, it } from 'vitest';
import { drawdownSeries, longestDrawdownDays, maxDrawdown } from './drawdown';

const D = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09', '2024-01-10'];

describe('drawdown series', () => {
  it('is equity over the running peak minus one', () => {
    // peaks 100 110 110 110 120 120 120 → 0, 0, 99/110 − 1 = −0.1, 0, 0, −0.25, −0.05
    const s = drawdownSeries([100, 110, 99, 110, 120, 90, 114]);
    const expected = [0, 0, -0.1, 0, 0, -0.25, -0.05];
    expected.forEach((v, i) => expect(s[i]).toBeCloseTo(v, 15));
  });
});

describe('max drawdown', () => {
  it('finds peak, trough, recovery and duration', () => {
    // 100 120 90 100 130: peak 120 (01-03) → trough 90 (01-04): 90/120 − 1 = −0.25;
    // back to ≥ 120 on 01-08 (index 4): duration 4 − 1 = 3 trading days
    const dd = maxDrawdown(D.slice(0, 5), [100, 120, 90, 100, 130])!;
    expect(dd.value).toBeCloseTo(-0.25, 15);
    expect(dd).toMatchObject({ peakDate: '2024-01-03', troughDate: '2024-01-04', recoveryDate: '2024-01-08', durationDays: 3 });
  });

  it('is null-recovered and runs to the end when never recovered', () => {
    // 100 90 95 80 85 99 98: peak 100 (01-02), trough 80 (01-05): −0.2; never ≥ 100 again:
    // duration = last index 6 − 0 = 6
    const dd = maxDrawdown(D, [100, 90, 95, 80, 85, 99, 98])!;
    expect(dd.value).toBeCloseTo(-0.2, 15);
    expect(dd).toMatchObject({ peakDate: '2024-01-02', troughDate: '2024-01-05', recoveryDate: null, durationDays: 6 });
  });

  it('takes the latest date of a repeated peak and the deeper of two drawdowns', () => {
    // 100 100 95 100 80 100 101: first dip −5 %, then from the re-touched 100 (01-05) to 80 (01-08): −20 %,
    // recovered at 01-09 (index 5 equals the peak): duration 5 − 3 = 2
    const dd = maxDrawdown(D, [100, 100, 95, 100, 80, 100, 101])!;
    expect(dd.value).toBeCloseTo(-0.2, 15);
    expect(dd).toMatchObject({ peakDate: '2024-01-05', troughDate: '2024-01-08', recoveryDate: '2024-01-09', durationDays: 2 });
  });

  it('is 0 for a curve that never falls, null for no dates', () => {
    expect(maxDrawdown(D.slice(0, 3), [1, 1, 2])).toEqual({
      value: 0, peakDate: D[0], troughDate: D[0], recoveryDate: D[0], durationDays: 0,
    });
    expect(maxDrawdown(D.slice(0, 1), [5])!.value).toBe(0);
    expect(maxDrawdown([], [])).toBeNull();
  });
});

describe('longest drawdown', () => {
  it('counts trading days from a peak to its recovery or to the end', () => {
    // 100 90 100 | 100 95 94 93: first under water 0 → 2 (2 days); then from index 3 to the end (3 days)
    expect(longestDrawdownDays([100, 90, 100, 100, 95, 94, 93])).toBe(3);
    // 100 90 80 85 100 101: 0 → 4 = 4 days
    expect(longestDrawdownDays([100, 90, 80, 85, 100, 101])).toBe(4);
    expect(longestDrawdownDays([1, 2, 3])).toBe(0);
    expect(longestDrawdownDays([1])).toBe(0);
    expect(longestDrawdownDays([])).toBeNull();
  });
});
