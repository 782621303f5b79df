import { describe, expect, it } from 'vitest';
import { compareOption, drawdownOption, equityOption, heatColor, heatScale } from './charts';

const style = { dark: false, up: '#e53935', down: '#16a34a', locale: 'zh-CN' };

describe('backtest charts', () => {
  it('colours gains with the rising colour and losses with the falling one, whichever they are', () => {
    expect(heatColor(0.05, 0.1, style)).toMatch(/^rgba\(229, 57, 53, /);
    expect(heatColor(-0.05, 0.1, style)).toMatch(/^rgba\(22, 163, 74, /);
    const greenUp = { ...style, up: '#16a34a', down: '#e53935' };
    expect(heatColor(0.05, 0.1, greenUp)).toMatch(/^rgba\(22, 163, 74, /);
    expect(heatColor(null, 0.1, style)).toBeUndefined();
    expect(heatColor(0, 0.1, style)).toBeUndefined();
    // Stronger with the size of the move, capped at the scale.
    const alpha = (c: string | undefined) => Number(/, ([\d.]+)\)$/.exec(c ?? '')![1]);
    expect(alpha(heatColor(0.1, 0.1, style))).toBeGreaterThan(alpha(heatColor(0.01, 0.1, style)));
    expect(alpha(heatColor(0.5, 0.1, style))).toBe(alpha(heatColor(0.1, 0.1, style)));
    expect(heatScale([{ months: [0.01, null, -0.07] }, { months: [0.03] }])).toBe(0.07);
  });

  it('draws equity with the benchmark when there is one', () => {
    const series = { dates: ['2020-01-02', '2020-01-03'], equity: [1e6, 1.01e6], benchmark: [1e6, 0.99e6] };
    const with2 = equityOption(series, { strategy: 'S', benchmark: 'B' }, style) as { series: { name: string }[] };
    expect(with2.series.map((s) => s.name)).toEqual(['S', 'B']);
    const without = equityOption({ ...series, benchmark: null }, { strategy: 'S', benchmark: 'B' }, style) as { series: unknown[] };
    expect(without.series).toHaveLength(1);
    const dd = drawdownOption({ dates: series.dates, drawdown: [0, -0.1] }, 'DD', style) as { series: { lineStyle: { color: string } }[] };
    expect(dd.series[0]!.lineStyle.color).toBe(style.down);
  });

  it('puts compared results on the union of their dates, with gaps where one has none', () => {
    const option = compareOption(
      [
        { name: 'A', dates: ['d1', 'd2', 'd3'], equity: [1, 1.1, 1.2] },
        { name: 'B', dates: ['d2', 'd4'], equity: [1, 0.9] },
      ],
      style,
    ) as { xAxis: { data: string[] }; series: { data: unknown[] }[] };
    expect(option.xAxis.data).toEqual(['d1', 'd2', 'd3', 'd4']);
    expect(option.series[0]!.data).toEqual([1, 1.1, 1.2, '-']);
    expect(option.series[1]!.data).toEqual(['-', 1, '-', 0.9]);
    expect((compareOption([], style, { log: true }) as { yAxis: { type: string } }).yAxis.type).toBe('log');
  });
});
