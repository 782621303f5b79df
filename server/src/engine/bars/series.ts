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

/** A view of the first `length` bars (no copy). */
export function trimSeries(s: BarSeries, length = s.length): BarSeries {
  return {
    length,
    ts: s.ts.subarray(0, length),
    open: s.open.subarray(0, length),
    high: s.high.subarray(0, length),
    low: s.low.subarray(0, length),
    close: s.close.subarray(0, length),
    volume: s.volume.subarray(0, length),
    amount: s.amount.subarray(0, length),
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
