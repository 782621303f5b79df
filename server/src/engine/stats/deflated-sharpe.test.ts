import { describe, expect, it } from 'vitest';
import { probabilisticSharpe, sharpeSample } from '../backtest/metrics/ratios';
import { deflatedSharpe, EULER_GAMMA, expectedMaxSharpe, expectedMaxStandardNormal, sharpeVariance } from './deflated-sharpe';
import { normalCdf } from './distribution';
import { normalPdf } from './normal';
import { mulberry32, randomNormal } from './random';

/** E[max of N standard normals] = ∫ x·N·φ(x)·Φ(x)^(N−1) dx, by the midpoint rule on [−12, 12]. */
function exactExpectedMax(n: number): number {
  const h = 1e-3;
  let s = 0;
  for (let x = -12 + h / 2; x < 12; x += h) s += x * n * normalPdf(x) * normalCdf(x) ** (n - 1);
  return s * h;
}

/** The PSR written out from its summary statistics (docs/METRICS.md), independent of ratios.ts. */
function psrFormula(sr: number, benchmark: number, t: number, skew: number, kurt: number): number {
  return normalCdf(((sr - benchmark) * Math.sqrt(t - 1)) / Math.sqrt(1 - skew * sr + ((kurt - 1) / 4) * sr * sr));
}

describe('expected maximum of N standard normals', () => {
  it('is the paper’s formula with γ = 0.5772…', () => {
    expect(EULER_GAMMA).toBeCloseTo(0.5772156649015329, 15);
    expect(expectedMaxStandardNormal(1)).toBe(0);
    // (1 − γ)·Φ⁻¹(0.99) + γ·Φ⁻¹(1 − 1/(100e)); Φ⁻¹(0.99) = 2.3263478740408408 (scipy).
    expect(expectedMaxStandardNormal(100)).toBeCloseTo(2.5306028932, 9);
  });

  it('is within 2.6 % of the exact expectation (numerical integration) for N ≥ 5, closer as N grows', () => {
    // Exact values: N = 10 → 1.53875, 100 → 2.50759, 1000 → 3.24144.
    const rel = (n: number) => expectedMaxStandardNormal(n) / exactExpectedMax(n) - 1;
    expect(exactExpectedMax(2)).toBeCloseTo(1 / Math.sqrt(Math.PI), 6); // E[max of 2] = 1/√π
    expect(Math.abs(rel(5))).toBeLessThan(0.026);
    expect(Math.abs(rel(10))).toBeLessThan(0.024);
    expect(Math.abs(rel(100))).toBeLessThan(0.01);
    expect(Math.abs(rel(1000))).toBeLessThan(0.005);
  });

  it('agrees with a seeded Monte Carlo of the max of N standard normals', () => {
    const random = mulberry32(20140501);
    for (const [n, sims] of [[10, 40_000], [100, 20_000], [1000, 4_000]] as const) {
      let sum = 0;
      let sumSq = 0;
      for (let s = 0; s < sims; s++) {
        let max = -Infinity;
        for (let i = 0; i < n; i++) max = Math.max(max, randomNormal(random));
        sum += max;
        sumSq += max * max;
      }
      const mc = sum / sims;
      const se = Math.sqrt((sumSq / sims - mc * mc) / sims);
      // The simulation matches the exact expectation within 4 standard errors …
      expect(Math.abs(mc - exactExpectedMax(n))).toBeLessThan(4 * se);
      // … and the paper's approximation within its own bias (2.4 % at N = 10) plus 4 standard errors.
      expect(Math.abs(expectedMaxStandardNormal(n) - mc)).toBeLessThan(0.024 * mc + 4 * se);
    }
  });

  it('refuses a trial count that is not an integer ≥ 1 and a negative variance', () => {
    expect(() => expectedMaxStandardNormal(0)).toThrow(/trials must be an integer ≥ 1/);
    expect(() => expectedMaxStandardNormal(2.5)).toThrow(RangeError);
    expect(() => expectedMaxSharpe(10, -1)).toThrow(/sharpeVariance must be finite and ≥ 0/);
    expect(() => expectedMaxSharpe(10, Number.NaN)).toThrow(RangeError);
  });
});

describe('the paper’s numerical example (Bailey & López de Prado 2014, “A numerical example”)', () => {
  // The inputs as the paper states them: N = 100 independent trials whose annualised Sharpe ratios
  // have variance V = 1/2; the selected strategy has an annualised SR of 2.5 over T = 1,250 daily
  // observations (five years), skewness −3 and (non-excess) kurtosis 10. The paper de-annualises
  // with 250 days a year: SR = 2.5/√250 = 0.1581 and V = 0.5/250 per day. It reports the expected
  // maximum SR₀ ≈ 0.1132 per day (≈ 1.79 annualised) and DSR ≈ 0.9004 — not significant at 95 %.
  const days = 250;
  it('gives SR₀ = 0.1132 daily (1.7894 annualised)', () => {
    const sr0 = expectedMaxSharpe(100, 0.5 / days);
    expect(sr0).toBeCloseTo(0.113172, 6);
    expect(sr0 * Math.sqrt(days)).toBeCloseTo(1.789406, 6);
    expect(expectedMaxSharpe(100, 0.5)).toBeCloseTo(1.789406, 6); // annualised in, annualised out
  });

  it('gives DSR = 0.9004 with the PSR formula at the paper’s moments', () => {
    const sr0 = expectedMaxSharpe(100, 0.5 / days);
    const dsr = psrFormula(2.5 / Math.sqrt(days), sr0, 1250, -3, 10);
    expect(dsr).toBeCloseTo(0.9004, 4);
    // Without the deflation (benchmark 0) the same track record looks certain.
    expect(psrFormula(2.5 / Math.sqrt(days), 0, 1250, -3, 10)).toBeGreaterThan(0.9999);
  });
});

describe('deflatedSharpe of a return series', () => {
  // Seeded daily returns with a small edge and a fat left tail (a crash every ~50 days).
  const random = mulberry32(7);
  const r = new Float64Array(750);
  for (let i = 0; i < r.length; i++) r[i] = 0.0008 + 0.01 * randomNormal(random) - (random() < 0.02 ? 0.03 : 0);

  /** The series' own statistics, computed here from scratch. */
  function stats(x: Float64Array, rf: number) {
    const n = x.length;
    let m = 0;
    for (const v of x) m += v - rf;
    m /= n;
    let s2 = 0;
    let m2 = 0;
    let m3 = 0;
    let m4 = 0;
    for (const v of x) {
      const d = v - rf - m;
      s2 += d * d;
      m2 += d * d;
      m3 += d * d * d;
      m4 += d * d * d * d;
    }
    m2 /= n;
    m3 /= n;
    m4 /= n;
    return { sr: m / Math.sqrt(s2 / (n - 1)), skew: m3 / m2 ** 1.5, kurt: m4 / (m2 * m2), n };
  }

  it('is the PSR with the benchmark SR₀, in daily units, and the series’ own skewness and kurtosis', () => {
    const rf = 0.0001;
    const v = 0.0004; // the trials' daily Sharpe ratios vary with standard deviation 0.02
    const { sr0, dsr } = deflatedSharpe(sharpeSample(r, rf), 50, v);
    expect(sr0).toBeCloseTo(0.02 * expectedMaxStandardNormal(50), 14);
    const s = stats(r, rf);
    expect(s.skew).toBeLessThan(-0.3);
    expect(dsr).toBeCloseTo(psrFormula(s.sr, sr0, s.n, s.skew, s.kurt), 10);
    expect(dsr).toBeCloseTo(probabilisticSharpe(r, rf, sr0 * Math.sqrt(252))!, 12);
  });

  it('is the plain PSR (benchmark 0) for one trial or no dispersion, and falls as the trials grow', () => {
    const psr0 = probabilisticSharpe(r, 0)!;
    expect(deflatedSharpe(sharpeSample(r, 0), 1, 0.0004).dsr).toBe(psr0);
    expect(deflatedSharpe(sharpeSample(r, 0), 1000, 0).dsr).toBe(psr0);
    const dsrs = [2, 10, 100, 1000, 10000].map((n) => deflatedSharpe(sharpeSample(r, 0), n, 0.0004).dsr!);
    for (let i = 1; i < dsrs.length; i++) expect(dsrs[i]!).toBeLessThan(dsrs[i - 1]!);
    expect(dsrs[0]!).toBeLessThan(psr0);
  });

  it('is null where the PSR is', () => {
    expect(deflatedSharpe(sharpeSample(new Float64Array([0.01]), 0), 10, 0.01).dsr).toBeNull();
    expect(deflatedSharpe(sharpeSample(new Float64Array(20).fill(0.001), 0), 10, 0.01).dsr).toBeNull();
  });
});

describe('sharpeVariance', () => {
  it('is the sample variance of the trials’ Sharpe ratios, skipping NaN', () => {
    // [0.1, 0.2, 0.3, 0.4]: mean 0.25, Σd² = 0.05, /3
    expect(sharpeVariance([0.1, 0.2, 0.3, 0.4])).toBeCloseTo(0.05 / 3, 15);
    expect(sharpeVariance([0.1, Number.NaN, 0.2, 0.3, 0.4])).toBeCloseTo(0.05 / 3, 15);
    expect(sharpeVariance(new Float64Array([0.1]))).toBeNull();
    expect(sharpeVariance([Number.NaN, 0.1])).toBeNull();
  });
});
