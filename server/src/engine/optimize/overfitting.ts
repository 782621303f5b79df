/**
 * Overfitting statistics of an optimization from what its trials stored (objective.ts): the number
 * of CSCV blocks an optimization uses, and a trial's daily Sharpe ratio from its moments.
 *
 * engine/stats/pbo.ts defines CSCV on the T × N matrix of returns. An optimization cannot keep T
 * returns for each of up to 10⁶ trials, but pbo.ts's Sharpe metric only ever reads per-block means
 * and centred sums of squares (blockStats): each trial stores those 2·S numbers and the coordinator
 * runs pbo.ts's sharpeCscv on them, so it gives exactly what probabilityOfBacktestOverfitting gives
 * on the full matrix (the test compares them).
 */
import type { SharpeSample } from '../backtest/metrics/ratios';
import { ZERO_STD } from '../stats/distribution';
import { binomial } from '../stats/pbo';

/**
 * The work budget of CSCV: C(S, S/2) combinations × S blocks × N trials (sharpeCscv takes about a
 * quarter of a second on one core at 10⁸).
 */
export const CSCV_BUDGET = 1e8;

/**
 * S for N trials: 16 (the paper's choice) when C(16, 8)·16·N fits the budget (N ≤ ~485), else the
 * largest even S below it that fits (14 up to ~2,080 trials, 12 to ~9,000, 10 to ~40,000, 8 to
 * ~180,000, 6 to ~830,000, then 4), never fewer than 4 (2 blocks give one combination, no
 * distribution) unless that is all there is.
 */
export function choosePartitions(trials: number): number {
  for (let s = 16; s > 4; s -= 2) if (binomial(s, s / 2) * s * Math.max(1, trials) <= CSCV_BUDGET) return s;
  return 4;
}

/** A trial's daily Sharpe ratio from its return moments (excess over the daily rate rf); NaN where undefined. */
export function dailySharpe(m: { mean: number | null; std: number | null }, rf: number): number {
  return m.mean !== null && m.std !== null && m.std > ZERO_STD ? (m.mean - rf) / m.std : Number.NaN;
}

/**
 * A trial's SharpeSample from its return moments (excess over the daily rate rf), for its PSR and
 * DSR without its returns: the same statistics sharpeSample computes from them (the std and the
 * moments do not move with rf), up to rounding. Null where the trial has no Sharpe ratio.
 */
export function sharpeSampleOf(m: { n: number; mean: number | null; std: number | null; skew: number | null; kurt: number | null }, rf: number): SharpeSample | null {
  const sharpe = dailySharpe(m, rf);
  if (m.n < 2 || Number.isNaN(sharpe) || m.skew === null || m.kurt === null) return null;
  return { n: m.n, sharpe, skewness: m.skew, kurtosis: m.kurt };
}
