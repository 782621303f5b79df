/**
 * The heatmap of two searched parameters (drawn by the shared BaseChart): the best objective at
 * each (x, y) pair, coloured with the price-colour setting — better in the rising colour, worse
 * (below zero) in the falling one — and a pair no eligible trial has left blank. Pure, so it is
 * tested without a canvas.
 */
import type { ChartOption } from '@/plugins/echarts';
import type { OptimizationHeatmap, WalkForwardResult } from '@/api/optimize';
import { equityOption, type ChartStyle, type EquityLabels } from '@/features/backtest/charts';

export interface HeatmapLabels {
  x: string;
  y: string;
  objective: string;
}

/** Cells up to this many carry their value as a label; beyond, the tooltip tells. */
export const LABELLED_CELLS = 300;

function rgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  const n = parseInt(h.length === 3 ? h.replace(/./g, (c) => c + c) : h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** `a` moved `amount` (0–1) of the way to `b`, as hex. */
export function mix(a: string, b: string, amount: number): string {
  const [r1, g1, b1] = rgb(a);
  const [r2, g2, b2] = rgb(b);
  const c = (x: number, y: number) => Math.round(x + (y - x) * amount).toString(16).padStart(2, '0');
  return `#${c(r1, r2)}${c(g1, g2)}${c(b1, b2)}`;
}

/**
 * The colour scale: values on both sides of zero get the falling colour below, a neutral at zero
 * and the rising colour above, symmetric so that zero stays neutral; values all on one side run
 * from a pale tint of their colour (the worst) to the full colour (the best, or the worst loss).
 */
export function heatmapScale(values: readonly (number | null)[][], style: Pick<ChartStyle, 'up' | 'down' | 'dark'>): { min: number; max: number; colors: string[] } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of values) for (const v of row) if (v !== null && Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (lo === Infinity) return null;
  const neutral = style.dark ? '#2b2b2c' : '#f5f7fa';
  if (lo < 0 && hi > 0) {
    const m = Math.max(-lo, hi);
    return { min: -m, max: m, colors: [style.down, neutral, style.up] };
  }
  if (lo === hi) return { min: lo - 1, max: hi, colors: [mix(neutral, hi >= 0 ? style.up : style.down, 0.2), hi >= 0 ? style.up : style.down] };
  if (lo >= 0) return { min: lo, max: hi, colors: [mix(neutral, style.up, 0.15), style.up] };
  return { min: lo, max: hi, colors: [style.down, mix(neutral, style.down, 0.15)] };
}

/** The ECharts option: x values across, y values up, one cell per pair that has a value. */
export function heatmapOption(
  heatmap: OptimizationHeatmap,
  labels: HeatmapLabels,
  style: ChartStyle,
  format: (value: number) => string,
): ChartOption {
  const text = style.dark ? '#a3a6ad' : '#606266';
  const line = style.dark ? '#363637' : '#ebeef5';
  const data: [number, number, number][] = [];
  heatmap.values.forEach((row, yi) =>
    row.forEach((v, xi) => {
      if (v !== null && Number.isFinite(v)) data.push([xi, yi, v]);
    }),
  );
  const scale = heatmapScale(heatmap.values, style);
  const cells = heatmap.xValues.length * heatmap.yValues.length;
  return {
    animation: false,
    grid: { left: 56, right: 88, top: 12, bottom: 44 },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const [xi, yi, v] = (p as unknown as { value: [number, number, number] }).value;
        return `${labels.x} = ${heatmap.xValues[xi]}, ${labels.y} = ${heatmap.yValues[yi]}<br/>${labels.objective}: <b>${format(v)}</b>`;
      },
    },
    xAxis: {
      type: 'category',
      name: labels.x,
      nameLocation: 'middle',
      nameGap: 26,
      nameTextStyle: { color: text, fontSize: 11 },
      data: heatmap.xValues.map(String),
      splitArea: { show: false },
      axisLine: { lineStyle: { color: line } },
      axisTick: { show: false },
      axisLabel: { color: text, fontSize: 10 },
    },
    yAxis: {
      type: 'category',
      name: labels.y,
      nameLocation: 'middle',
      nameGap: 36,
      nameTextStyle: { color: text, fontSize: 11 },
      data: heatmap.yValues.map(String),
      axisLine: { lineStyle: { color: line } },
      axisTick: { show: false },
      axisLabel: { color: text, fontSize: 10 },
    },
    visualMap: scale
      ? {
          type: 'continuous',
          min: scale.min,
          max: scale.max,
          calculable: false,
          orient: 'vertical',
          right: 0,
          top: 'middle',
          itemHeight: 140,
          itemWidth: 12,
          precision: 2,
          text: [format(scale.max), format(scale.min)],
          textStyle: { color: text, fontSize: 10 },
          formatter: (v) => format(Number(v)),
          inRange: { color: scale.colors },
        }
      : undefined,
    series: [
      {
        type: 'heatmap',
        name: labels.objective,
        data,
        label: { show: cells <= LABELLED_CELLS, fontSize: 10, color: style.dark ? '#e5eaf3' : '#303133', formatter: (p) => format((p.value as number[])[2]!) },
        itemStyle: { borderColor: style.dark ? '#141414' : '#ffffff', borderWidth: 1 },
        emphasis: { itemStyle: { borderColor: text, borderWidth: 1 } },
      },
    ],
  };
}

/**
 * The stitched out-of-sample equity of a walk-forward (and its benchmark, stitched the same way)
 * as the backtest's equity chart draws a run.
 */
export function walkForwardEquityOption(wf: Pick<WalkForwardResult, 'equity'>, labels: EquityLabels, style: ChartStyle): ChartOption {
  return equityOption({ dates: wf.equity.dates, equity: wf.equity.values, benchmark: wf.equity.benchmark }, labels, style);
}
