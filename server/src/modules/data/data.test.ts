/**
 * The data module end to end: routes → import task → worker thread (its own SQLite connection) →
 * cache; progress on the bus; idempotent re-import; bad files rejected with file and line and
 * nothing of them written; allowed roots; coverage and deletion; the first-launch sample import.
 * The job itself also runs in process here (the worker's code does not count for coverage).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../../../../tests/helpers/server';
import { sharedDataDir, skipWithoutSharedData } from '../../../../tests/helpers/shared-data';
import { openDatabase, type Db } from '../../platform/db/database';
import { MarketRepository } from '../market/repository';
import type { Task } from '../../platform/tasks/types';
import { briefSummary, toImportTask, type ImportTask } from './import-kind';
import { runImportJob, type ImportJobSpec, type JobMessage } from './import-job';
import { isInside, ImportRoots } from './roots';
import { SampleState, sampleJob } from './sample';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const noData = skipWithoutSharedData('the imports, CSV requests and roots on the real files (data.test.ts)');
// A real path (sources are reported resolved; CI may reach ../shared through a link).
const SHARED = sharedDataDir;
const SAMPLE = path.join(ROOT, 'resources/sample-data');
const VIPDOC = path.join(SHARED, 'tdx/vipdoc');
const EXPORTS = path.join(SHARED, 'tdx-export');

type Server = Awaited<ReturnType<typeof testServer>>;
const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

async function waitTask(server: Server, id: string): Promise<ImportTask> {
  for (let i = 0; i < 1500; i++) {
    const task = (await server.request({ method: 'GET', url: `/api/data/imports/${id}` })).json().data as ImportTask;
    if (FINAL.has(task.state)) return task;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`import task ${id} did not finish`);
}

async function importPath(server: Server, kind: 'tdx' | 'tdx-export', p: string): Promise<ImportTask> {
  const res = await server.request({ method: 'POST', url: `/api/data/import/${kind}`, payload: { path: p } });
  expect(res.statusCode, res.body).toBe(202);
  const queued = res.json().data as ImportTask;
  expect(queued).toMatchObject({ kind, state: 'queued', progress: 0, results: [] });
  return waitTask(server, queued.id);
}

const count = (db: Db, sql = 'SELECT count(*) FROM bars') => db.prepare<[], number>(sql).pluck().get()!;

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'mystocks-import-files-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function folder(name: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('TDX and TDX-export imports through the API and the worker', () => {
  let server: Server;
  beforeAll(async () => {
    server = await testServer({ importRoots: [SHARED, scratch] });
  });
  afterAll(() => server.close());

  it.skipIf(noData)('imports a vipdoc folder: every .day/.lc1/.lc5 found, symbols and periods from the names, trading days from the daily files', async () => {
    const events: ImportTask[] = [];
    const stop = server.context.bus.subscribe('tasks', (m) => events.push(toImportTask(m.data as Task)));
    const task = await importPath(server, 'tdx', VIPDOC);
    stop();
    expect(task).toMatchObject({ kind: 'tdx', state: 'succeeded', source: VIPDOC, progress: 1, filesTotal: 5, filesDone: 5, filesFailed: 0, barsRead: 22_593, barsInserted: 22_593 });
    expect(task.error).toBeUndefined();
    expect(task.results.map((r) => [r.file, r.symbol, r.period, r.status, r.bars, r.inserted])).toEqual([
      ['sh/fzline/sh688001.lc5', '688001.SH', '5m', 'imported', 144, 144],
      ['sh/lday/sh000001.day', '000001.SH', 'day', 'imported', 8455, 8455],
      ['sh/lday/sh600000.day', '600000.SH', 'day', 'imported', 6119, 6119],
      ['sh/minline/sh688001.lc1', '688001.SH', '1m', 'imported', 2880, 2880],
      ['sz/lday/sz000001.day', '000001.SZ', 'day', 'imported', 4995, 4995],
    ]);
    expect(task.results[1]).toMatchObject({
      anomalies: 16,
      warning: { file: 'sh/lday/sh000001.day', line: 98, code: 'pricesOutOfOrder', params: { count: 16 }, message: '16 bars kept with prices out of order (open/close outside low..high)' },
    });

    // Progress on the bus: queued, running, …, one final state; progress never goes back.
    const mine = events.filter((e) => e.id === task.id);
    expect(mine[0]!.state).toBe('queued');
    expect(mine[1]!.state).toBe('running');
    expect(mine.at(-1)).toMatchObject({ state: 'succeeded', progress: 1, filesDone: 5 });
    expect(mine.filter((e) => FINAL.has(e.state))).toHaveLength(1);
    for (let i = 1; i < mine.length; i++) {
      expect(mine[i]!.progress).toBeGreaterThanOrEqual(mine[i - 1]!.progress);
      expect(mine[i]!.filesDone).toBeGreaterThanOrEqual(mine[i - 1]!.filesDone);
    }
    expect(mine.every((e) => e.results.length === 0)).toBe(true); // events carry failed files only

    const db = server.context.db;
    expect(count(db)).toBe(22_593);
    const market = server.context.market;
    expect(market.getInstrument('000001.SH')).toMatchObject({ kind: 'index', name: '' });
    const days = market.tradingDays();
    expect(days[0]).toBe('1990-12-19');
    expect(days.at(-1)).toBe('2025-08-05');
    expect(days.length).toBeGreaterThanOrEqual(8455);
    expect(days).not.toContain('2021-04-23 09:31');
  });

  it.skipIf(noData)('re-importing changes nothing: every file unchanged, 0 bars inserted, same rows', async () => {
    const db = server.context.db;
    const before = { bars: count(db), days: count(db, 'SELECT count(*) FROM trading_days'), coverage: server.context.market.coverage() };
    const task = await importPath(server, 'tdx', VIPDOC);
    expect(task).toMatchObject({ state: 'succeeded', barsRead: 22_593, barsInserted: 0 });
    expect(task.results.every((r) => r.status === 'unchanged' && r.inserted === 0)).toBe(true);
    expect(count(db)).toBe(before.bars);
    expect(count(db, 'SELECT count(*) FROM trading_days')).toBe(before.days);
    expect(server.context.market.coverage().map((c) => [c.symbol, c.period, c.bars, c.first, c.last])).toEqual(
      before.coverage.map((c) => [c.symbol, c.period, c.bars, c.first, c.last]),
    );
    // One file alone, too.
    const one = await importPath(server, 'tdx', path.join(VIPDOC, 'sh/lday/sh600000.day'));
    expect(one.results).toEqual([{ file: 'sh600000.day', symbol: '600000.SH', period: 'day', status: 'unchanged', bars: 6119, inserted: 0 }]);
  });

  it.skipIf(noData)('imports TDX exports: GBK names, front-adjusted series, negative prices kept; again: unchanged', async () => {
    const task = await importPath(server, 'tdx-export', EXPORTS);
    expect(task).toMatchObject({ state: 'succeeded', filesTotal: 6, barsRead: 20_549, barsInserted: 20_549 });
    const market = server.context.market;
    expect(['601003', '601005', '601006', '601007', '601008', '601009'].map((c) => market.getInstrument(`${c}.SH`)?.name)).toEqual([
      '柳钢股份',
      '重庆钢铁',
      '大秦铁路',
      '金陵饭店',
      '连云港',
      '南京银行',
    ]);
    expect(market.coverage('601006.SH')).toMatchObject([{ period: 'day', adjust: 'qfq', first: '2006-08-01', last: '2021-09-23', bars: 3664, source: 'tdx-export' }]);
    const series = market.findSeries('601006.SH', 'day', 'qfq')!;
    const bars = market.readBars(series, -Infinity, Infinity, 3664);
    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0]]).toEqual([0.54, 0.54, -0.35, -0.32]);
    const again = await importPath(server, 'tdx-export', EXPORTS);
    expect(again).toMatchObject({ state: 'succeeded', barsInserted: 0 });
    expect(again.results.every((r) => r.status === 'unchanged')).toBe(true);
  });

  it.skipIf(noData)('keeps a name already in the cache', async () => {
    const market = server.context.market;
    market.ensureInstrument('601007.SH', '金陵饭店X');
    await importPath(server, 'tdx-export', path.join(EXPORTS, 'SH#601007.txt'));
    expect(market.getInstrument('601007.SH')?.name).toBe('金陵饭店X');
    market.ensureInstrument('601007.SH', '金陵饭店');
  });

  it.skipIf(noData)('rejects bad files with file and line, writes nothing of them, and still imports the good ones', async () => {
    const dir = folder('bad-vipdoc');
    const lday = path.join(dir, 'sh', 'lday');
    mkdirSync(lday, { recursive: true });
    const good = readFileSync(path.join(VIPDOC, 'sz/lday/sz000001.day'));
    writeFileSync(path.join(lday, 'sz000002.day'), good.subarray(0, 32 * 500));
    writeFileSync(path.join(lday, 'sh600010.day'), good.subarray(0, 32 * 300 + 20)); // truncated
    writeFileSync(path.join(lday, 'sh600011.day'), Buffer.from('this is not a TDX file at all, just text padded to 64 bytes.....'));
    const unordered = Buffer.from(good.subarray(0, 32 * 400));
    unordered.copy(unordered, 32 * 250, 32 * 100, 32 * 101);
    writeFileSync(path.join(lday, 'sh600012.day'), unordered);
    writeFileSync(path.join(lday, 'sh600013.day'), Buffer.alloc(0));
    writeFileSync(path.join(lday, 'readme.txt'), 'ignored');

    const task = await importPath(server, 'tdx', dir);
    expect(task).toMatchObject({ state: 'failed', filesTotal: 5, filesDone: 5, filesFailed: 3, barsRead: 500, barsInserted: 500, error: { code: 2006, message: '3 of 5 files could not be imported' } });
    const byFile = Object.fromEntries(task.results.map((r) => [r.file, r]));
    expect(byFile['sh/lday/sh600010.day']).toMatchObject({ status: 'failed', bars: 0, inserted: 0, problem: { file: 'sh/lday/sh600010.day', line: 301 } });
    expect(byFile['sh/lday/sh600010.day']!.problem).toMatchObject({ code: 'fileTruncated', params: { bytes: 9620, recordBytes: 32, record: 301, rest: 20 } });
    expect(byFile['sh/lday/sh600010.day']!.problem!.message).toBe('the file is truncated: 9620 bytes is not a whole number of 32-byte records (record 301 has 20 bytes)');
    expect(byFile['sh/lday/sh600011.day']).toMatchObject({ status: 'failed', problem: { line: 1 } });
    expect(byFile['sh/lday/sh600012.day']).toMatchObject({ status: 'failed', problem: { line: 251 } });
    expect(byFile['sh/lday/sh600013.day']).toMatchObject({ status: 'unchanged', bars: 0, warning: { code: 'noBars', params: {}, message: 'the file has no bars' } });
    expect(byFile['sh/lday/sz000002.day']).toMatchObject({ status: 'imported', symbol: '000002.SZ', bars: 500, inserted: 500 });
    const market = server.context.market;
    for (const s of ['600010.SH', '600011.SH', '600012.SH', '600013.SH']) {
      expect(market.getInstrument(s), s).toBeUndefined();
      expect(market.coverage(s), s).toEqual([]);
    }
    // The list and events carry the failed files only; the task itself has all.
    const listed = (await server.request({ method: 'GET', url: '/api/data/imports' })).json().data as ImportTask[];
    expect(listed[0]!.id).toBe(task.id);
    expect(listed[0]!.results.map((r) => r.file)).toEqual(['sh/lday/sh600010.day', 'sh/lday/sh600011.day', 'sh/lday/sh600012.day']);
  });

  it.skipIf(noData)('rejects TDX exports with a wrong header or a bad row, by line', async () => {
    const dir = folder('bad-exports');
    const lines = readFileSync(path.join(EXPORTS, 'SH#601008.txt'));
    writeFileSync(path.join(dir, 'SH#601008.txt'), Buffer.concat([Buffer.from('garbage header\n'), lines.subarray(lines.indexOf(0x0a) + 1)]));
    const text = new TextDecoder('gbk').decode(readFileSync(path.join(EXPORTS, 'SH#601009.txt'))).split('\n');
    text[1999] = '2015/13/45,1,2,3,4,5,6';
    writeFileSync(path.join(dir, 'SH#601009.txt'), text.join('\n'));
    writeFileSync(path.join(dir, 'SH#601003.txt'), readFileSync(path.join(EXPORTS, 'SH#601005.txt')));
    const task = await importPath(server, 'tdx-export', dir);
    expect(task.state).toBe('failed');
    expect(task.results.map((r) => [r.file, r.status, r.problem?.line])).toEqual([
      ['SH#601003.txt', 'failed', 1],
      ['SH#601008.txt', 'failed', 1],
      ['SH#601009.txt', 'failed', 2000],
    ]);
    expect(task.results[0]!.problem).toMatchObject({
      code: 'exportCodeMismatch',
      params: { headerCode: '601005', fileCode: '601003' },
      message: 'the header says 601005 but the file name says 601003',
    });
    expect(task.results[2]!.problem).toMatchObject({
      code: 'timeInvalid',
      params: { value: '2015/13/45', column: 1, field: 'time', label: '日期', format: 'YYYY/MM/DD' },
      message: '"2015/13/45" in column 1 (日期) is not a YYYY/MM/DD time',
    });
  });

  it('an empty folder or a folder without matching files fails the task', async () => {
    const task = await importPath(server, 'tdx', folder('empty'));
    expect(task).toMatchObject({ state: 'failed', filesTotal: 0, error: { code: 2006 } });
    expect(task.error!.message).toMatch(/no TDX \.day\/\.lc1\/\.lc5 files found/);
  });

  it.skipIf(noData)('paths: outside the roots 403 (6004), relative 422, missing 404, symlinks out 403, a non-TDX name 422 (2006)', async () => {
    const post = (url: string, p: string) => server.request({ method: 'POST', url, payload: { path: p } });
    const outside = await post('/api/data/import/tdx', path.join(ROOT, 'resources'));
    expect(outside.statusCode).toBe(403);
    expect(outside.json()).toMatchObject({ success: false, code: 6004 });
    expect(outside.json().details[0]).toMatchObject({ field: 'body.path' });
    expect((await post('/api/data/import/tdx', '/etc/passwd')).json().code).toBe(6004);
    expect((await post('/api/data/import/tdx-export', `${SHARED}/../../main`)).json().code).toBe(6004);
    const relative = await post('/api/data/import/tdx', 'tdx/vipdoc');
    expect(relative.statusCode).toBe(422);
    expect(relative.json().code).toBe(1001);
    const missing = await post('/api/data/import/tdx', path.join(SHARED, 'nope'));
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe(1002);
    const link = path.join(scratch, 'escape');
    symlinkSync(path.join(ROOT, 'resources'), link);
    expect((await post('/api/data/import/tdx', link)).json().code).toBe(6004);
    const notTdx = await post('/api/data/import/tdx', path.join(SHARED, 'csv/stocklist.csv'));
    expect(notTdx.statusCode).toBe(422);
    expect(notTdx.json().code).toBe(2006);
    expect((await server.request({ method: 'GET', url: '/api/data/imports/no-such-task' })).statusCode).toBe(404);
  });
});

describe.skipIf(noData)('CSV through the API', () => {
  let server: Server;
  const czsc = path.join(SHARED, 'csv/czsc/000001.XSHG_1MIN.csv');
  const body = {
    path: czsc,
    symbol: '000001.SH',
    name: '上证指数',
    period: '1m',
    mapping: { time: 1, open: 2, close: 3, high: 4, low: 5, volume: 6 },
    dateFormat: 'YYYY-MM-DD HH:mm:ss',
  };
  beforeAll(async () => {
    server = await testServer({ importRoots: [SHARED, scratch] });
  });
  afterAll(() => server.close());

  async function importCsv(payload: Record<string, unknown>): Promise<ImportTask> {
    const res = await server.request({ method: 'POST', url: '/api/data/import/csv', payload });
    expect(res.statusCode, res.body).toBe(202);
    return waitTask(server, res.json().data.id);
  }

  it('previews the first rows with a suggested mapping, and of a GBK file suggests gbk', async () => {
    const res = await server.request({ method: 'POST', url: '/api/data/import/csv/preview', payload: { path: czsc, rows: 3 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({
      path: czsc,
      encoding: 'utf-8',
      delimiter: ',',
      columns: 7,
      rows: [
        ['symbol', 'dt', 'open', 'close', 'high', 'low', 'vol'],
        ['000001.XSHG', '2020-07-01 09:31:00', '2991.18', '2990.43', '2991.5', '2990.34', '720858300.0'],
        ['000001.XSHG', '2020-07-01 09:32:00', '2990.32', '2986.91', '2990.32', '2986.78', '311297200.0'],
      ],
      suggestedMapping: { time: 1, open: 2, close: 3, high: 4, low: 5, volume: 6 },
      suggestedDateFormat: 'YYYY-MM-DD HH:mm:ss',
      suggestedHeaderRows: 1,
      suggestedEncoding: 'utf-8',
    });
    const netease = path.join(SHARED, 'csv/netease-index/000905.csv');
    const raw = (await server.request({ method: 'POST', url: '/api/data/import/csv/preview', payload: { path: netease, rows: 2 } })).json().data;
    expect(raw.suggestedEncoding).toBe('gbk');
    const decoded = (await server.request({ method: 'POST', url: '/api/data/import/csv/preview', payload: { path: netease, rows: 2, encoding: 'gbk' } })).json().data;
    expect(decoded.rows[0].slice(0, 4)).toEqual(['日期', '股票代码', '名称', '收盘价']);
    expect(decoded.suggestedMapping).toMatchObject({ time: 0, close: 3, high: 4, low: 5, open: 6 });
    // A big file is previewed from its head only.
    const zipped = path.join(scratch, 'big.csv');
    writeFileSync(zipped, `d,o,h,l,c\n${'2020-01-02,1,2,0.5,1.5\n'.repeat(20_000)}`);
    const big = (await server.request({ method: 'POST', url: '/api/data/import/csv/preview', payload: { path: zipped } })).json().data;
    expect(big.rows).toHaveLength(20);
    const dir = (await server.request({ method: 'POST', url: '/api/data/import/csv/preview', payload: { path: SHARED } })).json();
    expect(dir.code).toBe(2006);
  });

  it('imports with the mapping; again: unchanged; a changed row: exactly that bar updated', async () => {
    const first = await importCsv(body);
    expect(first).toMatchObject({ kind: 'csv', state: 'succeeded', barsRead: 2640, barsInserted: 2640 });
    expect(first.results).toEqual([{ file: '000001.XSHG_1MIN.csv', symbol: '000001.SH', period: '1m', status: 'imported', bars: 2640, inserted: 2640 }]);
    const market = server.context.market;
    expect(market.getInstrument('000001.SH')?.name).toBe('上证指数');
    expect(market.coverage('000001.SH', '1m')).toMatchObject([{ first: '2020-07-01 09:31', last: '2020-07-15 15:00', bars: 2640, source: 'csv' }]);
    const again = await importCsv(body);
    expect(again.results[0]).toMatchObject({ status: 'unchanged', inserted: 0 });

    const lines = readFileSync(czsc, 'utf8').split('\n');
    lines[100] = lines[100]!.replace(/,([\d.]+)$/, ',1.0');
    const changed = path.join(scratch, 'changed.csv');
    writeFileSync(changed, lines.join('\n'));
    const third = await importCsv({ ...body, path: changed });
    expect(third.results[0]).toMatchObject({ status: 'imported', bars: 2640, inserted: 1 });
    expect(count(server.context.db, "SELECT count(*) FROM bars WHERE volume = 1")).toBe(1);
  });

  it('a bad row in the middle rejects the file: its line, and no rows or instrument', async () => {
    const lines = readFileSync(czsc, 'utf8').split('\n');
    lines[1399] = lines[1399]!.replace(/,([\d.]+),/, ',12..5,');
    const bad = path.join(scratch, 'bad.csv');
    writeFileSync(bad, lines.join('\n'));
    const task = await importCsv({ ...body, path: bad, symbol: '399001.SZ' });
    expect(task).toMatchObject({ state: 'failed', filesFailed: 1, barsInserted: 0, error: { code: 2006 } });
    expect(task.results[0]).toMatchObject({ file: 'bad.csv', status: 'failed', problem: { file: 'bad.csv', line: 1400 } });
    expect(task.results[0]!.problem).toEqual({
      file: 'bad.csv',
      line: 1400,
      code: 'numberInvalid',
      params: { value: '12..5', column: 3, field: 'open' },
      message: '"12..5" in column 3 (open) is not a number',
    });
    expect(server.context.market.getInstrument('399001.SZ')).toBeUndefined();
  });

  it('GBK, newest-first NetEase file: None rows skipped and reported', async () => {
    const task = await importCsv({
      path: path.join(SHARED, 'csv/netease-index/399986.csv'),
      symbol: '399986.SZ',
      period: 'day',
      encoding: 'gbk',
      mapping: { time: 0, open: 6, high: 4, low: 5, close: 3, volume: 10, amount: 11 },
    });
    expect(task.state).toBe('succeeded');
    expect(task.results[0]).toMatchObject({
      status: 'imported',
      bars: 3477,
      inserted: 3477,
      skipped: 358,
      warning: { line: 1412, code: 'rowsSkipped', params: { count: 358 }, message: '358 rows with a missing value skipped' },
    });
  });

  it('validates the request: minute bars need a time format, columns used once, a file not a folder, the symbol', async () => {
    const post = (payload: Record<string, unknown>) => server.request({ method: 'POST', url: '/api/data/import/csv', payload });
    const noClock = await post({ ...body, dateFormat: 'YYYY-MM-DD' });
    expect(noClock.statusCode).toBe(422);
    expect(noClock.json()).toMatchObject({ code: 1001, details: [{ field: 'body.dateFormat', message: 'minute bars need a time of day; YYYY-MM-DD has none' }] });
    const twice = await post({ ...body, mapping: { ...body.mapping, amount: 6 } });
    expect(twice.json()).toMatchObject({ code: 1001, details: [{ field: 'body.mapping.amount', message: 'column 7 is mapped to both volume and amount' }] });
    expect((await post({ ...body, path: SHARED })).json().code).toBe(2006);
    expect((await post({ ...body, symbol: '600000' })).json().code).toBe(1100);
    expect((await post({ ...body, path: '/etc/hosts' })).json().code).toBe(6004);
  });
});

describe.skipIf(noData)('coverage and deleting cached bars', () => {
  let server: Server;
  beforeAll(async () => {
    server = await testServer({ importRoots: [SHARED] });
    await importPath(server, 'tdx', VIPDOC);
  });
  afterAll(() => server.close());

  it('lists coverage, filtered by symbol or period', async () => {
    const get = async (q = '') => (await server.request({ method: 'GET', url: `/api/data/coverage${q}` })).json().data as { symbol: string; period: string; bars: number }[];
    expect((await get()).map((c) => `${c.symbol} ${c.period} ${c.bars}`)).toEqual(['000001.SH day 8455', '000001.SZ day 4995', '600000.SH day 6119', '688001.SH 1m 2880', '688001.SH 5m 144']);
    expect((await get('?symbol=688001.SH')).map((c) => c.period)).toEqual(['1m', '5m']);
    expect((await get('?period=day')).map((c) => c.symbol)).toEqual(['000001.SH', '000001.SZ', '600000.SH']);
    expect((await server.request({ method: 'GET', url: '/api/data/coverage?symbol=bad' })).json().code).toBe(1100);
  });

  it('deletes one period or all of an instrument, answering how many bars went', async () => {
    const del = async (q: string) => (await server.request({ method: 'DELETE', url: `/api/data/bars?${q}` })).json();
    expect((await del('symbol=688001.SH&period=1m')).data).toEqual({ deleted: 2880 });
    expect(server.context.market.coverage('688001.SH').map((c) => c.period)).toEqual(['5m']);
    expect((await del('symbol=000001.SH&period=day&adjust=qfq')).data).toEqual({ deleted: 0 });
    expect((await del('symbol=000001.SH')).data).toEqual({ deleted: 8455 });
    expect((await del('symbol=300750.SZ')).data).toEqual({ deleted: 0 });
    expect(count(server.context.db)).toBe(6119 + 4995 + 144);
    // Deleted and imported again: all new.
    const again = await importPath(server, 'tdx', path.join(VIPDOC, 'sh/lday/sh000001.day'));
    expect(again.results[0]).toMatchObject({ status: 'imported', inserted: 8455 });
  });
});

describe('the bundled sample data', () => {
  it.skipIf(noData)('has a manifest, a NOTICE naming sources and licenses, and only bundle-OK files', () => {
    const notice = readFileSync(path.join(SAMPLE, 'NOTICE'), 'utf8');
    for (const s of ['hikyuu', 'mootdx', 'Apache License 2.0', 'MIT License', 'fasiondog', 'cardbin']) expect(notice).toContain(s);
    const job = sampleJob(SAMPLE)!;
    expect(job.manifest.names).toEqual({ '600000.SH': '浦发银行', '000001.SZ': '平安银行', '000001.SH': '上证指数', '688001.SH': '华兴源创' });
    expect(job.spec.sources.map((s) => [s.kind, path.relative(SAMPLE, s.path)])).toEqual([
      ['tdx', 'tdx/vipdoc'],
      ['tdx-export', 'tdx-export'],
    ]);
    for (const f of ['tdx/vipdoc/sh/lday/sh600000.day', 'tdx/vipdoc/sh/lday/sh000001.day', 'tdx/vipdoc/sz/lday/sz000001.day', 'tdx/vipdoc/sh/minline/sh688001.lc1', 'tdx/vipdoc/sh/fzline/sh688001.lc5', 'tdx-export/SH#601006.txt']) {
      expect(readFileSync(path.join(SAMPLE, f)).equals(readFileSync(path.join(SHARED, f))), f).toBe(true);
    }
    expect(sampleJob(path.join(scratch, 'nothing-here'))).toBeUndefined();
  });

  it('is imported in the background on first launch (names filled), and not on the next launch', async () => {
    const dataDir = folder('first-launch');
    const first = await testServer({ dataDir, sampleDataDir: SAMPLE, importRoots: [] });
    let sample: ImportTask;
    try {
      await first.app.ready();
      const tasks = (await first.request({ method: 'GET', url: '/api/data/imports' })).json().data as ImportTask[];
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ kind: 'sample', source: SAMPLE });
      expect(FINAL.has(tasks[0]!.state)).toBe(false); // the server answered before the import finished
      sample = await waitTask(first, tasks[0]!.id);
      expect(sample).toMatchObject({ state: 'succeeded', filesTotal: 11, barsRead: 43_142, barsInserted: 43_142 });
      const market = first.context.market;
      expect(Object.fromEntries(market.coverage().map((c) => [`${c.symbol} ${c.period}`, c.name]))).toEqual({
        '000001.SH day': '上证指数',
        '000001.SZ day': '平安银行',
        '600000.SH day': '浦发银行',
        '601003.SH day': '柳钢股份',
        '601005.SH day': '重庆钢铁',
        '601006.SH day': '大秦铁路',
        '601007.SH day': '金陵饭店',
        '601008.SH day': '连云港',
        '601009.SH day': '南京银行',
        '688001.SH 1m': '华兴源创',
        '688001.SH 5m': '华兴源创',
      });
      expect(new SampleState(first.context.db).imported()).toBe(true);
      // App state, not a setting.
      expect((await first.request({ method: 'GET', url: '/api/system/settings' })).json().data).not.toHaveProperty(['sampleDataImported']);
    } finally {
      await first.close();
    }
    const second = await testServer({ dataDir, sampleDataDir: SAMPLE });
    try {
      await second.app.ready();
      // The first launch's task is kept (persisted); no new one.
      const tasks = (await second.request({ method: 'GET', url: '/api/data/imports' })).json().data as ImportTask[];
      expect(tasks.map((t) => [t.id, t.state])).toEqual([[sample.id, 'succeeded']]);
    } finally {
      await second.close();
    }
  });

  it('is not imported when the cache already has instruments, or when the folder is missing', async () => {
    const dataDir = folder('has-data');
    const db = openDatabase(path.join(dataDir, 'mystocks.db'));
    new MarketRepository(db).ensureInstrument('600519.SH', '贵州茅台');
    db.close();
    for (const sampleDataDir of [SAMPLE, path.join(scratch, 'missing-sample')]) {
      const server = await testServer({ dataDir: sampleDataDir === SAMPLE ? dataDir : folder('fresh-missing'), sampleDataDir });
      try {
        await server.app.ready();
        expect((await server.request({ method: 'GET', url: '/api/data/imports' })).json().data).toEqual([]);
      } finally {
        await server.close();
      }
    }
  });
});

describe('the import job in process (what the worker runs)', () => {
  function run(spec: ImportJobSpec): { db: Db; messages: JobMessage[]; close(): void } {
    const dir = mkdtempSync(path.join(scratch, 'job-'));
    const db = openDatabase(path.join(dir, 'mystocks.db'));
    const messages: JobMessage[] = [];
    runImportJob(db, spec, (m) => messages.push(m));
    return { db, messages, close: () => db.close() };
  }

  it('posts start, file results with growing counters, and done; names from the manifest fill empty names', () => {
    const job = sampleJob(SAMPLE)!;
    const { db, messages, close } = run(job.spec);
    try {
      expect(messages[0]).toEqual({ type: 'start', filesTotal: 11 });
      expect(messages.at(-1)).toEqual({ type: 'done' });
      const files = messages.filter((m): m is Extract<JobMessage, { type: 'file' }> => m.type === 'file');
      expect(files).toHaveLength(11);
      expect(files.map((f) => f.filesDone)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(files.at(-1)).toMatchObject({ barsRead: 43_142, barsInserted: 43_142, filesFailed: 0, progress: 1 });
      expect(files.map((f) => f.result.file)).toContain('tdx-export/SH#601003.txt');
      expect(new MarketRepository(db).getInstrument('688001.SH')?.name).toBe('华兴源创');
      const progress = messages.filter((m) => m.type === 'progress' || m.type === 'file').map((m) => (m as { progress: number }).progress);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    } finally {
      close();
    }
  });

  it('reports a missing source as fatal and an unreadable file as a failed result', () => {
    const missing = run({ sources: [{ kind: 'tdx', path: path.join(scratch, 'gone') }] });
    missing.close();
    expect(missing.messages).toEqual([{ type: 'fatal', code: 'IMPORT_FILE_INVALID', message: expect.stringMatching(/cannot list the files/) }]);
    const dir = folder('unreadable');
    mkdirSync(path.join(dir, 'sh600000.day'));
    const csvDir = run({ sources: [{ kind: 'csv', path: path.join(dir, 'sh600000.day'), csv: { symbol: '600000.SH', adjust: 'none', encoding: 'utf-8', mapping: { time: 0, open: 1, high: 2, low: 3, close: 4 }, delimiter: ',', headerRows: 0, dateFormat: 'YYYY-MM-DD', period: 'day', volumeUnit: 'shares', amountUnit: 'yuan' } }] });
    csvDir.close();
    const file = csvDir.messages.find((m) => m.type === 'file') as Extract<JobMessage, { type: 'file' }>;
    expect(file.result).toMatchObject({ status: 'failed', problem: { code: 'fileUnreadable', params: { reason: 'EISDIR' }, message: 'cannot read the file (EISDIR)' } });
  });

  it.skipIf(noData)('a write that fails rolls the whole file back', () => {
    const dir = folder('rollback');
    copyFileSync(path.join(VIPDOC, 'sh/lday/sh600000.day'), path.join(dir, 'sh600000.day'));
    const db = openDatabase(path.join(dir, 'mystocks.db'));
    try {
      db.exec("CREATE TRIGGER no_late_bars BEFORE INSERT ON bars WHEN NEW.ts > 1600000000 BEGIN SELECT RAISE(ABORT, 'refused'); END");
      const messages: JobMessage[] = [];
      runImportJob(db, { sources: [{ kind: 'tdx', path: dir }] }, (m) => messages.push(m));
      const file = messages.find((m) => m.type === 'file') as Extract<JobMessage, { type: 'file' }>;
      expect(file.result).toMatchObject({ status: 'failed', symbol: '600000.SH', problem: { code: 'cacheWriteFailed', params: { reason: 'refused' }, message: 'cannot write to the cache: refused' } });
      expect(count(db)).toBe(0);
      expect(count(db, 'SELECT count(*) FROM instruments')).toBe(0);
      expect(count(db, 'SELECT count(*) FROM trading_days')).toBe(0);
    } finally {
      db.close();
    }
  });

  it.skipIf(noData)('appends newer bars without the upsert and counts overlapping ones exactly', () => {
    const dir = folder('append');
    const bytes = readFileSync(path.join(VIPDOC, 'sh/lday/sh600000.day'));
    const db = openDatabase(path.join(dir, 'mystocks.db'));
    const spec: ImportJobSpec = { sources: [{ kind: 'tdx', path: path.join(dir, 'sh600000.day') }] };
    const inserted = () => {
      const messages: JobMessage[] = [];
      runImportJob(db, spec, (m) => messages.push(m));
      return (messages.find((m) => m.type === 'file') as Extract<JobMessage, { type: 'file' }>).result.inserted;
    };
    try {
      writeFileSync(path.join(dir, 'sh600000.day'), bytes.subarray(0, 32 * 3000));
      expect(inserted()).toBe(3000);
      writeFileSync(path.join(dir, 'sh600000.day'), bytes.subarray(32 * 3000, 32 * 4000));
      expect(inserted()).toBe(1000);
      writeFileSync(path.join(dir, 'sh600000.day'), bytes);
      expect(inserted()).toBe(2119);
      expect(inserted()).toBe(0);
      const market = new MarketRepository(db);
      expect(market.coverage('600000.SH')).toMatchObject([{ first: '1999-11-10', last: '2025-08-05', bars: 6119 }]);
      expect(count(db)).toBe(6119);
    } finally {
      db.close();
    }
  });
});

describe('the import kind', () => {
  it('summaries in events and lists carry at most 50 failed results', () => {
    const results = Array.from({ length: 120 }, (_, i) => ({ file: `f${i}`, status: i % 2 ? ('failed' as const) : ('imported' as const), bars: 0, inserted: 0 }));
    const summary = { importKind: 'tdx' as const, source: '/', filesTotal: 120, filesDone: 120, filesFailed: 60, barsRead: 0, barsInserted: 0, results };
    expect(briefSummary(summary).results).toHaveLength(50);
    expect(briefSummary(summary).results.every((r) => r.status === 'failed')).toBe(true);
  });
});

describe('allowed roots', () => {
  it('compares with a separator, so /home/u2 is not inside /home/u', () => {
    expect(isInside('/home/u', '/home/u')).toBe(true);
    expect(isInside('/home/u/a/b', '/home/u')).toBe(true);
    expect(isInside('/home/u2', '/home/u')).toBe(false);
    expect(isInside('/home/u2/x', '/home/u')).toBe(false);
    expect(isInside('/anything', '/')).toBe(true);
  });

  it.skipIf(noData)('resolves roots once, drops blanks and duplicates, and checks real paths', async () => {
    const roots = new ImportRoots([SHARED, `${SHARED}/`, '', path.join(scratch, 'not-yet')]);
    expect(roots.roots).toEqual([SHARED, path.join(scratch, 'not-yet')]);
    await expect(roots.check(path.join(SHARED, 'tdx', '..', 'tdx'))).resolves.toMatchObject({ path: path.join(SHARED, 'tdx'), isDirectory: true });
    await expect(roots.check(`${SHARED}2`)).rejects.toMatchObject({ errorName: 'PATH_NOT_ALLOWED' });
    await expect(roots.check('relative/path')).rejects.toMatchObject({ errorName: 'VALIDATION_ERROR' });
    await expect(roots.check(`${SHARED}/a\0b`)).rejects.toMatchObject({ errorName: 'VALIDATION_ERROR' });
  });

  it.skipIf(noData)('a root reached through a symlink works both as written and resolved', async () => {
    const link = path.join(scratch, 'linked-root');
    symlinkSync(path.join(SHARED, 'tdx'), link);
    const roots = new ImportRoots([link]);
    await expect(roots.check(path.join(link, 'vipdoc'))).resolves.toMatchObject({ path: path.join(SHARED, 'tdx', 'vipdoc') });
    await expect(roots.check(path.join(SHARED, 'tdx', 'vipdoc'))).resolves.toMatchObject({ isDirectory: true });
    await expect(roots.check(path.join(SHARED, 'csv'))).rejects.toMatchObject({ errorName: 'PATH_NOT_ALLOWED' });
  });
});
