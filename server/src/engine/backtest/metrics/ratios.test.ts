import { describe, expect, it } from 'vitest';
import { activeRisk, alphaBeta, calmar, downsideDeviation, probabilisticSharpe, sharpe, sortino, volatility } from './ratios';

const f = (...v: number[]) => Float64Array.from(v);
const S = Math.sqrt(252);

describe('ratios on a hand-computed series', () => {
  // r = 0.02, −0.01, 0.03, −0.02: mean 0.005; deviations 0.015 −0.015 0.025 −0.025;
  // Σd² = 2·0.000225 + 2·0.000625 = 0.0017; sample variance 0.0017/3; std √(0.0017/3)
  const r = f(0.02, -0.01, 0.03, -0.02);
  const std = Math.sqrt(0.0017 / 3);

  it('volatility and Sharpe (rf = 0)', () => {
    expect(volatility(r)).toBeCloseTo(std * S, 14);
    expect(sharpe(r, 0)).toBeCloseTo((0.005 / std) * S, 12);
  });

  it('Sharpe with a daily risk-free rate subtracts it from the mean only', () => {
    expect(sharpe(r, 0.001)).toBeCloseTo((0.004 / std) * S, 12);
  });

  it('downside deviation and Sortino over all periods', () => {
    // below 0: −0.01, −0.02 → (0.0001 + 0.0004)/4 = 0.000125 over all 4 periods
    const dd = Math.sqrt(0.000125) * S;
    expect(downsideDeviation(r, 0)).toBeCloseTo(dd, 14);
    expect(sortino(r, 0)).toBeCloseTo((0.005 * 252) / dd, 11);
    // against rf = 0.01: r − rf = 0.01, −0.02, 0.02, −0.03 → (0.0004 + 0.0009)/4; mean 0.005 − 0.01 = −0.005
    const dd2 = Math.sqrt(0.0013 / 4) * S;
    expect(downsideDeviation(r, 0.01)).toBeCloseTo(dd2, 14);
    expect(sortino(r, 0.01)).toBeCloseTo((-0.005 * 252) / dd2, 11);
  });

  it('beta and Jensen alpha', () => {
    // r = 2b + 0.001 exactly → beta 2; daily alpha mean(r − rf − 2(b − rf)) = 0.001 + rf,
    // annualised (1.001 + rf)^252 − 1
    const b = f(0.01, -0.005, 0.02, 0.004);
    const r2 = b.map((x) => 2 * x + 0.001);
    const ab = alphaBeta(r2, b, 0)!;
    expect(ab.beta).toBeCloseTo(2, 13);
    expect(ab.alpha).toBeCloseTo(1.001 ** 252 - 1, 11);
    const rf = 0.0001;
    expect(alphaBeta(r2, b, rf)!.alpha).toBeCloseTo((1 + 0.001 + rf) ** 252 - 1, 11);
    // a benchmark that does not move has no beta
    expect(alphaBeta(r, f(0, 0, 0, 0), 0)).toBeNull();
  });

  it('tracking error and information ratio', () => {
    // active = r − b = 0.01, 0.00, 0.01, 0.00: mean 0.005, deviations ±0.005, sample var 4·0.000025/3
    const b = f(0.01, -0.01, 0.02, -0.02);
    const te = Math.sqrt(0.0001 / 3);
    const a = activeRisk(r, b)!;
    expect(a.trackingError).toBeCloseTo(te * S, 14);
    expect(a.informationRatio).toBeCloseTo((0.005 / te) * S, 11);
    // identical series: no tracking error, no ratio
    expect(activeRisk(r, r)).toEqual({ trackingError: 0, informationRatio: null });
  });

  it('Calmar', () => {
    expect(calmar(0.2, -0.1)).toBeCloseTo(2, 15);
    expect(calmar(0.2, 0)).toBeNull();
    expect(calmar(null, -0.1)).toBeNull();
  });

  it('probabilistic Sharpe ratio', () => {
    // SR = 0.005/std; skew: m3 = Σd³/4 = 0, so γ3 = 0; m2 = 0.0017/4, m4 = (2·0.015⁴ + 2·0.025⁴)/4
    const sr = 0.005 / std;
    const m2 = 0.0017 / 4;
    const m4 = (2 * 0.015 ** 4 + 2 * 0.025 ** 4) / 4;
    const g4 = m4 / (m2 * m2);
    const z = (sr * Math.sqrt(3)) / Math.sqrt(1 + ((g4 - 1) / 4) * sr * sr);
    // z from the same formulas in numpy: 0.36335995493833917; Φ(z) by scipy:
    //   from scipy.stats import norm; norm.cdf(0.36335995493833917) → 0.6418319941337559
    expect(z).toBeCloseTo(0.36335995493833917, 13);
    expect(probabilisticSharpe(r, 0)).toBeCloseTo(0.6418319941337559, 13);
    // a target equal to the observed SR gives exactly Φ(0) = 1/2
    expect(probabilisticSharpe(r, 0, sr * S)).toBeCloseTo(0.5, 14);
  });
});

describe('edge cases: null, never NaN or Infinity', () => {
  it('fewer than 2 returns', () => {
    const one = f(0.01);
    for (const v of [volatility(one), sharpe(one, 0), downsideDeviation(one, 0), sortino(one, 0), probabilisticSharpe(one, 0)]) {
      expect(v).toBeNull();
    }
    expect(alphaBeta(one, one, 0)).toBeNull();
    expect(activeRisk(one, one)).toBeNull();
  });

  it('zero volatility', () => {
    const flat = f(0, 0, 0);
    expect(volatility(flat)).toBe(0);
    expect(sharpe(flat, 0)).toBeNull();
    expect(sortino(flat, 0)).toBeNull();
    expect(downsideDeviation(flat, 0)).toBe(0);
    expect(probabilisticSharpe(flat, 0)).toBeNull();
    // a constant return up to rounding (1.01 growth) is still zero volatility
    const steady = f(0.01, 0.010000000000000009, 0.009999999999999787);
    expect(sharpe(steady, 0)).toBeNull();
  });
});
