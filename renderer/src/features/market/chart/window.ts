/**
 * What the chart hands to ECharts: never the whole series, only the bars in view, and when more
 * bars are in view than the plot has room for, OHLC-preserving buckets of them (open of the first
 * bar, highest high, lowest low, close of the last bar, summed volume and amount).
 *
 * Buckets are aligned to the END of the series (the newest bar always closes the last bucket), so
 * panning does not reshuffle them and prepending an older page leaves the existing ones alone; the
 * oldest bucket may hold fewer bars. Bucket sizes are powers of two, so zooming moves between a few
 * stable levels instead of re-bucketing on every wheel step.
 */
import type { BarSeries } from './series';

export interface RenderWindow {
  /** Bars per bucket; 1 = raw bars. */
  readonly bucket: number;
  /** Number of candles to draw. */
  readonly length: number;
  /** Series index of each candle's first and last bar. */
  readonly first: Int32Array;
  readonly last: Int32Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly amount: Float64Array;
}

/** 1 when `visibleBars` fit in `maxCandles`, else the smallest power of two that makes them fit. */
export function bucketSizeFor(visibleBars: number, maxCandles: number): number {
  const max = Math.max(1, Math.floor(maxCandles));
  let size = 1;
  while (Math.ceil(visibleBars / size) > max) size *= 2;
  return size;
}

/** First bar index of the bucket holding bar `index` (buckets end-aligned on `total` bars). */
export function bucketStart(index: number, total: number, size: number): number {
  if (size <= 1) return index;
  const offset = total % size;
  if (index < offset) return 0;
  return offset + Math.floor((index - offset) / size) * size;
}

/** Last bar index (inclusive) of the bucket that starts at `start`. */
function bucketEnd(start: number, total: number, size: number): number {
  const offset = total % size;
  if (size > 1 && start === 0 && offset > 0) return offset - 1;
  return Math.min(total, start + size) - 1;
}

/**
 * The candles for bars [start, end) of `series`: raw when they fit in `maxCandles`, otherwise
 * bucketed (whole buckets; the first and last may reach a little outside the range).
 */
export function buildWindow(series: BarSeries, start: number, end: number, maxCandles: number): RenderWindow {
  const total = series.length;
  const from = Math.max(0, Math.min(total, Math.floor(start)));
  const to = Math.max(from, Math.min(total, Math.ceil(end)));
  const size = bucketSizeFor(to - from, maxCandles);

  // Count the buckets first so every column is allocated once.
  const firstStart = to > from ? bucketStart(from, total, size) : from;
  let count = 0;
  for (let s = firstStart; s < to; s = bucketEnd(s, total, size) + 1) count++;

  const w = {
    bucket: size,
    length: count,
    first: new Int32Array(count),
    last: new Int32Array(count),
    open: new Float64Array(count),
    high: new Float64Array(count),
    low: new Float64Array(count),
    close: new Float64Array(count),
    volume: new Float64Array(count),
    amount: new Float64Array(count),
  };
  const { open, high, low, close, volume, amount } = series;
  let s = firstStart;
  for (let b = 0; b < count; b++) {
    const e = bucketEnd(s, total, size);
    let hi = high[s]!;
    let lo = low[s]!;
    let vol = 0;
    let amt = 0;
    for (let i = s; i <= e; i++) {
      if (high[i]! > hi) hi = high[i]!;
      if (low[i]! < lo) lo = low[i]!;
      vol += volume[i]!;
      amt += amount[i]!;
    }
    w.first[b] = s;
    w.last[b] = e;
    w.open[b] = open[s]!;
    w.high[b] = hi;
    w.low[b] = lo;
    w.close[b] = close[e]!;
    w.volume[b] = vol;
    w.amount[b] = amt;
    s = e + 1;
  }
  return w;
}
