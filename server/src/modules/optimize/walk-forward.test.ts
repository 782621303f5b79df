/**
 * Walk-forward through the public API on a real server, a real SQLite file and the real pools:
 * dual MA on 600519.SH, fast 3–7 × slow 10–30 by 10 (15 combinations), 2021–2022, rolling
 * 200 in-sample / 100 out-of-sample trading days (3 windows, the last one partial). Checked
 * against what the test computes on its own: the windows from the CSV's dates, each winner from
 * the stored in-sample trials, each out-of-sample result against a standalone backtest of the
 * winner over the window (digest), the stitched equity by chaining those backtests' equities,
 * and cancel + retry giving the same walk-forward.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../app';
import type { Task } from '../../platform/tasks/types';
import { sharedDataPath, skipWithoutSharedData } from '../../../../tests/helpers/shared-data';
import { offlineFetch, TEST_TOKEN, tempDataDir } from '../../../../tests/helpers/server';
import type { WalkForwardResult } from './walk-forward-repository';

const noData = skipWithoutSharedData('the walk-forward API tests');
const headers = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
const CSV = 'csv/ashare-daily-qfq/600519.csv';

type Body<T> = { code: number; data: T };
async function call<T = unknown>(s: RunningServer, method: string, url: string, body?: unknown): Promise<{ status: number; body: Body<T>; text: string }> {
  const res = await fetch(`${s.origin}${url}`, body !== undefined ? { method, headers, body: JSON.stringify(body) } : { method, headers: { authorization: headers.authorization } });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Body<T>, text };
}

const START = '2021-01-01';
const END = '2022-12-31';
const IS = 200;
const OOS = 100;
const RUN = {
  strategy: 'dual-ma',
  symbols: ['600519.SH'],
  start: START,
  end: END,
  benchmark: '',
  ranges: { fast: { min: 3, max: 7 }, slow: { min: 10, max: 30, step: 10 } },
  objective: 'sharpe',
  threads: 2,
  walkForward: { mode: 'rolling', inSampleDays: IS, outOfSampleDays: OOS },
};

describe.skipIf(noData)('walk-forward through the API', () => {
  let s: RunningServer;
  let temp: ReturnType<typeof tempDataDir>;
  let days: string[];
  let first: { id: string; wf: WalkForwardResult };

  const optimizationId = (task: Task) => (task.summary as { optimizationId: string }).optimizationId;
  async function walkForwardOf(id: string): Promise<WalkForwardResult> {
    const res = await call<{ walkForward: WalkForwardResult }>(s, 'GET', `/api/optimize/${id}`);
    expect(res.status, res.text).toBe(200);
    return res.body.data.walkForward;
  }
  async function backtest(body: object): Promise<{ meta: { digest: string }; document: { series: { dates: string[]; equity: number[] } } }> {
    const res = await call<Task>(s, 'POST', '/api/backtest/run', body);
    expect(res.status, res.text).toBe(202);
    const done = await s.context.tasks.wait(res.body.data.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    return (await call<never>(s, 'GET', `/api/backtest/results/${(done.summary as { resultId: string }).resultId}`)).body.data;
  }

  beforeAll(async () => {
    temp = tempDataDir();
    s = await startServer({ dataDir: temp.dir, token: TEST_TOKEN, fetch: offlineFetch, importRoots: [sharedDataPath('.')] });
    const res = await call<Task>(s, 'POST', '/api/data/import/csv', {
      path: sharedDataPath(CSV),
      symbol: '600519.SH',
      period: 'day',
      adjust: 'qfq',
      mapping: { time: 0, open: 1, close: 2, high: 3, low: 4, volume: 5 },
      dateFormat: 'YYYY-MM-DD',
      volumeUnit: 'lots',
    });
    expect(res.status, res.text).toBe(202);
    expect((await s.context.tasks.wait(res.body.data.id)).state).toBe('succeeded');
    // The trading days of the range, straight from the file.
    days = readFileSync(sharedDataPath(CSV), 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[0]!)
      .filter((d) => d >= START && d <= END);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    temp?.remove();
  }, 60_000);

  it('runs the windows, picks each winner in sample and evaluates it out of sample', async () => {
    const res = await call<Task>(s, 'POST', '/api/optimize/run', RUN);
    expect(res.status, res.text).toBe(202);
    const task = await s.context.tasks.wait(res.body.data.id);
    expect(task.state, JSON.stringify(task.error)).toBe('succeeded');
    const id = optimizationId(task);
    const wf = await walkForwardOf(id);
    first = { id, wf };

    // Windows by hand: OOS k covers days[IS + k·OOS …], IS the IS days before it; the last is cut at the end.
    expect(days.length).toBe(485);
    const expected = [0, 1, 2].map((k) => ({
      inSample: { start: days[k * OOS]!, end: days[k * OOS + IS - 1]!, days: IS },
      outOfSample: { start: days[IS + k * OOS]!, end: days[Math.min(IS + (k + 1) * OOS, days.length) - 1]!, days: Math.min(OOS, days.length - IS - k * OOS) },
    }));
    expect(wf.windows.map((w) => ({ inSample: w.inSample, outOfSample: w.outOfSample }))).toEqual(expected);
    expect(wf.windows.at(-1)!.outOfSample.days).toBe(85);
    expect((task.summary as { walkForward: unknown }).walkForward).toEqual({ windowsTotal: 3, windowsDone: 3, trialsTotal: 3 * 16, trialsDone: 3 * 16 });

    for (const w of wf.windows) {
      // The winner: the best stored in-sample trial (eligible first, objective descending, lowest index).
      const rows = s.context.db
        .prepare('SELECT trial_index AS i, objective AS o, eligible AS e, annual_return AS a FROM walkforward_trials WHERE optimization_id = ? AND window_index = ?')
        .all(id, w.index) as { i: number; o: number | null; e: number; a: number | null }[];
      expect(rows).toHaveLength(15);
      expect(w.inSampleTrials).toBe(15);
      const best = [...rows].sort((a, b) => b.e - a.e || (b.o ?? -Infinity) - (a.o ?? -Infinity) || a.i - b.i)[0]!;
      expect(w.winner).toMatchObject({ index: best.i, objective: best.o, annualReturn: best.a });
      expect(w.winner!.objective).toBe(Math.max(...rows.filter((r) => r.e === 1).map((r) => r.o!)));
      expect(w.wfe).toBe(w.winner!.annualReturn! > 0 ? w.outOfSampleResult!.annualReturn! / w.winner!.annualReturn! : null);
    }
  }, 180_000);

  it('gives each OOS result the digest of a standalone backtest of the winner over the window, and stitches their equities', async () => {
    const { wf } = first;
    let level = 1_000_000;
    const stitched: number[] = [];
    for (const w of wf.windows) {
      const standalone = await backtest({ strategy: 'dual-ma', symbols: ['600519.SH'], start: w.outOfSample.start, end: w.outOfSample.end, benchmark: '', params: w.winner!.params });
      expect(standalone.meta.digest).toBe(w.outOfSampleResult!.digest);
      const e = standalone.document.series.equity;
      expect(standalone.document.series.dates[0]).toBe(w.outOfSample.start);
      for (const v of e) stitched.push((level * v) / e[0]!);
      level = stitched.at(-1)!;
    }
    expect(wf.equity.values).toEqual(stitched);
    expect(wf.equity.dates).toEqual(days.slice(IS));
    expect(wf.equity.values[0]).toBe(1_000_000);
    // The winner of window 0 in sample, as a standalone backtest of the IS range: its stored digest.
    const w0 = wf.windows[0]!;
    const is = await backtest({ strategy: 'dual-ma', symbols: ['600519.SH'], start: w0.inSample.start, end: w0.inSample.end, benchmark: '', params: w0.winner!.params });
    const stored = s.context.db.prepare('SELECT digest FROM walkforward_trials WHERE optimization_id = ? AND window_index = 0 AND trial_index = ?').get(first.id, w0.winner!.index) as { digest: string };
    expect(is.meta.digest).toBe(stored.digest);
    // Overall efficiency: the stitched curve's CAGR over the mean IS annual return of the winners.
    const cagr = (stitched.at(-1)! / stitched[0]!) ** (252 / (stitched.length - 1)) - 1;
    expect(wf.oosAnnualReturn).toBeCloseTo(cagr, 12);
    const isMean = wf.windows.reduce((a, w) => a + w.winner!.annualReturn!, 0) / wf.windows.length;
    expect(wf.isAnnualReturn).toBeCloseTo(isMean, 14);
    expect(wf.wfe).toBe(isMean > 0 ? wf.oosAnnualReturn! / wf.isAnnualReturn! : null);
  }, 180_000);

  it('resumes what an interrupted run left to the same walk-forward as an uninterrupted run', async () => {
    // A finished run cut back to what a crash in window 1 leaves: the whole-range trials, window 0
    // done, 5 of window 1's in-sample trials, nothing of window 2; the task interrupted. (Cancelling
    // a live run at a given point is a race with warm trial threads; the stored state is what a
    // retry resumes from, so it is built here exactly.)
    const res = await call<Task>(s, 'POST', '/api/optimize/run', { ...RUN, threads: 1 });
    const task = res.body.data;
    expect((await s.context.tasks.wait(task.id)).state).toBe('succeeded');
    const id = optimizationId(task);
    const db = s.context.db;
    db.prepare('DELETE FROM walkforward_trials WHERE optimization_id = ? AND (window_index = 2 OR (window_index = 1 AND trial_index >= 5))').run(id);
    db.prepare('UPDATE walkforward_windows SET winner = NULL, oos = NULL, series = NULL WHERE optimization_id = ? AND window_index >= 1').run(id);
    db.prepare("UPDATE tasks SET state = 'interrupted' WHERE id = ?").run(task.id);
    const count = () => (db.prepare('SELECT count(*) AS n FROM walkforward_trials WHERE optimization_id = ?').get(id) as { n: number }).n;
    expect(count()).toBe(15 + 5);

    const retried = await call<Task>(s, 'POST', `/api/tasks/${task.id}/retry`);
    expect(retried.status, retried.text).toBe(202);
    const done = await s.context.tasks.wait(task.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(count()).toBe(45);
    // Every window done, the resumed trials counted with the new ones.
    expect((done.summary as { walkForward: { trialsDone: number } }).walkForward.trialsDone).toBe(3 * 16);
    expect(await walkForwardOf(id)).toEqual(first.wf);
  }, 180_000);
});
