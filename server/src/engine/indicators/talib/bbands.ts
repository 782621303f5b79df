/**
 * Bollinger Bands and standard deviation as TA_BBANDS / TA_STDDEV / TA_VAR. Deviations are of the
 * population (divide by n, not n − 1), as in TA-Lib. A variance below 1e-8 (TA_IS_ZERO_OR_NEG)
 * gives a deviation of exactly 0, which also absorbs the tiny negative variances that the
 * E[x²] − E[x]² running-sum form produces on flat windows.
 */
import { intParam, realParam } from '../problem';
import { MA_SMA, maTypeParam, perToK, warmup } from './common';
import { emaInto, smaInto } from './moving-averages';

/** TA-Lib's zero test bound (TA_IS_ZERO_OR_NEG: v < 1e-8). Module-local and written out in the loops:
 *  an imported helper called per bar defeats inlining when modules are not bundled (tsx, vitest). */
const TA_ZERO = 0.00000001;

/** TA_REAL_MIN / TA_REAL_MAX, the bounds TA-Lib gives its deviation multipliers. */
const REAL_MIN = -3e37;
const REAL_MAX = 3e37;

export interface BbandsOutput {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

/**
 * TA_INT_VAR over [from, to) into dst[from + period − 1 ..]: running sums of x and x², the
 * variance E[x²] − E[x]² taken after adding the newest value and before removing the trailing one.
 */
function varianceInto(src: Float64Array, from: number, to: number, period: number, dst: Float64Array): void {
  let total1 = 0;
  let total2 = 0;
  let i = from;
  const start = from + period - 1;
  for (; i < start; i++) {
    const x = src[i]!;
    total1 += x;
    total2 += x * x;
  }
  let trailing = from;
  for (; i < to; i++) {
    const x = src[i]!;
    total1 += x;
    total2 += x * x;
    const mean1 = total1 / period;
    const mean2 = total2 / period;
    const t = src[trailing++]!;
    total1 -= t;
    total2 -= t * t;
    dst[i] = mean2 - mean1 * mean1;
  }
}

export function stddevLookback(period: number, nbDev: number): number {
  realParam('nbDev', nbDev, REAL_MIN, REAL_MAX);
  return intParam('period', period, 2, 100_000) - 1;
}

export function stddev(values: Float64Array, period: number, nbDev: number): Float64Array {
  const lookback = stddevLookback(period, nbDev);
  const n = values.length;
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  varianceInto(values, 0, n, period, out);
  for (let i = lookback; i < n; i++) {
    const v = out[i]!;
    out[i] = v < TA_ZERO ? 0 : Math.sqrt(v) * nbDev;
  }
  return out;
}

export function bbandsLookback(period: number, nbDevUp: number, nbDevDn: number, maType: number): number {
  realParam('nbDevUp', nbDevUp, REAL_MIN, REAL_MAX);
  realParam('nbDevDn', nbDevDn, REAL_MIN, REAL_MAX);
  maTypeParam('maType', maType);
  return intParam('period', period, 2, 100_000) - 1;
}

/**
 * Middle band = MA(period); bands = middle ± nbDev × population stddev over the same window.
 * With the SMA, TA-Lib derives the deviation from the SMA it already has
 * (sqrt(E[x²] − SMA²), the squares in their own running sum); with the EMA it runs TA_STDDEV,
 * i.e. the deviation about the window's plain mean, not about the EMA.
 */
export function bbands(values: Float64Array, period: number, nbDevUp: number, nbDevDn: number, maType: number): BbandsOutput {
  const lookback = bbandsLookback(period, nbDevUp, nbDevDn, maType);
  const n = values.length;
  const upper = warmup(n, lookback);
  const middle = warmup(n, lookback);
  const lower = warmup(n, lookback);
  if (n <= lookback) return { upper, middle, lower };

  if (maType === MA_SMA) {
    smaInto(values, 0, n, period, middle);
    let total2 = 0;
    let i = 0;
    for (; i < lookback; i++) {
      const x = values[i]!;
      total2 += x * x;
    }
    let trailing = 0;
    for (; i < n; i++) {
      const x = values[i]!;
      total2 += x * x;
      let mean2 = total2 / period;
      const t = values[trailing++]!;
      total2 -= t * t;
      const m = middle[i]!;
      mean2 -= m * m;
      const sd = mean2 < TA_ZERO ? 0 : Math.sqrt(mean2);
      upper[i] = m + sd * nbDevUp;
      lower[i] = m - sd * nbDevDn;
    }
  } else {
    emaInto(values, 0, n, period, perToK(period), middle);
    varianceInto(values, 0, n, period, upper);
    for (let i = lookback; i < n; i++) {
      const v = upper[i]!;
      const sd = v < TA_ZERO ? 0 : Math.sqrt(v);
      const m = middle[i]!;
      upper[i] = m + sd * nbDevUp;
      lower[i] = m - sd * nbDevDn;
    }
  }
  return { upper, middle, lower };
}
