/**
 * True range and Wilder's average true range as TA_TRANGE, TA_ATR and TA_NATR (unstable period 0).
 */
import { intParam } from '../problem';
import { commonLength, warmup } from './common';

/** TA-Lib's zero test bound (TA_IS_ZERO: |v| < 1e-8). Module-local and written out in the loops:
 *  an imported helper called per bar defeats inlining when modules are not bundled (tsx, vitest). */
const TA_ZERO = 0.00000001;

export function trangeLookback(): number {
  return 1;
}

/** Greatest of H − L, |C[−1] − H| and |C[−1] − L|; bar 0 has no previous close, so it is NaN. */
export function trange(high: Float64Array, low: Float64Array, close: Float64Array): Float64Array {
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close']);
  const out = warmup(n, 1);
  for (let i = 1; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const yc = close[i - 1]!;
    let greatest = h - l;
    const up = Math.abs(yc - h);
    if (up > greatest) greatest = up;
    const down = Math.abs(yc - l);
    if (down > greatest) greatest = down;
    out[i] = greatest;
  }
  return out;
}

export function atrLookback(period: number): number {
  return intParam('period', period, 1, 100_000);
}

/**
 * Wilder's ATR, written to out[period ..] (`natr` divides each value by the close). The first
 * value is the plain mean of the true ranges of bars 1..period (bar 0 has none), then
 * ((prev·(period − 1)) + TR)/period in TA-Lib's three steps. Period 1 is the true range itself.
 */
function atrInto(high: Float64Array, low: Float64Array, close: Float64Array, period: number, natr: boolean, out: Float64Array): void {
  const n = high.length;
  let prevClose = close[0]!;
  let total = 0;
  let atr = 0;
  const keep = period - 1;
  for (let i = 1; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    let tr = h - l;
    const up = Math.abs(prevClose - h);
    if (up > tr) tr = up;
    const down = Math.abs(prevClose - l);
    if (down > tr) tr = down;
    prevClose = close[i]!;
    if (period === 1) {
      atr = tr;
    } else if (i < period) {
      total += tr;
      continue;
    } else if (i === period) {
      total += tr;
      atr = total / period;
    } else {
      atr *= keep;
      atr += tr;
      atr /= period;
    }
    if (natr) out[i] = -TA_ZERO < prevClose && prevClose < TA_ZERO ? 0.0 : (atr / prevClose) * 100.0;
    else out[i] = atr;
  }
}

export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const lookback = atrLookback(period);
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close']);
  const out = warmup(n, lookback);
  if (n > lookback) atrInto(high, low, close, period, false, out);
  return out;
}

export function natrLookback(period: number): number {
  return intParam('period', period, 1, 100_000);
}

/**
 * NATR = 100 · ATR/close, 0 at a close of ~0. Period 1 follows TA-Lib, which hands it to TA_TRANGE:
 * the plain true range, not normalised (so a registry may prefer to offer periods from 2). Where
 * TA-Lib meets a ~0 close it writes its 0 into the first output slot and leaves that bar unset;
 * here the 0 lands on the bar itself.
 */
export function natr(high: Float64Array, low: Float64Array, close: Float64Array, period: number): Float64Array {
  const lookback = natrLookback(period);
  const n = commonLength(high, 'high', [low, 'low'], [close, 'close']);
  const out = warmup(n, lookback);
  if (n > lookback) atrInto(high, low, close, period, period > 1, out);
  return out;
}
