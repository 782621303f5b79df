/** The values the readout above the chart and the indicator legends show for one candle (a bar, or a bucket of bars). */
import { formatIndicatorValue, type ValueFormat } from '@/features/indicators/format';
import { sampleAt, type IndicatorView } from './panes';
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
}

export function readoutAt(series: BarSeries, w: RenderWindow, candle: number): Readout | null {
  if (candle < 0 || candle >= w.length) return null;
  const first = w.first[candle]!;
  const last = w.last[candle]!;
  const close = w.close[candle]!;
  const prevClose = first > 0 ? series.close[first - 1]! : null;
  const change = prevClose === null ? null : close - prevClose;
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
  };
}

export interface OutputValue {
  output: string;
  /** The output's label in the UI language; empty when the indicator has only one output (its title says it). */
  label: string;
  /** Null when there is no value (warm-up, or not loaded yet). */
  value: number | null;
}

/**
 * Each output of `view` at `candle`, sampled as drawn (a line's value at the bucket's last bar, a
 * histogram's largest in the bucket); values are null until they arrived.
 */
export function indicatorValuesAt(view: IndicatorView, w: RenderWindow | null, candle: number, lang: 'zh' | 'en'): OutputValue[] {
  const outputs = view.meta?.outputs ?? [];
  return outputs.map((o) => {
    const values = view.outputs?.[o.name];
    const v = values && w && candle >= 0 && candle < w.length ? sampleAt(values, w, candle, o.style === 'histogram') : Number.NaN;
    return { output: o.name, label: outputs.length > 1 ? o.label[lang] : '', value: Number.isNaN(v) ? null : v };
  });
}

/** `MACD(12,26,9) DIF 0.123 DEA 0.100 MACD 0.046`: the legend as one line of text. */
export function indicatorReadoutText(view: IndicatorView, values: readonly OutputValue[], format: ValueFormat): string {
  return [view.title, ...values.map((v) => `${v.label ? `${v.label} ` : ''}${formatIndicatorValue(v.value, format)}`)].join(' ');
}
