/**
 * BOLL, the TDX (通达信) Bollinger bands. The TDX STD is the sample standard deviation (N − 1),
 * where TA-Lib's BBANDS uses the population one: the bands are wider by √(N / (N − 1)).
 */
import { IndicatorProblem, intParam, output, realParam } from '../problem';
import { dispersionInto, maOf } from './primitives';

export interface Boll {
  mid: Float64Array;
  upper: Float64Array;
  lower: Float64Array;
}

/**
 * BOLL(N, K):
 * ```
 * MID:MA(CLOSE,N);
 * UPPER:MID+K*STD(CLOSE,N);
 * LOWER:MID-K*STD(CLOSE,N);
 * ```
 * Warm-up: all three start at bar N − 1. No division by a data value; a flat window has STD
 * exactly 0 (computed per window, see `dispersionInto`), so the bands close onto MID.
 * Params: period N ≥ 2 (the sample deviation of one value divides by zero), k in (0, 10].
 */
export function boll(close: Float64Array, period = 20, k = 2): Boll {
  const start = bollStart(period, k);
  const mid = maOf(close, period);
  const upper = output(close.length);
  const lower = output(close.length);
  dispersionInto(close, period, 'std', upper);
  for (let i = start; i < close.length; i++) {
    const width = k * upper[i]!;
    upper[i] = mid[i]! + width;
    lower[i] = mid[i]! - width;
  }
  return { mid, upper, lower };
}

/** First bar with MID, UPPER and LOWER. */
export function bollStart(period = 20, k = 2): number {
  const start = intParam('period', period, 2) - 1;
  // realParam's range is closed; k = 0 would draw both bands on MID.
  if (realParam('k', k, 0, 10) === 0) throw new IndicatorProblem('parameter', 'k must be greater than 0, got 0', 'k');
  return start;
}
