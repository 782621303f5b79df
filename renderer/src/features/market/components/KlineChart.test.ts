import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { nextTick } from 'vue';
import { echarts } from '@/plugins/echarts';
import { i18n, setLocale } from '@/plugins/i18n';
import { applyPriceColors, PRICE_COLOR_VALUES } from '@/plugins/theme';
import ElementPlus from 'element-plus';
import { view } from '@/test/indicators';
import type { IndicatorView } from '../chart/panes';
import { fromKline, type BarSeries } from '../chart/series';
import KlineChart from './KlineChart.vue';

vi.mock('@/plugins/echarts', () => ({ echarts: { init: vi.fn() } }));

const WIDTH = 1276; // plot 1200 px → at most 600 candles

function fakeChart() {
  const handlers = new Map<string, (e: unknown) => void>();
  return {
    handlers,
    setOption: vi.fn(),
    resize: vi.fn(),
    dispose: vi.fn(),
    getWidth: () => WIDTH,
    getHeight: () => 600,
    on: vi.fn((name: string, fn: (e: unknown) => void) => handlers.set(name, fn)),
    getZr: () => ({ on: vi.fn() }),
  };
}

function minuteSeries(n: number): BarSeries {
  const time = Array.from({ length: n }, (_, i) => `2019-01-01 ${String(i).padStart(7, '0')}`);
  const close = time.map((_, i) => 3000 + Math.sin(i / 50) * 30);
  return fromKline({ time, open: close, high: close.map((c) => c + 1), low: close.map((c) => c - 1), close, volume: time.map(() => 1e6), amount: time.map(() => 1e9) });
}

/** The candles of the last data patch ECharts received. */
function lastCandles(chart: ReturnType<typeof fakeChart>): unknown[] {
  const patches = chart.setOption.mock.calls.map((c) => c[0] as { series?: { data?: unknown[] }[] }).filter((o) => o.series?.[0]?.data);
  return patches.at(-1)?.series?.[0]?.data ?? [];
}

let wrapper: VueWrapper | undefined;
let chart: ReturnType<typeof fakeChart>;

async function mountChart(series: BarSeries, props: Record<string, unknown> = {}) {
  wrapper = mount(KlineChart, {
    props: { series, period: '1m', ...props },
    global: { plugins: [i18n, ElementPlus] },
    attachTo: document.body,
  });
  await flushPromises();
  return wrapper;
}

beforeEach(() => {
  setLocale('zh-CN');
  chart = fakeChart();
  vi.mocked(echarts.init).mockReturnValue(chart as never);
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
});

describe('KlineChart', () => {
  it('never hands ECharts more candles than the plot has room for, even for 240,000 bars', async () => {
    const series = minuteSeries(240_000);
    const w = await mountChart(minuteSeries(0));
    await w.setProps({ series });
    expect(lastCandles(chart)).toHaveLength(160); // opens on the newest 160 bars

    // Zoom all the way out with the keyboard.
    const el = w.get('[data-testid="market-chart"]');
    for (let i = 0; i < 40; i++) await el.trigger('keydown', { key: 'ArrowDown' });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await nextTick();
    expect(el.attributes('data-view-start')).toBe('0');
    expect(el.attributes('data-view-end')).toBe('240000');
    const candles = lastCandles(chart);
    expect(candles.length).toBeLessThanOrEqual(600);
    expect(candles.length).toBeGreaterThan(200);
    expect(Number(el.attributes('data-bucket'))).toBe(512);
  });

  it('shows the readout of the last bar, then of the bar under the crosshair', async () => {
    const series = fromKline({
      time: ['2025-08-01', '2025-08-04', '2025-08-05'],
      open: [12.82, 12.9, 13.15],
      high: [12.98, 13.45, 13.78],
      low: [12.58, 12.9, 13.14],
      close: [12.92, 13.13, 13.75],
      volume: [79386104, 99782728, 133646594],
      amount: [1018578944, 1321632128, 1812400000],
    });
    const w = await mountChart(minuteSeries(0), { period: 'day' });
    await w.setProps({ series });
    const readout = () => w.get('[data-testid="market-readout"]').text();
    expect(readout()).toContain('2025-08-05');
    expect(w.get('[data-testid="market-readout-close"]').text()).toBe('13.75');
    expect(readout()).toContain('+0.62 (+4.72%)');
    expect(readout()).toContain('1.34亿');

    chart.handlers.get('updateAxisPointer')!({ axesInfo: [{ axisDim: 'x', axisIndex: 1, value: 1 }] });
    await nextTick();
    expect(w.get('[data-testid="market-readout-close"]').text()).toBe('13.13');
    expect(readout()).toContain('2025-08-04');
  });

  it('pans and zooms with the keys, and asks for older bars near the oldest one held', async () => {
    const series = minuteSeries(1000);
    const w = await mountChart(minuteSeries(0), { hasMore: true });
    await w.setProps({ series });
    const el = w.get('[data-testid="market-chart"]');
    const view = (): [number, number] => [Number(el.attributes('data-view-start')), Number(el.attributes('data-view-end'))];
    expect(view()).toEqual([840, 1000]);
    await el.trigger('keydown', { key: 'ArrowLeft' });
    expect(view()).toEqual([824, 984]);
    await el.trigger('keydown', { key: 'ArrowUp' });
    expect(view()[1]).toBe(984);
    expect(view()[1] - view()[0]).toBe(128);
    await el.trigger('keydown', { key: 'End' });
    expect(view()).toEqual([872, 1000]);
    expect(w.emitted('needOlder')).toBeUndefined();
    await el.trigger('keydown', { key: 'Home' });
    expect(view()).toEqual([0, 128]);
    expect(w.emitted('needOlder')).toHaveLength(1);

    // Older bars arrive in front: the same bars stay in view.
    const more = minuteSeries(1500);
    const shifted = fromKline({
      time: [...more.time.slice(0, 500).map((t) => `0${t}`), ...series.time],
      open: [...more.open.slice(0, 500), ...series.open],
      high: [...more.high.slice(0, 500), ...series.high],
      low: [...more.low.slice(0, 500), ...series.low],
      close: [...more.close.slice(0, 500), ...series.close],
      volume: [...more.volume.slice(0, 500), ...series.volume],
      amount: [...more.amount.slice(0, 500), ...series.amount],
    });
    await w.setProps({ series: shifted });
    expect(view()).toEqual([500, 628]);
  });

  it('repaints in the other colours when the price-colour setting changes, keeping its data', async () => {
    const series = minuteSeries(500);
    const w = await mountChart(minuteSeries(0));
    await w.setProps({ series });
    type Full = { series: { itemStyle?: { color?: string; color0?: string } }[] };
    const fullRenders = () => chart.setOption.mock.calls.filter((c) => (c[1] as { notMerge?: boolean } | undefined)?.notMerge).map((c) => c[0] as Full);
    expect(fullRenders().at(-1)!.series[0]!.itemStyle).toMatchObject({ color: PRICE_COLOR_VALUES['red-up'].up, color0: PRICE_COLOR_VALUES['red-up'].down });

    applyPriceColors('green-up');
    await nextTick();
    expect(fullRenders().at(-1)!.series[0]!.itemStyle).toMatchObject({ color: PRICE_COLOR_VALUES['green-up'].up, color0: PRICE_COLOR_VALUES['green-up'].down });
    expect(lastCandles(chart)).toHaveLength(160); // the data went back on top of the new option
    applyPriceColors('red-up');
  });

  describe('indicators', () => {
    const daily = fromKline({
      time: ['2025-08-01', '2025-08-04', '2025-08-05'],
      open: [12.82, 12.9, 13.15],
      high: [12.98, 13.45, 13.78],
      low: [12.58, 12.9, 13.14],
      close: [12.92, 13.13, 13.75],
      volume: [79386104, 99782728, 133646594],
      amount: [1018578944, 1321632128, 1812400000],
    });
    const indicators: IndicatorView[] = [
      view(0, 'tdx', 'MA', { ma: [null, 13.025, 13.44] }, { period: 2 }),
      view(1, 'tdx', 'VOL', { volume: [79386104, 99782728, 133646594], ma1: [null, null, 104271808.7], ma2: [null, null, null] }),
      view(2, 'tdx', 'MACD', { dif: [0, 0.0168, 0.12345], dea: [0, 0.0034, 0.1], macd: [0, 0.0268, 0.04691] }),
      view(3, 'tdx', 'KDJ', null, undefined, { error: { code: 3002, message: '数据不足以计算该指标', detail: 'KDJ needs at least 9 bars' } }),
    ];
    type Full = { grid: unknown[]; series: { type: string; xAxisIndex: number }[] };
    const lastFull = () => chart.setOption.mock.calls.filter((c) => (c[1] as { notMerge?: boolean } | undefined)?.notMerge).at(-1)![0] as Full;
    const legend = (w: VueWrapper, name: string) => w.get(`[data-testid="indicator-legend"][data-name="${name}"]`);

    async function mountDaily() {
      const w = await mountChart(minuteSeries(0), { period: 'day', indicators });
      await w.setProps({ series: daily });
      return w;
    }

    it('gives every oscillator a pane of its own under the price grid', async () => {
      const w = await mountDaily();
      expect(w.get('[data-testid="market-chart"]').attributes('data-panes')).toBe('3');
      expect(lastFull().grid).toHaveLength(4);
      expect(w.findAll('[data-testid="indicator-pane"]').map((p) => p.attributes('data-name'))).toEqual(['VOL', 'MACD', 'KDJ']);
      expect(w.get('[data-testid="market-overlays"]').text()).toContain('MA(2)');
    });

    it('shows the values of each indicator at the last bar, then at the bar under the crosshair', async () => {
      const w = await mountDaily();
      expect(legend(w, 'MACD').text()).toBe('MACD(12,26,9)DIF0.123DEA0.100MACD0.047');
      expect(legend(w, 'MA').text()).toContain('13.44');
      expect(legend(w, 'VOL').text()).toContain('1.34亿');
      chart.handlers.get('updateAxisPointer')!({ axesInfo: [{ axisDim: 'x', axisIndex: 2, value: 1 }] });
      await nextTick();
      expect(legend(w, 'MACD').findAll('[data-testid="indicator-value"]').map((v) => v.text())).toEqual(['DIF0.017', 'DEA0.003', 'MACD0.027']);
      expect(legend(w, 'MA').text()).toContain('13.03'); // price decimals on the price pane
    });

    it('says in its legend why an indicator has no values', async () => {
      const w = await mountDaily();
      const error = legend(w, 'KDJ').get('[data-testid="indicator-error"]');
      expect(error.text()).toBe('数据不足以计算该指标');
      expect(error.attributes('title')).toBe('KDJ needs at least 9 bars');
      expect(error.attributes('data-code')).toBe('3002');
    });

    it('edits parameters in place (Enter applies, Escape cancels) and removes an indicator', async () => {
      const w = await mountDaily();
      await legend(w, 'MACD').get('[data-testid="indicator-title"]').trigger('click');
      await flushPromises();
      const form = () => document.querySelector<HTMLFormElement>('[data-testid="indicator-params"][aria-label="MACD 参数"]');
      const fast = () => form()?.querySelector<HTMLInputElement>('[data-testid="indicator-param-fast"] input, input[data-testid="indicator-param-fast"]');
      const shown = () => vi.waitFor(() => expect(fast()?.value).toBe('12'));
      await shown();
      fast()!.value = '10';
      fast()!.dispatchEvent(new Event('input'));
      fast()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await flushPromises();
      expect(w.emitted('editIndicator')).toEqual([[2, { fast: 10, slow: 26, signal: 9 }]]);

      await legend(w, 'MACD').get('[data-testid="indicator-title"]').trigger('click');
      await vi.waitFor(() => expect(fast()).toBeTruthy());
      fast()!.value = '30';
      fast()!.dispatchEvent(new Event('input'));
      fast()!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      await flushPromises();
      expect(w.emitted('editIndicator')).toHaveLength(1);

      await legend(w, 'VOL').get('[data-testid="indicator-remove"]').trigger('click');
      expect(w.emitted('removeIndicator')).toEqual([[1]]);
    });

    it('draws the values it is given, windowed with the candles', async () => {
      const w = await mountDaily();
      void w;
      const patches = chart.setOption.mock.calls.map((c) => c[0] as { series?: { data?: unknown[] }[] }).filter((o) => o.series?.[0]?.data);
      const series = patches.at(-1)!.series!;
      expect(series[1]!.data).toEqual(['-', 13.025, 13.44]); // MA
      expect(series[2]!.data).toEqual([79386104, 99782728, 133646594]); // volume of rising candles
      expect(lastFull().series.map((s) => `${s.type}@${s.xAxisIndex}`).slice(0, 4)).toEqual(['candlestick@0', 'line@0', 'bar@1', 'bar@1']);
    });
  });
});
