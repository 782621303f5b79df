/**
 * The standard normal density and quantile function (inverse CDF), for parametric VaR.
 *
 * Φ⁻¹ is P. J. Acklam's rational approximation ("An algorithm for computing the inverse normal
 * cumulative distribution function", 2003; relative error ≤ 1.15e-9) followed by one Halley step
 * against Φ computed through Cody's erfc, which brings it to full double precision. It is always
 * computed in the lower tail and mirrored (Φ⁻¹(p) = −Φ⁻¹(1 − p) for p > ½): 1 − p is exact there,
 * and Φ(x) for x < 0 is erfc of a positive argument, so the residual Φ(x) − p has no cancellation.
 */
import { erfc } from './distribution';

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** φ(x) = exp(−x²/2)/√(2π). */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

// Acklam's coefficients: the central region |p − ½| ≤ ½ − P_LOW (a, b) and the tails (c, d).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Acklam's approximation for 0 < p ≤ ½ (≤ 1.15e-9 relative). */
function acklamLower(p: number): number {
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) / (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
}

/**
 * Φ⁻¹(p), the standard normal quantile: −∞ at 0, +∞ at 1. Throws a RangeError for p outside [0, 1]
 * (or NaN): a caller's bug, not data.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile needs 0 ≤ p ≤ 1, got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklamLower(p);
  // One Halley step on f(x) = Φ(x) − p: x ← x − u/(1 + x·u/2) with u = f(x)/φ(x). Skipped where
  // φ(x) underflows (p below ~1e-300, x < −38), leaving Acklam's 1e-9.
  const d = normalPdf(x);
  if (d > 0) {
    const u = (0.5 * erfc(-x * Math.SQRT1_2) - p) / d;
    x -= u / (1 + 0.5 * x * u);
  }
  return x;
}
