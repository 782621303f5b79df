import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import {
  deleteBars,
  getCoverage,
  getImportTask,
  importCsv,
  importTdx,
  importTdxExport,
  listImportTasks,
  previewCsv,
  type CsvPreview,
  type ImportFileResult,
  type ImportTask,
} from '@/api/data';
import { ApiError } from '@/api/errors';
import { dataRevision } from './revision';
import { csvProblems, defaultCsvSettings, guessSymbol, POLL_MS, useDataStore } from './store';

vi.mock('@/api/data', () => ({
  importTdx: vi.fn(),
  importTdxExport: vi.fn(),
  importCsv: vi.fn(),
  previewCsv: vi.fn(),
  listImportTasks: vi.fn(),
  getImportTask: vi.fn(),
  getCoverage: vi.fn(),
  deleteBars: vi.fn(),
}));

const RESULTS: ImportFileResult[] = [
  { file: 'sh/lday/sh600000.day', symbol: '600000.SH', period: 'day', status: 'imported', bars: 6119, inserted: 6119 },
  { file: 'sz/lday/sz000001.day', symbol: '000001.SZ', period: 'day', status: 'imported', bars: 4995, inserted: 4995 },
];

function task(over: Partial<ImportTask> = {}): ImportTask {
  return {
    id: 't1',
    kind: 'tdx',
    state: 'queued',
    source: '/data/tdx',
    progress: 0,
    filesTotal: 0,
    filesDone: 0,
    filesFailed: 0,
    barsRead: 0,
    barsInserted: 0,
    createdAt: '2026-01-02T03:04:05.000Z',
    results: [],
    ...over,
  };
}
const finished = task({ state: 'succeeded', progress: 1, filesTotal: 2, filesDone: 2, barsRead: 11114, barsInserted: 11114, results: RESULTS });

const PREVIEW: CsvPreview = {
  path: '/data/000001.csv',
  encoding: 'utf-8',
  delimiter: ',',
  columns: 7,
  rows: [
    ['symbol', 'dt', 'open', 'close', 'high', 'low', 'vol'],
    ['000001.SH', '2006-11-06 15:00:00', '1853.19', '1886.31', '1886.52', '1846.01', '49544517.0'],
  ],
  suggestedMapping: { time: 1, open: 2, close: 3, high: 4, low: 5, volume: 6 },
  suggestedDateFormat: 'YYYY-MM-DD HH:mm:ss',
  suggestedHeaderRows: 1,
  suggestedEncoding: 'utf-8',
};

beforeEach(() => {
  setActivePinia(createPinia());
  for (const fn of [importTdx, importTdxExport, importCsv, previewCsv, listImportTasks, getImportTask, getCoverage, deleteBars]) vi.mocked(fn).mockReset();
  vi.mocked(getCoverage).mockResolvedValue([]);
  vi.mocked(listImportTasks).mockResolvedValue([]);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('import wizard', () => {
  it('TDX: edit → running (progress from events) → done with every per-file result', async () => {
    const store = useDataStore();
    store.streamOpen = true;
    expect(store.canStart).toBe(false);
    expect(store.problems).toEqual(['data.wizard.needPath']);
    store.setPath('/data/tdx');
    expect(store.canStart).toBe(true);

    vi.mocked(importTdx).mockResolvedValue(task());
    vi.mocked(getImportTask).mockResolvedValue(finished);
    await store.start();
    expect(importTdx).toHaveBeenCalledWith('/data/tdx');
    expect(store.step).toBe('running');
    expect(store.canStart).toBe(false);

    store.applyTaskEvent(task({ state: 'running', progress: 0.5, filesTotal: 2, filesDone: 1, barsRead: 6119, barsInserted: 6119 }));
    expect(store.task).toMatchObject({ state: 'running', progress: 0.5, filesDone: 1 });
    expect(getImportTask).not.toHaveBeenCalled();

    const revision = dataRevision.value;
    // The final event carries only failed files: the task is fetched once for all of them.
    store.applyTaskEvent({ ...finished, results: [] });
    await vi.waitFor(() => expect(store.step).toBe('done'));
    expect(getImportTask).toHaveBeenCalledWith('t1');
    expect(store.task?.results).toEqual(RESULTS);
    expect(store.tasks[0]).toMatchObject({ id: 't1', state: 'succeeded' });
    expect(getCoverage).toHaveBeenCalled();
    expect(dataRevision.value).toBe(revision + 1);

    store.reset();
    expect(store.step).toBe('edit');
    expect(store.path).toBe('/data/tdx'); // kept for "import again"
  });

  it('polls the task while the stream is not open', async () => {
    vi.useFakeTimers();
    const store = useDataStore();
    store.setKind('tdx-export');
    store.setPath('/data/export');
    vi.mocked(importTdxExport).mockResolvedValue(task({ kind: 'tdx-export' }));
    vi.mocked(getImportTask)
      .mockResolvedValueOnce(task({ kind: 'tdx-export', state: 'running', progress: 0.3, filesTotal: 6, filesDone: 2 }))
      .mockResolvedValue({ ...finished, kind: 'tdx-export' });
    await store.start();
    expect(importTdxExport).toHaveBeenCalledWith('/data/export');

    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(store.task).toMatchObject({ progress: 0.3, filesDone: 2 });
    await vi.advanceTimersByTimeAsync(POLL_MS);
    await vi.waitFor(() => expect(store.step).toBe('done'));
    expect(store.task?.results).toHaveLength(2);
  });

  it('takes events that arrived before the 202 answer into account', async () => {
    const store = useDataStore();
    store.streamOpen = true;
    store.setPath('/data/tdx');
    vi.mocked(importTdx).mockImplementation(async () => {
      store.applyTaskEvent({ ...finished, results: [] }); // a tiny import finished first
      return task();
    });
    vi.mocked(getImportTask).mockResolvedValue(finished);
    await store.start();
    await vi.waitFor(() => expect(store.step).toBe('done'));
    expect(store.task?.results).toEqual(RESULTS);
  });

  it('a refused request goes back to editing with the error (path outside the allowed folders)', async () => {
    const store = useDataStore();
    store.setPath('/etc');
    vi.mocked(importTdx).mockRejectedValue(new ApiError({ code: 6004, message: '该路径不在允许导入的目录内', status: 403 }));
    await store.start();
    expect(store.step).toBe('edit');
    expect(store.error?.code).toBe(6004);
    expect(store.task).toBeNull();
  });

  it('a failed task ends in `failed` with its problems', async () => {
    const store = useDataStore();
    store.streamOpen = true;
    store.setPath('/data/bad');
    const failedTask = task({
      state: 'failed',
      filesTotal: 1,
      filesDone: 1,
      filesFailed: 1,
      error: { code: 2006, message: '1 of 1 file could not be imported' },
      results: [{ file: 'sh600000.day', status: 'failed', bars: 0, inserted: 0, problem: { file: 'sh600000.day', line: 7, code: 'priceNotFinite', params: {}, message: 'a price is not a finite number' } }],
    });
    vi.mocked(importTdx).mockResolvedValue(task());
    vi.mocked(getImportTask).mockResolvedValue(failedTask);
    await store.start();
    store.applyTaskEvent(failedTask);
    await vi.waitFor(() => expect(store.step).toBe('failed'));
    expect(store.task?.results[0]?.problem).toMatchObject({ line: 7 });
  });

  it('CSV: needs a preview, takes its suggestions, and sends the mapping', async () => {
    const store = useDataStore();
    store.setKind('csv');
    store.setPath('/data/000001.csv');
    expect(store.problems).toContain('data.csv.needPreview');

    vi.mocked(previewCsv).mockResolvedValue(PREVIEW);
    await store.runPreview();
    expect(previewCsv).toHaveBeenCalledWith({ path: '/data/000001.csv', encoding: 'utf-8', rows: 20 });
    expect(store.step).toBe('edit');
    expect(store.csv.mapping).toEqual({ time: 1, open: 2, close: 3, high: 4, low: 5, volume: 6, amount: null });
    expect(store.csv.dateFormat).toBe('YYYY-MM-DD HH:mm:ss');
    expect(store.csv.period).toBe('1m'); // times of day: minute bars are the likely guess
    expect(store.csv.symbol).toBe('000001.SZ'); // guessed from the file name (no exchange in it)
    expect(store.problems).toEqual([]);

    store.csv.symbol = '000001.sh';
    store.csv.period = 'day';
    store.csv.volumeUnit = 'lots';
    expect(store.canStart).toBe(true);
    vi.mocked(importCsv).mockResolvedValue(task({ kind: 'csv' }));
    await store.start();
    expect(importCsv).toHaveBeenCalledWith({
      path: '/data/000001.csv',
      symbol: '000001.SH',
      period: 'day',
      adjust: 'none',
      mapping: { time: 1, open: 2, high: 4, low: 5, close: 3, volume: 6 },
      encoding: 'utf-8',
      delimiter: ',',
      headerRows: 1,
      dateFormat: 'YYYY-MM-DD HH:mm:ss',
      volumeUnit: 'lots',
      amountUnit: 'yuan',
    });
    expect(store.step).toBe('running');
  });

  it('CSV: reads a GBK file again as GBK, and a new path needs a new preview', async () => {
    const store = useDataStore();
    store.setKind('csv');
    store.setPath('/data/000300.csv');
    vi.mocked(previewCsv)
      .mockResolvedValueOnce({ ...PREVIEW, path: '/data/000300.csv', suggestedEncoding: 'gbk' })
      .mockResolvedValueOnce({ ...PREVIEW, path: '/data/000300.csv', encoding: 'gbk', suggestedEncoding: 'gbk' });
    await store.runPreview();
    expect(previewCsv).toHaveBeenLastCalledWith({ path: '/data/000300.csv', encoding: 'gbk', rows: 20 });
    expect(store.csv.encoding).toBe('gbk');
    store.setPath('/data/other.csv');
    expect(store.preview).toBeNull();
  });

  it('lists what keeps a CSV import from starting', () => {
    const csv = defaultCsvSettings();
    expect(csvProblems(csv, null)).toEqual([
      'data.csv.needPreview',
      'data.csv.missing.time',
      'data.csv.missing.open',
      'data.csv.missing.high',
      'data.csv.missing.low',
      'data.csv.missing.close',
      'data.csv.badSymbol',
    ]);
    csv.mapping = { time: 0, open: 1, high: 2, low: 3, close: 3, volume: null, amount: null };
    csv.symbol = '600000.SH';
    expect(csvProblems(csv, PREVIEW)).toEqual(['data.csv.duplicateColumn']);
  });
});

describe('guessSymbol', () => {
  it('reads the code and exchange from common file names', () => {
    expect(guessSymbol('/data/ashare-daily-qfq/600519.csv')).toBe('600519.SH');
    expect(guessSymbol('/data/000001.csv')).toBe('000001.SZ');
    expect(guessSymbol('/x/SH#601003.txt')).toBe('601003.SH');
    expect(guessSymbol('C:\\data\\sz000001.csv')).toBe('000001.SZ');
    expect(guessSymbol('/czsc/000001.XSHG_1min.csv')).toBe('000001.SH');
    expect(guessSymbol('/czsc/000001.SH_D.csv')).toBe('000001.SH');
    expect(guessSymbol('/x/430047.csv')).toBe('430047.BJ');
    expect(guessSymbol('/x/prices-2024.csv')).toBe('');
    expect(guessSymbol('/x/1234567.csv')).toBe('');
  });
});

describe('coverage', () => {
  it('deletes a row and reloads', async () => {
    const store = useDataStore();
    const row = { symbol: '600000.SH', name: '浦发银行', period: 'day' as const, adjust: 'none' as const, first: '1999-11-10', last: '2025-08-05', bars: 6119, updatedAt: '' };
    vi.mocked(getCoverage).mockResolvedValueOnce([row]).mockResolvedValue([]);
    await store.loadCoverage();
    expect(store.coverage).toHaveLength(1);
    vi.mocked(deleteBars).mockResolvedValue(6119);
    expect(await store.removeCoverage(row)).toBe(6119);
    expect(deleteBars).toHaveBeenCalledWith({ symbol: '600000.SH', period: 'day', adjust: 'none' });
    expect(store.coverage).toEqual([]);
  });
});
