/** The values the readout above the chart shows for one candle (a bar, or a bucket of bars). */
import { MA_PERIODS, type MaPeriod, type Overlays } from './indicators';
import type { BarSeries } from './series';
import type { RenderWindow } from './window';

export interface Readout {
  /** Time of the (first) bar, and of the last bar when the candle is a bucket of several. */
  time: string;
  timeTo: string | null;
  bars: number;
  open: number;
  high: number;
  low: number;
  close: number;
  /** Close of the bar before the candle; null for the first bar of the series. */
  prevClose: number | null;
  change: number | null;
  changePercent: number | null;
  /** (high − low) / previous close, in percent. */
  amplitude: number | null;
  volume: number;
  amount: number;
  ma: Partial<Record<MaPeriod, number>>;
}

export function readoutAt(series: BarSeries, w: RenderWindow, candle: number, overlays: Overlays | null): Readout | null {
  if (candle < 0 || candle >= w.length) return null;
  const first = w.first[candle]!;
  const last = w.last[candle]!;
  const close = w.close[candle]!;
  const prevClose = first > 0 ? series.close[first - 1]! : null;
  const change = prevClose === null ? null : close - prevClose;
  const ma: Partial<Record<MaPeriod, number>> = {};
  if (overlays) {
    for (const p of MA_PERIODS) {
      const v = overlays[p][last]!;
      if (!Number.isNaN(v)) ma[p] = v;
    }
  }
  return {
    time: series.time[first]!,
    timeTo: last > first ? series.time[last]! : null,
    bars: last - first + 1,
    open: w.open[candle]!,
    high: w.high[candle]!,
    low: w.low[candle]!,
    close,
    prevClose,
    change,
    changePercent: prevClose ? (change! / prevClose) * 100 : null,
    amplitude: prevClose ? ((w.high[candle]! - w.low[candle]!) / prevClose) * 100 : null,
    volume: w.volume[candle]!,
    amount: w.amount[candle]!,
    ma,
  };
}
