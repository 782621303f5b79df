import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type * as backtestApi from '@/api/backtest';
import { deleteBacktestResult, exportBacktestResult, getBacktestResult, listBacktestResults, listStrategies, type BacktestResultMeta } from '@/api/backtest';
import { ApiError } from '@/api/errors';
import { downloadText } from '@/utils/download';
import { useBacktestStore } from './store';

vi.mock('element-plus', () => ({ ElMessage: vi.fn() }));
vi.mock('@/utils/download', () => ({ downloadText: vi.fn() }));
vi.mock('@/api/backtest', async (original) => ({
  ...(await original<typeof backtestApi>()),
  listStrategies: vi.fn(),
  listBacktestResults: vi.fn(),
  getBacktestResult: vi.fn(),
  deleteBacktestResult: vi.fn(),
  exportBacktestResult: vi.fn(),
}));

function meta(id: string): BacktestResultMeta {
  return {
    id,
    taskId: `t-${id}`,
    name: `run ${id}`,
    strategy: 'dual-ma',
    symbols: ['600519.SH'],
    period: 'day',
    start: '2020-01-01',
    end: '2025-09-30',
    createdAt: '2026-01-02T03:04:05.000Z',
    engineVersion: '1',
    fingerprint: 'f',
    digest: 'd',
    headline: { totalReturn: 0.1, annualReturn: 0.02, sharpe: 0.5, maxDrawdown: -0.2, tradeCount: 3, finalEquity: 1_100_000 },
  };
}

beforeEach(() => {
  setActivePinia(createPinia());
  vi.clearAllMocks();
});

describe('backtest store', () => {
  it('loads the strategies once and starts the form with dual MA', async () => {
    vi.mocked(listStrategies).mockResolvedValue([
      { id: 'macd-cross', name: { zh: 'MACD', en: 'MACD' }, description: { zh: '', en: '' }, params: [], presets: [], multiSymbol: false },
      { id: 'dual-ma', name: { zh: '双均线', en: 'Dual MA' }, description: { zh: '', en: '' }, params: [{ name: 'fast', label: { zh: '', en: '' }, type: 'integer', default: 5, min: 2, max: 9 }], presets: [], multiSymbol: false },
    ]);
    const store = useBacktestStore();
    await store.loadStrategies();
    await store.loadStrategies();
    expect(listStrategies).toHaveBeenCalledTimes(1);
    store.ensureForm(new Date(2025, 0, 15));
    expect(store.form).toMatchObject({ strategy: 'dual-ma', params: { fast: 5 }, start: '2020-01-15', end: '2025-01-15' });
  });

  it('keeps at most four results selected, drops deleted ones', async () => {
    vi.mocked(listBacktestResults).mockResolvedValue({ items: ['a', 'b', 'c', 'd', 'e'].map(meta), pagination: { page: 1, pageSize: 50, total: 5 } });
    const store = useBacktestStore();
    await store.loadHistory(1);
    for (const id of ['a', 'b', 'c', 'd', 'e']) store.toggleSelected(id);
    expect(store.selected).toEqual(['b', 'c', 'd', 'e']);
    store.toggleSelected('c');
    expect(store.selected).toEqual(['b', 'd', 'e']);

    vi.mocked(deleteBacktestResult).mockResolvedValue();
    await store.remove('d');
    expect(store.history.map((m) => m.id)).toEqual(['a', 'b', 'c', 'e']);
    expect(store.historyTotal).toBe(4);
    expect(store.selected).toEqual(['b', 'e']);
  });

  it('tells a missing result from a failure', async () => {
    vi.mocked(getBacktestResult).mockRejectedValue(new ApiError({ code: 5003, message: 'No such backtest', status: 404 }));
    const store = useBacktestStore();
    await store.loadResult('gone');
    expect(store.resultError).toBe('notFound');
    vi.mocked(getBacktestResult).mockRejectedValue(new ApiError({ code: 9000, message: 'boom', status: 500 }));
    await store.loadResult('other');
    expect(store.resultError).toBe('failed');
  });

  it('downloads JSON as sent and CSV with the BOM Excel needs', async () => {
    const store = useBacktestStore();
    vi.mocked(exportBacktestResult).mockResolvedValue('{"a":1}');
    await store.download('r1', 'json');
    expect(exportBacktestResult).toHaveBeenLastCalledWith('r1', { format: 'json' });
    expect(downloadText).toHaveBeenLastCalledWith('backtest-r1.json', '{"a":1}', 'application/json');

    vi.mocked(exportBacktestResult).mockResolvedValue('date,side\n');
    await store.download('r1', 'csv', 'fills');
    expect(exportBacktestResult).toHaveBeenLastCalledWith('r1', { format: 'csv', table: 'fills' });
    expect(downloadText).toHaveBeenLastCalledWith('backtest-r1-fills.csv', '\uFEFFdate,side\n', 'text/csv;charset=utf-8');
  });
});
