/**
 * Co-moments of two aligned series — the means and the centred sums of squares and cross-products —
 * and what they give: the regression slope (beta) and Pearson's correlation. Two passes (the means,
 * then the deviations) rather than one pass of raw sums, which cancels badly for daily returns.
 */
import { ZERO_STD } from './distribution';

export interface Comoments {
  n: number;
  meanX: number;
  meanY: number;
  /** Σ(xᵢ − x̄)² */
  sxx: number;
  /** Σ(yᵢ − ȳ)² */
  syy: number;
  /** Σ(xᵢ − x̄)(yᵢ − ȳ) */
  sxy: number;
}

/** Co-moments of x and y over their common length; null for fewer than 2 pairs. */
export function comoments(x: ArrayLike<number>, y: ArrayLike<number>): Comoments | null {
  const n = Math.min(x.length, y.length);
  if (n < 2) return null;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const meanX = sx / n;
  const meanY = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return { n, meanX, meanY, sxx, syy, sxy };
}

/** True when Σd² over n values is a sample standard deviation of zero up to rounding (ZERO_STD). */
const flat = (ss: number, n: number): boolean => Math.sqrt(ss / (n - 1)) <= ZERO_STD;

/**
 * Beta of y on x, cov(x, y)/var(x) (the divisors cancel), and Pearson's correlation
 * cov(x, y)/(σx·σy), clamped to [−1, 1] against rounding. Beta is null when x does not move;
 * the correlation is null when either does not move; both null for fewer than 2 pairs.
 */
export function betaCorrelation(y: ArrayLike<number>, x: ArrayLike<number>): { beta: number | null; correlation: number | null } {
  const c = comoments(x, y);
  if (c === null || flat(c.sxx, c.n)) return { beta: null, correlation: null };
  const beta = c.sxy / c.sxx;
  if (flat(c.syy, c.n)) return { beta, correlation: null };
  const r = c.sxy / Math.sqrt(c.sxx * c.syy);
  return { beta, correlation: Math.max(-1, Math.min(1, r)) };
}
