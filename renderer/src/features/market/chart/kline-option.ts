/**
 * The K-line chart's ECharts option, in two parts:
 *  - `klineBaseOption`: grids, axes, crosshair, colours and series styles (changes with the theme,
 *    the price colours, the period, the language, the chart's height and which indicators are
 *    shown), set in full;
 *  - `klineDataPatch`: the categories and series data of the current window (changes at frame rate
 *    while panning and zooming, and when indicator values arrive), merged on top.
 * Grids: the price grid on top (candles and overlay indicators), then one grid per oscillator pane
 * (see panes.ts), all with the same categories so the crosshair and the view are shared. Layout in
 * fixed pixels on the left and right, so the chart can map a mouse x to a bar.
 */
import type { ChartOption } from '@/plugins/echarts';
import { formatIndicatorTick } from '@/features/indicators/format';
import { sampleAt, type ChartLayout, type ChartModel, type IndicatorView } from './panes';
import type { BarSeries } from './series';
import type { RenderWindow } from './window';

export const PLOT_LEFT = 64;
export const PLOT_RIGHT = 12;
/** The narrowest a candle gets: when more bars are in view, they are bucketed. */
export const MIN_PX_PER_CANDLE = 2;
/** Histogram bars above which ECharts' large (batched) mode is used: almost always. */
const LARGE_THRESHOLD = 40;
/**
 * Below this many pixels per candle, candles are drawn in ECharts' large mode: two batched paths
 * of wicks (a 1 px body would not show anyway) instead of one element per candle.
 */
const LARGE_CANDLE_PX = 4;
/** Roughly how far apart the time labels are. */
const LABEL_SPACING_PX = 110;

export interface KlineStyle {
  up: string;
  down: string;
  dark: boolean;
  /** Decimals of prices. */
  digits: number;
  /** Minute bars: the axis shows `MM-DD HH:mm`. */
  intraday: boolean;
  locale: string;
  labels: { kline: string };
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

export function klineBaseOption(style: KlineStyle, model: ChartModel, layout: ChartLayout): ChartOption {
  const text = style.dark ? '#a3a6ad' : '#606266';
  const line = style.dark ? '#363637' : '#ebeef5';
  const pointer = style.dark ? '#8d9095' : '#909399';
  const formatTime = axisTime(style.intraday);
  const grids = [layout.price, ...layout.panes];
  const last = grids.length - 1;
  const tick = (v: number) => formatIndicatorTick(v, style.locale);
  const pointerValue = (v: number) => (Math.abs(v) >= 1e4 ? tick(v) : v.toFixed(Math.abs(v) >= 10 ? 2 : 3));
  return {
    animation: false,
    // The crosshair follows the mouse on every pane; the readout and the legends show the values.
    axisPointer: {
      link: [{ xAxisIndex: 'all' }],
      label: { backgroundColor: style.dark ? '#4c4d4f' : '#606266' },
    },
    tooltip: {
      trigger: 'axis',
      showContent: false,
      axisPointer: { type: 'cross', lineStyle: { color: pointer, type: 'dashed' }, crossStyle: { color: pointer } },
    },
    grid: grids.map((g) => ({ left: PLOT_LEFT, right: PLOT_RIGHT, top: g.top, height: g.height })),
    xAxis: grids.map((_, i) => ({
      type: 'category' as const,
      gridIndex: i,
      boundaryGap: true,
      axisLine: { lineStyle: { color: line } },
      axisTick: { show: false },
      splitLine: { show: false },
      data: [] as string[],
      // Only the bottom axis has labels. Their interval is set with the data (see klineDataPatch):
      // letting ECharts work it out measures every label's text on every frame.
      axisLabel: i === last ? { color: text, fontSize: 10, formatter: formatTime } : { show: false },
      axisPointer: { label: i === last ? { formatter: (p: { value: unknown }) => formatTime(String(p.value)) } : { show: false } },
    })),
    yAxis: grids.map((_, i) => {
      const common = {
        gridIndex: i,
        scale: true,
        axisLine: { show: false },
        axisTick: { show: false },
        splitLine: { lineStyle: { color: line } },
      };
      if (i === 0) {
        return {
          ...common,
          splitNumber: 4,
          // min/max come with the data (exact, not nice): only the nice ticks between get a label.
          axisLabel: { color: text, fontSize: 10, showMinLabel: false, showMaxLabel: false, formatter: (v: number) => v.toFixed(style.digits) },
          axisPointer: { label: { formatter: (p: { value: unknown }) => Number(p.value).toFixed(style.digits) } },
        };
      }
      return {
        ...common,
        splitNumber: 2,
        axisLabel: { color: text, fontSize: 10, showMinLabel: false, showMaxLabel: false, formatter: tick },
        axisPointer: { label: { formatter: (p: { value: unknown }) => pointerValue(Number(p.value)) } },
      };
    }),
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
      ...model.slots.map((slot) =>
        slot.kind === 'line'
          ? {
              type: 'line' as const,
              name: `${slot.view}:${slot.output}`,
              xAxisIndex: slot.grid,
              yAxisIndex: slot.grid,
              showSymbol: false,
              symbol: 'none',
              silent: true,
              emphasis: { disabled: true },
              lineStyle: { width: 1, color: slot.color },
              itemStyle: { color: slot.color },
              data: [] as (number | string)[],
            }
          : {
              type: 'bar' as const,
              name: `${slot.view}:${slot.output}:${slot.kind}`,
              xAxisIndex: slot.grid,
              yAxisIndex: slot.grid,
              barMaxWidth: 14,
              barGap: '-100%',
              large: true,
              largeThreshold: LARGE_THRESHOLD,
              silent: true,
              emphasis: { disabled: true },
              itemStyle: { color: slot.kind === 'up' ? style.up : style.down },
              data: [] as (number | string)[],
            },
      ),
    ],
  };
}

/** Lowest and highest of what a grid shows, with a little room; null when it shows nothing. */
function paddedRange(lo: number, hi: number, zero: boolean, room: number): { min: number; max: number } | null {
  if (!(lo <= hi)) return null;
  if (zero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  const pad = (hi - lo) * room || Math.abs(hi) * 0.01 || 1;
  return { min: zero && lo === 0 ? 0 : lo - pad, max: zero && hi === 0 ? 0 : hi + pad };
}

/**
 * The window's categories and data, merged over the base option (series by index: the candles,
 * then `model.slots` in order). `views` are the indicators the model was built from, with the
 * values that have arrived. `width` is the chart's width, for the spacing of the time labels.
 */
export function klineDataPatch(series: BarSeries, w: RenderWindow, views: readonly IndicatorView[], model: ChartModel, width: number): ChartOption {
  const n = w.length;
  const grids = model.panes.length + 1;
  const times = new Array<string>(n);
  const candles = new Array<[number, number, number, number]>(n);
  const lo = new Array<number>(grids).fill(Infinity);
  const hi = new Array<number>(grids).fill(-Infinity);
  for (let b = 0; b < n; b++) {
    if (w.low[b]! < lo[0]!) lo[0] = w.low[b]!;
    if (w.high[b]! > hi[0]!) hi[0] = w.high[b]!;
    times[b] = series.time[w.first[b]!]!;
    candles[b] = [w.open[b]!, w.close[b]!, w.low[b]!, w.high[b]!];
  }

  const data = model.slots.map((slot) => {
    const out = new Array<number | string>(n);
    const values = views[slot.view]?.outputs?.[slot.output];
    if (!values) return out.fill('-');
    const histogram = slot.kind !== 'line';
    let min = lo[slot.grid]!;
    let max = hi[slot.grid]!;
    for (let b = 0; b < n; b++) {
      const v = sampleAt(values, w, b, histogram);
      let keep = !Number.isNaN(v);
      if (keep && histogram) {
        const up = slot.splitBy === 'sign' ? v >= 0 : w.close[b]! >= w.open[b]!;
        keep = up === (slot.kind === 'up');
      }
      if (!keep) {
        out[b] = '-';
        continue;
      }
      out[b] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    lo[slot.grid] = min;
    hi[slot.grid] = max;
    return out;
  });

  // Each axis spans what is in view with a little room, not the "nice" range ECharts would round
  // to (which can waste a third of a pane); histograms keep 0 in view.
  const yAxis = Array.from({ length: grids }, (_, g) => {
    const range = n > 0 ? paddedRange(lo[g]!, hi[g]!, g > 0 && model.panes[g - 1]!.histogram, g === 0 ? 0.04 : 0.08) : null;
    return range ?? { min: undefined, max: undefined };
  });
  const labels = Math.max(1, Math.floor(plotWidth(width) / LABEL_SPACING_PX));
  const interval = Math.max(0, Math.ceil(n / labels) - 1);
  const large = plotWidth(width) / Math.max(1, n) < LARGE_CANDLE_PX;
  return {
    xAxis: Array.from({ length: grids }, (_, g) => (g === grids - 1 ? { data: times, axisLabel: { interval } } : { data: times })),
    yAxis,
    series: [{ data: candles, large, largeThreshold: 0 }, ...data.map((d) => ({ data: d }))],
  };
}

// ---- Trade markers (backtest results) -----------------------------------------------------------

/** A fill to mark on the chart (BacktestMarker's shape, without the feature's import). */
export interface KlineMarker {
  readonly time: string;
  readonly side: 'buy' | 'sell';
  readonly price: number;
  readonly quantity: number;
}

/** The candle of the window holding bar `index` of the series, or -1 outside it. */
function candleOf(w: RenderWindow, index: number): number {
  let lo = 0;
  let hi = w.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (w.last[mid]! < index) lo = mid + 1;
    else if (w.first[mid]! > index) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/**
 * Buy and sell markers over the candles, as two extra series to append after klineDataPatch's:
 * an up-pointing triangle under the candle's low for a buy, a down-pointing one over its high for
 * a sell, in the price colours. Drawn as symbol-only lines (no line), one symbol per candle and
 * side however many fills a bucketed candle holds; fills on times the series does not have are
 * left out. Times match exactly (`YYYY-MM-DD`, or with `HH:mm` for minute bars).
 */
export function klineMarkerSeries(
  series: BarSeries,
  w: RenderWindow,
  markers: readonly KlineMarker[],
  style: Pick<KlineStyle, 'up' | 'down'>,
  labels: { buy: string; sell: string },
): NonNullable<ChartOption['series']> {
  const indexOf = new Map(series.time.map((t, i) => [t, i]));
  const buys = new Array<number | string>(w.length).fill('-');
  const sells = new Array<number | string>(w.length).fill('-');
  for (const m of markers) {
    const i = indexOf.get(m.time);
    if (i === undefined) continue;
    const b = candleOf(w, i);
    if (b < 0) continue;
    if (m.side === 'buy') buys[b] = w.low[b]!;
    else sells[b] = w.high[b]!;
  }
  const layer = (name: string, data: (number | string)[], color: string, buy: boolean) => ({
    type: 'line' as const,
    name,
    xAxisIndex: 0,
    yAxisIndex: 0,
    data,
    symbol: 'triangle',
    symbolSize: 9,
    symbolRotate: buy ? 0 : 180,
    symbolOffset: [0, buy ? 9 : -9],
    showSymbol: true,
    showAllSymbol: true,
    connectNulls: false,
    silent: true,
    z: 5,
    lineStyle: { width: 0, opacity: 0 },
    itemStyle: { color },
    emphasis: { disabled: true },
  });
  return [layer(labels.buy, buys, style.up, true), layer(labels.sell, sells, style.down, false)];
}

type Indexed = Record<string, unknown>;

function mergeByIndex(base: unknown, patch: unknown): Indexed[] {
  const b = (Array.isArray(base) ? base : [base]) as Indexed[];
  const p = (Array.isArray(patch) ? patch : []) as Indexed[];
  return b.map((item, i) => {
    const over = p[i];
    if (!over) return item;
    const merged: Indexed = { ...item, ...over };
    // One level deeper where both set an object (axisLabel: formatter from the base, interval from the patch).
    for (const [key, value] of Object.entries(over)) {
      const under = item[key];
      if (value && under && typeof value === 'object' && typeof under === 'object' && !Array.isArray(value)) merged[key] = { ...under, ...value };
    }
    return merged;
  });
}

/**
 * One full option for a K-line chart that does not pan or zoom (a backtest's trades): the base
 * option with the data patch merged in as ECharts would merge it, plus `extra` series appended
 * (the trade markers). The Market page's chart keeps the two apart to move at frame rate.
 */
export function klineStaticOption(base: ChartOption, patch: ChartOption, extra: NonNullable<ChartOption['series']> = []): ChartOption {
  return {
    ...base,
    xAxis: mergeByIndex(base.xAxis, patch.xAxis),
    yAxis: mergeByIndex(base.yAxis, patch.yAxis),
    series: [...mergeByIndex(base.series, patch.series), ...(Array.isArray(extra) ? extra : [extra])],
  } as ChartOption;
}
