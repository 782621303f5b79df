import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { createIndicatorSet, deleteIndicatorSet, getIndicatorRegistry, listIndicatorSets, replaceIndicatorSet, type IndicatorSet } from '@/api/indicators';
import { getSettings, updateSettings } from '@/api/system';
import { useSettingsStore } from '@/features/settings/store';
import { sampleSettings } from '@/test/helpers';
import { REGISTRY } from '@/test/indicators';
import { PERSIST_DELAY_MS, useIndicatorStore } from './store';

vi.mock('@/api/indicators', () => ({
  getIndicatorRegistry: vi.fn(),
  listIndicatorSets: vi.fn(),
  createIndicatorSet: vi.fn(),
  replaceIndicatorSet: vi.fn(),
  deleteIndicatorSet: vi.fn(),
}));
vi.mock('@/api/system', () => ({ getSettings: vi.fn(), updateSettings: vi.fn(), resetSettings: vi.fn() }));

const savedSet = (over: Partial<IndicatorSet> = {}): IndicatorSet => ({
  id: 1,
  name: '短线',
  convention: 'tdx',
  indicators: [{ name: 'KDJ' }],
  updatedAt: '2026-01-02T03:04:05.000Z',
  ...over,
});

async function storeWith(chartIndicators?: typeof sampleSettings.chartIndicators) {
  vi.mocked(getSettings).mockResolvedValue(chartIndicators ? { ...sampleSettings, chartIndicators } : sampleSettings);
  await useSettingsStore().load();
  const store = useIndicatorStore();
  await store.init();
  return store;
}

/** The chartIndicators of every PATCH sent. */
const patches = () => vi.mocked(updateSettings).mock.calls.map((c) => c[0].chartIndicators);

beforeEach(() => {
  vi.useFakeTimers();
  setActivePinia(createPinia());
  vi.mocked(getIndicatorRegistry).mockReset().mockResolvedValue(REGISTRY);
  vi.mocked(getSettings).mockReset();
  vi.mocked(updateSettings)
    .mockReset()
    .mockImplementation(async (patch) => ({ ...sampleSettings, ...patch }));
  vi.mocked(listIndicatorSets).mockReset().mockResolvedValue([]);
  vi.mocked(createIndicatorSet).mockReset();
  vi.mocked(replaceIndicatorSet).mockReset();
  vi.mocked(deleteIndicatorSet).mockReset().mockResolvedValue();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('indicator store', () => {
  it('loads the registry once and starts from registry-driven defaults; nothing is saved until a change', async () => {
    const store = await storeWith();
    await store.init();
    expect(getIndicatorRegistry).toHaveBeenCalledTimes(1);
    expect(store.ready).toBe(true);
    expect(store.convention).toBe('talib');
    expect(store.indicators.map((u) => `${u.name}${u.params ? JSON.stringify(u.params) : ''}`)).toEqual([
      'SMA{"period":5}',
      'SMA{"period":10}',
      'SMA{"period":20}',
      'SMA{"period":60}',
      'VOL',
      'MACD',
    ]);
    await vi.advanceTimersByTimeAsync(PERSIST_DELAY_MS * 2);
    expect(updateSettings).not.toHaveBeenCalled();
  });

  it('starts from the settings when the user chose a set', async () => {
    const store = await storeWith({ convention: 'tdx', indicators: [{ name: 'KDJ', params: { n: 14 } }, { name: 'BOLL' }] });
    expect(store.convention).toBe('tdx');
    expect(store.indicators).toEqual([{ name: 'KDJ', params: { n: 14 } }, { name: 'BOLL' }]);
  });

  it('tries the registry again after a failure', async () => {
    vi.mocked(getIndicatorRegistry).mockRejectedValueOnce(new Error('down'));
    vi.mocked(getSettings).mockResolvedValue(sampleSettings);
    const store = useIndicatorStore();
    await expect(store.init()).rejects.toThrow('down');
    expect(store.ready).toBe(false);
    await store.init();
    expect(store.ready).toBe(true);
  });

  it('switching the convention maps the indicators and reports the dropped ones; saved once, debounced', async () => {
    const store = await storeWith({ convention: 'tdx', indicators: [{ name: 'MA', params: { period: 5 } }, { name: 'DMA' }, { name: 'KDJ' }, { name: 'MACD' }] });
    expect(store.setConvention('talib')).toEqual(['DMA(10,50,10)']);
    expect(store.convention).toBe('talib');
    expect(store.indicators).toEqual([{ name: 'SMA', params: { period: 5 } }, { name: 'STOCH' }, { name: 'MACD' }]);
    expect(store.setConvention('talib')).toEqual([]); // no change
    store.add('ATR');
    expect(updateSettings).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(PERSIST_DELAY_MS);
    expect(patches()).toEqual([
      { convention: 'talib', indicators: [{ name: 'SMA', params: { period: 5 } }, { name: 'STOCH' }, { name: 'MACD' }, { name: 'ATR' }] },
    ]);
    expect(useSettingsStore().settings?.chartIndicators?.indicators).toHaveLength(4);
  });

  it('adds, edits and removes indicators; an edit to the same values is no change', async () => {
    const store = await storeWith({ convention: 'tdx', indicators: [{ name: 'MACD' }] });
    expect(store.add('KDJ')).toBe(true);
    expect(store.add('STOCH')).toBe(false); // not a TDX indicator
    store.setParams(0, { fast: 12, slow: 26, signal: 9 }); // the defaults it already has
    await vi.advanceTimersByTimeAsync(PERSIST_DELAY_MS);
    expect(patches()).toHaveLength(1);

    store.setParams(0, { fast: 10, slow: 26, signal: 0 }); // invalid values are not kept
    expect(store.indicators[0]).toEqual({ name: 'MACD', params: { fast: 10, slow: 26 } });
    store.remove(1);
    store.remove(5); // out of range: nothing
    await vi.advanceTimersByTimeAsync(PERSIST_DELAY_MS);
    expect(patches().at(-1)).toEqual({ convention: 'tdx', indicators: [{ name: 'MACD', params: { fast: 10, slow: 26 } }] });
  });

  it('holds at most 12 indicators', async () => {
    const store = await storeWith({ convention: 'tdx', indicators: [] });
    for (let i = 0; i < 12; i++) expect(store.add('MA', { period: i + 1 })).toBe(true);
    expect(store.full).toBe(true);
    expect(store.add('MA', { period: 30 })).toBe(false);
    expect(store.indicators).toHaveLength(12);
  });

  it('flush saves a pending change at once (the page is left)', async () => {
    const store = await storeWith({ convention: 'tdx', indicators: [] });
    store.add('WR');
    await store.flush();
    expect(patches()).toEqual([{ convention: 'tdx', indicators: [{ name: 'WR' }] }]);
    await store.flush(); // nothing pending
    await vi.advanceTimersByTimeAsync(PERSIST_DELAY_MS);
    expect(updateSettings).toHaveBeenCalledTimes(1);
  });

  it('saves a set under a new name, replaces one of the same name, loads and deletes sets', async () => {
    const store = await storeWith({ convention: 'tdx', indicators: [{ name: 'MACD' }, { name: 'KDJ' }] });
    vi.mocked(listIndicatorSets).mockResolvedValue([savedSet()]);
    await store.loadSets();
    vi.mocked(createIndicatorSet).mockImplementation(async (input) => savedSet({ ...input, id: 2 }));
    vi.mocked(replaceIndicatorSet).mockImplementation(async (id, input) => savedSet({ ...input, id }));

    await store.saveSet('波段');
    expect(createIndicatorSet).toHaveBeenCalledWith({ name: '波段', convention: 'tdx', indicators: [{ name: 'MACD' }, { name: 'KDJ' }] });
    await store.saveSet('短线');
    expect(replaceIndicatorSet).toHaveBeenCalledWith(1, { name: '短线', convention: 'tdx', indicators: [{ name: 'MACD' }, { name: 'KDJ' }] });
    expect(store.sets.map((s) => s.name)).toEqual(['波段', '短线'].sort((a, b) => a.localeCompare(b)));

    expect(store.applySet(savedSet({ convention: 'talib', indicators: [{ name: 'ATR' }, { name: 'MACD', params: { fast: 8 } }] }))).toBe(0);
    expect(store.chart).toEqual({ convention: 'talib', indicators: [{ name: 'ATR' }, { name: 'MACD', params: { fast: 8 } }] });
    const many = Array.from({ length: 14 }, (_, i) => ({ name: 'MA', params: { period: i + 2 } }));
    expect(store.applySet(savedSet({ indicators: many }))).toBe(2);

    await store.deleteSet(1);
    expect(deleteIndicatorSet).toHaveBeenCalledWith(1);
    expect(store.sets.map((s) => s.id)).toEqual([2]);
    await vi.advanceTimersByTimeAsync(PERSIST_DELAY_MS);
    expect(patches()).toHaveLength(1); // the two applied sets in a row: one save
    expect(patches()[0]!.indicators).toHaveLength(12);
  });
});
