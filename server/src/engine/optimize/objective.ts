/**
 * What an optimization keeps of each trial besides its document's digest (docs/ARCHITECTURE.md,
 * "Optimization"): the objective (a BacktestMetrics field, larger is better), whether the trial is
 * eligible for the leaderboard, the moments of its daily returns (for the Deflated Sharpe Ratio's
 * variance of Sharpe ratios across trials) and per-block statistics of those returns (for PBO by
 * CSCV without keeping T returns per trial), and the order trials are ranked in.
 *
 * Pure: numbers in, numbers out. Returns follow docs/METRICS.md: rᵢ = Eᵢ/Eᵢ₋₁ − 1 of the day-end
 * equity, the first date the base.
 */
import { simpleReturns } from '../backtest/metrics/returns';
import { mean, moments, sampleStd } from '../stats/distribution';

/** The BacktestMetrics fields an optimization may rank by (contracts/optimize.yaml, Objective). */
export const OBJECTIVES = ['sharpe', 'sortino', 'annualReturn', 'totalReturn', 'calmar', 'profitFactor', 'probabilisticSharpe'] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** The objective's value, or null when the metric is undefined for the run (or not a finite number). */
export function objectiveValue(metrics: Readonly<Record<Objective, number | null>>, objective: Objective): number | null {
  const v = metrics[objective];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** Eligible for the leaderboard: an objective that is a number and at least `minTrades` round trips. */
export function isEligible(objective: number | null, tradeCount: number, minTrades: number): boolean {
  return objective !== null && tradeCount >= minTrades;
}

/** What the ranking reads of a trial. */
export interface Ranked {
  index: number;
  objective: number | null;
  eligible: boolean;
}

/**
 * The leaderboard order: eligible trials first, then by objective descending (null last), then by
 * index ascending — a total order, so the best trial does not depend on the order trials finished.
 * The SQL of the trials list sorts the same way.
 */
export function compareTrials(a: Ranked, b: Ranked): number {
  if (a.eligible !== b.eligible) return a.eligible ? -1 : 1;
  const x = a.objective ?? -Infinity;
  const y = b.objective ?? -Infinity;
  if (x !== y) return y - x > 0 ? 1 : -1;
  return a.index - b.index;
}

/** Moments of a trial's daily returns: n, mean, sample std, skewness and non-excess kurtosis (null where undefined). */
export interface ReturnMoments {
  n: number;
  mean: number | null;
  std: number | null;
  skew: number | null;
  kurt: number | null;
}

export function returnMoments(returns: Float64Array): ReturnMoments {
  const m = moments(returns);
  return { n: returns.length, mean: mean(returns), std: sampleStd(returns), skew: m?.skewness ?? null, kurt: m?.kurtosis ?? null };
}

/** The daily returns of a day-end equity series. */
export function dailyReturns(equity: ArrayLike<number>): Float64Array {
  return simpleReturns(equity);
}

