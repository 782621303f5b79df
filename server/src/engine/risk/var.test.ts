import { describe, expect, it } from 'vitest';
import { historicalCvar, historicalVar, lossFen, parametricCvar, parametricVar } from './var';

// Φ⁻¹(0.05), Φ⁻¹(0.01) and φ at them, from mpmath (see stats/normal.test.ts)
const Z05 = -1.6448536269514722;
const Z01 = -2.3263478740408408;
const PHI_Z05 = 0.10313564037537132;

/**
 * The reference percentile, written as Hyndman & Fan's type 7 in 1-based ranks (numpy's "linear"):
 * rank h = 1 + (n − 1)·p, Q = x₍⌊h⌋₎ + (h − ⌊h⌋)·(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), sorted by a plain comparison.
 */
function type7(values: number[], p: number): number {
  const x = [...values].sort((a, b) => a - b);
  const h = 1 + (x.length - 1) * p;
  const j = Math.floor(h);
  return j >= x.length ? x[x.length - 1]! : x[j - 1]! + (h - j) * (x[j]! - x[j - 1]!);
}

/** The textbook CVaR: the mean of the returns at or below the VaR (no ties in the data below). */
const meanAtOrBelow = (values: number[], cut: number): number => {
  const tail = values.filter((v) => v <= cut);
  return tail.reduce((s, v) => s + v, 0) / tail.length;
};

// 41 distinct daily returns, so that k = ⌊40·0.05⌋ = 2 and the 5 % VaR falls between order statistics:
// i·7 mod 41 is a permutation of 0…40, so r = (i·7 mod 41 − 20)/1000 − a small distinct offset.
const R41 = Array.from({ length: 41 }, (_, i) => (((i * 7) % 41) - 20) / 1000 - i * 1e-6);

describe('historical VaR and CVaR (empyrical)', () => {
  it('VaR is the linear-interpolation percentile, worked by hand', () => {
    // sorted −0.05 −0.03 −0.02 −0.01 0 0.005 0.01 0.015 0.02 0.025 0.03 (n = 11)
    const r = [0.02, -0.01, 0.03, -0.05, 0, 0.01, -0.02, 0.015, -0.03, 0.005, 0.025];
    // 5 %: h = 10·0.05 = 0.5 → −0.05 + 0.5·(−0.03 + 0.05) = −0.04
    expect(historicalVar(r, 0.05)).toBeCloseTo(-0.04, 15);
    // 1 %: h = 0.1 → −0.05 + 0.1·0.02 = −0.048
    expect(historicalVar(r, 0.01)).toBeCloseTo(-0.048, 15);
    // k = ⌊10·0.05⌋ = 0: the worst return alone
    expect(historicalCvar(r, 0.05)).toBe(-0.05);
    expect(historicalCvar(r, 0.01)).toBe(-0.05);
  });

  it('agrees with a type-7 percentile and the mean of the returns ≤ VaR', () => {
    for (const cutoff of [0.01, 0.05, 0.1, 0.25]) {
      const v = historicalVar(R41, cutoff)!;
      expect(v).toBeCloseTo(type7(R41, cutoff), 15);
      expect(historicalCvar(R41, cutoff)).toBeCloseTo(meanAtOrBelow(R41, v), 15);
    }
    // 5 %: h = 2 exactly → the third smallest; CVaR the mean of the three smallest
    const sorted = [...R41].sort((a, b) => a - b);
    expect(historicalVar(R41, 0.05)).toBe(sorted[2]);
    expect(historicalCvar(R41, 0.05)).toBeCloseTo((sorted[0]! + sorted[1]! + sorted[2]!) / 3, 15);
  });

  it('CVaR keeps empyrical’s k + 1 smallest when returns tie at the cut', () => {
    // 21 returns, k = ⌊20·0.05⌋ = 1, VaR = v₁ = −0.01; v₂ ties it. empyrical (np.partition) averages
    // v₀, v₁ only: −0.03; "every return ≤ VaR" would also take v₂: −0.07/3.
    const r = [-0.05, -0.01, -0.01, ...Array.from({ length: 18 }, (_, i) => 0.001 * (i + 1))];
    expect(historicalVar(r, 0.05)).toBe(-0.01);
    expect(historicalCvar(r, 0.05)).toBeCloseTo(-0.03, 15);
  });
});

describe('parametric (normal) VaR and CVaR', () => {
  // r = 0.02 −0.01 0.03 −0.02: μ = 0.005; deviations ±0.015, ±0.025; two-pass sample variance
  // (2·0.000225 + 2·0.000625)/3 = 0.0017/3
  const r = [0.02, -0.01, 0.03, -0.02];
  const mu = 0.005;
  const sigma = Math.sqrt(0.0017 / 3);

  it('VaR = μ + σ·z and CVaR = μ − σ·φ(z)/α', () => {
    expect(parametricVar(r, 0.05)).toBeCloseTo(mu + sigma * Z05, 14);
    expect(parametricVar(r, 0.01)).toBeCloseTo(mu + sigma * Z01, 14);
    expect(parametricCvar(r, 0.05)).toBeCloseTo(mu - (sigma * PHI_Z05) / 0.05, 14);
  });

  it('CVaR is the mean of the normal tail, integrated numerically (Simpson)', () => {
    // E[R | R ≤ μ + σz] = μ + σ·(1/α)∫_{−∞}^{z} x φ(x) dx; the integral over [z − 12, z] by Simpson's rule
    for (const [alpha, z] of [[0.05, Z05], [0.01, Z01]] as const) {
      const f = (x: number) => (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);
      const steps = 20_000;
      const a = z - 12;
      const h = (z - a) / steps;
      let s = f(a) + f(z);
      for (let i = 1; i < steps; i++) s += (i % 2 ? 4 : 2) * f(a + i * h);
      const tailMean = ((s * h) / 3) / alpha;
      expect(parametricCvar(r, alpha)).toBeCloseTo(mu + sigma * tailMean, 12);
    }
  });
});

describe('edge cases', () => {
  it('is null below 2 returns, never NaN', () => {
    for (const f of [historicalVar, historicalCvar, parametricVar, parametricCvar]) {
      expect(f([], 0.05)).toBeNull();
      expect(f([0.01], 0.05)).toBeNull();
    }
  });

  it('a constant series is its own VaR and CVaR', () => {
    const c = [0.003, 0.003, 0.003, 0.003, 0.003];
    expect(historicalVar(c, 0.01)).toBe(0.003);
    expect(historicalCvar(c, 0.01)).toBe(0.003);
    // σ is 0 up to rounding, so the normal estimates are μ up to rounding
    expect(parametricVar(c, 0.01)).toBeCloseTo(0.003, 15);
    expect(parametricCvar(c, 0.01)).toBeCloseTo(0.003, 15);
  });

  it('rejects a cutoff outside (0, 1)', () => {
    for (const bad of [0, 1, -0.05, 95, Number.NaN]) expect(() => historicalVar([0.01, 0.02], bad)).toThrow(RangeError);
  });
});

describe('money loss in fen', () => {
  it('is −return × value, rounded to the fen, positive for a loss', () => {
    // −(−0.0123) × 2,510,000 fen = 30,873 fen (308.73 yuan)
    expect(lossFen(-0.0123, 2_510_000)).toBe(30_873);
    expect(lossFen(-0.00001, 25_000)).toBe(0); // 0.25 fen → 0
    expect(lossFen(-0.00003, 25_000)).toBe(1); // 0.75 fen → 1
    expect(Object.is(lossFen(0.00001, 25_000), 0)).toBe(true); // a tiny gain rounds to +0, not −0
    expect(lossFen(0.01, 100_000)).toBe(-1_000); // the tail is a gain
    expect(lossFen(null, 100_000)).toBeNull();
  });
});
