import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import ElementPlus from 'element-plus';
import { getImportTask, listImportTasks, type ImportTask } from '@/api/data';
import { ApiError } from '@/api/errors';
import { calculateIndicators, getIndicatorRegistry, type IndicatorUse } from '@/api/indicators';
import { getInstrument, getKline, getQuotes, type Kline, type KlineQuery } from '@/api/market';
import { updateSettings } from '@/api/system';
import { listWatchlists } from '@/api/watchlists';
import { i18n, setLocale } from '@/plugins/i18n';
import { FakeEventSource } from '@/test/fake-event-source';
import { sampleSettings } from '@/test/helpers';
import { CATALOG, REGISTRY } from '@/test/indicators';
import { marketRoutes } from '../routes';
import MarketView from './MarketView.vue';

vi.mock('@/api/data', () => ({ listImportTasks: vi.fn(), getImportTask: vi.fn() }));
vi.mock('@/api/market', () => ({ getInstrument: vi.fn(), getKline: vi.fn(), getQuotes: vi.fn(), searchInstruments: vi.fn() }));
vi.mock('@/api/watchlists', () => ({ listWatchlists: vi.fn() }));
vi.mock('@/api/indicators', () => ({ getIndicatorRegistry: vi.fn(), calculateIndicators: vi.fn(), listIndicatorSets: vi.fn() }));
vi.mock('@/api/system', () => ({ getSettings: vi.fn(), updateSettings: vi.fn(), resetSettings: vi.fn() }));
// happy-dom has no canvas: the chart wrapper gets a stub instance.
vi.mock('@/plugins/echarts', () => ({
  echarts: {
    init: vi.fn(() => ({ setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn(), on: vi.fn(), getZr: () => ({ on: vi.fn() }), getWidth: () => 1000, getHeight: () => 600 })),
  },
}));

const KLINE: Kline = {
  symbol: '600000.SH',
  period: 'day',
  adjust: 'none',
  adjustApplied: true,
  count: 3,
  time: ['2025-08-01', '2025-08-04', '2025-08-05'],
  open: [12.82, 12.9, 13.15],
  high: [12.98, 13.45, 13.78],
  low: [12.58, 12.9, 13.14],
  close: [12.92, 13.13, 13.75],
  volume: [79386104, 99782728, 133646594],
  amount: [1018578944, 1321632128, 1812400000],
  stale: true,
};
const sampleTask: ImportTask = {
  id: 's1',
  kind: 'sample',
  state: 'running',
  source: '/resources/sample-data',
  progress: 0.45,
  filesTotal: 11,
  filesDone: 5,
  filesFailed: 0,
  barsRead: 23_456,
  barsInserted: 23_456,
  createdAt: '2026-01-02T03:04:05.000Z',
  results: [],
};

let wrapper: VueWrapper | undefined;
let router: Router;

async function mountView(path = '/market/600000.SH'): Promise<VueWrapper> {
  router = createRouter({ history: createMemoryHistory(), routes: [...marketRoutes, { path: '/data', name: 'data', component: MarketView }] });
  await router.push(path);
  wrapper = mount({ template: '<RouterView />' }, { global: { plugins: [router, i18n, ElementPlus] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}
const byTestId = (w: VueWrapper, id: string) => w.get(`[data-testid="${id}"]`);

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  setLocale('zh-CN');
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.mocked(listImportTasks).mockReset().mockResolvedValue([]);
  vi.mocked(getImportTask).mockReset();
  vi.mocked(getInstrument)
    .mockReset()
    .mockResolvedValue({ symbol: '600000.SH', code: '600000', exchange: 'SH', name: '浦发银行', pinyin: 'pfyh', kind: 'stock', board: 'main', isSt: false });
  vi.mocked(getKline).mockReset().mockResolvedValue(KLINE);
  vi.mocked(getQuotes).mockReset().mockResolvedValue([]);
  vi.mocked(listWatchlists).mockReset().mockResolvedValue([]);
  vi.mocked(getIndicatorRegistry).mockReset().mockResolvedValue(REGISTRY);
  vi.mocked(calculateIndicators).mockReset().mockImplementation(async (_q: KlineQuery, uses: IndicatorUse[], convention) => {
    const meta = CATALOG.find(uses[0]!.name, convention ?? 'talib')!;
    return { count: 3, time: KLINE.time, results: [{ name: meta.name, convention: meta.convention, params: {}, start: 0, outputs: Object.fromEntries(meta.outputs.map((o, k) => [o.name, [k, k + 0.5, k + 0.25]])) }] };
  });
  vi.mocked(updateSettings).mockReset().mockImplementation(async (patch) => ({ ...sampleSettings, ...patch }));
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.unstubAllGlobals();
});

describe('MarketView', () => {
  it('shows the instrument, its last close and the chart; streams its quote', async () => {
    const w = await mountView();
    expect(byTestId(w, 'market-name').text()).toBe('浦发银行');
    expect(byTestId(w, 'market-symbol').text()).toBe('600000.SH');
    expect(byTestId(w, 'market-price').text()).toBe('13.75');
    expect(byTestId(w, 'market-change').text()).toBe('+0.62 +4.72%');
    expect(byTestId(w, 'market-change').classes()).toContain('price-up');
    expect(byTestId(w, 'market-chart').attributes('data-bars')).toBe('3');
    expect(w.find('[data-testid="market-stale"]').exists()).toBe(true);
    expect(w.find('[data-testid="market-state"]').exists()).toBe(false);
    expect(FakeEventSource.latest().query.get('symbols')).toBe('600000.SH');

    // A live quote replaces the cached close in the header.
    FakeEventSource.latest().open();
    FakeEventSource.latest().send('quote', { symbol: '600000.SH', name: '浦发银行', price: 13.5, prevClose: 13.75, change: -0.25, changePercent: -1.82, time: '2025-08-06T10:00:00+08:00', source: 'sina', stale: false }, '1');
    await flushPromises();
    expect(byTestId(w, 'market-price').text()).toBe('13.50');
    expect(byTestId(w, 'market-change').classes()).toContain('price-down');
  });

  it('shows the progress of the first-launch import, then the chart', async () => {
    vi.mocked(listImportTasks).mockResolvedValue([sampleTask]);
    let finish!: (t: ImportTask) => void;
    vi.mocked(getImportTask).mockImplementation(() => new Promise((resolve) => (finish = resolve)));
    const w = await mountView();
    expect(byTestId(w, 'market-importing').text()).toContain('正在导入内置示例数据');
    expect(byTestId(w, 'market-importing').text()).toContain('5/11');
    expect(getKline).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(getImportTask).toHaveBeenCalled(), { timeout: 2000 });
    finish({ ...sampleTask, state: 'succeeded', progress: 1, filesDone: 11 });
    await vi.waitFor(() => expect(w.find('[data-testid="market-state"]').exists()).toBe(false), { timeout: 2000 });
    expect(byTestId(w, 'market-chart').attributes('data-bars')).toBe('3');
  });

  it('says when there is no data, with a way to the Data Manager', async () => {
    vi.mocked(getKline).mockRejectedValue(new ApiError({ code: 2003, message: 'no bars', status: 404 }));
    const w = await mountView('/market/688001.SH');
    expect(byTestId(w, 'market-empty').text()).toContain('本地没有 688001.SH 的日线数据');
    expect(byTestId(w, 'market-empty').find('a').attributes('href')).toBe('/data');
  });

  it('normalizes the symbol in the address and switches the period', async () => {
    const w = await mountView('/market/600000.sh');
    expect(router.currentRoute.value.params.symbol).toBe('600000.SH');
    await byTestId(w, 'market-period-week').find('input').setValue(true);
    await flushPromises();
    expect(getKline).toHaveBeenLastCalledWith(expect.objectContaining({ symbol: '600000.SH', period: 'week' }), expect.anything());
    expect(localStorage.getItem('mystocks.market.period')).toBe('week');
  });

  it('draws the default indicators with values from the server, for the same bars as the chart', async () => {
    const w = await mountView();
    await flushPromises();
    expect(byTestId(w, 'indicator-convention-talib').classes()).toContain('is-active');
    // SMA 5/10/20/60 on the price pane; VOL and MACD panes.
    expect(calculateIndicators).toHaveBeenCalledTimes(6);
    expect(calculateIndicators).toHaveBeenCalledWith({ symbol: '600000.SH', period: 'day', adjust: 'none', limit: 20_000 }, [{ name: 'MACD', params: { fast: 12, slow: 26, signal: 9 } }], 'talib', expect.anything());
    expect(w.findAll('[data-testid="indicator-pane"]').map((p) => p.attributes('data-name'))).toEqual(['VOL', 'MACD']);
    expect(w.get('[data-testid="indicator-legend"][data-name="MACD"]').text()).toBe('MACD(12,26,9)MACD0.250Signal1.250Hist2.250');
  });

  it('switches to TDX: maps the indicators, recomputes them, and saves the choice', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const w = await mountView();
      await flushPromises();
      vi.mocked(calculateIndicators).mockClear();
      await byTestId(w, 'indicator-convention-tdx').find('input').setValue(true);
      await flushPromises();
      expect(vi.mocked(calculateIndicators).mock.calls.map((c) => `${c[1][0]!.name}@${c[2]}`)).toEqual(['MA@tdx', 'MA@tdx', 'MA@tdx', 'MA@tdx', 'VOL@tdx', 'MACD@tdx']);
      expect(w.get('[data-testid="indicator-legend"][data-name="MACD"]').text()).toContain('DIF');
      await vi.advanceTimersByTimeAsync(1000);
      expect(updateSettings).toHaveBeenCalledTimes(1);
      expect(vi.mocked(updateSettings).mock.calls[0]![0].chartIndicators?.convention).toBe('tdx');

      // Removing one from its legend: gone from the chart, saved.
      await w.get('[data-testid="indicator-legend"][data-name="VOL"] [data-testid="indicator-remove"]').trigger('click');
      await flushPromises();
      expect(w.findAll('[data-testid="indicator-pane"]').map((p) => p.attributes('data-name'))).toEqual(['MACD']);
      await vi.advanceTimersByTimeAsync(1000);
      expect(vi.mocked(updateSettings).mock.calls[1]![0].chartIndicators?.indicators.map((u) => u.name)).toEqual(['MA', 'MA', 'MA', 'MA', 'MACD']);
    } finally {
      vi.useRealTimers();
    }
  });
});
