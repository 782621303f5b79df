/**
 * Optimizations through the public API on a real server, a real SQLite file and the real pools
 * (the read lane's coordinator and its trial threads): a dual-MA grid on 600519.SH stored whole
 * and ranked, trials byte-identical to standalone backtests, cancel then retry losing and
 * duplicating nothing, seeded random search, the stream, validation errors and the heatmap.
 */
import { Ajv } from 'ajv';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import spec from '../../../../contracts/gen/openapi.json' with { type: 'json' };
import { startServer, type RunningServer } from '../../app';
import { dereference } from '../../platform/contract';
import type { Task } from '../../platform/tasks/types';
import { sharedDataPath, skipWithoutSharedData } from '../../../../tests/helpers/shared-data';
import { offlineFetch, TEST_TOKEN, tempDataDir } from '../../../../tests/helpers/server';
import type { OptimizationTrial } from './repository';

const noData = skipWithoutSharedData('the optimization API tests');
const headers = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };

type Body<T> = { code: number; data: T; details?: { field?: string; message: string }[] };

async function call<T = unknown>(s: RunningServer, method: string, url: string, body?: unknown): Promise<{ status: number; body: Body<T>; text: string }> {
  const res = await fetch(`${s.origin}${url}`, body !== undefined ? { method, headers, body: JSON.stringify(body) } : { method, headers: { authorization: headers.authorization } });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Body<T>, text };
}

const FAST = [3, 4, 5, 6, 7, 8];
const SLOW = [10, 15, 20];
/** fast 3–8 × slow 10–20 by 5, fast < slow: every pair qualifies (6 × 3). */
const GRID = { strategy: 'dual-ma', symbols: ['600519.SH'], start: '2021-01-01', end: '2024-12-31', benchmark: '', ranges: { fast: { min: 3, max: 8 }, slow: { min: 10, max: 20, step: 5 } }, threads: 2 };

describe.skipIf(noData)('optimizations through the API', () => {
  let s: RunningServer;
  let temp: ReturnType<typeof tempDataDir>;

  async function start(body: object): Promise<Task> {
    const res = await call<Task>(s, 'POST', '/api/optimize/run', body);
    expect(res.status, res.text).toBe(202);
    expect(res.body.data).toMatchObject({ kind: 'optimization', state: 'queued' });
    return res.body.data;
  }
  async function run(body: object): Promise<Task> {
    const task = await start(body);
    return s.context.tasks.wait(task.id);
  }
  const optimizationId = (task: Task) => (task.summary as { optimizationId: string }).optimizationId;
  async function allTrials(id: string, sort = 'index'): Promise<OptimizationTrial[]> {
    const res = await call<{ items: OptimizationTrial[] }>(s, 'GET', `/api/optimize/${id}/trials?sort=${sort}&pageSize=1000`);
    expect(res.status, res.text).toBe(200);
    return res.body.data.items;
  }

  beforeAll(async () => {
    temp = tempDataDir();
    s = await startServer({ dataDir: temp.dir, token: TEST_TOKEN, fetch: offlineFetch, importRoots: [sharedDataPath('.')] });
    const res = await call<Task>(s, 'POST', '/api/data/import/csv', {
      path: sharedDataPath('csv/ashare-daily-qfq/600519.csv'),
      symbol: '600519.SH',
      period: 'day',
      adjust: 'qfq',
      mapping: { time: 0, open: 1, close: 2, high: 3, low: 4, volume: 5 },
      dateFormat: 'YYYY-MM-DD',
      volumeUnit: 'lots',
    });
    expect(res.status, res.text).toBe(202);
    expect((await s.context.tasks.wait(res.body.data.id)).state).toBe('succeeded');
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    temp?.remove();
  }, 60_000);

  let gridTask: Task;
  let gridTrials: OptimizationTrial[];

  it('stores every trial of a grid, ranks them by the objective and respects minTrades', async () => {
    gridTask = await run({ ...GRID, objective: 'sharpe', minTrades: 40, topN: 5 });
    expect(gridTask.state, JSON.stringify(gridTask.error)).toBe('succeeded');
    const id = optimizationId(gridTask);
    const expected = FAST.flatMap((fast) => SLOW.filter((slow) => fast < slow).map((slow) => ({ fast, slow })));
    gridTrials = await allTrials(id);
    expect(gridTrials).toHaveLength(expected.length);
    expect(gridTrials.map((t) => ({ fast: t.params.fast, slow: t.params.slow }))).toEqual(expected);
    expect(gridTrials.map((t) => t.index)).toEqual(expected.map((_, i) => i));
    for (const t of gridTrials) {
      expect(t.eligible).toBe(t.headline.tradeCount >= 40 && t.objective !== null);
      expect(t.objective).toBe(t.headline.sharpe);
      expect(t.digest).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(gridTrials.some((t) => !t.eligible)).toBe(true);
    expect(gridTrials.some((t) => t.eligible)).toBe(true);

    const res = await call<{ meta: { trialsTotal: number; trialsDone: number; state: string; best: { index: number } }; leaderboard: OptimizationTrial[]; eligibleTrials: number; fingerprint: string; overfitting: { psr: { dsr: number | null; trials: number; bestIndex: number } | null; pbo: { pbo: number; partitions: number } | null } }>(s, 'GET', `/api/optimize/${id}`);
    expect(res.status, res.text).toBe(200);
    const o = res.body.data;
    expect(o.meta).toMatchObject({ trialsTotal: expected.length, trialsDone: expected.length, state: 'succeeded' });
    expect(o.eligibleTrials).toBe(gridTrials.filter((t) => t.eligible).length);
    const ranked = gridTrials.filter((t) => t.eligible).sort((a, b) => b.objective! - a.objective! || a.index - b.index);
    expect(o.leaderboard.map((t) => t.index)).toEqual(ranked.slice(0, 5).map((t) => t.index));
    expect(o.meta.best.index).toBe(ranked[0]!.index);
    // The summary's leaderboard carries the headline metrics the live view shows.
    const entry = (gridTask.summary as { leaderboard: Record<string, unknown>[] }).leaderboard[0]!;
    const trial = gridTrials.find((t) => t.index === entry.index)!;
    expect(entry).toMatchObject({ sharpe: trial.headline.sharpe, annualReturn: trial.headline.annualReturn, maxDrawdown: trial.headline.maxDrawdown, totalReturn: trial.headline.totalReturn, tradeCount: trial.headline.tradeCount });
    // The summary's leaderboard (kept from the messages) agrees with SQL's.
    expect((gridTask.summary as { leaderboard: { index: number }[] }).leaderboard.map((e) => e.index)).toEqual(ranked.slice(0, 5).map((t) => t.index));
    expect(o.overfitting?.psr).toMatchObject({ trials: expected.length, bestIndex: ranked[0]!.index });
    expect(o.overfitting?.pbo?.partitions).toBe(16);
    expect(o.overfitting!.pbo!.pbo).toBeGreaterThanOrEqual(0);
    expect(o.overfitting!.pbo!.pbo).toBeLessThanOrEqual(1);
  }, 120_000);

  it('gives each trial the digest of a standalone backtest of its config', async () => {
    const id = optimizationId(gridTask);
    for (const trial of [gridTrials[0]!, gridTrials[gridTrials.length - 1]!]) {
      const res = await call<Task>(s, 'POST', `/api/optimize/${id}/trials/${trial.index}/backtest`);
      expect(res.status, res.text).toBe(202);
      const done = await s.context.tasks.wait(res.body.data.id);
      expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
      const resultId = (done.summary as { resultId: string }).resultId;
      const meta = await call<{ meta: { digest: string } }>(s, 'GET', `/api/backtest/results/${resultId}`);
      expect(meta.body.data.meta.digest).toBe(trial.digest);
      // The same through POST /api/backtest/run with the trial's fields and params.
      const direct = await call<Task>(s, 'POST', '/api/backtest/run', { strategy: 'dual-ma', symbols: ['600519.SH'], start: GRID.start, end: GRID.end, benchmark: '', params: trial.params });
      const directDone = await s.context.tasks.wait(direct.body.data.id);
      const directMeta = await call<{ meta: { digest: string } }>(s, 'GET', `/api/backtest/results/${(directDone.summary as { resultId: string }).resultId}`);
      expect(directMeta.body.data.meta.digest).toBe(trial.digest);
    }
  }, 120_000);

  it('answers the heatmap as the best objective per pair of the eligible trials', async () => {
    const id = optimizationId(gridTask);
    const res = await call<{ xValues: number[]; yValues: number[]; values: (number | null)[][]; trials: (number | null)[][] }>(s, 'GET', `/api/optimize/${id}/heatmap?x=fast&y=slow`);
    expect(res.status, res.text).toBe(200);
    const h = res.body.data;
    h.yValues.forEach((slow, r) =>
      h.xValues.forEach((fast, c) => {
        const cell = gridTrials.filter((t) => t.eligible && t.params.fast === fast && t.params.slow === slow).sort((a, b) => b.objective! - a.objective! || a.index - b.index);
        expect(h.values[r]![c], `${fast}/${slow}`).toBe(cell.length ? cell[0]!.objective : null);
        // The cell's best trial, so a click opens it.
        expect(h.trials[r]![c], `${fast}/${slow}`).toBe(cell.length ? cell[0]!.index : null);
      }),
    );
    expect(new Set(h.xValues)).toEqual(new Set(gridTrials.filter((t) => t.eligible).map((t) => t.params.fast)));
    const bad = await call(s, 'GET', `/api/optimize/${id}/heatmap?x=fast&y=commissionRate`);
    expect(bad.status).toBe(422);
    expect(bad.body.details?.[0]?.field).toBe('querystring.y');
  });

  it('loses and duplicates no trial when cancelled or interrupted and retried, with the same results as an uninterrupted run', async () => {
    const task = await start({ ...GRID, objective: 'sharpe', minTrades: 40, topN: 5, threads: 1 });
    // Cancelled at once (queued or starting: with warm trial threads a later cancel races the run's end).
    s.context.tasks.cancel(task.id);
    expect((await s.context.tasks.wait(task.id)).state).toBe('cancelled');
    const first = await call<Task>(s, 'POST', `/api/tasks/${task.id}/retry`);
    expect(first.status, first.text).toBe(202);
    expect((await s.context.tasks.wait(task.id)).state).toBe('succeeded');
    // Then cut back to what a crash after three trials leaves, and retried again.
    const id = optimizationId(task);
    s.context.db.prepare('DELETE FROM optimization_trials WHERE optimization_id = ? AND trial_index >= 3').run(id);
    s.context.db.prepare('UPDATE optimizations SET overfitting = NULL WHERE id = ?').run(id);
    s.context.db.prepare("UPDATE tasks SET state = 'interrupted' WHERE id = ?").run(task.id);
    const partial = await allTrials(id);
    expect(partial).toHaveLength(3);
    const retried = await call<Task>(s, 'POST', `/api/tasks/${task.id}/retry`);
    expect(retried.status, retried.text).toBe(202);
    const done = await s.context.tasks.wait(task.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect((done.summary as { trialsResumed: number }).trialsResumed).toBe(partial.length);
    const all = await allTrials(id);
    expect(all.map((t) => t.index)).toEqual(gridTrials.map((t) => t.index));
    expect(all.map((t) => [t.digest, t.objective, t.eligible])).toEqual(gridTrials.map((t) => [t.digest, t.objective, t.eligible]));
    const a = await call<{ overfitting: unknown; leaderboard: unknown }>(s, 'GET', `/api/optimize/${id}`);
    const b = await call<{ overfitting: unknown; leaderboard: unknown }>(s, 'GET', `/api/optimize/${optimizationId(gridTask)}`);
    expect(a.body.data.overfitting).toEqual(b.body.data.overfitting);
    expect(a.body.data.leaderboard).toEqual(b.body.data.leaderboard);
  }, 120_000);

  it('draws the same trials for the same seed in a random search', async () => {
    const body = { ...GRID, ranges: { fast: { min: 2, max: 30 }, slow: { min: 10, max: 60, step: 10 } }, method: 'random', samples: 4, seed: 7, end: '2022-12-31' };
    const a = await run(body);
    const b = await run(body);
    const c = await run({ ...body, seed: 8 });
    for (const t of [a, b, c]) expect(t.state, JSON.stringify(t.error)).toBe('succeeded');
    const [ta, tb, tc] = await Promise.all([a, b, c].map((t) => allTrials(optimizationId(t))));
    expect(ta).toHaveLength(4);
    expect(ta!.map((t) => [t.index, t.params, t.digest])).toEqual(tb!.map((t) => [t.index, t.params, t.digest]));
    expect(tc!.map((t) => t.index)).not.toEqual(ta!.map((t) => t.index));
    for (const t of ta!) expect(t.params.fast).toBeLessThan(t.params.slow!);
  }, 120_000);

  it('streams progress with the leaderboard, then exactly one complete, each event as its contract says', async () => {
    // Deterministic whatever the speed: the stream is read after the run, replayed from the
    // topic's id before it started (Last-Event-ID), so it holds every event the run published.
    const status = await call<{ topics: { topic: string; latestId: number }[] }>(s, 'GET', '/api/stream/status');
    const before = status.body.data.topics.find((t) => t.topic === 'optimize')!.latestId;
    const task = await run({ ...GRID, end: '2022-12-31' });
    expect(task.state).toBe('succeeded');
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const schemas = spec.components.schemas as Record<string, unknown>;
    const validate = (name: string) => ajv.compile(dereference(schemas[`${name[0]!.toUpperCase()}${name.slice(1)}Event`] as never) as object);
    const validators = Object.fromEntries(['optimizationProgress', 'optimizationComplete', 'optimizationError'].map((n) => [n, validate(n)]));
    const events: { event: string; data: { leaderboard?: unknown[]; trialsDone?: number; url?: string } }[] = [];
    await new Promise<void>((resolve, reject) => {
      const es = new EventSource(`${s.origin}/api/stream/optimize/${task.id}?lastEventId=${before}`, { fetch: (url, init) => fetch(url, { ...init, headers: { ...init?.headers, authorization: headers.authorization } }) });
      for (const name of Object.keys(validators)) {
        es.addEventListener(name, (e) => {
          if (e.data === undefined) return; // EventSource's own connection errors
          const data = JSON.parse(e.data as string) as never;
          if (!validators[name]!(data)) reject(new Error(`${name} does not match its contract: ${JSON.stringify(validators[name]!.errors)}`));
          events.push({ event: name, data });
          if (name !== 'optimizationProgress') {
            es.close();
            resolve();
          }
        });
      }
    });
    expect(events[0]!.event).toBe('optimizationProgress');
    expect(events.filter((e) => e.event !== 'optimizationProgress').map((e) => e.event)).toEqual(['optimizationComplete']);
    expect(events.at(-1)!.data.url).toBe(`/api/optimize/${optimizationId(task)}`);
    const progress = events.filter((e) => e.event === 'optimizationProgress');
    // However fast the run, its final board comes right before the complete event.
    expect(events.at(-2)).toMatchObject({ event: 'optimizationProgress', data: { state: 'succeeded', trialsDone: (task.summary as { trialsTotal: number }).trialsTotal } });
    expect(events.at(-2)!.data.leaderboard!.length).toBeGreaterThan(0);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.data.trialsDone!).toBeGreaterThanOrEqual(progress[i - 1]!.data.trialsDone!);
    for (const e of progress) expect(e.data.leaderboard!.length).toBeLessThanOrEqual(10);
  }, 120_000);

  it('refuses bad requests with the field, and unknown optimizations and trials with 5004', async () => {
    const cases: [object, number, string][] = [
      [{ ...GRID, ranges: { fast: { min: 3, max: 8 }, nope: { values: [1] } } }, 1001, 'body.ranges.nope'],
      [{ ...GRID, ranges: { fast: { min: 1, max: 8 } } }, 1001, 'body.ranges.fast'],
      [{ ...GRID, ranges: { fast: { min: 3.5, max: 8 } } }, 1001, 'body.ranges.fast'],
      [{ ...GRID, ranges: { fast: { min: 30, max: 40 }, slow: { min: 10, max: 20 } } }, 1001, 'body.ranges'],
      [{ ...GRID, ranges: { fast: { min: 2, max: 250 }, slow: { min: 3, max: 500 }, commissionRate: { min: 0, max: 0.01, step: 0.0005 } } }, 1001, 'body.ranges'],
      [{ ...GRID, ranges: { commissionRate: { min: 0, max: 0.001 } } }, 1001, 'body.ranges.commissionRate.step'],
      [{ ...GRID, ranges: {} }, 1001, 'body.ranges'],
      [{ ...GRID, objective: 'winRate' }, 1001, 'body.objective'],
      [{ ...GRID, strategy: 'nope' }, 5000, 'body.strategy'],
      [{ ...GRID, symbols: ['600000.SH'] }, 1101, 'body.symbols.0'],
    ];
    for (const [body, code, field] of cases) {
      const res = await call(s, 'POST', '/api/optimize/run', body);
      expect(res.body.code, `${field}: ${res.text}`).toBe(code);
      expect(res.body.details?.[0]?.field, res.text).toBe(field);
    }
    expect((await call(s, 'GET', '/api/optimize/nope')).body.code).toBe(5004);
    const id = optimizationId(gridTask);
    expect((await call(s, 'POST', `/api/optimize/${id}/trials/999/backtest`)).body).toMatchObject({ code: 5004, details: [{ field: 'params.index' }] });
  });

  it('lists optimizations newest first and deletes one with its trials', async () => {
    const list = await call<{ items: { id: string }[]; pagination: { total: number } }>(s, 'GET', '/api/optimize?pageSize=2');
    expect(list.status).toBe(200);
    expect(list.body.data.items).toHaveLength(2);
    expect(list.body.data.pagination.total).toBeGreaterThanOrEqual(5);
    const id = optimizationId(gridTask);
    expect((await call(s, 'DELETE', `/api/optimize/${id}`)).body.data).toEqual({ deleted: id });
    expect((await call(s, 'GET', `/api/optimize/${id}/trials`)).body.code).toBe(5004);
    const left = s.context.db.prepare('SELECT count(*) AS n FROM optimization_trials WHERE optimization_id = ?').get(id) as { n: number };
    expect(left.n).toBe(0);
  });
});
