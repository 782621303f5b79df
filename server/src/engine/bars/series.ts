/**
 * A bar series as columns of typed arrays (no object per bar): what importers produce, the cache
 * returns, and indicators and backtests consume.
 */
export interface BarSeries {
  length: number;
  ts: Float64Array;
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  /** Shares. */
  volume: Float64Array;
  /** CNY. */
  amount: Float64Array;
}

export function allocateSeries(capacity: number): BarSeries {
  return {
    length: 0,
    ts: new Float64Array(capacity),
    open: new Float64Array(capacity),
    high: new Float64Array(capacity),
    low: new Float64Array(capacity),
    close: new Float64Array(capacity),
    volume: new Float64Array(capacity),
    amount: new Float64Array(capacity),
  };
}

/**
 * Bars [start, end) as views of the same arrays (no copy): the one way to cut a series (a range of
 * a cached series, the newest n bars, the filled part of an allocated one). Bounds are clamped to
 * the arrays, so `end` may pass `s.length` when filling a series allocated with spare capacity.
 */
export function sliceSeries(s: BarSeries, start = 0, end = s.length): BarSeries {
  const capacity = s.ts.length;
  const a = Math.min(Math.max(start, 0), capacity);
  const z = Math.min(Math.max(end, a), capacity);
  return {
    length: z - a,
    ts: s.ts.subarray(a, z),
    open: s.open.subarray(a, z),
    high: s.high.subarray(a, z),
    low: s.low.subarray(a, z),
    close: s.close.subarray(a, z),
    volume: s.volume.subarray(a, z),
    amount: s.amount.subarray(a, z),
  };
}

/** Writes bar `i` of a series (the one place that knows the column layout). */
export function setBar(
  s: BarSeries,
  i: number,
  ts: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
  amount: number,
): void {
  s.ts[i] = ts;
  s.open[i] = open;
  s.high[i] = high;
  s.low[i] = low;
  s.close[i] = close;
  s.volume[i] = volume;
  s.amount[i] = amount;
}

/** How many of the series' bars have ts ≤ t: the index of the first bar after t (ts ascending). */
export function barsUpTo(s: BarSeries, t: number): number {
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s.ts[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
