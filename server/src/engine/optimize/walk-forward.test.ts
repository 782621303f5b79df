import { describe, expect, it } from 'vitest';
import { annualised, efficiency, minOutOfSampleDays, overallEfficiency, stitchEquity, walkForwardWindows } from './walk-forward';

describe('walk-forward windows over trading days', () => {
  it('slides a rolling in-sample window by the out-of-sample length, keeping a partial last window of at least half the step', () => {
    // 21 days, IS 8, OOS 5: OOS 8–12, 13–17, 18–20 (3 days ≥ ⌈5/2⌉, kept); IS 0–7, 5–12, 10–17.
    expect(walkForwardWindows(21, 'rolling', 8, 5)).toEqual([
      { index: 0, inSample: { from: 0, to: 7 }, outOfSample: { from: 8, to: 12 } },
      { index: 1, inSample: { from: 5, to: 12 }, outOfSample: { from: 13, to: 17 } },
      { index: 2, inSample: { from: 10, to: 17 }, outOfSample: { from: 18, to: 20 } },
    ]);
  });

  it('anchors the in-sample window at the start and grows it', () => {
    expect(walkForwardWindows(21, 'anchored', 8, 5).map((w) => [w.inSample, w.outOfSample])).toEqual([
      [{ from: 0, to: 7 }, { from: 8, to: 12 }],
      [{ from: 0, to: 12 }, { from: 13, to: 17 }],
      [{ from: 0, to: 17 }, { from: 18, to: 20 }],
    ]);
  });

  it('drops a last out-of-sample window shorter than half the step, and has none when IS fills the range', () => {
    // 20 days: the third OOS would be days 18–19, 2 < ⌈5/2⌉ = 3.
    expect(walkForwardWindows(20, 'rolling', 8, 5)).toHaveLength(2);
    expect(walkForwardWindows(20, 'rolling', 8, 5).at(-1)!.outOfSample).toEqual({ from: 13, to: 17 });
    expect(walkForwardWindows(10, 'rolling', 8, 5)).toEqual([]);
    expect(walkForwardWindows(11, 'rolling', 8, 5)).toHaveLength(1);
    // An OOS of 2 or 3 days keeps a 2-day tail (one return at least).
    expect(walkForwardWindows(12, 'rolling', 8, 3).map((w) => w.outOfSample)).toEqual([{ from: 8, to: 10 }]);
    expect(walkForwardWindows(13, 'rolling', 8, 3).map((w) => w.outOfSample)).toEqual([{ from: 8, to: 10 }, { from: 11, to: 12 }]);
    expect(minOutOfSampleDays(60)).toBe(30);
    expect(minOutOfSampleDays(3)).toBe(2);
  });

  it('tiles the days after the first in-sample window with out-of-sample days, no gap, no overlap', () => {
    const w = walkForwardWindows(1002, 'rolling', 250, 60);
    expect(w).toHaveLength(13); // 752 OOS days: 12 × 60 + 32 (≥ 30, kept)
    for (let k = 1; k < w.length; k++) expect(w[k]!.outOfSample.from).toBe(w[k - 1]!.outOfSample.to + 1);
    expect(w.at(-1)!.outOfSample.to).toBe(1001);
    expect(walkForwardWindows(999, 'rolling', 250, 60)).toHaveLength(12); // a 29-day tail is left out
    for (const x of w) expect(x.inSample.to - x.inSample.from + 1).toBe(250);
  });

  it('refuses lengths that are not positive integers', () => {
    expect(() => walkForwardWindows(100, 'rolling', 0, 5)).toThrow(RangeError);
    expect(() => walkForwardWindows(100, 'rolling', 10, 2.5)).toThrow(RangeError);
  });
});

describe('stitched out-of-sample equity', () => {
  it('chains each window rebased to continue from the previous window’s end', () => {
    // Window 1: 100 → 110 → 121 (×1.21); window 2: 100 → 90 (×0.9); from C = 1000:
    // 1000, 1100, 1210, then 1210 (its base), 1089.
    const s = stitchEquity([[100, 110, 121], [100, 90]], 1000);
    expect(s).toEqual([1000, 1100, 1210, 1210, 1089]);
    // Total return = the product of the windows' total returns: 1.21 × 0.9 − 1 = 0.089.
    expect(s.at(-1)! / s[0]! - 1).toBeCloseTo(0.089, 12);
  });

  it('takes each window’s first day-end equity as its base, not the initial capital', () => {
    // A window whose first day already lost (fill at the close with fees): 99.5 is the base.
    expect(stitchEquity([[99.5, 109.45]], 200)).toEqual([200, 220]);
  });
});

describe('walk-forward efficiency (Pardo)', () => {
  it('divides the annualised OOS return by the annualised IS return', () => {
    expect(efficiency(0.1, 0.2)).toBe(0.5);
    expect(efficiency(-0.05, 0.25)).toBe(-0.2);
    expect(efficiency(0.1, 0)).toBeNull();
    expect(efficiency(-0.1, -0.2)).toBeNull();
    expect(efficiency(null, 0.2)).toBeNull();
  });

  it('annualises the stitched curve over its trading days and averages the winners’ IS returns', () => {
    // 253 values = 252 returns: a year; total 1.21 → 21 %.
    const curve = Array.from({ length: 253 }, (_, i) => 100 * 1.21 ** (i / 252));
    expect(annualised(curve)).toBeCloseTo(0.21, 12);
    const o = overallEfficiency(curve, [0.3, null, 0.5]);
    expect(o.isAnnualReturn).toBeCloseTo(0.4, 15);
    expect(o.oosAnnualReturn).toBeCloseTo(0.21, 12);
    expect(o.wfe).toBeCloseTo(0.525, 12);
    // 126 returns of ×1.1 in total: (1.1)^(252/126) − 1 = 0.21.
    expect(annualised([100, 110].concat(Array(125).fill(110)))).toBeCloseTo(0.21, 12);
    expect(overallEfficiency([100], [0.2]).wfe).toBeNull();
    expect(overallEfficiency(curve, [-0.1]).wfe).toBeNull();
  });
});
