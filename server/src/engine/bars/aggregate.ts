/**
 * Weekly and monthly bars from daily bars: open of the first day, high/low over the days, close of
 * the last day, summed volume and amount. A week runs Monday..Sunday; the bar is dated on its last
 * trading day (as TDX and Eastmoney date them). One pass, no per-bar allocation.
 */
import { allocateSeries, sliceSeries, type BarSeries } from './series';

export type AggregatePeriod = 'week' | 'month';

function bucketOf(ts: number, period: AggregatePeriod): number {
  const d = new Date(ts * 1000);
  if (period === 'month') return d.getUTCFullYear() * 12 + d.getUTCMonth();
  // Days since the epoch, shifted so that weeks start on Monday (1970-01-01 was a Thursday).
  return Math.floor((Math.floor(ts / 86_400) + 3) / 7);
}

export function aggregateDaily(daily: BarSeries, period: AggregatePeriod): BarSeries {
  const out = allocateSeries(daily.length);
  let n = -1;
  let bucket = NaN;
  for (let i = 0; i < daily.length; i++) {
    const b = bucketOf(daily.ts[i]!, period);
    if (b !== bucket) {
      bucket = b;
      n++;
      out.open[n] = daily.open[i]!;
      out.high[n] = daily.high[i]!;
      out.low[n] = daily.low[i]!;
      out.volume[n] = 0;
      out.amount[n] = 0;
    } else {
      if (daily.high[i]! > out.high[n]!) out.high[n] = daily.high[i]!;
      if (daily.low[i]! < out.low[n]!) out.low[n] = daily.low[i]!;
    }
    out.ts[n] = daily.ts[i]!;
    out.close[n] = daily.close[i]!;
    out.volume[n]! += daily.volume[i]!;
    out.amount[n]! += daily.amount[i]!;
  }
  return sliceSeries(out, 0, n + 1);
}
