/**
 * Oscillators as TA-Lib computes them: TA_RSI, TA_STOCH, TA_STOCHF, TA_STOCHRSI, TA_CCI, TA_MFI,
 * TA_WILLR, TA_ROC, TA_MOM and TA_TRIX, default compatibility, unstable periods of 0.
 */
import { intParam } from '../problem';
import { commonLength, type MaType, maTypeParam, perToK, warmup } from './common';
import { maInto, maLookbackUnchecked, seedChainedEmas } from './moving-averages';

/** TA-Lib's zero test bound (TA_IS_ZERO: |v| < 1e-8). Module-local and written out in the loops:
 *  an imported helper called per bar defeats inlining when modules are not bundled (tsx, vitest). */
const TA_ZERO = 0.00000001;

const MAX_PERIOD = 100_000;

export interface StochOutput {
  k: Float64Array;
  d: Float64Array;
}

/**
 * Wilder's RSI over [from, to) into dst[from + period ..]: average gain and loss are first the
 * plain means of the first `period` changes, then smoothed as (avg·(period − 1) + change)/period.
 * A gain + loss of ~0 (a flat window) gives 0, as in TA-Lib, not 50.
 */
function rsiInto(src: Float64Array, from: number, to: number, period: number, dst: Float64Array): void {
  let prev = src[from]!;
  let gain = 0;
  let loss = 0;
  let today = from + 1;
  const seedEnd = from + period;
  for (; today <= seedEnd; today++) {
    const x = src[today]!;
    const d = x - prev;
    prev = x;
    if (d < 0) loss -= d;
    else gain += d;
  }
  loss /= period;
  gain /= period;
  let sum = gain + loss;
  dst[seedEnd] = -TA_ZERO < sum && sum < TA_ZERO ? 0 : 100.0 * (gain / sum);
  const keep = period - 1;
  for (; today < to; today++) {
    const x = src[today]!;
    const d = x - prev;
    prev = x;
    loss *= keep;
    gain *= keep;
    if (d < 0) loss -= d;
    else gain += d;
    loss /= period;
    gain /= period;
    sum = gain + loss;
    dst[today] = -TA_ZERO < sum && sum < TA_ZERO ? 0 : 100.0 * (gain / sum);
  }
}

export function rsiLookback(period: number): number {
  return intParam('period', period, 2, MAX_PERIOD);
}

export function rsi(values: Float64Array, period: number): Float64Array {
  const lookback = rsiLookback(period);
  const n = values.length;
  const out = warmup(n, lookback);
  if (n > lookback) rsiInto(values, 0, n, period, out);
  return out;
}

/**
 * Where each close sits in the high–low range of the `period` bars ending at it, for indices
 * from + period − 1 .. to − 1: stochastic fast %K, (close − lowest)/((highest − lowest)/100), or
 * Williams %R, (highest − close)/((highest − lowest)/−100) — TA-Lib's exact expressions; a flat
 * range gives 0. The window extremes come from two monotonic deques (rings allocated once), O(n)
 * whatever the period; TA-Lib rescans the window when its extreme leaves it, which gives the same
 * values but degrades to O(n·period) on trending runs.
 */
function rangePositionInto(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  from: number,
  to: number,
  period: number,
  williams: boolean,
  dst: Float64Array,
): void {
  const hiIdx = new Int32Array(period);
  const hiVal = new Float64Array(period);
  const loIdx = new Int32Array(period);
  const loVal = new Float64Array(period);
  let hiHead = 0;
  let hiSize = 0;
  let loHead = 0;
  let loSize = 0;
  const first = from + period - 1;
  for (let i = from; i < to; i++) {
    const expired = i - period;
    if (hiSize > 0 && hiIdx[hiHead]! <= expired) {
      hiHead = hiHead + 1 === period ? 0 : hiHead + 1;
      hiSize--;
    }
    if (loSize > 0 && loIdx[loHead]! <= expired) {
      loHead = loHead + 1 === period ? 0 : loHead + 1;
      loSize--;
    }

    const h = high[i]!;
    let back = hiHead + hiSize - 1;
    if (back >= period) back -= period;
    while (hiSize > 0 && hiVal[back]! <= h) {
      hiSize--;
      back = back === 0 ? period - 1 : back - 1;
    }
    back = back + 1 === period ? 0 : back + 1;
    hiIdx[back] = i;
    hiVal[back] = h;
    hiSize++;

    const l = low[i]!;
    back = loHead + loSize - 1;
    if (back >= period) back -= period;
    while (loSize > 0 && loVal[back]! >= l) {
      loSize--;
      back = back === 0 ? period - 1 : back - 1;
    }
    back = back + 1 === period ? 0 : back + 1;
    loIdx[back] = i;
    loVal[back] = l;
    loSize++;

    if (i < first) continue;
    const highest = hiVal[hiHead]!;
    const lowest = loVal[loHead]!;
    if (williams) {
      const diff = (highest - lowest) / -100.0;
      dst[i] = diff !== 0.0 ? (highest - close[i]!) / diff : 0.0;
    } else {
      const diff = (highest - lowest) / 100.0;
      dst[i] = diff !== 0.0 ? (close[i]! - lowest) / diff : 0.0;
    }
  }
}

function stochPeriods(fastK: number, slowK: number, slowKMaType: number, slowD: number, slowDMaType: number) {
  return {
    fastK: intParam('fastKPeriod', fastK, 1, MAX_PERIOD),
    slowK: intParam('slowKPeriod', slowK, 1, MAX_PERIOD),
    slowKType: maTypeParam('slowKMaType', slowKMaType),
    slowD: intParam('slowDPeriod', slowD, 1, MAX_PERIOD),
    slowDType: maTypeParam('slowDMaType', slowDMaType),
  };
}

export function stochLookback(
  fastKPeriod: number,
  slowKPeriod: number,
  slowKMaType: number,
  slowDPeriod: number,
  slowDMaType: number,
): number {
  const p = stochPeriods(fastKPeriod, slowKPeriod, slowKMaType, slowDPeriod, slowDMaType);
  return p.fastK - 1 + maLookbackUnchecked(p.slowK) + maLookbackUnchecked(p.slowD);
}

/**
 * Slow stochastic: slow %K = MA(fast %K, slowKPeriod), slow %D = MA(slow %K, slowDPeriod), both
 * moving averages seeded from their first input as TA_MA does. Both lines start where %D does.
 */
export function stoch(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastKPeriod: number,
  slowKPeriod: number,
  slowKMaType: number,
  slowDPeriod: number,
  slowDMaType: number,
): StochOutput {
  const p = stochPeriods(fastKPeriod, slowKPeriod, slowKMaType, slowDPeriod, slowDMaType);
  const lookbackK = p.fastK - 1;
  const lookbackSlowK = lookbackK + maLookbackUnchecked(p.slowK);
  const lookback = lookbackSlowK + maLookbackUnchecked(p.slowD);
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close']);
  const k = warmup(n, lookback);
  const d = warmup(n, lookback);
  if (n <= lookback) return { k, d };
  const fastK = new Float64Array(n);
  rangePositionInto(high, low, close, 0, n, p.fastK, false, fastK);
  maInto(fastK, lookbackK, n, p.slowK, p.slowKType, k);
  maInto(k, lookbackSlowK, n, p.slowD, p.slowDType, d);
  k.fill(NaN, 0, lookback);
  return { k, d };
}

function stochfPeriods(fastK: number, fastD: number, fastDMaType: number): [number, number, MaType] {
  return [
    intParam('fastKPeriod', fastK, 1, MAX_PERIOD),
    intParam('fastDPeriod', fastD, 1, MAX_PERIOD),
    maTypeParam('fastDMaType', fastDMaType),
  ];
}

export function stochfLookback(fastKPeriod: number, fastDPeriod: number, fastDMaType: number): number {
  const [fastK, fastD] = stochfPeriods(fastKPeriod, fastDPeriod, fastDMaType);
  return fastK - 1 + maLookbackUnchecked(fastD);
}

/** Fast %K/%D from bar `from` on; k and d receive values from from + lookback, TA-Lib's begIdx. */
function stochfInto(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  from: number,
  n: number,
  fastK: number,
  fastD: number,
  fastDType: MaType,
  k: Float64Array,
  d: Float64Array,
): void {
  const lookbackK = from + fastK - 1;
  const lookback = lookbackK + maLookbackUnchecked(fastD);
  rangePositionInto(high, low, close, from, n, fastK, false, k);
  maInto(k, lookbackK, n, fastD, fastDType, d);
  k.fill(NaN, 0, lookback);
}

/** Fast stochastic: fast %K and fast %D = MA(fast %K, fastDPeriod); both start where %D does. */
export function stochf(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  fastKPeriod: number,
  fastDPeriod: number,
  fastDMaType: number,
): StochOutput {
  const [fastK, fastD, fastDType] = stochfPeriods(fastKPeriod, fastDPeriod, fastDMaType);
  const lookback = fastK - 1 + maLookbackUnchecked(fastD);
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close']);
  const k = warmup(n, lookback);
  const d = warmup(n, lookback);
  if (n > lookback) stochfInto(high, low, close, 0, n, fastK, fastD, fastDType, k, d);
  return { k, d };
}

export function stochRsiLookback(period: number, fastKPeriod: number, fastDPeriod: number, fastDMaType: number): number {
  return rsiLookback(period) + stochfLookback(fastKPeriod, fastDPeriod, fastDMaType);
}

/** STOCHRSI = STOCHF applied to the RSI series as high, low and close alike (TA-Lib's definition). */
export function stochRsi(values: Float64Array, period: number, fastKPeriod: number, fastDPeriod: number, fastDMaType: number): StochOutput {
  const lookback = stochRsiLookback(period, fastKPeriod, fastDPeriod, fastDMaType);
  const n = values.length;
  const k = warmup(n, lookback);
  const d = warmup(n, lookback);
  if (n <= lookback) return { k, d };
  const r = new Float64Array(n);
  rsiInto(values, 0, n, period, r);
  stochfInto(r, r, r, period, n, fastKPeriod, fastDPeriod, fastDMaType as MaType, k, d);
  return { k, d };
}

export function cciLookback(period: number): number {
  return intParam('period', period, 2, MAX_PERIOD) - 1;
}

/**
 * CCI = (tp − mean(tp))/(0.015 · mean |tp − mean(tp)|) with tp = (H + L + C)/3. The mean deviation
 * has to revisit the window, so like TA-Lib this is O(n·period); the window is a ring and both sums
 * run over it in ring-slot order (TA-Lib's order), not chronologically. 0 when either part is 0.
 */
export function cci(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const lookback = cciLookback(period);
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close']);
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  const ring = new Float64Array(period);
  let slot = 0;
  let i = 0;
  for (; i < lookback; i++) ring[slot++] = (high[i]! + low[i]! + close[i]!) / 3;
  for (; i < n; i++) {
    const last = (high[i]! + low[i]! + close[i]!) / 3;
    ring[slot] = last;
    let average = 0;
    for (let j = 0; j < period; j++) average += ring[j]!;
    average /= period;
    let deviation = 0;
    for (let j = 0; j < period; j++) deviation += Math.abs(ring[j]! - average);
    const diff = last - average;
    out[i] = diff !== 0.0 && deviation !== 0.0 ? diff / (0.015 * (deviation / period)) : 0.0;
    slot = slot + 1 === period ? 0 : slot + 1;
  }
  return out;
}

export function mfiLookback(period: number): number {
  return intParam('period', period, 2, MAX_PERIOD);
}

/**
 * Money flow index: raw flow = tp · volume, positive when tp rose, negative when it fell, neither
 * when unchanged; MFI = 100 · positive/(positive + negative) over the window. As in TA-Lib the
 * output is 0 when the window's total flow is below 1 (not only when it is 0).
 */
export function mfi(high: Float64Array, low: Float64Array, close: Float64Array, volume: Float64Array, period: number): Float64Array {
  const lookback = mfiLookback(period);
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close'], [volume, 'volume']);
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  const posRing = new Float64Array(period);
  const negRing = new Float64Array(period);
  let slot = 0;
  let posSum = 0;
  let negSum = 0;
  let prev = (high[0]! + low[0]! + close[0]!) / 3.0;
  for (let today = 1; today < n; today++) {
    if (today > period) {
      posSum -= posRing[slot]!;
      negSum -= negRing[slot]!;
    }
    const tp = (high[today]! + low[today]! + close[today]!) / 3.0;
    const change = tp - prev;
    prev = tp;
    const flow = tp * volume[today]!;
    if (change < 0) {
      negRing[slot] = flow;
      negSum += flow;
      posRing[slot] = 0.0;
    } else if (change > 0) {
      posRing[slot] = flow;
      posSum += flow;
      negRing[slot] = 0.0;
    } else {
      posRing[slot] = 0.0;
      negRing[slot] = 0.0;
    }
    slot = slot + 1 === period ? 0 : slot + 1;
    if (today >= period) {
      const total = posSum + negSum;
      out[today] = total < 1.0 ? 0.0 : 100.0 * (posSum / total);
    }
  }
  return out;
}

export function willrLookback(period: number): number {
  return intParam('period', period, 2, MAX_PERIOD) - 1;
}

/** Williams %R = −100·(highest − close)/(highest − lowest), dividing by (range/−100) as TA-Lib; flat → 0. */
export function willr(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const lookback = willrLookback(period);
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close']);
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  rangePositionInto(high, low, close, 0, n, period, true, out);
  return out;
}

export function rocLookback(period: number): number {
  return intParam('period', period, 1, MAX_PERIOD);
}

/** ROC = (x/x[−period] − 1)·100; 0 when the earlier value is exactly 0, as in TA-Lib. */
export function roc(values: Float64Array, period: number): Float64Array {
  const lookback = rocLookback(period);
  const n = values.length;
  const out = warmup(n, lookback);
  for (let i = lookback; i < n; i++) {
    const before = values[i - period]!;
    out[i] = before !== 0.0 ? (values[i]! / before - 1.0) * 100.0 : 0.0;
  }
  return out;
}

export function momLookback(period: number): number {
  return intParam('period', period, 1, MAX_PERIOD);
}

export function mom(values: Float64Array, period: number): Float64Array {
  const lookback = momLookback(period);
  const n = values.length;
  const out = warmup(n, lookback);
  for (let i = lookback; i < n; i++) out[i] = values[i]! - values[i - period]!;
  return out;
}

export function trixLookback(period: number): number {
  return 3 * (intParam('period', period, 1, MAX_PERIOD) - 1) + 1;
}

/**
 * TRIX = one-bar ROC of a triple EMA. Each EMA is seeded with the mean of the first `period`
 * values of the one before (TA-Lib's chained INT_EMA calls), run here in one pass.
 */
export function trix(values: Float64Array, period: number): Float64Array {
  const lookback = trixLookback(period);
  const n = values.length;
  const out = warmup(n, lookback);
  if (n <= lookback) return out;
  const k = perToK(period);
  const ema = new Float64Array(3);
  let i = seedChainedEmas(values, period, k, ema);
  let e1 = ema[0]!;
  let e2 = ema[1]!;
  let e3 = ema[2]!;
  for (; i < n; i++) {
    const before = e3;
    e1 = (values[i]! - e1) * k + e1;
    e2 = (e1 - e2) * k + e2;
    e3 = (e2 - e3) * k + e3;
    out[i] = before !== 0.0 ? (e3 / before - 1.0) * 100.0 : 0.0;
  }
  return out;
}
