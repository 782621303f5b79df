/**
 * Value at risk and conditional value at risk (expected shortfall) of a daily return series, at a
 * tail probability `cutoff` (0.05 for 95 % confidence, 0.01 for 99 %). docs/RISK.md has the
 * definitions. Sign convention: every value here is a **return** (empyrical's convention), so a loss
 * is negative and CVaR ≤ VaR; money losses (positive fen) are made from them in `lossFen`.
 * Null below 2 returns (one day is not a distribution), never NaN.
 */
import { mean, percentile, sampleStd } from '../stats/distribution';
import { normalPdf, normalQuantile } from '../stats/normal';

function checkCutoff(cutoff: number): void {
  if (!(cutoff > 0 && cutoff < 1)) throw new RangeError(`cutoff must be in (0, 1), got ${cutoff}`);
}

/** Historical VaR, empyrical `value_at_risk`: numpy.percentile(returns, 100·cutoff), linear interpolation. */
export function historicalVar(returns: ArrayLike<number>, cutoff: number): number | null {
  checkCutoff(cutoff);
  return returns.length < 2 ? null : percentile(returns, 100 * cutoff);
}

/**
 * Historical CVaR, empyrical `conditional_value_at_risk`: the mean of the k + 1 smallest returns,
 * k = ⌊(n − 1)·cutoff⌋ — the order statistics at or below the VaR's lower interpolation point. This
 * is "the mean of the returns ≤ VaR" except with ties at the cut: returns equal to v[k] beyond the
 * k + 1 smallest are left out, as empyrical (np.partition) leaves them out.
 */
export function historicalCvar(returns: ArrayLike<number>, cutoff: number): number | null {
  checkCutoff(cutoff);
  const n = returns.length;
  if (n < 2) return null;
  const k = Math.trunc((n - 1) * cutoff); // Python's int(): the same product, truncated
  return mean(Float64Array.from(returns).sort().subarray(0, k + 1));
}

/** Parametric (normal) VaR: μ + σ·z with z = Φ⁻¹(cutoff) < 0, μ the mean and σ the sample std (ddof 1). */
export function parametricVar(returns: ArrayLike<number>, cutoff: number): number | null {
  checkCutoff(cutoff);
  const sigma = sampleStd(returns);
  return sigma === null ? null : mean(returns)! + sigma * normalQuantile(cutoff);
}

/**
 * Parametric (normal) CVaR, the mean of a normal return below its VaR:
 * E[R | R ≤ μ + σz] = μ − σ·φ(z)/cutoff (φ the normal density; the normal expected shortfall as in
 * Jorion, Value at Risk, 3rd ed., 2007, written in return terms).
 */
export function parametricCvar(returns: ArrayLike<number>, cutoff: number): number | null {
  checkCutoff(cutoff);
  const sigma = sampleStd(returns);
  return sigma === null ? null : mean(returns)! - (sigma * normalPdf(normalQuantile(cutoff))) / cutoff;
}

/**
 * A return-terms VaR or CVaR as a money loss on `valueFen`: −ret × value, rounded to the nearest fen
 * (halves toward +∞). Positive is a loss; negative means even the tail is a gain. Null in, null out.
 */
export function lossFen(ret: number | null, valueFen: number): number | null {
  if (ret === null) return null;
  return Math.round(-ret * valueFen) + 0; // + 0 turns −0 into 0
}
