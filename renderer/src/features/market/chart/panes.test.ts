import { describe, expect, it } from 'vitest';
import { view } from '@/test/indicators';
import { AXIS_PX, chartModel, layoutPanes, PANE_LEGEND_PX, PRICE_LEGEND_PX, sampleAt } from './panes';
import { fromKline } from './series';
import { buildWindow } from './window';

describe('chartModel', () => {
  const views = [
    view(0, 'tdx', 'MA', null, { period: 5 }),
    view(1, 'tdx', 'VOL', null),
    view(2, 'tdx', 'BOLL', null),
    view(3, 'tdx', 'MACD', null),
    view(4, 'tdx', 'KDJ', null),
  ];

  it('puts overlays on the price grid and each oscillator in a pane of its own, histograms under the lines', () => {
    const model = chartModel(views);
    expect(model.overlays).toEqual([0, 2]);
    expect(model.panes).toEqual([
      { view: 1, volume: true, histogram: true },
      { view: 3, volume: false, histogram: true },
      { view: 4, volume: false, histogram: false },
    ]);
    expect(model.slots.map((s) => `${s.grid}:${s.view}:${s.output}:${s.kind}:${s.splitBy}`)).toEqual([
      '0:0:ma:line:sign',
      '1:1:volume:up:candle',
      '1:1:volume:down:candle',
      '1:1:ma1:line:candle',
      '1:1:ma2:line:candle',
      '0:2:mid:line:sign',
      '0:2:upper:line:sign',
      '0:2:lower:line:sign',
      '2:3:macd:up:sign',
      '2:3:macd:down:sign',
      '2:3:dif:line:sign',
      '2:3:dea:line:sign',
      '3:4:k:line:sign',
      '3:4:d:line:sign',
      '3:4:j:line:sign',
    ]);
  });

  it('gives the overlay lines distinct colours; each pane starts the palette again; the legend knows them', () => {
    const model = chartModel(views);
    const overlayColors = model.slots.filter((s) => s.grid === 0).map((s) => s.color);
    expect(new Set(overlayColors).size).toBe(4);
    expect(model.colors.get('3:dif')).toBe(model.colors.get('4:k'));
    expect(model.colors.get('3:macd')).toBeUndefined(); // histograms take the price colours
  });

  it('is the same object while the same kinds of indicators are shown (values and parameters may change)', () => {
    const model = chartModel(views);
    const edited = views.map((v, i) => (i === 3 ? view(3, 'tdx', 'MACD', { dif: [1] }, { fast: 10 }) : v));
    expect(chartModel(edited, model)).toBe(model);
    expect(chartModel(views.slice(0, 4), model)).not.toBe(model);
  });

  it('lists an indicator the registry does not know with the overlays (its legend says so), drawing nothing', () => {
    const model = chartModel([view(0, 'tdx', 'NOPE', null)]);
    expect(model.overlays).toEqual([0]);
    expect(model.slots).toEqual([]);
  });
});

describe('layoutPanes', () => {
  it('gives the price grid everything without panes', () => {
    expect(layoutPanes(600, 0)).toEqual({ price: { top: PRICE_LEGEND_PX, height: 600 - PRICE_LEGEND_PX - AXIS_PX }, panes: [] });
  });

  it('stacks the panes under the price grid, each with room for its legend, down to the time axis', () => {
    const height = 720;
    const { price, panes } = layoutPanes(height, 3);
    expect(panes).toHaveLength(3);
    let bottom = price.top + price.height;
    for (const pane of panes) {
      expect(pane.top).toBe(bottom + PANE_LEGEND_PX);
      expect(pane.height).toBeGreaterThanOrEqual(40);
      bottom = pane.top + pane.height;
    }
    expect(bottom).toBe(height - AXIS_PX);
    expect(price.height).toBeGreaterThanOrEqual((height - PRICE_LEGEND_PX - AXIS_PX) / 2);
  });

  it('moves the price grid down when the overlays legend wraps', () => {
    const one = layoutPanes(600, 2);
    const two = layoutPanes(600, 2, 40);
    expect(two.price.top).toBe(40);
    expect(two.price.height).toBeLessThan(one.price.height);
    expect(two.panes.at(-1)!.top + two.panes.at(-1)!.height).toBe(600 - AXIS_PX);
  });

  it('keeps the panes to half the height while each can still show a plot, then gives each its minimum', () => {
    const avail = 400 - PRICE_LEGEND_PX - AXIS_PX;
    expect(layoutPanes(400, 3).price.height).toBeGreaterThanOrEqual(avail / 2);
    const { price, panes } = layoutPanes(400, 6);
    expect(panes.every((p) => p.height >= 24)).toBe(true);
    expect(price.height).toBeGreaterThanOrEqual(80);
  });
});

describe('sampleAt', () => {
  const n = 8;
  const series = fromKline({
    time: Array.from({ length: n }, (_, i) => `d${i}`),
    open: Array(n).fill(1),
    high: Array(n).fill(2),
    low: Array(n).fill(0),
    close: Array(n).fill(1),
    volume: Array(n).fill(1),
    amount: Array(n).fill(1),
  });
  const values = Float64Array.from([Number.NaN, 1, -5, 2, 3, -1, 4, 0.5]);

  it('takes the bar itself when candles are bars', () => {
    const w = buildWindow(series, 0, n, 100);
    expect(sampleAt(values, w, 2, true)).toBe(-5);
    expect(Number.isNaN(sampleAt(values, w, 0, false))).toBe(true);
  });

  it('takes the last bar of a bucket for a line, the largest magnitude for a histogram', () => {
    const w = buildWindow(series, 0, n, 2); // buckets of 4: [0..3] [4..7]
    expect(w.bucket).toBe(4);
    expect(sampleAt(values, w, 0, false)).toBe(2);
    expect(sampleAt(values, w, 0, true)).toBe(-5);
    expect(sampleAt(values, w, 1, true)).toBe(4);
  });
});
