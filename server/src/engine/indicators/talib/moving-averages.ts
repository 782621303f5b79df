/**
 * Moving averages as TA-Lib computes them (TA_SMA, TA_EMA, TA_WMA, TA_DEMA, TA_TEMA, TA_TRIMA,
 * TA_KAMA) with the default compatibility and unstable periods of 0. The running sums follow
 * TA-Lib's order of additions and subtractions so the results agree to the last bits, not just to
 * a tolerance: a different (even a "more accurate") summation order drifts apart over long series.
 */
import { intParam } from '../problem';
import { MA_SMA, type MaType, maTypeParam, perToK, warmup } from './common';

/** TA-Lib's zero test bound (TA_IS_ZERO: |v| < 1e-8). Module-local and written out in the loops:
 *  an imported helper called per bar defeats inlining when modules are not bundled (tsx, vitest). */
const TA_ZERO = 0.00000001;

const MAX_PERIOD = 100_000;

function period2(period: number): number {
  return intParam('period', period, 2, MAX_PERIOD);
}

/**
 * SMA of src over [from, to) into dst[from + period - 1 .. to - 1]; to - from >= period.
 * TA-Lib keeps one rolling total, adding the new value before and removing the trailing value
 * after each output.
 */
export function smaInto(src: Float64Array, from: number, to: number, period: number, dst: Float64Array): void {
  let total = 0;
  let i = from;
  const start = from + period - 1;
  while (i < start) total += src[i++]!;
  let trailing = from;
  for (; i < to; i++) {
    total += src[i]!;
    const sum = total;
    total -= src[trailing++]!;
    dst[i] = sum / period;
  }
}

/**
 * EMA of src over [from, to) into dst[from + period - 1 .. to - 1]; to - from >= period.
 * TA-Lib's default (classic) seeding: the first value is the SMA of the first `period` values,
 * then prev + k·(x − prev) written as ((x − prev)·k) + prev, TA-Lib's exact form.
 */
export function emaInto(src: Float64Array, from: number, to: number, period: number, k: number, dst: Float64Array): void {
  let sum = 0;
  let i = from;
  const start = from + period;
  while (i < start) sum += src[i++]!;
  let prev = sum / period;
  dst[start - 1] = prev;
  for (; i < to; i++) {
    prev = (src[i]! - prev) * k + prev;
    dst[i] = prev;
  }
}

/** TA_MA_Lookback for SMA and EMA (checked by the caller): a period of 1 is the identity. */
export function maLookbackUnchecked(period: number): number {
  return period <= 1 ? 0 : period - 1;
}

/** TA_MA restricted to SMA/EMA, over [from, to) into dst[from + lookback ..]; period 1 copies. */
export function maInto(src: Float64Array, from: number, to: number, period: number, maType: MaType, dst: Float64Array): void {
  if (period === 1) {
    for (let i = from; i < to; i++) dst[i] = src[i]!;
  } else if (maType === MA_SMA) {
    smaInto(src, from, to, period, dst);
  } else {
    emaInto(src, from, to, period, perToK(period), dst);
  }
}

export function smaLookback(period: number): number {
  return period2(period) - 1;
}

export function sma(values: Float64Array, period: number): Float64Array {
  const lookback = smaLookback(period);
  const n = values.length;
  const out = warmup(n, lookback);
  if (n > lookback) smaInto(values, 0, n, period, out);
  return out;
}

export function emaLookback(period: number): number {
  return period2(period) - 1;
}

export function ema(values: Float64Array, period: number): Float64Array {
  const lookback = emaLookback(period);
  const n = values.length;
  const out = warmup(n, lookback);
  if (n > lookback) emaInto(values, 0, n, period, perToK(period), out);
  return out;
}

/** A moving average by TA_MAType (SMA = 0, EMA = 1), as TA_MA with those types (period 1..100000). */
export function maLookback(period: number, maType: number): number {
  maTypeParam('maType', maType);
  return maLookbackUnchecked(intParam('period', period, 1, MAX_PERIOD));
}

export function ma(values: Float64Array, period: number, maType: number): Float64Array {
  const lookback = maLookback(period, maType);
  const n = values.length;
  const out = warmup(n, lookback);
  if (n > lookback) maInto(values, 0, n, period, maType as MaType, out);
  return out;
}

export function wmaLookback(period: number): number {
  return period2(period) - 1;
}

/**
 * WMA with weights 1..period. TA-Lib updates two running sums: the weighted sum gains
 * period·x and loses the plain sum of the window, so each step is O(1).
 */
export function wma(values: Float64Array, period: number): Float64Array {
  const lookback = wmaLookback(period);
  const n = values.length;
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  const divider = (period * (period + 1)) >> 1;
  let periodSum = 0;
  let periodSub = 0;
  let i = 0;
  for (let w = 1; i < lookback; i++, w++) {
    const x = values[i]!;
    periodSub += x;
    periodSum += x * w;
  }
  let trailing = 0;
  let trailingValue = 0;
  for (; i < n; i++) {
    const x = values[i]!;
    periodSub += x;
    periodSub -= trailingValue;
    periodSum += x * period;
    trailingValue = values[trailing++]!;
    out[i] = periodSum / divider;
    periodSum -= periodSub;
  }
  return out;
}

export function demaLookback(period: number): number {
  return 2 * (period2(period) - 1);
}

/**
 * DEMA = 2·EMA − EMA(EMA). The inner EMA is seeded like any TA-Lib EMA: with the mean of the first
 * `period` values of the outer EMA, so the first output lands at 2·(period − 1). Both EMAs run in
 * one pass, the second one's seed accumulated as the first produces values.
 */
export function dema(values: Float64Array, period: number): Float64Array {
  const lookback = demaLookback(period);
  const n = values.length;
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  const k = perToK(period);
  const ema = new Float64Array(2);
  let i = seedChainedEmas(values, period, k, ema);
  let e1 = ema[0]!;
  let e2 = ema[1]!;
  out[lookback] = 2.0 * e1 - e2;
  for (; i < n; i++) {
    e1 = (values[i]! - e1) * k + e1;
    e2 = (e1 - e2) * k + e2;
    out[i] = 2.0 * e1 - e2;
  }
  return out;
}

/**
 * Seeds `ema.length` chained EMAs as TA-Lib's chained INT_EMA calls do: each starts from the mean
 * of the first `period` values of the one before, while the ones before it run on. Leaves each
 * EMA's value at the seed's last bar in `ema` and returns the index of the bar after it (DEMA,
 * TEMA and TRIX then run all of them on together, in the same arithmetic order).
 */
export function seedChainedEmas(values: Float64Array, period: number, k: number, ema: Float64Array): number {
  const lb = period - 1;
  let sum = 0;
  let i = 0;
  for (; i <= lb; i++) sum += values[i]!;
  ema[0] = sum / period;
  for (let level = 1; level < ema.length; level++) {
    sum = ema[level - 1]!;
    for (const end = (level + 1) * lb; i <= end; i++) {
      ema[0] = (values[i]! - ema[0]!) * k + ema[0]!;
      for (let j = 1; j < level; j++) ema[j] = (ema[j - 1]! - ema[j]!) * k + ema[j]!;
      sum += ema[level - 1]!;
    }
    ema[level] = sum / period;
  }
  return i;
}

export function temaLookback(period: number): number {
  return 3 * (period2(period) - 1);
}

/** TEMA = 3·EMA − 3·EMA² + EMA³, summed as TA-Lib does: EMA³ + ((3·EMA) − (3·EMA²)). */
export function tema(values: Float64Array, period: number): Float64Array {
  const lookback = temaLookback(period);
  const n = values.length;
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  const k = perToK(period);
  const ema = new Float64Array(3);
  let i = seedChainedEmas(values, period, k, ema);
  let e1 = ema[0]!;
  let e2 = ema[1]!;
  let e3 = ema[2]!;
  out[lookback] = e3 + (3.0 * e1 - 3.0 * e2);
  for (; i < n; i++) {
    e1 = (values[i]! - e1) * k + e1;
    e2 = (e1 - e2) * k + e2;
    e3 = (e2 - e3) * k + e3;
    out[i] = e3 + (3.0 * e1 - 3.0 * e2);
  }
  return out;
}

export function trimaLookback(period: number): number {
  return period2(period) - 1;
}

/**
 * TRIMA: an SMA of an SMA, with weights rising 1, 2, .. to the middle and falling back. TA-Lib keeps
 * three running numbers (the weighted total, the sum of the falling half and of the rising half);
 * an odd period has weights 1..(p+1)/2..1 (divisor ((p+1)/2)²), an even period repeats the middle
 * weight p/2 (divisor p/2·(p/2 + 1)), and the two cases update the halves in a different order.
 */
export function trima(values: Float64Array, period: number): Float64Array {
  const lookback = trimaLookback(period);
  const n = values.length;
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  const odd = period % 2 === 1;
  const half = period >> 1;
  const factor = 1.0 / (odd ? (half + 1) * (half + 1) : half * (half + 1));
  let trailing = 0;
  let middle = odd ? half : half - 1;
  let today = middle + half;
  let numerator = 0;
  let numeratorSub = 0;
  for (let i = middle; i >= trailing; i--) {
    numeratorSub += values[i]!;
    numerator += numeratorSub;
  }
  let numeratorAdd = 0;
  middle++;
  for (let i = middle; i <= today; i++) {
    numeratorAdd += values[i]!;
    numerator += numeratorAdd;
  }
  let x = values[trailing++]!;
  out[today] = numerator * factor;
  today++;
  if (odd) {
    for (; today < n; today++) {
      numerator -= numeratorSub;
      numeratorSub -= x;
      x = values[middle++]!;
      numeratorSub += x;
      numerator += numeratorAdd;
      numeratorAdd -= x;
      x = values[today]!;
      numeratorAdd += x;
      numerator += x;
      x = values[trailing++]!;
      out[today] = numerator * factor;
    }
  } else {
    for (; today < n; today++) {
      numerator -= numeratorSub;
      numeratorSub -= x;
      x = values[middle++]!;
      numeratorSub += x;
      numeratorAdd -= x;
      numerator += numeratorAdd;
      x = values[today]!;
      numeratorAdd += x;
      numerator += x;
      x = values[trailing++]!;
      out[today] = numerator * factor;
    }
  }
  return out;
}

export function kamaLookback(period: number): number {
  return period2(period);
}

/** KAMA's fastest and slowest smoothing constants, 2/(2+1) and 2/(30+1), fixed in TA-Lib. */
const KAMA_SLOW = 2.0 / (30.0 + 1.0);
const KAMA_DIFF = 2.0 / (2.0 + 1.0) - KAMA_SLOW;

/**
 * Kaufman adaptive MA. TA-Lib seeds it with the value before the first output (x[period − 1]) and
 * needs `period` changes for the first efficiency ratio, hence a lookback of `period`. The ratio is
 * 1 when the rolling sum of |changes| is ≤ the (signed) net change or is ~0, as in TA-Lib; the sum
 * of |changes| is kept rolling, so its arithmetic order is TA-Lib's too.
 */
export function kama(values: Float64Array, period: number): Float64Array {
  const lookback = kamaLookback(period);
  const n = values.length;
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  let sumRoc1 = 0;
  let today = 0;
  for (; today < period; today++) sumRoc1 += Math.abs(values[today]! - values[today + 1]!);
  let prevKama = values[today - 1]!;
  let trailing = 0;
  let x = values[today]!;
  let trailingValue = values[trailing++]!;
  let periodRoc = x - trailingValue;
  let sc = sumRoc1 <= periodRoc || (-TA_ZERO < sumRoc1 && sumRoc1 < TA_ZERO) ? 1.0 : Math.abs(periodRoc / sumRoc1);
  sc = sc * KAMA_DIFF + KAMA_SLOW;
  sc *= sc;
  prevKama = (values[today++]! - prevKama) * sc + prevKama;
  out[lookback] = prevKama;
  for (; today < n; today++) {
    x = values[today]!;
    const leaving = values[trailing++]!;
    periodRoc = x - leaving;
    sumRoc1 -= Math.abs(trailingValue - leaving);
    sumRoc1 += Math.abs(x - values[today - 1]!);
    trailingValue = leaving;
    sc = sumRoc1 <= periodRoc || (-TA_ZERO < sumRoc1 && sumRoc1 < TA_ZERO) ? 1.0 : Math.abs(periodRoc / sumRoc1);
    sc = sc * KAMA_DIFF + KAMA_SLOW;
    sc *= sc;
    prevKama = (x - prevKama) * sc + prevKama;
    out[today] = prevKama;
  }
  return out;
}
