/**
 * The K-line chart's ECharts option, in two parts:
 *  - `klineBaseOption`: grids, axes, crosshair, colours and series styles (changes with the theme,
 *    the price colours, the period and the language), set in full;
 *  - `klineDataPatch`: the categories and series data of the current window (changes at frame rate
 *    while panning and zooming), merged on top.
 * Layout in fixed pixels on the left and right, so the chart can map a mouse x to a bar.
 */
import type { ChartOption } from '@/plugins/echarts';
import { MA_PERIODS, type MaPeriod, type Overlays } from './indicators';
import type { BarSeries } from './series';
import type { RenderWindow } from './window';

export const PLOT_LEFT = 64;
export const PLOT_RIGHT = 12;
/** The narrowest a candle gets: when more bars are in view, they are bucketed. */
export const MIN_PX_PER_CANDLE = 2;
/** Volume bars above which ECharts' large (batched) mode is used: almost always. */
const LARGE_THRESHOLD = 40;
/**
 * Below this many pixels per candle, candles are drawn in ECharts' large mode: two batched paths
 * of wicks (a 1 px body would not show anyway) instead of one element per candle.
 */
const LARGE_CANDLE_PX = 4;
/** Roughly how far apart the time labels are. */
const LABEL_SPACING_PX = 110;

/** Neutral hues on purpose: red and green are for price moves. */
export const MA_COLORS: Record<MaPeriod, string> = { 5: '#e6a23c', 10: '#409eff', 20: '#b37feb', 60: '#13c2c2' };

export interface KlineStyle {
  up: string;
  down: string;
  dark: boolean;
  /** Decimals of prices. */
  digits: number;
  /** Minute bars: the axis shows `MM-DD HH:mm`. */
  intraday: boolean;
  /** Formats volume for the axis (万/亿 or K/M). */
  formatVolume: (value: number) => string;
  labels: { kline: string; volume: string };
}

/** Plot width in pixels for a chart `width` wide. */
export function plotWidth(width: number): number {
  return Math.max(1, width - PLOT_LEFT - PLOT_RIGHT);
}

/** Most candles that fit in a chart `width` wide. */
export function maxCandles(width: number): number {
  return Math.max(16, Math.floor(plotWidth(width) / MIN_PX_PER_CANDLE));
}

function axisTime(intraday: boolean) {
  // `2021-06-03 14:59` → `06-03 14:59`; daily times stay `YYYY-MM-DD`.
  return (value: string) => (intraday && value.length > 10 ? value.slice(5) : value);
}

export function klineBaseOption(style: KlineStyle): ChartOption {
  const text = style.dark ? '#a3a6ad' : '#606266';
  const line = style.dark ? '#363637' : '#ebeef5';
  const pointer = style.dark ? '#8d9095' : '#909399';
  const formatTime = axisTime(style.intraday);
  const categoryAxis = {
    type: 'category' as const,
    boundaryGap: true,
    axisLine: { lineStyle: { color: line } },
    axisTick: { show: false },
    splitLine: { show: false },
    data: [] as string[],
  };
  return {
    animation: false,
    // The crosshair follows the mouse on both panes; the readout above the chart shows the values.
    axisPointer: {
      link: [{ xAxisIndex: 'all' }],
      label: { backgroundColor: style.dark ? '#4c4d4f' : '#606266' },
    },
    tooltip: {
      trigger: 'axis',
      showContent: false,
      axisPointer: { type: 'cross', lineStyle: { color: pointer, type: 'dashed' }, crossStyle: { color: pointer } },
    },
    grid: [
      // Room at the top for the MA legend drawn over the pane.
      { left: PLOT_LEFT, right: PLOT_RIGHT, top: 20, bottom: '27%' },
      { left: PLOT_LEFT, right: PLOT_RIGHT, height: '17%', bottom: 24 },
    ],
    xAxis: [
      { ...categoryAxis, gridIndex: 0, axisLabel: { show: false }, axisPointer: { label: { show: false } } },
      {
        ...categoryAxis,
        gridIndex: 1,
        // The label interval is set with the data (see klineDataPatch): letting ECharts work it out
        // measures every label's text on every frame.
        axisLabel: { color: text, fontSize: 10, formatter: formatTime },
        axisPointer: { label: { formatter: (p: { value: unknown }) => formatTime(String(p.value)) } },
      },
    ],
    yAxis: [
      {
        gridIndex: 0,
        scale: true,
        splitNumber: 4,
        axisLine: { show: false },
        axisTick: { show: false },
        // min/max come with the data (exact, not nice): only the nice ticks between get a label.
        axisLabel: { color: text, fontSize: 10, showMinLabel: false, showMaxLabel: false, formatter: (v: number) => v.toFixed(style.digits) },
        splitLine: { lineStyle: { color: line } },
        axisPointer: { label: { formatter: (p: { value: unknown }) => Number(p.value).toFixed(style.digits) } },
      },
      {
        gridIndex: 1,
        min: 0,
        splitNumber: 2,
        axisLine: { show: false },
        axisTick: { show: false },
        // Round ticks read better without decimals: 900亿, not 900.00亿.
        axisLabel: { color: text, fontSize: 10, formatter: (v: number) => style.formatVolume(v).replace(/\.0+(?=\D*$)/, '') },
        splitLine: { lineStyle: { color: line } },
        axisPointer: { label: { formatter: (p: { value: unknown }) => style.formatVolume(Number(p.value)) } },
      },
    ],
    series: [
      {
        type: 'candlestick',
        name: style.labels.kline,
        xAxisIndex: 0,
        yAxisIndex: 0,
        barMaxWidth: 14,
        // Large mode (set with the data, see klineDataPatch) draws candles as lines; no hover
        // effects either way: the crosshair and the readout do that job.
        silent: true,
        emphasis: { disabled: true },
        itemStyle: { color: style.up, color0: style.down, borderColor: style.up, borderColor0: style.down, borderColorDoji: style.up },
        data: [],
      },
      ...(['up', 'down'] as const).map((dir) => ({
        type: 'bar' as const,
        name: style.labels.volume,
        xAxisIndex: 1,
        yAxisIndex: 1,
        barMaxWidth: 14,
        barGap: '-100%',
        large: true,
        largeThreshold: LARGE_THRESHOLD,
        silent: true,
        emphasis: { disabled: true },
        itemStyle: { color: dir === 'up' ? style.up : style.down },
        data: [] as (number | string)[],
      })),
      ...MA_PERIODS.map((n) => ({
        type: 'line' as const,
        name: `MA${n}`,
        xAxisIndex: 0,
        yAxisIndex: 0,
        showSymbol: false,
        symbol: 'none',
        silent: true,
        emphasis: { disabled: true },
        lineStyle: { width: 1, color: MA_COLORS[n] },
        itemStyle: { color: MA_COLORS[n] },
        data: [] as (number | string)[],
      })),
    ],
  };
}

/**
 * The window's categories and data, merged over the base option (series by index: candles, volume
 * of rising bars, volume of falling bars, then the MA lines in MA_PERIODS order). `width` is the
 * chart's width, for the spacing of the time labels.
 */
export function klineDataPatch(series: BarSeries, w: RenderWindow, overlays: Overlays | null, width: number): ChartOption {
  const n = w.length;
  const times = new Array<string>(n);
  const candles = new Array<[number, number, number, number]>(n);
  const volUp = new Array<number | string>(n);
  const volDown = new Array<number | string>(n);
  const ma = MA_PERIODS.map(() => new Array<number | string>(n));
  let lo = Infinity;
  let hi = -Infinity;
  for (let b = 0; b < n; b++) {
    if (w.low[b]! < lo) lo = w.low[b]!;
    if (w.high[b]! > hi) hi = w.high[b]!;
    times[b] = series.time[w.first[b]!]!;
    const open = w.open[b]!;
    const close = w.close[b]!;
    candles[b] = [open, close, w.low[b]!, w.high[b]!];
    const up = close >= open;
    volUp[b] = up ? w.volume[b]! : '-';
    volDown[b] = up ? '-' : w.volume[b]!;
    const last = w.last[b]!;
    MA_PERIODS.forEach((p, k) => {
      const value = overlays ? overlays[p][last]! : Number.NaN;
      ma[k]![b] = Number.isNaN(value) ? '-' : value;
      if (value < lo) lo = value;
      if (value > hi) hi = value;
    });
  }
  // The price axis spans what is in view (candles and MA lines) with a little room, not the
  // "nice" range ECharts would round to (which can waste a third of the pane).
  const pad = (hi - lo) * 0.04 || Math.abs(hi) * 0.01 || 1;
  const labels = Math.max(1, Math.floor(plotWidth(width) / LABEL_SPACING_PX));
  const interval = Math.max(0, Math.ceil(n / labels) - 1);
  const large = plotWidth(width) / Math.max(1, n) < LARGE_CANDLE_PX;
  return {
    xAxis: [{ data: times }, { data: times, axisLabel: { interval } }],
    yAxis: [n > 0 ? { min: lo - pad, max: hi + pad } : { min: undefined, max: undefined }, {}],
    series: [
      { data: candles, large, largeThreshold: 0 },
      { data: volUp },
      { data: volDown },
      ...ma.map((data) => ({ data })),
    ],
  };
}
