/**
 * How the K-line chart lays out its indicators: overlays (MA, BOLL …) as lines on the price grid,
 * each oscillator (VOL, MACD, KDJ …) in a pane of its own below, all sharing the time axis. The
 * model (which series go where, in which colour) depends only on which indicators are shown, not
 * on their values, so values arriving or the view moving never rebuild the chart's option.
 */
import type { Convention, IndicatorMeta } from '@/api/indicators';
import type { AlignedOutputs } from '@/features/indicators/align';
import type { RenderWindow } from './window';

/** One indicator as the chart draws it. */
export interface IndicatorView {
  /** Position in the chart's list of indicators (what editing and removing act on). */
  readonly index: number;
  /** What is computed (convention, name, every parameter): equal keys, equal values. */
  readonly key: string;
  readonly name: string;
  readonly convention: Convention;
  /** Null when the registry has no such indicator (a set saved by another version). */
  readonly meta: IndicatorMeta | null;
  /** Every parameter, defaults filled in. */
  readonly params: Readonly<Record<string, number>>;
  /** `MACD(12,26,9)`. */
  readonly title: string;
  /** Values aligned with the series (NaN where none); null until the server answered. */
  readonly outputs: AlignedOutputs | null;
  readonly loading: boolean;
  /** Why there are no values: the server's error (3002 not enough bars …), shown in the legend. */
  readonly error: { code: number; message: string; detail?: string } | null;
}

/** Neutral hues on purpose: red and green are for price moves. */
export const LINE_COLORS = ['#e6a23c', '#409eff', '#b37feb', '#13c2c2', '#eb2f96', '#b8860b', '#8492a6'] as const;

/** One ECharts series: a line, or one half (rising/falling) of a histogram. */
export interface SeriesSlot {
  readonly view: number;
  readonly output: string;
  /** 0 = the price grid, 1… the oscillator panes. */
  readonly grid: number;
  readonly kind: 'line' | 'up' | 'down';
  /** Histogram halves: split by the value's sign (MACD) or by the candle's direction (volume). */
  readonly splitBy: 'sign' | 'candle';
  readonly color: string;
}

export interface PaneModel {
  /** Index into the views. */
  readonly view: number;
  /** Volume-like values: the axis starts at 0 and reads 万/亿. */
  readonly volume: boolean;
  readonly histogram: boolean;
}

export interface ChartModel {
  /** Equal signatures, equal models. */
  readonly signature: string;
  /** Views drawn on the price grid, and those the registry does not know (legend only). */
  readonly overlays: readonly number[];
  readonly panes: readonly PaneModel[];
  readonly slots: readonly SeriesSlot[];
  /** `${view}:${output}` → line colour, for the legends. */
  readonly colors: ReadonlyMap<string, string>;
}

function signatureOf(views: readonly IndicatorView[]): string {
  return views.map((v) => (v.meta ? `${v.convention}:${v.name}:${v.meta.pane}:${v.meta.outputs.map((o) => `${o.name}/${o.style}`).join(',')}` : `?${v.name}`)).join('|');
}

/** The series and panes for `views`; `previous` is returned as is when nothing structural changed. */
export function chartModel(views: readonly IndicatorView[], previous?: ChartModel): ChartModel {
  const signature = signatureOf(views);
  if (previous && previous.signature === signature) return previous;
  const overlays: number[] = [];
  const panes: PaneModel[] = [];
  const slots: SeriesSlot[] = [];
  const colors = new Map<string, string>();
  let overlayColor = 0;
  views.forEach((view, i) => {
    const meta = view.meta;
    if (!meta || meta.pane === 'overlay') {
      overlays.push(i);
      for (const o of meta?.outputs ?? []) {
        // Histograms on the price pane would not share its scale: drawn as lines there.
        const color = LINE_COLORS[overlayColor++ % LINE_COLORS.length]!;
        colors.set(`${i}:${o.name}`, color);
        slots.push({ view: i, output: o.name, grid: 0, kind: 'line', splitBy: 'sign', color });
      }
      return;
    }
    const grid = panes.length + 1;
    const splitBy = meta.category === 'volume' ? 'candle' : 'sign';
    const histogram = meta.outputs.some((o) => o.style === 'histogram');
    panes.push({ view: i, volume: meta.category === 'volume' && histogram, histogram });
    // Histograms first, so the lines are drawn over the bars.
    for (const o of meta.outputs) {
      if (o.style !== 'histogram') continue;
      slots.push({ view: i, output: o.name, grid, kind: 'up', splitBy, color: '' });
      slots.push({ view: i, output: o.name, grid, kind: 'down', splitBy, color: '' });
    }
    let color = 0;
    for (const o of meta.outputs) {
      if (o.style === 'histogram') continue;
      const c = LINE_COLORS[color++ % LINE_COLORS.length]!;
      colors.set(`${i}:${o.name}`, c);
      slots.push({ view: i, output: o.name, grid, kind: 'line', splitBy, color: c });
    }
  });
  return { signature, overlays, panes, slots, colors };
}

// ---- Layout -------------------------------------------------------------------------------------

/** Room above the price grid for the overlays' legend. */
export const PRICE_LEGEND_PX = 22;
/** Room above each pane's grid for its legend. */
export const PANE_LEGEND_PX = 20;
/** Room under the last grid for the time labels. */
export const AXIS_PX = 22;
/** Share of the plot height the panes may take together, at most. */
const PANES_MAX_SHARE = 0.5;
const PANE_SHARE = 0.2;
const PANE_MIN_PX = 56;
const PANE_MAX_PX = 150;

export interface GridBox {
  readonly top: number;
  readonly height: number;
}

export interface ChartLayout {
  readonly price: GridBox;
  /** Each pane's grid; its legend sits in the PANE_LEGEND_PX above `top`. */
  readonly panes: readonly GridBox[];
}

/**
 * Grids for a chart `height` px high with `count` oscillator panes: each pane about a fifth of the
 * height (56–150 px with its legend), together never more than half, the price grid the rest.
 * `priceLegend` is the room the overlays' legend needs above the price grid (more when it wraps).
 */
export function layoutPanes(height: number, count: number, priceLegend = PRICE_LEGEND_PX): ChartLayout {
  const top = Math.max(PRICE_LEGEND_PX, priceLegend);
  const avail = Math.max(120, height - top - AXIS_PX);
  if (count === 0) return { price: { top, height: avail }, panes: [] };
  let block = Math.round(Math.min(PANE_MAX_PX, Math.max(PANE_MIN_PX, avail * PANE_SHARE)));
  if (block * count > avail * PANES_MAX_SHARE) block = Math.max(PANE_LEGEND_PX + 24, Math.floor((avail * PANES_MAX_SHARE) / count));
  const priceHeight = avail - block * count;
  const panes: GridBox[] = [];
  for (let i = 0; i < count; i++) {
    panes.push({ top: top + priceHeight + i * block + PANE_LEGEND_PX, height: block - PANE_LEGEND_PX });
  }
  return { price: { top, height: priceHeight }, panes };
}

// ---- Windowing ----------------------------------------------------------------------------------

/**
 * An indicator's value for candle `b` of the window, sampled as the candles are: a line takes the
 * value at the bucket's last bar (as the candle takes its close); a histogram takes the value of
 * largest magnitude in the bucket (so a volume or MACD spike stays visible when zoomed out).
 */
export function sampleAt(values: Float64Array, w: RenderWindow, b: number, histogram: boolean): number {
  const last = w.last[b]!;
  if (!histogram || w.bucket === 1) return values[last] ?? Number.NaN;
  let best = Number.NaN;
  for (let i = w.first[b]!; i <= last; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (Number.isNaN(best) || Math.abs(v) > Math.abs(best)) best = v;
  }
  return best;
}
