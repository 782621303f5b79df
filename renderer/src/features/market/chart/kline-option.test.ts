import { describe, expect, it } from 'vitest';
import { view } from '@/test/indicators';
import { klineBaseOption, klineDataPatch, klineMarkerSeries, klineStaticOption, type KlineStyle } from './kline-option';
import { chartModel, layoutPanes } from './panes';
import { fromKline } from './series';
import { buildWindow } from './window';

const style: KlineStyle = { up: '#e53935', down: '#16a34a', dark: false, digits: 2, intraday: false, locale: 'zh-CN', labels: { kline: 'K线' } };
const series = fromKline({
  time: ['d0', 'd1', 'd2', 'd3'],
  open: [10, 11, 12, 11],
  high: [11, 12.5, 12.2, 11.5],
  low: [9.5, 10.8, 10.9, 10.5],
  close: [11, 12, 11, 11.2], // up, up, down, up
  volume: [100, 200, 300, 400],
  amount: [1, 2, 3, 4],
});
const views = [
  view(0, 'tdx', 'MA', { ma: [null, 10.5, 11.5, 13] }, { period: 2 }),
  view(1, 'tdx', 'VOL', { volume: [100, 200, 300, 400], ma1: [null, null, 200, 300], ma2: [null, null, null, null] }),
  view(2, 'tdx', 'MACD', { dif: [0, 0.1, -0.1, 0.05], dea: [0, 0.05, 0, 0.02], macd: [0, 0.1, -0.2, 0.06] }),
];
const model = chartModel(views);
type AnyOption = { grid: { top: number; height: number }[]; xAxis: { axisLabel: { show?: boolean } }[]; yAxis: unknown[]; series: Record<string, unknown>[] };

describe('klineBaseOption', () => {
  const option = klineBaseOption(style, model, layoutPanes(600, model.panes.length)) as unknown as AnyOption;

  it('has one grid, x axis and y axis per pane; only the bottom axis shows the times', () => {
    expect(option.grid).toHaveLength(3);
    expect(option.grid[1]!.top).toBeGreaterThan(option.grid[0]!.top + option.grid[0]!.height);
    expect(option.xAxis).toHaveLength(3);
    expect(option.xAxis.map((a) => a.axisLabel.show !== false)).toEqual([false, false, true]);
    expect(option.yAxis).toHaveLength(3);
  });

  it('draws lines in their colours and histograms as pairs of bars in the price colours', () => {
    const s = option.series;
    expect(s.map((x) => `${x.type}@${x.xAxisIndex}`)).toEqual([
      'candlestick@0',
      'line@0', // MA
      'bar@1', // volume, rising candles
      'bar@1', // volume, falling candles
      'line@1',
      'line@1',
      'bar@2', // MACD ≥ 0
      'bar@2', // MACD < 0
      'line@2',
      'line@2',
    ]);
    expect((s[2]!.itemStyle as { color: string }).color).toBe(style.up);
    expect((s[3]!.itemStyle as { color: string }).color).toBe(style.down);
    expect((s[1]!.lineStyle as { color: string }).color).toBe(model.colors.get('0:ma'));
    expect(s[2]!.large).toBe(true);
  });
});

describe('klineDataPatch', () => {
  const w = buildWindow(series, 0, 4, 100);
  const patch = klineDataPatch(series, w, views, model, 1276) as unknown as { series: { data: unknown[] }[]; yAxis: { min?: number; max?: number }[]; xAxis: { data: string[] }[] };

  it('fills each series in the model order; warm-up is a gap', () => {
    expect(patch.series).toHaveLength(model.slots.length + 1);
    expect(patch.series[1]!.data).toEqual(['-', 10.5, 11.5, 13]);
    expect(patch.series[8]!.data).toEqual([0, 0.1, -0.1, 0.05]); // DIF
    expect(patch.series[5]!.data).toEqual(['-', '-', '-', '-']); // MAVOL2 still warming up
  });

  it('colours volume by the candle, MACD by its sign', () => {
    expect(patch.series[2]!.data).toEqual([100, 200, '-', 400]);
    expect(patch.series[3]!.data).toEqual(['-', '-', 300, '-']);
    expect(patch.series[6]!.data).toEqual([0, 0.1, '-', 0.06]);
    expect(patch.series[7]!.data).toEqual(['-', '-', -0.2, '-']);
  });

  it('fits each axis to what is in view: the price axis includes the overlays, histogram panes include 0', () => {
    expect(patch.yAxis[0]!.max).toBeGreaterThan(13); // MA 13 above the highest high 12.5
    expect(patch.yAxis[0]!.min).toBeLessThan(9.5);
    expect(patch.yAxis[1]!.min).toBe(0);
    expect(patch.yAxis[1]!.max).toBeGreaterThan(400);
    expect(patch.yAxis[2]!.min).toBeLessThan(-0.2);
    expect(patch.xAxis).toHaveLength(3);
    expect(patch.xAxis[2]!.data).toEqual(['d0', 'd1', 'd2', 'd3']);
  });

  it('leaves an indicator without values empty (still loading, or failed)', () => {
    const pending = [views[0]!, view(1, 'tdx', 'VOL', null), views[2]!];
    const p = klineDataPatch(series, w, pending, model, 1276) as unknown as { series: { data: unknown[] }[] };
    expect(p.series[2]!.data).toEqual(['-', '-', '-', '-']);
    expect(p.series[1]!.data).toEqual(['-', 10.5, 11.5, 13]);
  });
});

describe('klineMarkerSeries', () => {
  it('puts buys under the low and sells over the high of the candle holding the fill, bucketed or not', () => {
    const markers = [
      { time: 'd1', side: 'buy' as const, price: 11, quantity: 100 },
      { time: 'd3', side: 'sell' as const, price: 11.2, quantity: 100 },
      { time: 'd9', side: 'sell' as const, price: 1, quantity: 100 }, // not in the series
    ];
    const [buys, sells] = klineMarkerSeries(series, buildWindow(series, 0, 4, 100), markers, style, { buy: 'B', sell: 'S' }) as { data: unknown[]; symbolRotate: number }[];
    expect(buys!.data).toEqual(['-', 10.8, '-', '-']);
    expect(sells!.data).toEqual(['-', '-', '-', 11.5]);
    expect(sells!.symbolRotate).toBe(180);

    // Two bars per candle: d0–d1 and d2–d3.
    const w = buildWindow(series, 0, 4, 2);
    expect(w.bucket).toBe(2);
    const [b2, s2] = klineMarkerSeries(series, w, markers, style, { buy: 'B', sell: 'S' }) as { data: unknown[] }[];
    expect(b2!.data).toEqual([9.5, '-']);
    expect(s2!.data).toEqual(['-', 12.2]);
  });
});

describe('klineStaticOption', () => {
  it('merges the data into the base option by index and appends the extra series', () => {
    const plain = chartModel([]);
    const w = buildWindow(series, 0, 4, 100);
    const base = klineBaseOption(style, plain, layoutPanes(400, 0));
    const markers = klineMarkerSeries(series, w, [{ time: 'd1', side: 'buy', price: 11, quantity: 100 }], style, { buy: 'B', sell: 'S' });
    const option = klineStaticOption(base, klineDataPatch(series, w, [], plain, 800), markers) as unknown as {
      xAxis: { data: string[]; axisLabel: { interval: number; formatter: unknown } }[];
      yAxis: { min: number; splitNumber: number }[];
      series: { type: string; data: unknown[] }[];
    };
    expect(option.xAxis[0]!.data).toEqual(['d0', 'd1', 'd2', 'd3']);
    expect(option.xAxis[0]!.axisLabel.interval).toBe(0);
    expect(typeof option.xAxis[0]!.axisLabel.formatter).toBe('function'); // kept from the base
    expect(option.yAxis[0]!.min).toBeLessThan(9.5);
    expect(option.yAxis[0]!.splitNumber).toBe(4);
    expect(option.series.map((s) => s.type)).toEqual(['candlestick', 'line', 'line']);
    expect(option.series[0]!.data).toHaveLength(4);
  });
});
