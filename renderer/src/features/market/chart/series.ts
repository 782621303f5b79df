/**
 * Bars as the chart holds them: columns in typed arrays (one allocation per column, however many
 * bars), times as the server wrote them (`YYYY-MM-DD`, or `YYYY-MM-DD HH:mm` for minute bars).
 */
import type { Kline } from '@/api/market';

export interface BarSeries {
  readonly length: number;
  readonly time: readonly string[];
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly amount: Float64Array;
}

export const EMPTY_SERIES: BarSeries = fromColumns([], [], [], [], [], [], []);

function fromColumns(
  time: readonly string[],
  open: readonly number[],
  high: readonly number[],
  low: readonly number[],
  close: readonly number[],
  volume: readonly number[],
  amount: readonly number[],
): BarSeries {
  return {
    length: time.length,
    time,
    open: Float64Array.from(open),
    high: Float64Array.from(high),
    low: Float64Array.from(low),
    close: Float64Array.from(close),
    volume: Float64Array.from(volume),
    amount: Float64Array.from(amount),
  };
}

export function fromKline(k: Pick<Kline, 'time' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'amount'>): BarSeries {
  return fromColumns(k.time, k.open, k.high, k.low, k.close, k.volume, k.amount);
}

function joined(a: Float64Array, aCount: number, b: Float64Array): Float64Array {
  const out = new Float64Array(aCount + b.length);
  out.set(a.subarray(0, aCount), 0);
  out.set(b, aCount);
  return out;
}

/**
 * `older` followed by `newer`; the bars of `older` at or after the first time of `newer` are left
 * out (a page fetched with an inclusive `end` repeats the first bar already held).
 */
export function prependSeries(older: BarSeries, newer: BarSeries): BarSeries {
  const firstNewer = newer.time[0];
  let keep = older.length;
  if (firstNewer !== undefined) while (keep > 0 && older.time[keep - 1]! >= firstNewer) keep--;
  const time = older.time.slice(0, keep);
  for (const t of newer.time) time.push(t);
  return {
    length: keep + newer.length,
    time,
    open: joined(older.open, keep, newer.open),
    high: joined(older.high, keep, newer.high),
    low: joined(older.low, keep, newer.low),
    close: joined(older.close, keep, newer.close),
    volume: joined(older.volume, keep, newer.volume),
    amount: joined(older.amount, keep, newer.amount),
  };
}
