/**
 * The task platform with real workers (piscina threads running workers/import-worker.ts) and real
 * SQLite files in temporary folders: tasks persisted across a restart (interrupted, then retried),
 * cancel of a running import (whole files or nothing), the REST operations (pagination, filters,
 * stats, cancel/retry/delete rules), every state change on the bus in order, and the retention rule
 * under an injected clock.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Ajv } from 'ajv';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import spec from '../../../../contracts/gen/openapi.json' with { type: 'json' };
import { startServer } from '../../app';
import { dereference } from '../contract';
import { offlineFetch, TEST_TOKEN, testServer } from '../../../../tests/helpers/server';
import { EventBus } from '../bus';
import { closeDatabase, openDatabase } from '../db/database';
import { MarketRepository } from '../../modules/market/repository';
import { runImportJob, type JobMessage } from '../../modules/data/import-job';
import type { ImportSummary } from '../../modules/data/import-kind';
import { TaskService } from './service';
import { TaskStore } from './store';
import { TaskCancelled, type CancelSignal } from './worker';
import type { Task } from './types';

const ROOT = path.resolve(import.meta.dirname, '../../../..');
const DAY_FILE = path.join(ROOT, 'resources/sample-data/tdx/vipdoc/sh/lday/sh600000.day');
const DAY_BARS = 6119;
const NOW = Date.UTC(2024, 5, 15, 2, 0); // a fixed clock: 2024-06-15 10:00 in Beijing

type Server = Awaited<ReturnType<typeof testServer>>;
const log = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as unknown as FastifyBaseLogger;

let scratch: string;
/** A folder of `n` TDX daily files (copies of the bundled sh600000.day as sh600100…). */
let manyFiles: string;
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'mystocks-tasks-'));
  manyFiles = path.join(scratch, 'many');
  mkdirSync(manyFiles);
  for (let i = 0; i < 40; i++) copyFileSync(DAY_FILE, path.join(manyFiles, `sh600${String(100 + i)}.day`));
  mkdirSync(path.join(scratch, 'empty'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function dataDir(name: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function call(server: Server, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown): Promise<{ status: number; body: { data: unknown; code: number } }> {
  const res = await server.request({ method, url, ...(payload !== undefined ? { payload: payload as object } : {}) });
  return { status: res.statusCode, body: res.json() };
}

async function importFolder(server: Server, folder: string): Promise<Task> {
  const res = await call(server, 'POST', '/api/data/import/tdx', { path: folder });
  expect(res.status).toBe(202);
  return server.context.tasks.get((res.body.data as { id: string }).id)!;
}

/** Resolves once a task event matches. */
function eventWhere(server: Server, match: (t: Task) => boolean): Promise<Task> {
  return new Promise((resolve) => {
    const stop = server.context.bus.subscribe('tasks', (m) => {
      const task = m.data as Task;
      if (match(task)) {
        stop();
        resolve(task);
      }
    });
  });
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare<[], string>('PRAGMA integrity_check').pluck().all().join('; ');
  } finally {
    db.close();
  }
}

describe('tasks across a restart', () => {
  it('a task running when the server closes is interrupted; on the next start it can be retried and runs again', async () => {
    const dir = dataDir('restart');
    const first = await testServer({ dataDir: dir, importRoots: [scratch], now: () => NOW });
    let id: string;
    try {
      await first.app.ready();
      const running = eventWhere(first, (t) => (t.summary as ImportSummary).filesDone >= 1);
      id = (await importFolder(first, manyFiles)).id;
      await running;
      expect(first.context.tasks.get(id)!.state).toBe('running');
    } finally {
      await first.close();
    }
    const second = await testServer({ dataDir: dir, importRoots: [scratch], now: () => NOW + 60_000 });
    try {
      const interrupted = (await call(second, 'GET', `/api/tasks/${id}`)).body.data as Task;
      expect(interrupted).toMatchObject({ id, kind: 'import', state: 'interrupted', attempts: 1, error: { code: 9002 } });
      expect(integrity(second.context.dbFile)).toBe('ok');
      // Whole files only: every series the interrupted run wrote is complete.
      const series = second.context.db.prepare<[], { bars: number }>('SELECT bars FROM series').all();
      expect(series.every((s) => s.bars === DAY_BARS)).toBe(true);

      const retried = await call(second, 'POST', `/api/tasks/${id}/retry`);
      expect(retried.status).toBe(202);
      expect(retried.body.data).toMatchObject({ id, state: 'queued', attempts: 2, progress: 0 });
      expect(retried.body.data).not.toHaveProperty('error');
      const done = await second.context.tasks.wait(id);
      expect(done).toMatchObject({ state: 'succeeded', progress: 100, attempts: 2, summary: { filesTotal: 40, filesDone: 40, filesFailed: 0, barsRead: 40 * DAY_BARS } });
      expect(done.createdAt).toBe(new Date(NOW).toISOString());
      expect(done.finishedAt).toBe(new Date(NOW + 60_000).toISOString());
      expect(second.context.db.prepare('SELECT count(*) FROM series WHERE bars = ?').pluck().get(DAY_BARS)).toBe(40);
    } finally {
      await second.close();
    }
  });

  it('tasks a crashed server left queued or running are interrupted at start', async () => {
    const dir = dataDir('crash');
    const db = openDatabase(path.join(dir, 'mystocks.db'));
    const store = new TaskStore(db);
    const base = { kind: 'import' as const, progress: 10, phase: 'importing', message: '', params: { importKind: 'tdx', source: manyFiles, spec: { sources: [{ kind: 'tdx', path: manyFiles }] } }, summary: { importKind: 'tdx' as const, source: manyFiles, filesTotal: 0, filesDone: 0, filesFailed: 0, barsRead: 0, barsInserted: 0, results: [] }, attempts: 1, createdAt: new Date(NOW).toISOString() };
    store.insert({ ...base, id: 'left-running', state: 'running', startedAt: new Date(NOW).toISOString() });
    store.insert({ ...base, id: 'left-queued', state: 'queued' });
    closeDatabase(db);
    const server = await testServer({ dataDir: dir, importRoots: [scratch], now: () => NOW });
    try {
      for (const id of ['left-running', 'left-queued']) {
        expect(server.context.tasks.get(id)).toMatchObject({ state: 'interrupted', finishedAt: new Date(NOW).toISOString(), error: { code: 9002 } });
      }
      expect((await call(server, 'POST', '/api/tasks/left-queued/retry')).status).toBe(202);
      expect(await server.context.tasks.wait('left-queued')).toMatchObject({ state: 'succeeded', attempts: 2 });
    } finally {
      await server.close();
    }
  });
});

describe('cancel', () => {
  let server: Server;
  beforeAll(async () => {
    server = await testServer({ dataDir: dataDir('cancel'), importRoots: [scratch], now: () => NOW });
    await server.app.ready();
  });
  afterAll(() => server.close());

  it('cancelling a running import stops it between files: the file being written is rolled back, the database is intact', async () => {
    const events: Task[] = [];
    const stop = server.context.bus.subscribe('tasks', (m) => events.push(m.data as Task));
    const started = eventWhere(server, (t) => (t.summary as ImportSummary).filesDone >= 1);
    const { id } = await importFolder(server, manyFiles);
    await started;
    const answer = await call(server, 'POST', `/api/tasks/${id}/cancel`);
    expect(answer.status).toBe(200);
    expect(['running', 'cancelled']).toContain((answer.body.data as Task).state);
    const done = await server.context.tasks.wait(id);
    stop();
    expect(done.state).toBe('cancelled');
    expect((done.summary as ImportSummary).filesDone).toBeLessThan(40);
    expect(done.error).toBeUndefined();
    expect(integrity(server.context.dbFile)).toBe('ok');
    // No half-written file: the series present are exactly the files finished before the cancel, each whole.
    const series = server.context.db.prepare<[], { bars: number }>('SELECT bars FROM series').all();
    expect(series).toHaveLength((done.summary as ImportSummary).filesDone);
    expect(series.every((s) => s.bars === DAY_BARS)).toBe(true);
    expect(server.context.db.prepare('SELECT count(*) FROM bars').pluck().get()).toBe((done.summary as ImportSummary).filesDone * DAY_BARS);
    // Every state change on the bus, in order, one final state and it is the last event.
    const mine = events.filter((e) => e.id === id);
    const states = mine.map((e) => e.state).filter((s, i, all) => i === 0 || all[i - 1] !== s);
    expect(states).toEqual(['queued', 'running', 'cancelled']);
    expect(mine.at(-1)!.state).toBe('cancelled');
    expect(mine.some((e) => e.phase === 'cancelling')).toBe(true);
    for (let i = 1; i < mine.length; i++) expect(mine[i]!.progress).toBeGreaterThanOrEqual(mine[i - 1]!.progress);
    // Finished: no second cancel, but a retry.
    expect((await call(server, 'POST', `/api/tasks/${id}/cancel`)).body.code).toBe(7001);
    expect((await call(server, 'POST', `/api/tasks/${id}/retry`)).status).toBe(202);
    expect(await server.context.tasks.wait(id)).toMatchObject({ state: 'succeeded', attempts: 2, summary: { filesDone: 40 } });
  });

  it('a queued task is cancelled at once; it never runs', async () => {
    const running = await importFolder(server, manyFiles);
    const queued = await importFolder(server, manyFiles);
    const answer = await call(server, 'POST', `/api/tasks/${queued.id}/cancel`);
    expect(answer.body.data).toMatchObject({ id: queued.id, state: 'cancelled' });
    expect((await server.context.tasks.wait(queued.id)).startedAt).toBeUndefined();
    // Clean-up: the running import may finish before the cancel reaches it (the cancel of a running
    // task is the test above); either way it has ended.
    await call(server, 'POST', `/api/tasks/${running.id}/cancel`);
    expect(['cancelled', 'succeeded']).toContain((await server.context.tasks.wait(running.id)).state);
  });

  it('the job rolls back the file it is writing when cancel comes between batches', () => {
    // A CSV of 20,000 one-minute bars: writeBars checks the signal every 16,384 rows, inside the transaction.
    const lines = ['time,open,high,low,close,volume'];
    const minutes: string[] = [];
    for (let h = 9; h <= 15; h++) for (let m = 0; m < 60; m++) {
      const t = h * 60 + m;
      if ((t > 9 * 60 + 30 && t <= 11 * 60 + 30) || (t > 13 * 60 && t <= 15 * 60)) minutes.push(`${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    }
    const day = new Date(Date.UTC(2023, 0, 2));
    while (lines.length <= 20_000) {
      if (day.getUTCDay() % 6) for (const hm of minutes) lines.push(`${day.toISOString().slice(0, 10)} ${hm},10,10.2,9.9,10.1,100`);
      day.setUTCDate(day.getUTCDate() + 1);
    }
    const file = path.join(scratch, 'minutes.csv');
    writeFileSync(file, lines.join('\n') + '\n');
    const dir = mkdtempSync(path.join(scratch, 'job-'));
    const db = openDatabase(path.join(dir, 'mystocks.db'));
    try {
      let checks = 0;
      const signal: CancelSignal = {
        get aborted() {
          return checks >= 2;
        },
        throwIfAborted() {
          // 1: before the file, 2: after parsing, 3: the first write batch (inside the transaction).
          if (++checks >= 3) throw new TaskCancelled();
        },
      };
      const messages: JobMessage[] = [];
      const csv = { symbol: '600000.SH', period: '1m' as const, adjust: 'none' as const, encoding: 'utf-8' as const, mapping: { time: 0, open: 1, high: 2, low: 3, close: 4, volume: 5 }, delimiter: ',', headerRows: 1, dateFormat: 'YYYY-MM-DD HH:mm' as const, volumeUnit: 'shares' as const, amountUnit: 'yuan' as const };
      expect(() => runImportJob(db, { sources: [{ kind: 'csv', path: file, csv }] }, (m) => messages.push(m), signal)).toThrow(TaskCancelled);
      expect(checks).toBe(3);
      expect(messages.filter((m) => m.type === 'file')).toEqual([]);
      expect(db.prepare('SELECT count(*) FROM bars').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM series').pluck().get()).toBe(0);
      expect(new MarketRepository(db).getInstrument('600000.SH')).toBeUndefined();
      expect(db.prepare<[], string>('PRAGMA integrity_check').pluck().get()).toBe('ok');
    } finally {
      closeDatabase(db);
    }
  });
});

describe('the task operations', () => {
  let server: Server;
  const ids: string[] = [];
  beforeAll(async () => {
    server = await testServer({ dataDir: dataDir('rest'), importRoots: [scratch], now: () => NOW });
    await server.app.ready();
    // Three that succeed, two that fail (a folder without TDX files).
    for (const folder of [manyFiles, path.join(scratch, 'empty'), manyFiles, path.join(scratch, 'empty'), manyFiles]) {
      const { id } = await importFolder(server, folder);
      ids.push(id);
    }
    for (const id of ids) await server.context.tasks.wait(id);
  });
  afterAll(() => server.close());

  it('lists newest first, a page at a time, filtered by kind and state; a failed import says why', async () => {
    const res = await call(server, 'GET', '/api/tasks?page=2&pageSize=2');
    expect(res.status).toBe(200);
    const page = res.body.data as { items: Task[]; pagination: unknown };
    expect(page.pagination).toEqual({ page: 2, pageSize: 2, total: 5 });
    expect(page.items.map((t) => t.id)).toEqual([ids[2], ids[1]]);
    const failed = (await call(server, 'GET', '/api/tasks?state=failed&kind=import')).body.data as { items: Task[]; pagination: { total: number } };
    expect(failed.items.map((t) => t.id)).toEqual([ids[3], ids[1]]);
    expect(failed.items[0]).toMatchObject({ state: 'failed', phase: 'failed', error: { code: 2006, message: expect.stringMatching(/no TDX/) } });
    expect(((await call(server, 'GET', '/api/tasks?state=running')).body.data as { items: Task[] }).items).toEqual([]);
    // The Data Manager's view of the same tasks.
    const imports = (await call(server, 'GET', '/api/data/imports')).body.data as { id: string; state: string; progress: number }[];
    expect(imports.map((t) => t.id)).toEqual([...ids].reverse());
    expect(imports[0]).toMatchObject({ state: 'succeeded', progress: 1 });
  });

  it('counts tasks by kind and state, and shows the lanes', async () => {
    const stats = (await call(server, 'GET', '/api/tasks/stats')).body.data as Record<string, unknown>;
    expect(stats).toMatchObject({
      total: 5,
      byState: { queued: 0, running: 0, succeeded: 3, failed: 2, cancelled: 0, interrupted: 0 },
      byKind: [{ kind: 'import', total: 5, byState: { succeeded: 3, failed: 2 } }],
    });
    const lanes = stats.lanes as { lane: string; threads: number; maxThreads: number; running: number; queued: number }[];
    expect(lanes[0]).toMatchObject({ lane: 'writer', maxThreads: 1, running: 0, queued: 0 });
    expect(lanes[0]!.threads).toBe(1); // the warm writer thread
    expect(lanes[1]).toMatchObject({ lane: 'read', threads: 1, running: 0, queued: 0 }); // the warm backtest thread
  });

  it('answers catalogue errors: unknown task, finished task cancelled, succeeded task retried; deletes finished tasks only', async () => {
    expect((await call(server, 'GET', '/api/tasks/no-such-task')).body.code).toBe(7000);
    expect((await call(server, 'POST', '/api/tasks/no-such-task/cancel')).status).toBe(404);
    expect((await call(server, 'POST', '/api/tasks/no-such-task/retry')).body.code).toBe(7000);
    const cancel = await call(server, 'POST', `/api/tasks/${ids[0]}/cancel`);
    expect([cancel.status, cancel.body.code]).toEqual([409, 7001]);
    const retry = await call(server, 'POST', `/api/tasks/${ids[0]}/retry`);
    expect([retry.status, retry.body.code]).toEqual([409, 7002]);
    const deleted = await call(server, 'DELETE', `/api/tasks/${ids[1]}`);
    expect([deleted.status, deleted.body.data]).toEqual([200, { deleted: ids[1] }]);
    expect((await call(server, 'DELETE', `/api/tasks/${ids[1]}`)).body.code).toBe(7000);
    expect((await call(server, 'GET', `/api/data/imports/${ids[1]}`)).status).toBe(404);
    const running = await importFolder(server, manyFiles);
    const refused = await call(server, 'DELETE', `/api/tasks/${running.id}`);
    expect([refused.status, refused.body.code]).toEqual([409, 7003]);
    await call(server, 'POST', `/api/tasks/${running.id}/cancel`);
    await server.context.tasks.wait(running.id);
    expect((await call(server, 'DELETE', `/api/tasks/${running.id}`)).status).toBe(200);
  });
});

describe('GET /api/stream/tasks', () => {
  const validateTask = new Ajv({ strict: false, validateFormats: false }).compile(dereference(spec.components.schemas.Task as never) as object);

  it('carries every state change of every task, in order, ending with the final state, each event a contract Task', async () => {
    const s = await startServer({ dataDir: dataDir('stream'), token: TEST_TOKEN, fetch: offlineFetch, importRoots: [scratch], now: () => NOW });
    const received: { id: number; task: Task }[] = [];
    const es = new EventSource(`${s.origin}/api/stream/tasks`, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${TEST_TOKEN}` } }),
    });
    try {
      es.addEventListener('task', (e) => {
        const task = JSON.parse(e.data) as Task;
        if (!validateTask(task)) throw new Error(`task payload does not match its contract: ${JSON.stringify(validateTask.errors)}`);
        received.push({ id: Number(e.lastEventId), task });
      });
      await new Promise<void>((resolve, reject) => {
        es.onopen = () => resolve();
        es.onerror = () => reject(new Error('stream failed'));
      });
      const headers = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
      const post = async (folder: string) => ((await (await fetch(`${s.origin}/api/data/import/tdx`, { method: 'POST', headers, body: JSON.stringify({ path: folder }) })).json()) as { data: { id: string } }).data.id;
      const ok = await post(manyFiles);
      const bad = await post(path.join(scratch, 'empty'));
      await s.context.tasks.wait(ok);
      await s.context.tasks.wait(bad);
      const deadline = Date.now() + 5000;
      while (received.filter((r) => r.task.state === 'succeeded' || r.task.state === 'failed').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const ids = received.map((r) => r.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      for (const [id, final] of [[ok, 'succeeded'], [bad, 'failed']] as const) {
        const mine = received.filter((r) => r.task.id === id).map((r) => r.task);
        const states = mine.map((t) => t.state).filter((state, i, all) => i === 0 || all[i - 1] !== state);
        expect(states).toEqual(['queued', 'running', final]);
        expect(mine.at(-1)!.state).toBe(final);
        for (let i = 1; i < mine.length; i++) expect(mine[i]!.progress).toBeGreaterThanOrEqual(mine[i - 1]!.progress);
      }
      // Progress of the 40-file import came through, throttled (never more than 10 a second, plus the state changes).
      const okEvents = received.filter((r) => r.task.id === ok);
      expect(okEvents.some((r) => r.task.state === 'running' && (r.task.summary as ImportSummary).filesDone > 0)).toBe(true);
      expect(okEvents.at(-1)!.task).toMatchObject({ progress: 100, summary: { filesDone: 40, results: [] } });
    } finally {
      es.close();
      await s.close();
    }
  });
});

describe('the retention rule', () => {
  it('keeps the newest finished tasks per kind and none older than the age limit; unfinished ones are never pruned', () => {
    const dir = dataDir('retention');
    const db = openDatabase(path.join(dir, 'mystocks.db'));
    try {
      const store = new TaskStore(db);
      const day = 86_400_000;
      const task = (id: string, state: Task['state'], finishedDaysAgo?: number): Task => ({
        id,
        kind: 'import',
        state,
        progress: 0,
        phase: state,
        message: '',
        params: {},
        summary: { importKind: 'tdx', source: '/', filesTotal: 0, filesDone: 0, filesFailed: 0, barsRead: 0, barsInserted: 0, results: [] },
        attempts: 1,
        createdAt: new Date(NOW - 50 * day).toISOString(),
        ...(finishedDaysAgo !== undefined ? { finishedAt: new Date(NOW - finishedDaysAgo * day).toISOString() } : {}),
      });
      for (const [i, ago] of [1, 2, 3, 4, 5].entries()) store.insert(task(`recent-${i}`, i % 2 ? 'failed' : 'succeeded', ago));
      store.insert(task('old', 'cancelled', 31));
      store.insert(task('young-enough', 'cancelled', 29));
      const service = new TaskService({ db, dbFile: path.join(dir, 'mystocks.db'), bus: new EventBus(), log, now: () => NOW, warm: false, retention: { keepPerKind: 4, maxAgeDays: 30 } });
      const left = service.list({}, 1, 100).items.map((t) => t.id).sort();
      expect(left).toEqual(['recent-0', 'recent-1', 'recent-2', 'recent-3']);
      // Age alone: with room for all, only the one older than 30 days goes.
      store.insert(task('old', 'cancelled', 31));
      store.insert(task('young-enough', 'cancelled', 29));
      new TaskService({ db, dbFile: path.join(dir, 'mystocks.db'), bus: new EventBus(), log, now: () => NOW, warm: false, retention: { keepPerKind: 200 } });
      expect(new TaskStore(db).list({}, 1, 100).items.map((t) => t.id).sort()).toEqual(['recent-0', 'recent-1', 'recent-2', 'recent-3', 'young-enough']);
    } finally {
      closeDatabase(db);
    }
  });
});
