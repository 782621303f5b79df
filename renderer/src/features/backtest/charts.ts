/**
 * The result page's chart options (drawn by BaseChart) and the monthly heatmap's cell colours.
 * Pure functions of the data and a style, so they are tested without a canvas.
 */
import type { ChartOption } from '@/plugins/echarts';
import { formatPct } from './format';

export interface ChartStyle {
  dark: boolean;
  up: string;
  down: string;
  locale: string;
}

/** Neutral hues for strategy lines (red and green are for gains and losses). */
export const SERIES_COLORS = ['#409eff', '#e6a23c', '#b37feb', '#13c2c2', '#8492a6'] as const;
const BENCHMARK_COLOR = '#909399';

function axisColors(dark: boolean) {
  return { text: dark ? '#a3a6ad' : '#606266', line: dark ? '#363637' : '#ebeef5' };
}

/** Axis labels like `120万` / `1.2M` for equity in yuan. */
function compactYuan(value: number, locale: string): string {
  const abs = Math.abs(value);
  if (locale.startsWith('zh')) return abs >= 1e8 ? `${(value / 1e8).toFixed(2)}亿` : abs >= 1e4 ? `${(value / 1e4).toFixed(0)}万` : value.toFixed(0);
  return abs >= 1e9 ? `${(value / 1e9).toFixed(2)}B` : abs >= 1e6 ? `${(value / 1e6).toFixed(2)}M` : abs >= 1e3 ? `${(value / 1e3).toFixed(0)}K` : value.toFixed(0);
}

function base(style: ChartStyle, dates: readonly string[], top: number): Pick<ChartOption, 'animation' | 'grid' | 'xAxis' | 'tooltip'> {
  const { text, line } = axisColors(style.dark);
  return {
    animation: false,
    grid: { left: 64, right: 16, top, bottom: 28 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'line' } },
    xAxis: {
      type: 'category',
      data: [...dates],
      boundaryGap: false,
      axisLine: { lineStyle: { color: line } },
      axisTick: { show: false },
      axisLabel: { color: text, fontSize: 10 },
    },
  };
}

export interface EquityLabels {
  strategy: string;
  benchmark: string;
}

/** Equity and the benchmark rebased to the same initial equity, in yuan. */
export function equityOption(
  series: { dates: readonly string[]; equity: readonly number[]; benchmark: readonly number[] | null },
  labels: EquityLabels,
  style: ChartStyle,
): ChartOption {
  const { text, line } = axisColors(style.dark);
  const lines: NonNullable<ChartOption['series']> = [
    {
      type: 'line',
      name: labels.strategy,
      data: [...series.equity],
      showSymbol: false,
      lineStyle: { width: 1.5, color: SERIES_COLORS[0] },
      itemStyle: { color: SERIES_COLORS[0] },
    },
  ];
  if (series.benchmark) {
    lines.push({
      type: 'line',
      name: labels.benchmark,
      data: [...series.benchmark],
      showSymbol: false,
      lineStyle: { width: 1, color: BENCHMARK_COLOR, type: 'dashed' },
      itemStyle: { color: BENCHMARK_COLOR },
    });
  }
  return {
    ...base(style, series.dates, 28),
    legend: { top: 0, left: 0, textStyle: { color: text, fontSize: 11 }, itemWidth: 16, itemHeight: 8 },
    yAxis: {
      type: 'value',
      scale: true,
      splitLine: { lineStyle: { color: line } },
      axisLabel: { color: text, fontSize: 10, formatter: (v: number) => compactYuan(v, style.locale) },
    },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(2) : String(v)) },
    series: lines,
  };
}

/** The drawdown (≤ 0) as a filled area in the losing colour. */
export function drawdownOption(series: { dates: readonly string[]; drawdown: readonly number[] }, label: string, style: ChartStyle): ChartOption {
  const { text, line } = axisColors(style.dark);
  return {
    ...base(style, series.dates, 12),
    yAxis: {
      type: 'value',
      max: 0,
      splitNumber: 3,
      splitLine: { lineStyle: { color: line } },
      axisLabel: { color: text, fontSize: 10, formatter: (v: number) => formatPct(v, 0) },
    },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatPct(v) : String(v)) },
    series: [
      {
        type: 'line',
        name: label,
        data: [...series.drawdown],
        showSymbol: false,
        lineStyle: { width: 1, color: style.down },
        itemStyle: { color: style.down },
        areaStyle: { color: style.down, opacity: 0.25 },
      },
    ],
  };
}

/**
 * Several results' equity rebased to 1, on the union of their dates (a run that had not started
 * or had ended on a date shows a gap there, not a made-up value).
 */
export function compareOption(
  items: readonly { name: string; dates: readonly string[]; equity: readonly number[] }[],
  style: ChartStyle,
  options: { log?: boolean } = {},
): ChartOption {
  const { text, line } = axisColors(style.dark);
  const dates = [...new Set(items.flatMap((i) => i.dates))].sort();
  const index = new Map(dates.map((d, i) => [d, i]));
  const series = items.map((item, n) => {
    const data = new Array<number | string>(dates.length).fill('-');
    item.dates.forEach((d, i) => (data[index.get(d)!] = item.equity[i]!));
    const color = SERIES_COLORS[n % SERIES_COLORS.length]!;
    return { type: 'line' as const, name: item.name, data, showSymbol: false, connectNulls: false, lineStyle: { width: 1.5, color }, itemStyle: { color } };
  });
  return {
    ...base(style, dates, 28),
    legend: { top: 0, left: 0, textStyle: { color: text, fontSize: 11 }, itemWidth: 16, itemHeight: 8 },
    // A log axis shows equal percentage moves as equal heights: one run that grew 50-fold does not
    // flatten the others into the floor.
    yAxis: {
      type: options.log ? 'log' : 'value',
      scale: true,
      splitLine: { lineStyle: { color: line } },
      axisLabel: { color: text, fontSize: 10, formatter: (v: number) => v.toFixed(2) },
    },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(3) : String(v)) },
    series,
  };
}

function rgb(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  const n = parseInt(h.length === 3 ? h.replace(/./g, (c) => c + c) : h, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/**
 * A heatmap cell's background: the rising colour for a gain, the falling one for a loss (so the
 * red-up/green-down setting holds), stronger with the size of the move relative to `scale` (the
 * largest monthly move shown), capped so the figure stays readable on it. None for null or zero.
 */
export function heatColor(value: number | null, scale: number, style: Pick<ChartStyle, 'up' | 'down' | 'dark'>): string | undefined {
  if (value === null || !Number.isFinite(value) || value === 0 || !(scale > 0)) return undefined;
  const [r, g, b] = rgb(value > 0 ? style.up : style.down);
  const strength = Math.min(1, Math.abs(value) / scale);
  const alpha = (style.dark ? 0.15 : 0.1) + strength * (style.dark ? 0.55 : 0.5);
  return `rgba(${r}, ${g}, ${b}, ${alpha.toFixed(3)})`;
}

/** The largest absolute monthly return, the heatmap's full-colour point. */
export function heatScale(rows: readonly { months: readonly (number | null)[] }[]): number {
  let max = 0;
  for (const row of rows) for (const m of row.months) if (m !== null && Math.abs(m) > max) max = Math.abs(m);
  return max;
}
