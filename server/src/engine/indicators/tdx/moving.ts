/**
 * Moving averages in the TDX (通达信) formula language. Unlike TA-Lib, TDX seeds its recursive
 * averages with the first value rather than an N-bar mean, so EMA and SMA have a value from bar 0.
 */
import { intParam } from '../problem';
import { emaOf, maOf, smaOf } from './primitives';

/**
 * MA — `MA(X,N)`: the simple mean of the last N values.
 * Warm-up: NaN for bars 0 … N − 2, first value at N − 1. No division by a data value.
 * Params: period N ≥ 1 (N = 1 is X itself).
 */
export function ma(x: Float64Array, period = 5): Float64Array {
  return maOf(x, maStart(period) + 1);
}

/** First bar with an MA value. */
export function maStart(period = 5): number {
  return intParam('period', period, 1) - 1;
}

/**
 * EMA — `EMA(X,N)`: Y = (2·X + (N − 1)·Y′) / (N + 1), with Y = X at bar 0.
 * Warm-up: none, first value at bar 0 (the seed is the first value, not an N-bar mean).
 * No division by a data value. Params: period N ≥ 1 (N = 1 is X itself).
 */
export function ema(x: Float64Array, period = 12): Float64Array {
  intParam('period', period, 1);
  return emaOf(x, period);
}

/** First bar with an EMA value: the seed bar. */
export function emaStart(period = 12): number {
  intParam('period', period, 1);
  return 0;
}

/**
 * SMA — `SMA(X,N,M)`: Y = (M·X + (N − M)·Y′) / N, with Y = X at bar 0 (the TDX/同花顺 weighted
 * average, not TA-Lib's SMA).
 * Warm-up: none, first value at bar 0. No division by a data value.
 * Params: N ≥ 1 and 1 ≤ M ≤ N. TDX's manual asks for N > M, but M = N is well defined (Y = X) and
 * harmless, so it is allowed; M > N would give the previous value a negative weight and is refused.
 */
export function sma(x: Float64Array, n = 3, m = 1): Float64Array {
  smaStart(n, m);
  return smaOf(x, n, m);
}

/** First bar with an SMA value: the seed bar. Validates N and M. */
export function smaStart(n = 3, m = 1): number {
  intParam('n', n, 1);
  intParam('m', m, 1, n);
  return 0;
}
