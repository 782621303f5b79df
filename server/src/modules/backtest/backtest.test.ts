/**
 * The backtest module through its public API, on a real server with a real SQLite cache: the
 * backtrader reference matched fill by fill, byte-identical reruns, results list/get/compare/
 * export/delete, request errors, cancel, and the per-task SSE stream (late subscribers, order,
 * exactly one terminal event, Last-Event-ID).
 */
import { Ajv } from 'ajv';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import spec from '../../../../contracts/gen/openapi.json' with { type: 'json' };
import { startServer, type RunningServer } from '../../app';
import { dereference } from '../../platform/contract';
import type { Task } from '../../platform/tasks/types';
import { backtraderReference } from '../../../../tests/helpers/reference';
import { sharedDataPath, skipWithoutSharedData } from '../../../../tests/helpers/shared-data';
import { offlineFetch, TEST_TOKEN, tempDataDir } from '../../../../tests/helpers/server';
import type { BacktestDocument } from './document';

const noData = skipWithoutSharedData('the backtest API tests');
const headers = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };

async function call<T = unknown>(s: RunningServer, method: string, url: string, body?: unknown): Promise<{ status: number; body: { code: number; data: T; details?: { field?: string; message: string }[] }; text: string; headers: Headers }> {
  const res = await fetch(`${s.origin}${url}`, body !== undefined ? { method, headers, body: JSON.stringify(body) } : { method, headers: { authorization: headers.authorization } });
  const text = await res.text();
  let parsed: never = undefined as never;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, '')) as never;
  } catch {
    // CSV
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

const DUAL_MA = { strategy: 'dual-ma', params: { fast: 5, slow: 20 }, symbols: ['600519.SH'], start: '2020-01-01', end: '2025-09-30', benchmark: '' };

describe.skipIf(noData)('backtests through the API', () => {
  let s: RunningServer;
  let temp: ReturnType<typeof tempDataDir>;
  const reference = noData ? undefined : backtraderReference();

  async function importCsv(symbol: string, file: string): Promise<void> {
    const res = await call<Task>(s, 'POST', '/api/data/import/csv', {
      path: file,
      symbol,
      period: 'day',
      adjust: 'qfq',
      mapping: { time: 0, open: 1, close: 2, high: 3, low: 4, volume: 5 },
      dateFormat: 'YYYY-MM-DD',
      volumeUnit: 'lots',
    });
    expect(res.status, res.text).toBe(202);
    expect((await s.context.tasks.wait(res.body.data.id)).state).toBe('succeeded');
  }

  async function run(body: object): Promise<Task> {
    const res = await call<Task>(s, 'POST', '/api/backtest/run', body);
    expect(res.status, res.text).toBe(202);
    expect(res.body.data).toMatchObject({ kind: 'backtest', state: 'queued' });
    return s.context.tasks.wait(res.body.data.id);
  }

  beforeAll(async () => {
    temp = tempDataDir();
    s = await startServer({ dataDir: temp.dir, token: TEST_TOKEN, fetch: offlineFetch, importRoots: [sharedDataPath('.')] });
    await importCsv('600519.SH', sharedDataPath('csv/ashare-daily-qfq/600519.csv'));
    await importCsv('000568.SZ', sharedDataPath('csv/ashare-daily-qfq/000568.csv'));
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    temp?.remove();
  }, 60_000);

  it('lists the strategies with their schemas and presets', async () => {
    const res = await call<{ id: string; params: { name: string }[]; presets: unknown[]; constraints?: string[]; multiSymbol: boolean }[]>(s, 'GET', '/api/backtest/strategies');
    expect(res.body.data.map((x) => x.id)).toEqual(['dual-ma', 'macd-cross', 'kdj', 'rsi-reversion', 'bollinger-breakout', 'donchian-turtle', 'equal-weight-rebalance']);
    const dual = res.body.data[0]!;
    expect(dual.params.map((p) => p.name)).toEqual(['fast', 'slow', 'commissionRate']);
    expect(dual.presets.length).toBeGreaterThan(0);
    expect(dual).toMatchObject({ constraints: ['fast < slow'], multiSymbol: false });
    expect(res.body.data.find((x) => x.id === 'equal-weight-rebalance')).toMatchObject({ multiSymbol: true });
  });

  it('matches the backtrader reference fill by fill, each fee within a fen, the final value within the summed rounding', async () => {
    const task = await run({ ...DUAL_MA, initialCash: reference!.config.initial_cash });
    expect(task.state, JSON.stringify(task.error)).toBe('succeeded');
    const resultId = (task.summary as { resultId: string }).resultId;
    const res = await call<{ meta: { id: string; digest: string }; document: BacktestDocument }>(s, 'GET', `/api/backtest/results/${resultId}`);
    expect(res.status).toBe(200);
    const doc = res.body.data.document;
    expect(doc.fills.map((f) => ({ date: f.date, side: f.side, qty: f.quantity, price: f.price }))).toEqual(reference!.fills.map((f) => ({ date: f.date, side: f.side, qty: f.qty, price: f.price })));
    doc.fills.forEach((f, i) => {
      const fee = (f.commissionFen + f.stampDutyFen + f.transferFeeFen) / 100;
      expect(Math.abs(fee - reference!.fills[i]!.fee), `fill ${i}`).toBeLessThanOrEqual(0.015 + 1e-9);
    });
    expect(Math.abs(doc.finalEquityFen / 100 - reference!.final_value)).toBeLessThanOrEqual(doc.fills.length * 0.015);
    // A sell's stamp duty by hand: 0.1 % of its value before 2023-08-28, 0.05 % from then on (rounded to the fen).
    for (const f of doc.fills.filter((x) => x.side === 'sell')) {
      const rate = f.date >= '2023-08-28' ? 0.0005 : 0.001;
      expect(f.stampDutyFen, f.date).toBe(Math.round(f.valueFen * rate));
    }
    for (const f of doc.fills.filter((x) => x.side === 'buy')) expect(f.stampDutyFen).toBe(0);
    // The ledger reconciles to the fen: initial cash + every fill's cash movement = final cash.
    expect(reference!.config.initial_cash * 100 + doc.fills.reduce((a, f) => a + f.cashFen, 0)).toBe(doc.finalCashFen);
    expect(doc.config).toMatchObject({ strategy: 'dual-ma', params: { fast: 5, slow: 20, commissionRate: 0.00025 }, adjust: 'qfq', fillModel: 'next-open', costs: { commissionRate: 0.00025, minCommission: 5 } });
    expect(doc.metrics.tradeCount).toBe(doc.trades.length);
    expect(doc.series.dates[0]! >= '2020-01-01').toBe(true);
    expect(doc.markers).toHaveLength(doc.fills.length);
  });

  it('gives a byte-identical result for the same config and bars, and exports it as stored', async () => {
    const a = await run(DUAL_MA);
    const b = await run(DUAL_MA);
    const idA = (a.summary as { resultId: string }).resultId;
    const idB = (b.summary as { resultId: string }).resultId;
    expect(idA).not.toBe(idB);
    const jsonA = await call(s, 'GET', `/api/backtest/results/${idA}/export?format=json`);
    const jsonB = await call(s, 'GET', `/api/backtest/results/${idB}/export?format=json`);
    expect(jsonA.headers.get('content-disposition')).toMatch(/attachment; filename="backtest-.*\.json"/);
    expect(jsonA.text.length).toBeGreaterThan(1000);
    expect(jsonA.text).toBe(jsonB.text);
    const metaA = (await call<{ meta: { digest: string; fingerprint: string; engineVersion: string } }>(s, 'GET', `/api/backtest/results/${idA}`)).body.data.meta;
    const metaB = (await call<{ meta: { digest: string; fingerprint: string } }>(s, 'GET', `/api/backtest/results/${idB}`)).body.data.meta;
    expect(metaA.digest).toBe(metaB.digest);
    expect(metaA.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(metaA.engineVersion).toMatch(/^\d+\.\d+\.\d+$/);

    const csv = await call(s, 'GET', `/api/backtest/results/${idA}/export?format=csv&table=fills`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('id,order_id,symbol,side,date,quantity,price,value,commission,stamp_duty,transfer_fee,cash');
    const doc = JSON.parse(jsonA.text) as BacktestDocument;
    expect(lines).toHaveLength(doc.fills.length + 1);
    const firstSell = doc.fills.find((f) => f.side === 'sell')!;
    expect(lines.find((l) => l.startsWith(`${firstSell.id},`))!.split(',')[9]).toBe((firstSell.stampDutyFen / 100).toFixed(2));
    for (const table of ['trades', 'orders', 'equity']) {
      const t = await call(s, 'GET', `/api/backtest/results/${idA}/export?format=csv&table=${table}`);
      expect(t.status, table).toBe(200);
    }
    const noTable = await call(s, 'GET', `/api/backtest/results/${idA}/export?format=csv`);
    expect(noTable.status).toBe(422);
    expect(noTable.body).toMatchObject({ code: 1001, details: [{ field: 'querystring.table' }] });
  });

  it('lists, compares and deletes results', async () => {
    const other = await run({ ...DUAL_MA, params: { fast: 10, slow: 30 }, symbols: ['600519.SH', '000568.SZ'], name: 'two stocks' });
    const id = (other.summary as { resultId: string }).resultId;
    const list = await call<{ items: { id: string; name: string; symbols: string[]; headline: { tradeCount: number } }[]; pagination: { total: number } }>(s, 'GET', '/api/backtest/results?pageSize=2');
    expect(list.body.data.items[0]).toMatchObject({ id, name: 'two stocks', symbols: ['600519.SH', '000568.SZ'] });
    expect(list.body.data.items).toHaveLength(2);
    expect(list.body.data.pagination.total).toBeGreaterThanOrEqual(4);
    const bySymbol = await call<{ items: { id: string }[] }>(s, 'GET', '/api/backtest/results?symbol=000568.SZ');
    expect(bySymbol.body.data.items.map((r) => r.id)).toEqual([id]);

    const all = list.body.data.items.map((r) => r.id);
    const cmp = await call<{ items: { meta: { id: string }; metrics: { sharpe: number | null }; dates: string[]; equity: number[] }[] }>(s, 'GET', `/api/backtest/compare?ids=${all.join(',')}`);
    expect(cmp.status, cmp.text).toBe(200);
    expect(cmp.body.data.items.map((i) => i.meta.id)).toEqual(all);
    for (const item of cmp.body.data.items) {
      expect(item.equity[0]).toBe(1);
      expect(item.equity).toHaveLength(item.dates.length);
    }
    expect((await call(s, 'GET', `/api/backtest/compare?ids=${id}`)).status).toBe(422);
    expect((await call(s, 'GET', `/api/backtest/compare?ids=${id},${id}`)).status).toBe(422);
    expect((await call(s, 'GET', `/api/backtest/compare?ids=${id},nope`)).body.code).toBe(5003);

    expect((await call(s, 'DELETE', `/api/backtest/results/${id}`)).status).toBe(200);
    expect((await call(s, 'GET', `/api/backtest/results/${id}`)).body.code).toBe(5003);
    expect((await call(s, 'DELETE', `/api/backtest/results/${id}`)).body.code).toBe(5003);
  });

  it('answers bad requests with their codes and fields, queuing nothing', async () => {
    const before = s.context.tasks.stats().total;
    const post = (body: object) => call(s, 'POST', '/api/backtest/run', body);
    expect((await post({ ...DUAL_MA, strategy: 'no-such' })).body).toMatchObject({ code: 5000, details: [{ field: 'body.strategy' }] });
    expect((await post({ ...DUAL_MA, params: { fast: 30, slow: 20 } })).body).toMatchObject({ code: 5001, details: [{ field: 'body.params', message: 'dual-ma.fast must be less than dual-ma.slow' }] });
    expect((await post({ ...DUAL_MA, params: { fast: 1 } })).body).toMatchObject({ code: 5001 });
    expect((await post({ ...DUAL_MA, params: { nope: 1 } })).body).toMatchObject({ code: 5001 });
    expect((await post({ ...DUAL_MA, start: '2025-02-30' })).body).toMatchObject({ code: 1200, details: [{ field: 'body.start' }] });
    expect((await post({ ...DUAL_MA, start: '2025-01-01', end: '2024-01-01' })).body).toMatchObject({ code: 1201 });
    expect((await post({ ...DUAL_MA, symbols: ['600000.SH'] })).body).toMatchObject({ code: 1101, details: [{ field: 'body.symbols.0' }] });
    expect((await post({ ...DUAL_MA, symbols: ['600519'] })).body).toMatchObject({ code: 1100 });
    expect((await post({ ...DUAL_MA, costs: { slippage: { kind: 'bps' } } })).body).toMatchObject({ code: 1300 });
    expect((await post({ ...DUAL_MA, initialCash: 10 })).status).toBe(422);
    expect(s.context.tasks.stats().total).toBe(before);
  });

  it('fails a run with no bars in its range with 2003, storing nothing', async () => {
    const task = await run({ ...DUAL_MA, start: '2010-01-01', end: '2010-12-31' });
    expect(task.state).toBe('failed');
    expect(task.error?.code).toBe(2003);
  });

  it('leaves out a benchmark that is not cached, with a warning', async () => {
    const task = await run({ ...DUAL_MA, benchmark: '000300.SH' });
    expect(task.state).toBe('succeeded');
    const doc = (await call<{ document: BacktestDocument }>(s, 'GET', `/api/backtest/results/${(task.summary as { resultId: string }).resultId}`)).body.data.document;
    expect(doc.series.benchmark).toBeNull();
    expect(doc.warnings).toEqual([expect.stringContaining('benchmark 000300.SH')]);
    expect(doc.metrics.beta).toBeNull();
  });

  it('uses another cached symbol as the benchmark', async () => {
    const task = await run({ ...DUAL_MA, benchmark: '000568.SZ' });
    const doc = (await call<{ document: BacktestDocument }>(s, 'GET', `/api/backtest/results/${(task.summary as { resultId: string }).resultId}`)).body.data.document;
    expect(doc.series.benchmark).toHaveLength(doc.series.dates.length);
    expect(doc.series.benchmark![0]).toBe(doc.series.equity[0]);
    expect(doc.metrics.beta).not.toBeNull();
  });

  describe('GET /api/stream/backtest/{taskId}', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const schemas = spec.components.schemas as Record<string, unknown>;
    const validators = {
      progress: ajv.compile(dereference(schemas.BacktestProgressEvent as never) as object),
      complete: ajv.compile(dereference(schemas.BacktestCompleteEvent as never) as object),
      error: ajv.compile(dereference(schemas.BacktestErrorEvent as never) as object),
    };

    function follow(taskId: string, lastEventId?: string) {
      const events: { id: string; event: string; data: Record<string, unknown> }[] = [];
      const es = new EventSource(`${s.origin}/api/stream/backtest/${taskId}${lastEventId ? `?lastEventId=${lastEventId}` : ''}`, {
        fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${TEST_TOKEN}` } }),
      });
      const ended = new Promise<void>((resolve) => {
        for (const name of ['progress', 'complete', 'error'] as const) {
          es.addEventListener(name, (e) => {
            // EventSource also dispatches its own connection errors as `error` (no data).
            if (e.data === undefined) return;
            const data = JSON.parse(e.data) as Record<string, unknown>;
            if (!validators[name](data)) throw new Error(`${name} does not match its contract: ${JSON.stringify(validators[name].errors)}`);
            events.push({ id: e.lastEventId, event: name, data });
            if (name !== 'progress') resolve();
          });
        }
      });
      const opened = new Promise<void>((resolve, reject) => {
        es.onopen = () => resolve();
        es.onerror = () => reject(new Error('stream failed'));
      });
      return { events, ended, opened, close: () => es.close() };
    }

    it('sends progress that never decreases, then exactly one complete with the result URL', async () => {
      // Deterministic whatever the speed: the stream is read after the run, replayed from the
      // topic's id before it started (Last-Event-ID), so it holds every event the run published
      // (a subscriber that connects after a quick run ends would get only the terminal event).
      const status = await call<{ topics: { topic: string; latestId: number }[] }>(s, 'GET', '/api/stream/status');
      const before = status.body.data.topics.find((t) => t.topic === 'backtest')!.latestId;
      const res = await call<Task>(s, 'POST', '/api/backtest/run', { ...DUAL_MA, symbols: ['600519.SH', '000568.SZ'] });
      const taskId = res.body.data.id;
      const done = await s.context.tasks.wait(taskId);
      const stream = follow(taskId, String(before));
      await stream.opened;
      await stream.ended;
      // Nothing after the terminal event.
      await new Promise((r) => setTimeout(r, 50));
      stream.close();
      const { events } = stream;
      expect(events.filter((e) => e.event !== 'progress')).toHaveLength(1);
      const last = events.at(-1)!;
      const resultId = (done.summary as { resultId: string }).resultId;
      expect(last).toMatchObject({ event: 'complete', data: { taskId, resultId, resultUrl: `/api/backtest/results/${resultId}` } });
      const progress = events.filter((e) => e.event === 'progress').map((e) => e.data.progress as number);
      expect(progress.length).toBeGreaterThan(0);
      for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]!);
      for (const e of events) expect(e.data.taskId).toBe(taskId);
      expect((await call(s, 'GET', last.data.resultUrl as string)).status).toBe(200);
    });

    it('gives a late subscriber the current state: the terminal event of a finished run', async () => {
      const task = await run(DUAL_MA);
      const stream = follow(task.id);
      await stream.opened;
      await stream.ended;
      stream.close();
      expect(stream.events).toEqual([expect.objectContaining({ event: 'complete', data: expect.objectContaining({ taskId: task.id }) })]);
    });

    it('replays what a reconnecting subscriber missed after its Last-Event-ID instead of the current state', async () => {
      const first = follow((await run(DUAL_MA)).id);
      await first.ended;
      first.close();
      const latestId = first.events[0]!.id;
      // Resuming after the latest id of the topic: nothing missed, no snapshot.
      const resumed = follow(first.events[0]!.data.taskId as string, latestId);
      await resumed.opened;
      await new Promise((r) => setTimeout(r, 100));
      resumed.close();
      expect(resumed.events).toEqual([]);
    });

    it('answers 404 for a task that is not a backtest', async () => {
      expect((await call(s, 'GET', '/api/stream/backtest/no-such-task')).body).toMatchObject({ code: 7000 });
    });

    it('ends a cancelled run with one error event 7004 and stores no result', async () => {
      const results = s.context.backtestResults.list({}, 1, 1000).total;
      const res = await call<Task>(s, 'POST', '/api/backtest/run', { ...DUAL_MA, symbols: ['600519.SH', '000568.SZ'] });
      const taskId = res.body.data.id;
      const stream = follow(taskId);
      await stream.opened;
      const cancelled = await call<Task>(s, 'POST', `/api/tasks/${taskId}/cancel`);
      expect(cancelled.status).toBe(200);
      const done = await s.context.tasks.wait(taskId);
      await stream.ended;
      stream.close();
      // The run may have finished before the cancel reached it; a cancelled one stores nothing.
      if (done.state === 'cancelled') {
        expect(stream.events.filter((e) => e.event !== 'progress')).toEqual([expect.objectContaining({ event: 'error', data: expect.objectContaining({ taskId, state: 'cancelled', code: 7004 }) })]);
        expect(s.context.backtestResults.list({}, 1, 1000).total).toBe(results);
      } else {
        expect(done.state).toBe('succeeded');
      }
    });
  });
});
