import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import ElementPlus from 'element-plus';
import { getImportTask, listImportTasks, type ImportTask } from '@/api/data';
import { ApiError } from '@/api/errors';
import { getInstrument, getKline, getQuotes, type Kline } from '@/api/market';
import { listWatchlists } from '@/api/watchlists';
import { i18n, setLocale } from '@/plugins/i18n';
import { FakeEventSource } from '@/test/fake-event-source';
import { marketRoutes } from '../routes';
import MarketView from './MarketView.vue';

vi.mock('@/api/data', () => ({ listImportTasks: vi.fn(), getImportTask: vi.fn() }));
vi.mock('@/api/market', () => ({ getInstrument: vi.fn(), getKline: vi.fn(), getQuotes: vi.fn(), searchInstruments: vi.fn() }));
vi.mock('@/api/watchlists', () => ({ listWatchlists: vi.fn() }));
// happy-dom has no canvas: the chart wrapper gets a stub instance.
vi.mock('@/plugins/echarts', () => ({
  echarts: { init: vi.fn(() => ({ setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn(), on: vi.fn(), getZr: () => ({ on: vi.fn() }), getWidth: () => 1000 })) },
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
});
