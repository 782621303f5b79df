/**
 * Distribution helpers shared by the engine (backtest metrics, risk): the complementary error
 * function and the standard normal CDF (W. J. Cody, "Rational Chebyshev approximations for the
 * error function", Math. Comp. 23 (1969) 631–638, the coefficients of SPECFUN CALERF, about 1e-16
 * relative), numpy's linear-interpolation percentile, and sample moments. Definitions:
 * docs/METRICS.md ("Distribution", "The normal CDF").
 */

/* eslint-disable no-loss-of-precision -- Cody's coefficients as published (18 digits); parsing rounds each to the nearest double. */
const SQRPI = 5.6418958354775628695e-1; // 1/√π
const XBIG = 26.543; // erfc(x) underflows beyond
const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];
/* eslint-enable no-loss-of-precision */

/** exp(−y²) without the rounding of y²: y split as ysq + rest with ysq a multiple of 1/16 (CALERF). */
function expMinusSquare(y: number): number {
  const ysq = Math.trunc(16 * y) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq) * Math.exp(-del);
}

/** erfc(x) = 1 − erf(x), Cody's three intervals: |x| ≤ 0.46875, ≤ 4, > 4. NaN in, NaN out. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  let r: number;
  if (y <= 0.46875) {
    const z = y > 1.11e-16 ? y * y : 0;
    let num = A[4]! * z;
    let den = z;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]!) * z;
      den = (den + B[i]!) * z;
    }
    return 1 - (x * (num + A[3]!)) / (den + B[3]!);
  } else if (y <= 4) {
    let num = C[8]! * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]!) * y;
      den = (den + D[i]!) * y;
    }
    r = expMinusSquare(y) * ((num + C[7]!) / (den + D[7]!));
  } else if (y < XBIG) {
    const z = 1 / (y * y);
    let num = P[5]! * z;
    let den = z;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]!) * z;
      den = (den + Q[i]!) * z;
    }
    r = (z * (num + P[4]!)) / (den + Q[4]!);
    r = expMinusSquare(y) * ((SQRPI - r) / y);
  } else if (Number.isNaN(y)) {
    return Number.NaN;
  } else {
    r = 0;
  }
  return x < 0 ? 2 - r : r;
}

/** Φ(x), the standard normal CDF: erfc(−x/√2)/2 (accurate in both tails). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}

/**
 * The q-th percentile (0 ≤ q ≤ 100) by numpy.percentile's default linear interpolation: sorted
 * values v, h = (n − 1)·q/100, v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋]). Null for no values.
 */
export function percentile(values: ArrayLike<number>, q: number): number | null {
  const n = values.length;
  if (n === 0) return null;
  const v = Float64Array.from(values).sort();
  const h = ((n - 1) * q) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return v[lo]! + (h - lo) * (v[hi]! - v[lo]!);
}

/** A daily standard deviation at or below this is zero (flat equity, up to floating-point rounding). */
export const ZERO_STD = 1e-14;

export function mean(x: ArrayLike<number>): number | null {
  const n = x.length;
  if (n === 0) return null;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  return s / n;
}

/** Sample standard deviation (divisor n − 1, numpy ddof=1); null for fewer than 2 values. */
export function sampleStd(x: ArrayLike<number>): number | null {
  const n = x.length;
  if (n < 2) return null;
  const m = mean(x)!;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

/**
 * Skewness m3/m2^1.5 and (non-excess) kurtosis m4/m2² from the central moments m_k = Σ(x − x̄)^k/n
 * (scipy.stats.skew and kurtosis(fisher=False) with bias=True). Null for fewer than 2 values or
 * zero variance.
 */
export function moments(x: ArrayLike<number>): { skewness: number; kurtosis: number } | null {
  const n = x.length;
  if (n < 2) return null;
  const m = mean(x)!;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  if (!(m2 > 0)) return null;
  return { skewness: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}
