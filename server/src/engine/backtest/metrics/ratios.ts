/**
 * Risk and risk-adjusted ratios of daily returns, in empyrical's conventions: sample standard
 * deviations (n − 1), annualised with 252 trading days, excess returns over the daily risk-free rate.
 * Every function returns null rather than NaN or ±Infinity: fewer than 2 returns, or a zero
 * denominator (a standard deviation below ZERO_STD, i.e. zero up to rounding).
 */
import { comoments } from '../../stats/comoments';
import { moments, normalCdf, ZERO_STD } from '../../stats/distribution';
import { TRADING_DAYS } from './returns';

const SQRT_DAYS = Math.sqrt(TRADING_DAYS);

/** Mean and sample standard deviation of x − shift (one pass for the mean, one for the deviations). */
function meanStd(x: Float64Array, shift: number): { mean: number; std: number } {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]! - shift;
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - shift - m;
    ss += d * d;
  }
  return { mean: m, std: Math.sqrt(ss / (n - 1)) };
}

/** Annualised volatility: sample std of daily returns × √252. */
export function volatility(r: Float64Array): number | null {
  return r.length < 2 ? null : meanStd(r, 0).std * SQRT_DAYS;
}

/** Sharpe ratio: mean(r − rf)/std(r − rf) × √252 (rf daily). */
export function sharpe(r: Float64Array, rf: number): number | null {
  if (r.length < 2) return null;
  const { mean, std } = meanStd(r, rf);
  return std <= ZERO_STD ? null : (mean / std) * SQRT_DAYS;
}

/** Annualised downside deviation: √(Σ min(r − rf, 0)²/n) × √252, over all n periods (empyrical's downside_risk). */
export function downsideDeviation(r: Float64Array, rf: number): number | null {
  const n = r.length;
  if (n < 2) return null;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = r[i]! - rf;
    if (d < 0) ss += d * d;
  }
  return Math.sqrt(ss / n) * SQRT_DAYS;
}

/** Sortino ratio: mean(r − rf) × 252 / annualised downside deviation; null when there is no downside. */
export function sortino(r: Float64Array, rf: number): number | null {
  const dd = downsideDeviation(r, rf);
  if (dd === null || dd / SQRT_DAYS <= ZERO_STD) return null;
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i]! - rf;
  return ((s / r.length) * TRADING_DAYS) / dd;
}

/**
 * Beta = cov(r, b)/var(b) of daily returns (the risk-free rate cancels), and Jensen's alpha,
 * annualised by compounding like empyrical: (1 + mean(r − rf − β(b − rf)))^252 − 1. Null when the
 * benchmark does not move.
 */
export function alphaBeta(r: Float64Array, b: Float64Array, rf: number): { alpha: number; beta: number } | null {
  const c = comoments(r, b);
  if (c === null || Math.sqrt(c.syy / (c.n - 1)) <= ZERO_STD) return null;
  const beta = c.sxy / c.syy;
  const alphaDaily = c.meanX - rf - beta * (c.meanY - rf);
  return { alpha: (1 + alphaDaily) ** TRADING_DAYS - 1, beta };
}

/** Tracking error (annualised sample std of r − b) and information ratio mean(r − b)/std(r − b) × √252. */
export function activeRisk(r: Float64Array, b: Float64Array): { trackingError: number; informationRatio: number | null } | null {
  const n = r.length;
  if (n < 2) return null;
  const active = new Float64Array(n);
  for (let i = 0; i < n; i++) active[i] = r[i]! - b[i]!;
  const { mean, std } = meanStd(active, 0);
  return { trackingError: std * SQRT_DAYS, informationRatio: std <= ZERO_STD ? null : (mean / std) * SQRT_DAYS };
}

/** Calmar ratio: annual return / |max drawdown|; null without a drawdown. */
export function calmar(annualReturn: number | null, maxDrawdown: number | null): number | null {
  if (annualReturn === null || maxDrawdown === null || maxDrawdown === 0) return null;
  return annualReturn / Math.abs(maxDrawdown);
}

/** What a Probabilistic Sharpe ratio is computed from: n returns, their daily Sharpe ratio, skewness and (non-excess) kurtosis. */
export interface SharpeSample {
  n: number;
  sharpe: number;
  skewness: number;
  kurtosis: number;
}

/** The SharpeSample of r − rf (null for fewer than 2 returns or zero volatility). */
export function sharpeSample(r: Float64Array, rf: number): SharpeSample | null {
  const n = r.length;
  if (n < 2) return null;
  const { mean, std } = meanStd(r, rf);
  if (std <= ZERO_STD) return null;
  const m = moments(r);
  return m === null ? null : { n, sharpe: mean / std, skewness: m.skewness, kurtosis: m.kurtosis };
}

/**
 * Probabilistic Sharpe ratio (Bailey & López de Prado 2012):
 * Φ((SR − SR*)·√(n − 1) / √(1 − γ3·SR + (γ4 − 1)/4·SR²)) with the daily (non-annualised) Sharpe
 * ratio SR of r − rf, SR* = targetAnnual/√252, n returns, skewness γ3 and kurtosis γ4 (non-excess,
 * population moments). Null for fewer than 2 returns, zero volatility or a non-positive variance term.
 */
export function probabilisticSharpe(r: Float64Array, rf: number, targetAnnual = 0): number | null {
  const sample = sharpeSample(r, rf);
  return sample === null ? null : probabilisticSharpeOf(sample, targetAnnual);
}

/** The Probabilistic Sharpe ratio of a sample's statistics (an optimization keeps a trial's moments, not its returns). */
export function probabilisticSharpeOf(sample: SharpeSample, targetAnnual = 0): number | null {
  const { n, sharpe: sr, skewness, kurtosis } = sample;
  const v = 1 - skewness * sr + ((kurtosis - 1) / 4) * sr * sr;
  if (!(v > 0)) return null;
  return normalCdf(((sr - targetAnnual / SQRT_DAYS) * Math.sqrt(n - 1)) / Math.sqrt(v));
}
