/**
 * Crashes (kill -9 of the server process, no shutdown code runs) in the middle of long work, on a
 * real data directory: once during an import and once during a backtest. After a restart the task
 * is `interrupted`, SQLite's integrity_check is `ok`, nothing is half-written (each imported file
 * is all there or not at all; no backtest result), and retry runs the task to the end.
 *
 * The long work comes from synthetic minute files (tests/helpers/synthetic-tdx.ts): 4 × 600,000
 * bars take seconds to import and to backtest, so the kill lands while the task runs; the test
 * checks that it did (the task was running and not finished when killed).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import { writeSyntheticLc1 } from '../helpers/synthetic-tdx';
import { serve, tempDir, type ServedApp } from './serve';

const SYMBOLS = ['600100', '600101', '600102', '600103'];
const DAYS = 2500;
const BARS = DAYS * 240;

interface Task {
  id: string;
  state: string;
  progress: number;
  phase: string;
  error?: { code: number };
  summary: { resultId?: string };
}

async function api<T>(app: ServedApp, method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${app.origin}${url}`, {
    method,
    headers: { authorization: `Bearer ${app.token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await res.json()) as { data: T; message?: string };
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
  return json.data;
}

/** Polls the task until `ready` holds; fails if it finished first (the kill would come too late). */
async function waitRunning(app: ServedApp, id: string, ready: (t: Task) => boolean): Promise<Task> {
  for (;;) {
    const task = await api<Task>(app, 'GET', `/api/tasks/${id}`);
    if (task.state !== 'queued' && task.state !== 'running') throw new Error(`the task ended (${task.state}) before the kill`);
    if (ready(task)) return task;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function waitFinished(app: ServedApp, id: string): Promise<Task> {
  for (;;) {
    const task = await api<Task>(app, 'GET', `/api/tasks/${id}`);
    if (task.state !== 'queued' && task.state !== 'running') return task;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function integrity(dataDir: string): string {
  const db = new Database(path.join(dataDir, 'mystocks.db'), { readonly: true });
  try {
    return db.prepare<[], string>('PRAGMA integrity_check').pluck().all().join('; ');
  } finally {
    db.close();
  }
}

test('kill -9 during an import and during a backtest: interrupted, integrity ok, nothing half-written, retry completes', async () => {
  test.setTimeout(240_000);
  const data = tempDir();
  const source = tempDir('mystocks-e2e-lc1-');
  const folder = path.join(source.dir, 'vipdoc', 'sh', 'minline');
  mkdirSync(folder, { recursive: true });
  SYMBOLS.forEach((code, i) => writeSyntheticLc1(path.join(folder, `sh${code}.lc1`), DAYS, 1000 + i));

  let app = await serve(data.dir, undefined, { importRoots: [source.dir] });
  try {
    // --- an import, killed once it has written part of its files
    const imported = await api<Task>(app, 'POST', '/api/data/import/tdx', { path: path.join(source.dir, 'vipdoc') });
    await waitRunning(app, imported.id, (t) => t.progress > 5);
    await app.kill();

    app = await serve(data.dir, undefined, { importRoots: [source.dir] });
    const afterImport = await api<Task>(app, 'GET', `/api/tasks/${imported.id}`);
    expect(afterImport).toMatchObject({ state: 'interrupted', error: { code: 9002 } });
    expect(integrity(data.dir)).toBe('ok');
    // Each file's bars are written in one transaction: a series is whole or absent.
    // (The bundled sample, imported on first launch, has minute bars of its own.)
    const ours = (list: { symbol: string; bars: number }[]) => list.filter((c) => SYMBOLS.includes(c.symbol.slice(0, 6)));
    const partial = ours(await api<{ symbol: string; bars: number }[]>(app, 'GET', '/api/data/coverage?period=1m'));
    for (const c of partial) expect(c.bars, c.symbol).toBe(BARS);
    expect(partial.length).toBeLessThan(SYMBOLS.length);

    await api<Task>(app, 'POST', `/api/tasks/${imported.id}/retry`);
    expect((await waitFinished(app, imported.id)).state).toBe('succeeded');
    const whole = ours(await api<{ symbol: string; bars: number }[]>(app, 'GET', '/api/data/coverage?period=1m'));
    expect(whole.map((c) => `${c.symbol} ${c.bars}`)).toEqual(SYMBOLS.map((code) => `${code}.SH ${BARS}`));

    // --- a backtest over all of it, killed while the engine runs
    const run = await api<Task>(app, 'POST', '/api/backtest/run', {
      strategy: 'dual-ma',
      symbols: SYMBOLS.map((code) => `${code}.SH`),
      period: '1m',
      start: '2005-01-01',
      end: '2016-12-31',
      benchmark: '',
    });
    await waitRunning(app, run.id, (t) => t.phase === 'running' || t.phase === 'loading');
    await app.kill();

    app = await serve(data.dir, undefined, { importRoots: [source.dir] });
    expect(await api<Task>(app, 'GET', `/api/tasks/${run.id}`)).toMatchObject({ state: 'interrupted', error: { code: 9002 } });
    expect(integrity(data.dir)).toBe('ok');
    expect((await api<{ pagination: { total: number } }>(app, 'GET', '/api/backtest/results')).pagination.total).toBe(0);

    await api<Task>(app, 'POST', `/api/tasks/${run.id}/retry`);
    const done = await waitFinished(app, run.id);
    expect(done.state).toBe('succeeded');
    const result = await api<{ meta: { taskId: string }; document: { barsProcessed: number } }>(app, 'GET', `/api/backtest/results/${done.summary.resultId}`);
    expect(result.meta.taskId).toBe(run.id);
    expect(result.document.barsProcessed).toBe(SYMBOLS.length * BARS);
  } finally {
    await app.stop();
    data.remove();
    source.remove();
  }
});
