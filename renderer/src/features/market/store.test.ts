import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { getImportTask, listImportTasks, type ImportTask } from '@/api/data';
import { ApiError } from '@/api/errors';
import { getInstrument, getKline, type Kline, type KlineQuery } from '@/api/market';
import { PAGE_SIZE, useMarketStore } from './store';

vi.mock('@/api/data', () => ({ listImportTasks: vi.fn(), getImportTask: vi.fn() }));
vi.mock('@/api/market', () => ({ getInstrument: vi.fn(), getKline: vi.fn() }));

/** `n` daily bars ending 2025-08-05 (one per calendar day is enough here). */
function days(n: number, end = Date.UTC(2025, 7, 5)): string[] {
  return Array.from({ length: n }, (_, i) => new Date(end - (n - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}
function kline(time: string[], over: Partial<Kline> = {}): Kline {
  const close = time.map((_, i) => 10 + i * 0.01);
  return {
    symbol: '600000.SH',
    period: 'day',
    adjust: 'none',
    adjustApplied: true,
    count: time.length,
    time,
    open: close,
    high: close.map((c) => c + 0.1),
    low: close.map((c) => c - 0.1),
    close,
    volume: time.map(() => 1000),
    amount: time.map(() => 10_000),
    stale: true,
    ...over,
  };
}
const sample = (over: Partial<ImportTask>): ImportTask => ({
  id: 's1',
  kind: 'sample',
  state: 'running',
  source: '/resources/sample-data',
  progress: 0.4,
  filesTotal: 11,
  filesDone: 4,
  filesFailed: 0,
  barsRead: 20_000,
  barsInserted: 20_000,
  createdAt: '2026-01-02T03:04:05.000Z',
  results: [],
  ...over,
});

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  vi.mocked(listImportTasks).mockReset().mockResolvedValue([]);
  vi.mocked(getImportTask).mockReset();
  vi.mocked(getInstrument)
    .mockReset()
    .mockResolvedValue({ symbol: '600000.SH', code: '600000', exchange: 'SH', name: '浦发银行', pinyin: 'pfyh', kind: 'stock', board: 'main', isSt: false });
  vi.mocked(getKline).mockReset();
});

describe('market store', () => {
  it('opens 600000.SH daily by default and loads the newest page, keeping its query for the indicators', async () => {
    vi.mocked(getKline).mockResolvedValue(kline(days(300)));
    const store = useMarketStore();
    expect([store.symbol, store.period, store.adjust]).toEqual(['600000.SH', 'day', 'none']);
    await store.load();
    expect(getKline).toHaveBeenCalledWith({ symbol: '600000.SH', period: 'day', adjust: 'none', limit: PAGE_SIZE }, expect.anything());
    expect(store.status).toBe('ready');
    expect(store.series.length).toBe(300);
    expect(store.series.time.at(-1)).toBe('2025-08-05');
    expect(store.pages).toEqual([{ symbol: '600000.SH', period: 'day', adjust: 'none', limit: PAGE_SIZE }]);
    expect(store.info).toEqual({ stale: true, adjustApplied: true, actualAdjust: 'none', derivedFrom: null });
    expect(store.instrument?.name).toBe('浦发银行');
    expect(store.hasMore).toBe(false);
  });

  it('waits for a running import (the first-launch sample) before asking for bars', async () => {
    vi.mocked(listImportTasks).mockResolvedValue([sample({})]);
    vi.mocked(getImportTask).mockResolvedValueOnce(sample({ progress: 0.8, filesDone: 9 })).mockResolvedValue(sample({ state: 'succeeded', progress: 1, filesDone: 11 }));
    vi.mocked(getKline).mockResolvedValue(kline(days(10)));
    const store = useMarketStore();
    const loading = store.load();
    await vi.waitFor(() => expect(store.status).toBe('waiting-import'));
    expect(store.importTask?.progress).toBe(0.4);
    expect(getKline).not.toHaveBeenCalled();
    await loading;
    expect(getImportTask).toHaveBeenCalledTimes(2);
    expect(store.status).toBe('ready');
    expect(store.importTask).toBeNull();

    await store.setPeriod('week'); // later loads do not look for imports again
    expect(listImportTasks).toHaveBeenCalledTimes(1);
  });

  it('stops waiting (and polling) when the page is left, and waits again on the next visit', async () => {
    vi.useFakeTimers();
    vi.mocked(listImportTasks).mockResolvedValue([sample({})]);
    vi.mocked(getImportTask).mockResolvedValue(sample({}));
    const store = useMarketStore();
    const loading = store.load();
    await vi.advanceTimersByTimeAsync(1000);
    const polls = vi.mocked(getImportTask).mock.calls.length;
    expect(polls).toBeGreaterThan(1);
    store.cancel();
    await vi.advanceTimersByTimeAsync(2000);
    await loading;
    expect(getImportTask).toHaveBeenCalledTimes(polls);
    expect(store.status).toBe('idle');
    expect(getKline).not.toHaveBeenCalled();

    vi.mocked(getImportTask).mockResolvedValue(sample({ state: 'succeeded', progress: 1 }));
    vi.mocked(getKline).mockResolvedValue(kline(days(10)));
    const again = store.load();
    await vi.advanceTimersByTimeAsync(1000);
    await again;
    expect(listImportTasks).toHaveBeenCalledTimes(2);
    expect(store.status).toBe('ready');
    vi.useRealTimers();
  });

  it('says "empty" (not "error") when the cache has no such bars, and remembers the choice', async () => {
    vi.mocked(getKline).mockRejectedValue(new ApiError({ code: 2003, message: 'no bars', status: 404 }));
    const store = useMarketStore();
    await store.open('688001.SH');
    expect(store.status).toBe('empty');
    expect(store.series.length).toBe(0);
    expect(store.pages).toEqual([]);
    expect(localStorage.getItem('mystocks.market.symbol')).toBe('688001.SH');

    vi.mocked(getKline).mockRejectedValue(new ApiError({ code: 5000, message: 'boom', status: 500 }));
    await store.setAdjust('qfq');
    expect(store.status).toBe('error');
    expect(localStorage.getItem('mystocks.market.adjust')).toBe('qfq');
  });

  it('ignores an answer that a newer selection overtook', async () => {
    let answerFirst!: (k: Kline) => void;
    vi.mocked(getKline)
      .mockImplementationOnce(() => new Promise((resolve) => (answerFirst = resolve)))
      .mockResolvedValueOnce(kline(days(5), { period: '5m' }));
    const store = useMarketStore();
    const first = store.load();
    await vi.waitFor(() => expect(getKline).toHaveBeenCalledTimes(1));
    const second = store.setPeriod('5m');
    await second;
    answerFirst(kline(days(50)));
    await first;
    expect(store.series.length).toBe(5);
  });

  it('pages older bars in front, once per page, until the server has no more', async () => {
    const all = days(PAGE_SIZE + 150);
    vi.mocked(getKline).mockImplementation(async (q: KlineQuery) => {
      const endIndex = q.end ? all.indexOf(q.end) + 1 : all.length;
      const limit = q.limit ?? all.length;
      return kline(all.slice(Math.max(0, endIndex - limit), endIndex));
    });
    const store = useMarketStore();
    await store.load();
    expect(store.series.length).toBe(PAGE_SIZE);
    expect(store.hasMore).toBe(true);

    await Promise.all([store.loadOlder(), store.loadOlder()]); // the second is a no-op while the first runs
    expect(getKline).toHaveBeenCalledTimes(2);
    expect(getKline).toHaveBeenLastCalledWith(expect.objectContaining({ end: all[150], limit: PAGE_SIZE + 1 }), expect.anything());
    expect(store.series.length).toBe(PAGE_SIZE + 150);
    expect(store.series.time).toEqual(all);
    expect(store.pages.map((q) => [q.end, q.limit])).toEqual([
      [undefined, PAGE_SIZE],
      [all[150], PAGE_SIZE + 1],
    ]);
    expect(store.hasMore).toBe(false);
    await store.loadOlder();
    expect(getKline).toHaveBeenCalledTimes(2);
  });
});
