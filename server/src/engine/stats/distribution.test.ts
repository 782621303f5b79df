import { describe, expect, it } from 'vitest';
import { erfc, mean, moments, normalCdf, percentile, sampleStd } from './distribution';

/** |actual − expected| ≤ rel·|expected| (exact match for 0). */
function expectRel(actual: number | null, expected: number, rel = 1e-12): void {
  expect(actual).not.toBeNull();
  const err = Math.abs(actual! - expected);
  expect(err, `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe('normal CDF (Cody erfc)', () => {
  // Φ(x) from mpmath at 40 digits, as the nearest double:
  //   import mpmath as mp; mp.mp.dps = 40; print(repr(float(mp.ncdf(x))))
  const phi: [number, number][] = [
    [-37, 5.725571222524577e-300],
    [-30, 4.906713927148187e-198],
    [-20, 2.7536241186062337e-89],
    [-10, 7.619853024160525e-24],
    [-8.5, 9.479534822203318e-18],
    [-6, 9.86587645037698e-10],
    [-5, 2.866515718791939e-07],
    [-3.5, 0.00023262907903552504],
    [-2, 0.02275013194817921],
    [-1.96, 0.024997895148220435],
    [-1, 0.15865525393145705],
    [-0.5, 0.3085375387259869],
    [-0.3, 0.3820885778110474],
    [0, 0.5],
    [0.1, 0.539827837277029],
    [0.3, 0.6179114221889527],
    [0.5, 0.6914624612740131],
    [0.7, 0.758036347776927],
    [1, 0.8413447460685429],
    [1.5, 0.9331927987311419],
    [2, 0.9772498680518208],
    [3, 0.9986501019683699],
    [4, 0.9999683287581669],
    [5, 0.9999997133484281],
    [6, 0.9999999990134123],
    [8, 0.9999999999999993],
  ];
  it.each(phi)('Φ(%d) to 1e-12 relative', (x, expected) => {
    // In the far lower tail the one rounding of x/√2 is amplified by about x² in relative terms
    // (x = −37: 1369 × 1.1e-16 ≈ 1.5e-13 at worst), still inside 1e-12.
    expectRel(normalCdf(x), expected, 1e-12);
  });

  // erfc(x) from mpmath: print(repr(float(mp.erfc(x)))); each of Cody's three intervals and both edges.
  const erfcValues: [number, number][] = [
    [-3, 1.9999779095030015],
    [-0.4, 1.4283923550466684],
    [0.2, 0.7772974107895215],
    [0.46875, 0.507386526782062],
    [0.5, 0.4795001221869535],
    [1, 0.15729920705028513],
    [2, 0.004677734981047266],
    [3.9, 3.4792248597231765e-08],
    [4, 1.541725790028002e-08],
    [4.1, 6.700027654084918e-09],
    [5, 1.537459794428035e-12],
    [10, 2.088487583762545e-45],
    [26, 5.663192408856143e-296],
  ];
  it.each(erfcValues)('erfc(%d) to 1e-14 relative', (x, expected) => {
    expectRel(erfc(x), expected, 1e-14);
  });

  it('handles the limits and NaN', () => {
    expect(erfc(0)).toBe(1);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(Number.isNaN(erfc(Number.NaN))).toBe(true);
    // symmetry Φ(x) + Φ(−x) = 1
    for (const x of [0.2, 0.9, 1.7, 2.5, 3.3]) expect(normalCdf(x) + normalCdf(-x)).toBeCloseTo(1, 15);
  });
});

describe('percentile (numpy linear interpolation)', () => {
  it('interpolates between order statistics', () => {
    // sorted [1, 2, 3, 4, 10]: h = 4·0.05 = 0.2 → 1 + 0.2·(2 − 1) = 1.2
    expect(percentile([10, 3, 1, 4, 2], 5)).toBeCloseTo(1.2, 15);
    // h = 4·0.5 = 2 → the median 3; h = 4 → the maximum
    expect(percentile([10, 3, 1, 4, 2], 50)).toBe(3);
    expect(percentile([10, 3, 1, 4, 2], 100)).toBe(10);
    expect(percentile([10, 3, 1, 4, 2], 0)).toBe(1);
    // two values: h = 0.05 → −0.02 + 0.05·(0.01 + 0.02) = −0.0185
    expect(percentile([0.01, -0.02], 5)).toBeCloseTo(-0.0185, 15);
    expect(percentile([7], 5)).toBe(7);
    expect(percentile([], 5)).toBeNull();
  });
});

describe('moments', () => {
  it('mean, sample std, population skewness and kurtosis', () => {
    // [1, 2, 3, 4, 10]: mean 4; deviations −3 −2 −1 0 6; Σd² = 50 → sample std √(50/4)
    const x = [1, 2, 3, 4, 10];
    expect(mean(x)).toBe(4);
    expect(sampleStd(x)).toBeCloseTo(Math.sqrt(12.5), 14);
    // m2 = 50/5 = 10, m3 = (−27 − 8 − 1 + 0 + 216)/5 = 36, m4 = (81 + 16 + 1 + 0 + 1296)/5 = 278.8
    const m = moments(x)!;
    expect(m.skewness).toBeCloseTo(36 / 10 ** 1.5, 14);
    expect(m.kurtosis).toBeCloseTo(278.8 / 100, 14);
    expect(mean([])).toBeNull();
    expect(sampleStd([1])).toBeNull();
    expect(moments([1])).toBeNull();
    expect(moments([2, 2, 2])).toBeNull();
  });
});
