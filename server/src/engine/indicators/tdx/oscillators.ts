/**
 * Oscillators in the TDX (通达信) formula language: KDJ, RSI, WR, BIAS, CCI, PSY.
 *
 * Zero-division rule shared by the range-based ones: a window with no range or no movement carries
 * no information about where the close sits, so the value is the scale's neutral midpoint (RSV and
 * WR 50, RSI 50, CCI 0) rather than NaN or ±Infinity. TDX itself leaves the case undefined; a flat
 * stretch is ordinary in minute data of illiquid stocks and must not blank or spike the line.
 */
import { intParam, output } from '../problem';
import { barCount, dispersionInto, maOf, WindowExtreme } from './primitives';

export interface Kdj {
  k: Float64Array;
  d: Float64Array;
  j: Float64Array;
}

/**
 * KDJ(N, M1, M2):
 * ```
 * RSV:=(CLOSE-LLV(LOW,N))/(HHV(HIGH,N)-LLV(LOW,N))*100;
 * K:SMA(RSV,M1,1);
 * D:SMA(K,M2,1);
 * J:3*K-2*D;
 * ```
 * Warm-up: RSV needs a full window, so K, D and J start at bar N − 1, where K = D = J = RSV (both
 * SMAs are seeded with their input's first value, not with 50 as some packages do).
 * Zero division: HHV = LLV (a window with no range) gives RSV = 50.
 * Params: n ≥ 1, m1 ≥ 1, m2 ≥ 1 (m = 1 means no smoothing).
 */
export function kdj(high: Float64Array, low: Float64Array, close: Float64Array, n = 9, m1 = 3, m2 = 3): Kdj {
  const start = kdjStart(n, m1, m2);
  const length = barCount({ high, low, close });
  const k = output(length);
  const d = output(length);
  const j = output(length);
  const highest = new WindowExtreme(high, n, true);
  const lowest = new WindowExtreme(low, n, false);
  let kPrev = NaN;
  let dPrev = NaN;
  for (let i = 0; i < length; i++) {
    const hh = highest.push(i);
    const ll = lowest.push(i);
    if (i < start) continue;
    const rsv = hh === ll ? 50 : ((close[i]! - ll) / (hh - ll)) * 100;
    const kv = i === start ? rsv : (rsv + (m1 - 1) * kPrev) / m1;
    const dv = i === start ? kv : (kv + (m2 - 1) * dPrev) / m2;
    k[i] = kv;
    d[i] = dv;
    j[i] = 3 * kv - 2 * dv;
    kPrev = kv;
    dPrev = dv;
  }
  return { k, d, j };
}

/** First bar with K, D and J. */
export function kdjStart(n = 9, m1 = 3, m2 = 3): number {
  const start = intParam('n', n, 1) - 1;
  intParam('m1', m1, 1);
  intParam('m2', m2, 1);
  return start;
}

/**
 * RSI(N), the 通达信/同花顺 RSI (Wilder-style smoothing through SMA, not TA-Lib's seeding):
 * ```
 * LC:=REF(CLOSE,1);
 * RSI:SMA(MAX(CLOSE-LC,0),N,1)/SMA(ABS(CLOSE-LC),N,1)*100;
 * ```
 * Warm-up: the change needs the previous close, so the first value is at bar 1 (whatever N is):
 * both SMAs are seeded with the first change.
 * Zero division: SMA(ABS(…)) = 0 (no change at all since bar 0) gives 50. A long run of unchanged
 * closes keeps the last RSI, as the formula does in exact arithmetic (no underflow to 0/0).
 * Params: period N ≥ 1.
 */
export function rsi(close: Float64Array, period = 6): Float64Array {
  const start = rsiStart(period);
  const out = output(close.length);
  let up = 0;
  let move = 0;
  // Both SMAs shrink by (N − 1)/N per unchanged close. After a few thousand of them (a suspension
  // filled with flat minute bars) they would sink into subnormals, where their ratio turns to
  // noise, and then to 0/0. They are lifted by a power of two instead, which is exact and leaves
  // the ratio alone, and dropped back to their true (negligible) size when the price moves again.
  let lifted = 1;
  for (let i = start; i < close.length; i++) {
    const change = close[i]! - close[i - 1]!;
    if (i === start) {
      up = Math.max(change, 0);
      move = Math.abs(change);
    } else if (change === 0) {
      up = ((period - 1) * up) / period;
      move = ((period - 1) * move) / period;
      if (move !== 0 && move < RSI_TINY) {
        up *= RSI_LIFT;
        move *= RSI_LIFT;
        lifted *= RSI_LIFT;
      }
    } else {
      if (lifted !== 1) {
        up /= lifted;
        move /= lifted;
        lifted = 1;
      }
      up = (Math.max(change, 0) + (period - 1) * up) / period;
      move = (Math.abs(change) + (period - 1) * move) / period;
    }
    out[i] = move === 0 ? 50 : (up / move) * 100;
  }
  return out;
}

const RSI_TINY = 2 ** -900;
const RSI_LIFT = 2 ** 600;

/** First bar with an RSI value: 1, the first bar with a previous close. */
export function rsiStart(period = 6): number {
  intParam('period', period, 1);
  return 1;
}

/**
 * WR(N), Williams %R on the TDX scale (0 at the high, 100 at the low, no minus sign):
 * ```
 * WR:100*(HHV(HIGH,N)-CLOSE)/(HHV(HIGH,N)-LLV(LOW,N));
 * ```
 * Warm-up: first value at bar N − 1. Zero division: HHV = LLV gives 50.
 * Params: period N ≥ 1.
 */
export function wr(high: Float64Array, low: Float64Array, close: Float64Array, period = 10): Float64Array {
  const start = wrStart(period);
  const length = barCount({ high, low, close });
  const out = output(length);
  const highest = new WindowExtreme(high, period, true);
  const lowest = new WindowExtreme(low, period, false);
  for (let i = 0; i < length; i++) {
    const hh = highest.push(i);
    const ll = lowest.push(i);
    if (i >= start) out[i] = hh === ll ? 50 : (100 * (hh - close[i]!)) / (hh - ll);
  }
  return out;
}

/** First bar with a WR value. */
export function wrStart(period = 10): number {
  return intParam('period', period, 1) - 1;
}

/**
 * BIAS(N), 乖离率:
 * ```
 * BIAS:(CLOSE-MA(CLOSE,N))/MA(CLOSE,N)*100;
 * ```
 * Warm-up: first value at bar N − 1.
 * Zero division: MA = 0 gives 0 (only a window of zero prices has a zero mean).
 * Params: period N ≥ 1.
 */
export function bias(close: Float64Array, period = 6): Float64Array {
  const start = biasStart(period);
  const out = maOf(close, period);
  for (let i = start; i < close.length; i++) {
    const mean = out[i]!;
    out[i] = mean === 0 ? 0 : ((close[i]! - mean) / mean) * 100;
  }
  return out;
}

/** First bar with a BIAS value. */
export function biasStart(period = 6): number {
  return intParam('period', period, 1) - 1;
}

/**
 * CCI(N), 商品路径指标:
 * ```
 * TYP:=(HIGH+LOW+CLOSE)/3;
 * CCI:(TYP-MA(TYP,N))/(0.015*AVEDEV(TYP,N));
 * ```
 * Warm-up: first value at bar N − 1. AVEDEV is the mean absolute deviation from the window's mean,
 * computed exactly per window (O(N) per bar): a running form drifts and would turn a flat window
 * into ±66.67 noise instead of 0.
 * Zero division: AVEDEV = 0 (every TYP in the window equal, so TYP is its mean) gives 0. TYPs
 * within a few ulps of each other count as equal: the same three prices in another order can sum
 * to a different last bit, and that noise must not read as a ±66.67 signal.
 * Params: period N ≥ 2 (one bar has no deviation to measure).
 */
export function cci(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): Float64Array {
  const start = cciStart(period);
  const length = barCount({ high, low, close });
  const typ = new Float64Array(length);
  for (let i = 0; i < length; i++) typ[i] = (high[i]! + low[i]! + close[i]!) / 3;
  const avedev = output(length);
  const offset = output(length);
  dispersionInto(typ, period, 'avedev', avedev, offset);
  // TYP − MA(TYP, N) is −offset (see dispersionInto); reuse the array as the output.
  for (let i = start; i < length; i++) {
    const dev = avedev[i]!;
    offset[i] = dev === 0 ? 0 : -offset[i]! / (0.015 * dev);
  }
  return offset;
}

/** First bar with a CCI value. */
export function cciStart(period = 14): number {
  return intParam('period', period, 2) - 1;
}

export interface Psy {
  psy: Float64Array;
  psyma: Float64Array;
}

/**
 * PSY(N, M), 心理线:
 * ```
 * PSY:COUNT(CLOSE>REF(CLOSE,1),N)/N*100;
 * PSYMA:MA(PSY,M);
 * ```
 * Warm-up: the comparison needs the previous close (bar 1 on), so PSY starts at bar N and PSYMA at
 * N + M − 1. No division by a data value.
 * Params: n ≥ 1, m ≥ 1.
 */
export function psy(close: Float64Array, n = 12, m = 6): Psy {
  const start = psyStart(n, m);
  const out = output(close.length);
  // A count of whole bars: exact, no drift to guard against.
  let ups = 0;
  for (let i = 1; i < close.length; i++) {
    if (close[i]! > close[i - 1]!) ups++;
    if (i > n && close[i - n]! > close[i - n - 1]!) ups--;
    if (i >= start.psy) out[i] = (ups / n) * 100;
  }
  return { psy: out, psyma: maOf(out, m) };
}

/** First bars with PSY and PSYMA. */
export function psyStart(n = 12, m = 6): { psy: number; psyma: number } {
  intParam('n', n, 1);
  intParam('m', m, 1);
  return { psy: n, psyma: n + m - 1 };
}
