import { describe, expect, it } from 'vitest';
import type { OptimizationHeatmap } from '@/api/optimize';
import { heatmapOption, heatmapScale, LABELLED_CELLS, mix, walkForwardEquityOption } from './charts';

const RED_UP = { up: '#e53935', down: '#16a34a', dark: false, locale: 'zh-CN' };
const GREEN_UP = { ...RED_UP, up: '#16a34a', down: '#e53935' };
const heatmap: OptimizationHeatmap = {
  x: 'fast',
  y: 'slow',
  xValues: [3, 4, 5],
  yValues: [10, 15],
  values: [
    [1.2, null, -0.4],
    [0.3, 2.5, null],
  ],
  trials: [
    [0, null, 6],
    [1, 4, null],
  ],
};
const labels = { x: 'fast', y: 'slow', objective: 'Sharpe' };

describe('optimize heatmap option', () => {
  it('puts x values across and y values up, one cell per pair with a value, nulls left blank', () => {
    const option = heatmapOption(heatmap, labels, RED_UP, (v) => v.toFixed(2));
    expect((option.xAxis as { data: string[] }).data).toEqual(['3', '4', '5']);
    expect((option.yAxis as { data: string[] }).data).toEqual(['10', '15']);
    const series = (option.series as { type: string; data: number[][]; label: { show: boolean } }[])[0]!;
    expect(series.type).toBe('heatmap');
    expect(series.data).toEqual([
      [0, 0, 1.2],
      [2, 0, -0.4],
      [0, 1, 0.3],
      [1, 1, 2.5],
    ]);
    expect(series.label.show).toBe(true);
  });

  it('centres a scale with gains and losses on zero: falling colour below, rising above (red-up aware)', () => {
    expect(heatmapScale(heatmap.values, RED_UP)).toEqual({ min: -2.5, max: 2.5, colors: ['#16a34a', '#f5f7fa', '#e53935'] });
    expect(heatmapScale(heatmap.values, GREEN_UP)!.colors).toEqual(['#e53935', '#f5f7fa', '#16a34a']);
    const option = heatmapOption(heatmap, labels, RED_UP, (v) => v.toFixed(2));
    expect(option.visualMap).toMatchObject({ min: -2.5, max: 2.5, inRange: { color: ['#16a34a', '#f5f7fa', '#e53935'] }, text: ['2.50', '-2.50'] });
  });

  it('runs an all-positive scale from a pale tint to the rising colour, and an all-negative one from the falling colour', () => {
    expect(heatmapScale([[1, 2], [3, null]], RED_UP)).toEqual({ min: 1, max: 3, colors: [mix('#f5f7fa', '#e53935', 0.15), '#e53935'] });
    expect(heatmapScale([[-1, -3]], RED_UP)).toEqual({ min: -3, max: -1, colors: ['#16a34a', mix('#f5f7fa', '#16a34a', 0.15)] });
    expect(heatmapScale([[null]], RED_UP)).toBeNull();
    expect(heatmapOption({ ...heatmap, values: [[null, null, null], [null, null, null]] }, labels, RED_UP, String).visualMap).toBeUndefined();
  });

  it('drops cell labels on a large grid', () => {
    const n = Math.ceil(Math.sqrt(LABELLED_CELLS)) + 1;
    const big: OptimizationHeatmap = { x: 'a', y: 'b', xValues: [...Array(n).keys()], yValues: [...Array(n).keys()], values: Array.from({ length: n }, () => Array<number>(n).fill(1)), trials: Array.from({ length: n }, () => Array<number>(n).fill(0)) };
    const series = (heatmapOption(big, labels, { ...RED_UP, dark: true }, String).series as { label: { show: boolean } }[])[0]!;
    expect(series.label.show).toBe(false);
  });

  it('mixes colours in hex', () => {
    expect(mix('#000000', '#ffffff', 0.5)).toBe('#808080');
  });
});

describe('walk-forward equity option', () => {
  it('draws the stitched OOS equity and the stitched benchmark as the backtest equity chart does', () => {
    const equity = { dates: ['2024-01-02', '2024-01-03', '2024-01-04'], values: [1_000_000, 1_010_000, 1_020_100], benchmark: [1_000_000, 990_000, 1_000_000] };
    const option = walkForwardEquityOption({ equity }, { strategy: 'WF', benchmark: 'HS300' }, RED_UP);
    const series = option.series as { name: string; data: number[] }[];
    expect(series.map((s) => s.name)).toEqual(['WF', 'HS300']);
    expect(series[0]!.data).toEqual(equity.values);
    expect((option.xAxis as { data: string[] }).data).toEqual(equity.dates);
    expect((walkForwardEquityOption({ equity: { ...equity, benchmark: null } }, { strategy: 'WF', benchmark: 'HS300' }, RED_UP).series as unknown[]).length).toBe(1);
  });
});
