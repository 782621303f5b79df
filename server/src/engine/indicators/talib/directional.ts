/**
 * Wilder's directional movement as TA_ADX, TA_PLUS_DI and TA_MINUS_DI (unstable period 0).
 *
 * +DM/−DM and the true range are summed over the first period − 1 changes and then smoothed the
 * Wilder way, s − s/period + x, so +DI/−DI start at bar `period`. DX = 100·|+DI − −DI|/(+DI + −DI);
 * ADX seeds with the plain mean of the first `period` DX values (bars period..2·period − 1) and
 * continues as (prev·(period − 1) + DX)/period. TA-Lib's zero tests (|v| < 1e-8) are kept: a ~0
 * smoothed range gives DI = 0, and a bar without a DX (~0 range or ~0 DI sum) adds nothing to the
 * seed sum (still divided by `period`) and afterwards leaves the ADX where it was, rather than
 * smoothing in a DX of 0.
 */
import { intParam } from '../problem';
import { commonLength, warmup } from './common';

/** TA-Lib's zero test bound (TA_IS_ZERO: |v| < 1e-8). Module-local and written out in the loops:
 *  an imported helper called per bar defeats inlining when modules are not bundled (tsx, vitest). */
const TA_ZERO = 0.00000001;

/** One pass producing whichever of the three outputs are asked for; period >= 2. */
function directional(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period: number,
  plusOut: Float64Array | null,
  minusOut: Float64Array | null,
  adxOut: Float64Array | null,
): void {
  const n = high.length;
  const adxStart = 2 * period - 1;
  let prevHigh = high[0]!;
  let prevLow = low[0]!;
  let prevClose = close[0]!;
  let plusDm = 0;
  let minusDm = 0;
  let trSum = 0;
  let sumDx = 0;
  let prevAdx = 0;
  for (let today = 1; today < n; today++) {
    const h = high[today]!;
    const l = low[today]!;
    const diffP = h - prevHigh;
    const diffM = prevLow - l;
    prevHigh = h;
    prevLow = l;
    let tr = h - l;
    let t = Math.abs(h - prevClose);
    if (t > tr) tr = t;
    t = Math.abs(l - prevClose);
    if (t > tr) tr = t;
    prevClose = close[today]!;

    if (today < period) {
      if (diffM > 0 && diffP < diffM) minusDm += diffM;
      else if (diffP > 0 && diffP > diffM) plusDm += diffP;
      trSum += tr;
      continue;
    }
    minusDm -= minusDm / period;
    plusDm -= plusDm / period;
    if (diffM > 0 && diffP < diffM) minusDm += diffM;
    else if (diffP > 0 && diffP > diffM) plusDm += diffP;
    trSum = trSum - trSum / period + tr;

    let dx = 0;
    let hasDx = false;
    if (-TA_ZERO < trSum && trSum < TA_ZERO) {
      if (plusOut) plusOut[today] = 0;
      if (minusOut) minusOut[today] = 0;
    } else {
      const minusDi = 100.0 * (minusDm / trSum);
      const plusDi = 100.0 * (plusDm / trSum);
      if (plusOut) plusOut[today] = plusDi;
      if (minusOut) minusOut[today] = minusDi;
      const sum = minusDi + plusDi;
      if (!(-TA_ZERO < sum && sum < TA_ZERO)) {
        dx = 100.0 * (Math.abs(minusDi - plusDi) / sum);
        hasDx = true;
      }
    }
    if (!adxOut) continue;
    if (today < adxStart) {
      if (hasDx) sumDx += dx;
    } else if (today === adxStart) {
      if (hasDx) sumDx += dx;
      prevAdx = sumDx / period;
      adxOut[today] = prevAdx;
    } else {
      if (hasDx) prevAdx = (prevAdx * (period - 1) + dx) / period;
      adxOut[today] = prevAdx;
    }
  }
}

/** TA-Lib's period-1 DI: the raw one-bar ratio ±DM/TR, not a percentage (no ×100), as in TA-Lib. */
function oneBarDi(high: Float64Array, low: Float64Array, close: Float64Array, plus: boolean, out: Float64Array): void {
  const n = high.length;
  for (let today = 1; today < n; today++) {
    const h = high[today]!;
    const l = low[today]!;
    const diffP = h - high[today - 1]!;
    const diffM = low[today - 1]! - l;
    const moved = plus ? diffP > 0 && diffP > diffM : diffM > 0 && diffP < diffM;
    if (!moved) {
      out[today] = 0;
      continue;
    }
    const yc = close[today - 1]!;
    let tr = h - l;
    let t = Math.abs(h - yc);
    if (t > tr) tr = t;
    t = Math.abs(l - yc);
    if (t > tr) tr = t;
    out[today] = -TA_ZERO < tr && tr < TA_ZERO ? 0 : (plus ? diffP : diffM) / tr;
  }
}

export function adxLookback(period: number): number {
  return 2 * intParam('period', period, 2, 100_000) - 1;
}

export function adx(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const lookback = adxLookback(period);
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close']);
  const out = warmup(n, lookback);
  if (n > lookback) directional(high, low, close, period, null, null, out);
  return out;
}

export function plusDiLookback(period: number): number {
  const p = intParam('period', period, 1, 100_000);
  return p > 1 ? p : 1;
}

export function plusDi(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const lookback = plusDiLookback(period);
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close']);
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  if (period === 1) oneBarDi(high, low, close, true, out);
  else directional(high, low, close, period, out, null, null);
  return out;
}

export function minusDiLookback(period: number): number {
  const p = intParam('period', period, 1, 100_000);
  return p > 1 ? p : 1;
}

export function minusDi(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const lookback = minusDiLookback(period);
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close']);
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  if (period === 1) oneBarDi(high, low, close, false, out);
  else directional(high, low, close, period, null, out, null);
  return out;
}
