/**
 * The Deflated Sharpe Ratio (D. H. Bailey and M. López de Prado, "The Deflated Sharpe Ratio:
 * Correcting for Selection Bias, Backtest Overfitting and Non-Normality", The Journal of Portfolio
 * Management 40(5), 2014, 94–107): the Probabilistic Sharpe Ratio of the strategy selected among N
 * trials, against the Sharpe ratio the best of N skill-less trials is expected to show,
 *
 *   SR₀ = √V[SR] · ((1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)))      (γ: Euler–Mascheroni)
 *   DSR = PSR(SR₀)  with the skewness and kurtosis of the selected strategy's returns.
 *
 * Units: every Sharpe ratio here is **daily and non-annualised**, mean(r − rf)/std(r − rf) per
 * trading day, like `probabilisticSharpeOf` (engine/backtest/metrics/ratios.ts), which computes the
 * PSR itself. V[SR] is the variance across the trials of their daily Sharpe ratios; an annualised
 * variance divides by the days per year (Sharpe scales with √days, its variance with days). SR₀ is
 * then a daily Sharpe ratio too. Definitions and the paper's worked example: docs/OVERFITTING.md.
 */
import { probabilisticSharpeOf, type SharpeSample } from '../backtest/metrics/ratios';
import { TRADING_DAYS } from '../backtest/metrics/returns';
import { sampleStd } from './distribution';
import { normalQuantile } from './normal';

/** γ, the Euler–Mascheroni constant. */
export const EULER_GAMMA = 0.5772156649015329;

/**
 * The paper's approximation of E[max of N independent standard normals]:
 * (1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)). For N = 1 it is 0 (one trial: nothing was selected;
 * the formula's Φ⁻¹(0) would be −∞). N must be an integer ≥ 1 (RangeError otherwise). It is an
 * asymptotic (extreme-value) approximation of the exact expectation: 8 % low at N = 2, 2.3 % high at
 * N = 10, 0.9 % at N = 100, 0.4 % at N = 1,000 (docs/OVERFITTING.md).
 */
export function expectedMaxStandardNormal(trials: number): number {
  if (!(Number.isInteger(trials) && trials >= 1)) throw new RangeError(`trials must be an integer ≥ 1, got ${trials}`);
  if (trials === 1) return 0;
  return (1 - EULER_GAMMA) * normalQuantile(1 - 1 / trials) + EULER_GAMMA * normalQuantile(1 - 1 / (trials * Math.E));
}

/**
 * SR₀, the expected maximum Sharpe ratio of N independent skill-less trials whose Sharpe ratios
 * have variance `sharpeVariance`: √V · expectedMaxStandardNormal(N), in the unit of the variance's
 * Sharpe ratios (daily variance in, daily SR₀ out). RangeError for a negative or non-finite variance.
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (!(Number.isFinite(sharpeVariance) && sharpeVariance >= 0)) throw new RangeError(`sharpeVariance must be finite and ≥ 0, got ${sharpeVariance}`);
  return Math.sqrt(sharpeVariance) * expectedMaxStandardNormal(trials);
}

/**
 * V[SR], the sample variance (divisor n − 1) of the trials' Sharpe ratios, skipping NaN (a trial
 * without a Sharpe ratio, e.g. one that never traded); null for fewer than 2 values.
 */
export function sharpeVariance(sharpes: ArrayLike<number>): number | null {
  const values: number[] = [];
  for (let i = 0; i < sharpes.length; i++) if (!Number.isNaN(sharpes[i]!)) values.push(sharpes[i]!);
  const s = sampleStd(values);
  return s === null ? null : s * s;
}

export interface DeflatedSharpe {
  /** SR₀, the deflating benchmark, daily (non-annualised). */
  sr0: number;
  /** PSR(SR₀) in [0, 1]; null where the PSR is (fewer than 2 returns, no volatility, a non-positive variance term). */
  dsr: number | null;
}

/**
 * The DSR of the selected trial (its SharpeSample: n, daily Sharpe ratio of its returns in excess
 * of the daily risk-free rate, skewness, kurtosis; null when it has none), chosen among `trials`
 * trials whose daily Sharpe ratios have variance `sharpeVariance`: probabilisticSharpeOf(sample,
 * SR₀ annualised) — the PSR takes its benchmark annualised and compares it as SR₀·√252/√252, so the
 * round trip is exact up to rounding and the 252 cancels.
 */
export function deflatedSharpe(sample: SharpeSample | null, trials: number, sharpeVariance: number): DeflatedSharpe {
  const sr0 = expectedMaxSharpe(trials, sharpeVariance);
  return { sr0, dsr: sample === null ? null : probabilisticSharpeOf(sample, sr0 * Math.sqrt(TRADING_DAYS)) };
}
