/**
 * Parabolic SAR as TA_SAR (Wilder). One bar is sacrificed to choose the initial direction.
 */
import { realParam } from '../problem';
import { commonLength, warmup } from './common';

const REAL_MAX = 3e37;

export function sarLookback(acceleration: number, maximum: number): number {
  realParam('acceleration', acceleration, 0, REAL_MAX);
  realParam('maximum', maximum, 0, REAL_MAX);
  return 1;
}

/**
 * TA-Lib's conventions: the trade starts short when bar 1 has a positive −DM (its low fell further
 * than its high rose), long otherwise; the first SAR is the extreme of bar 0 on the other side and
 * the first EP is bar 1's high (long) or low (short). On a reversal the SAR becomes the old EP,
 * clamped to the last two bars' range. An acceleration above the maximum is cut to the maximum.
 * The SAR written at bar i is the stop in force during bar i.
 */
export function sar(high: Float64Array, low: Float64Array, acceleration: number, maximum: number): Float64Array {
  const lookback = sarLookback(acceleration, maximum);
  const n = commonLength(high, 'high', [low, 'low']);
  const out = warmup(n, lookback);
  if (n <= lookback) return out;

  let accel = acceleration;
  if (accel > maximum) accel = maximum;
  let af = accel;

  const diffP = high[1]! - high[0]!;
  const diffM = low[0]! - low[1]!;
  const minusDm = diffM > 0 && diffP < diffM ? diffM : 0;
  let isLong = !(minusDm > 0);

  let ep: number;
  let stop: number;
  if (isLong) {
    ep = high[1]!;
    stop = low[0]!;
  } else {
    ep = low[1]!;
    stop = high[0]!;
  }
  // TA-Lib primes the "previous bar" with bar 1 itself, so the first clamp uses bar 1 twice.
  let newLow = low[1]!;
  let newHigh = high[1]!;
  for (let today = 1; today < n; today++) {
    const prevLow = newLow;
    const prevHigh = newHigh;
    newLow = low[today]!;
    newHigh = high[today]!;
    if (isLong) {
      if (newLow <= stop) {
        isLong = false;
        stop = ep;
        if (stop < prevHigh) stop = prevHigh;
        if (stop < newHigh) stop = newHigh;
        out[today] = stop;
        af = accel;
        ep = newLow;
        stop = stop + af * (ep - stop);
        if (stop < prevHigh) stop = prevHigh;
        if (stop < newHigh) stop = newHigh;
      } else {
        out[today] = stop;
        if (newHigh > ep) {
          ep = newHigh;
          af += accel;
          if (af > maximum) af = maximum;
        }
        stop = stop + af * (ep - stop);
        if (stop > prevLow) stop = prevLow;
        if (stop > newLow) stop = newLow;
      }
    } else if (newHigh >= stop) {
      isLong = true;
      stop = ep;
      if (stop > prevLow) stop = prevLow;
      if (stop > newLow) stop = newLow;
      out[today] = stop;
      af = accel;
      ep = newHigh;
      stop = stop + af * (ep - stop);
      if (stop > prevLow) stop = prevLow;
      if (stop > newLow) stop = newLow;
    } else {
      out[today] = stop;
      if (newLow < ep) {
        ep = newLow;
        af += accel;
        if (af > maximum) af = maximum;
      }
      stop = stop + af * (ep - stop);
      if (stop < prevHigh) stop = prevHigh;
      if (stop < newHigh) stop = newHigh;
    }
  }
  return out;
}
