/**
 * Volume indicators: TA_OBV, TA_AD, TA_ADOSC as TA-Lib computes them, plus VWAP and the volume
 * moving average, which TA-Lib does not have.
 */
import { intParam } from '../problem';
import { commonLength, perToK, warmup } from './common';
import { sma, smaLookback } from './moving-averages';

export function obvLookback(): number {
  return 0;
}

/** On-balance volume. TA-Lib starts the running total at the first bar's volume, not at 0. */
export function obv(close: Float64Array, volume: Float64Array): Float64Array {
  const n = commonLength(close, 'close', [volume, 'volume']);
  const out = new Float64Array(n);
  if (n === 0) return out;
  let total = volume[0]!;
  let prev = close[0]!;
  for (let i = 0; i < n; i++) {
    const x = close[i]!;
    if (x > prev) total += volume[i]!;
    else if (x < prev) total -= volume[i]!;
    out[i] = total;
    prev = x;
  }
  return out;
}

export function adLookback(): number {
  return 0;
}

/**
 * Chaikin accumulation/distribution line: the running sum of ((C − L) − (H − C))/(H − L) · volume.
 * A bar with H = L adds nothing.
 */
export function ad(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array): Float64Array {
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close'], [volume, 'volume']);
  const out = new Float64Array(n);
  let total = 0.0;
  for (let i = 0; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const range = h - l;
    const c = close[i]!;
    if (range > 0.0) total += ((c - l - (h - c)) / range) * volume[i]!;
    out[i] = total;
  }
  return out;
}

function adoscPeriods(fastPeriod: number, slowPeriod: number): [number, number] {
  return [intParam('fastPeriod', fastPeriod, 2, 100_000), intParam('slowPeriod', slowPeriod, 2, 100_000)];
}

export function adoscLookback(fastPeriod: number, slowPeriod: number): number {
  const [fast, slow] = adoscPeriods(fastPeriod, slowPeriod);
  return Math.max(fast, slow) - 1;
}

/**
 * Chaikin oscillator = EMA(AD, fast) − EMA(AD, slow). Unlike TA_EMA, TA-Lib seeds both EMAs with
 * the first AD value (no SMA seed) and writes them as k·AD + (1 − k)·EMA; output starts after the
 * longer period's EMA lookback. The periods are not swapped: fast > slow just inverts the sign.
 */
export function adosc(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  fastPeriod: number,
  slowPeriod: number,
): Float64Array {
  const [fast, slow] = adoscPeriods(fastPeriod, slowPeriod);
  const lookback = Math.max(fast, slow) - 1;
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close'], [volume, 'volume']);
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  const fastK = perToK(fast);
  const oneMinusFastK = 1.0 - fastK;
  const slowK = perToK(slow);
  const oneMinusSlowK = 1.0 - slowK;
  let total = 0.0;
  let fastEma = 0;
  let slowEma = 0;
  for (let i = 0; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const range = h - l;
    const c = close[i]!;
    if (range > 0.0) total += ((c - l - (h - c)) / range) * volume[i]!;
    if (i === 0) {
      fastEma = total;
      slowEma = total;
      continue;
    }
    fastEma = fastK * total + oneMinusFastK * fastEma;
    slowEma = slowK * total + oneMinusSlowK * slowEma;
    if (i >= lookback) out[i] = fastEma - slowEma;
  }
  return out;
}

export function vwapLookback(): number {
  return 0;
}

/**
 * Running VWAP from the first bar of the series (not reset per session; TA-Lib has no VWAP):
 *
 *   VWAP[i] = Σ_{j ≤ i} amount[j] / Σ_{j ≤ i} volume[j]             when an amount column is given
 *   VWAP[i] = Σ_{j ≤ i} ((H[j] + L[j] + C[j])/3 · volume[j]) / Σ_{j ≤ i} volume[j]   otherwise
 *
 * amount (CNY) and volume (shares) must be in matching units for the first form. Until any volume
 * has traded the VWAP is undefined; those leading bars get their typical price, so the column has
 * no warm-up.
 */
export function vwap(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, amount?: Float64Array): Float64Array {
  const n = amount
    ? commonLength(high, 'high', [low, 'low'], [close, 'close'], [volume, 'volume'], [amount, 'amount'])
    : commonLength(high, 'high', [low, 'low'], [close, 'close'], [volume, 'volume']);
  const out = new Float64Array(n);
  let value = 0;
  let shares = 0;
  for (let i = 0; i < n; i++) {
    const tp = (high[i]! + low[i]! + close[i]!) / 3;
    const v = volume[i]!;
    value += amount ? amount[i]! : tp * v;
    shares += v;
    out[i] = shares !== 0 ? value / shares : tp;
  }
  return out;
}

export function volumeMaLookback(period: number): number {
  return smaLookback(period);
}

/** Volume moving average: the SMA of volume (TA_SMA conventions, period 2..100000). */
export function volumeMa(volume: Float64Array, period: number): Float64Array {
  return sma(volume, period);
}
