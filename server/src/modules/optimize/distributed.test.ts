/**
 * Distributed trials for real (docs/ARCHITECTURE.md, "Distributed trials"): a real redis-server on
 * loopback (tests/helpers/redis.ts), two real worker processes (`npm run worker`'s command line,
 * tests/helpers/remote-worker.ts) and a real server whose settings point at the Redis. The same
 * grid on the local pool and on the workers gives the same stored trials and leaderboard; a worker
 * killed while it holds a trial loses none; a cancel then a retry resumes with the same results.
 *
 * No timing: a worker started alone with MYSTOCKS_TEST_HOLD_AT=1 takes and holds the first trial and
 * says so, so the kill and the cancel certainly land mid-grid. The lost trial comes back through BullMQ's stalled
 * job check (lock 2 s, checked every second here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../app';
import type { Task } from '../../platform/tasks/types';
import { sharedDataPath, skipWithoutSharedData } from '../../../../tests/helpers/shared-data';
import { skipWithoutRedis, startRedis, type RedisServer } from '../../../../tests/helpers/redis';
import { offlineFetch, TEST_TOKEN, tempDataDir } from '../../../../tests/helpers/server';
import { liveWorkers } from './redis-executor';
import type { OptimizationTrial } from './repository';

const skip = skipWithoutSharedData('the distributed optimization tests') || skipWithoutRedis('the distributed optimization tests');
const headers = { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' };
const WORKER_ENTRY = fileURLToPath(new URL('../../../../tests/helpers/remote-worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

type Body<T> = { code: number; data: T; details?: { field?: string; message: string }[] };

async function call<T = unknown>(s: RunningServer, method: string, url: string, body?: unknown): Promise<{ status: number; body: Body<T>; text: string }> {
  const res = await fetch(`${s.origin}${url}`, body !== undefined ? { method, headers, body: JSON.stringify(body) } : { method, headers: { authorization: headers.authorization } });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Body<T>, text };
}

/** fast 3–8 × slow 10–20 by 5, fast < slow: 18 trials. */
const GRID = { strategy: 'dual-ma', symbols: ['600519.SH'], start: '2021-01-01', end: '2024-12-31', benchmark: '', ranges: { fast: { min: 3, max: 8 }, slow: { min: 10, max: 20, step: 5 } }, objective: 'sharpe', minTrades: 40, topN: 5, threads: 2 };

interface WorkerProcess {
  proc: ChildProcess;
  /** Resolves with the job id once the worker holds a trial (MYSTOCKS_TEST_HOLD_AT). */
  held: Promise<string>;
  exited: Promise<number | null>;
}

describe.skipIf(skip)('optimizations on BullMQ workers over Redis', () => {
  let s: RunningServer;
  let temp: ReturnType<typeof tempDataDir>;
  let redis: RedisServer;
  let client: Redis;
  let workers: WorkerProcess[] = [];
  let local: Awaited<ReturnType<typeof results>>;

  function startWorker(name: string, holdAt?: number): WorkerProcess {
    const proc = spawn(process.execPath, ['--import', 'tsx', WORKER_ENTRY, '--redis', redis.url, '--concurrency', '1', '--name', name, '--lock-ms', '2000', '--stalled-ms', '1000'], {
      cwd: ROOT,
      env: { ...process.env, ...(holdAt ? { MYSTOCKS_TEST_HOLD_AT: String(holdAt) } : {}) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const held = new Promise<string>((resolve) => {
      createInterface({ input: proc.stdout! }).on('line', (line) => {
        if (line.startsWith('HOLD ')) resolve(line.slice(5));
      });
    });
    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    const w = { proc, held, exited };
    workers.push(w);
    return w;
  }
  /** Waits until `n` workers are registered (they register once connected and ready). */
  async function registered(n: number): Promise<void> {
    while ((await liveWorkers(client)).length !== n) await new Promise((r) => setTimeout(r, 50));
  }
  async function startWorkers(): Promise<WorkerProcess[]> {
    const ws = [startWorker('w1'), startWorker('w2')];
    await registered(2);
    return ws;
  }
  /**
   * A run that certainly has a trial in hand on w1: w1 starts alone and holds its first trial
   * (it is the only worker, so it takes one); then w2 joins for the rest.
   */
  async function startHolding(body: object): Promise<{ task: Task; w1: WorkerProcess; jobId: string }> {
    const w1 = startWorker('w1', 1);
    await registered(1);
    const task = await start(body);
    const jobId = await w1.held;
    startWorker('w2');
    await registered(2);
    return { task, w1, jobId };
  }

  async function start(body: object): Promise<Task> {
    const res = await call<Task>(s, 'POST', '/api/optimize/run', body);
    expect(res.status, res.text).toBe(202);
    return res.body.data;
  }
  const optimizationId = (task: Task) => (task.summary as { optimizationId: string }).optimizationId;
  async function results(task: Task) {
    const id = optimizationId(task);
    const trials = await call<{ items: OptimizationTrial[] }>(s, 'GET', `/api/optimize/${id}/trials?sort=index&pageSize=1000`);
    const o = await call<{ config: { executor?: string }; leaderboard: OptimizationTrial[]; overfitting: unknown }>(s, 'GET', `/api/optimize/${id}`);
    return { trials: trials.body.data.items, leaderboard: o.body.data.leaderboard, overfitting: o.body.data.overfitting, executor: o.body.data.config.executor };
  }

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
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
    expect((await s.context.tasks.wait(res.body.data.id)).state).toBe('succeeded');
    // The reference: the same grid on the local pool, before Redis is configured.
    const task = await s.context.tasks.wait((await start(GRID)).id);
    expect(task.state, JSON.stringify(task.error)).toBe('succeeded');
    local = await results(task);
    expect(local.trials).toHaveLength(18);
    const patched = await call(s, 'PATCH', '/api/system/settings', { distributed: { enabled: true, redisUrl: redis.url } });
    expect(patched.status, patched.text).toBe(200);
  }, 120_000);

  afterEach(async () => {
    for (const w of workers) {
      if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGTERM');
      await w.exited;
    }
    workers = [];
    // A killed worker cannot unregister (its key would last its TTL): the next test counts afresh.
    const stale = await client.keys('mystocks:worker:*');
    if (stale.length) await client.del(...stale);
  }, 60_000);

  afterAll(async () => {
    await s?.close();
    client?.disconnect();
    await redis?.stop();
    temp?.remove();
  }, 60_000);

  it('runs the local grid on two worker processes with identical trials, leaderboard and statistics', async () => {
    await startWorkers();
    const task = await s.context.tasks.wait((await start(GRID)).id);
    expect(task.state, JSON.stringify(task.error)).toBe('succeeded');
    const remote = await results(task);
    expect(remote.executor).toBe('redis');
    expect(local.executor).toBe('local');
    expect(remote.trials).toEqual(local.trials);
    expect(remote.leaderboard).toEqual(local.leaderboard);
    expect(remote.overfitting).toEqual(local.overfitting);
    // Both workers took part, and the dataset was shipped once.
    expect((task.summary as { threads: number }).threads).toBe(2);
    expect(await client.keys('mystocks:dataset:*')).toHaveLength(1);
    // Nothing is left in the queue: finished jobs are removed.
    expect(await client.keys('bull:mystocks-trials:*_*')).toEqual([]);

    // The same bars over a shorter range share the fingerprint (bars with history) but are another
    // dataset: the workers must not answer from the one they keep.
    const shorter = { ...GRID, start: '2023-01-01' };
    const localShorter = await results(await s.context.tasks.wait((await start({ ...shorter, executor: 'local' })).id));
    const remoteShorter = await results(await s.context.tasks.wait((await start(shorter)).id));
    expect(remoteShorter.trials).toEqual(localShorter.trials);
    expect(remoteShorter.trials).not.toEqual(local.trials);
    expect(await client.keys('mystocks:dataset:*')).toHaveLength(2);
  }, 120_000);

  it('keeps its Redis connections between runs, and runs on after Redis dropped them', async () => {
    await startWorkers();
    const clients = async () => String(await client.call('CLIENT', 'LIST')).split('\n').filter((line) => line.includes('name=mystocks')).length;
    const first = await s.context.tasks.wait((await start(GRID)).id);
    expect(first.state, JSON.stringify(first.error)).toBe('succeeded');
    const afterFirst = await clients();
    const second = await s.context.tasks.wait((await start(GRID)).id);
    expect(second.state, JSON.stringify(second.error)).toBe('succeeded');
    // The second run opened nothing: the coordinator's session was kept.
    expect(await clients()).toBe(afterFirst);
    expect((await results(second)).trials).toEqual(local.trials);

    // Every other connection dropped at once (the workers' too: they reconnect by themselves).
    await client.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    const third = await s.context.tasks.wait((await start(GRID)).id);
    expect(third.state, JSON.stringify(third.error)).toBe('succeeded');
    expect((await results(third)).trials).toEqual(local.trials);
  }, 120_000);

  it('loses and duplicates no trial when a worker is killed holding one', async () => {
    const { task, w1, jobId } = await startHolding(GRID);
    expect(jobId).toMatch(/_\d+x\d+_[0-9a-f]{12}$/);
    w1.proc.kill('SIGKILL');
    const done = await s.context.tasks.wait(task.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    const remote = await results(done);
    expect(remote.trials).toEqual(local.trials);
    expect(remote.leaderboard).toEqual(local.leaderboard);
  }, 120_000);

  it('cancels on Redis, then a retry resumes and completes with the same results', async () => {
    const { task } = await startHolding(GRID);
    expect((await call(s, 'POST', `/api/tasks/${task.id}/cancel`)).status).toBe(200);
    const cancelled = await s.context.tasks.wait(task.id);
    expect(cancelled.state).toBe('cancelled');
    const partial = await results(cancelled);
    expect(partial.trials.length).toBeLessThan(18);
    // What was stored is what the local run stored for those trials.
    expect(partial.trials).toEqual(local.trials.filter((t) => partial.trials.some((p) => p.index === t.index)));

    const retried = await call<Task>(s, 'POST', `/api/tasks/${task.id}/retry`);
    expect(retried.status, retried.text).toBe(202);
    const done = await s.context.tasks.wait(task.id);
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect((done.summary as { trialsResumed: number }).trialsResumed).toBe(partial.trials.length);
    const remote = await results(done);
    expect(remote.trials).toEqual(local.trials);
    expect(remote.leaderboard).toEqual(local.leaderboard);
    expect(remote.overfitting).toEqual(local.overfitting);
  }, 120_000);

  it('runs a walk-forward on the workers with the local run\'s windows, winners and out-of-sample equity', async () => {
    await startWorkers();
    const wf = { ...GRID, start: '2020-01-01', end: '2022-12-31', walkForward: { mode: 'rolling', inSampleDays: 200, outOfSampleDays: 100 } };
    const walkForwardOf = async (task: Task) => (await call<{ walkForward: unknown }>(s, 'GET', `/api/optimize/${optimizationId(task)}`)).body.data.walkForward;
    const localTask = await s.context.tasks.wait((await start({ ...wf, executor: 'local' })).id);
    const remoteTask = await s.context.tasks.wait((await start(wf)).id);
    expect(localTask.state, JSON.stringify(localTask.error)).toBe('succeeded');
    expect(remoteTask.state, JSON.stringify(remoteTask.error)).toBe('succeeded');
    const [l, r] = [await walkForwardOf(localTask), await walkForwardOf(remoteTask)];
    expect(l).not.toBeNull();
    expect(r).toEqual(l);
    expect((await results(remoteTask)).trials).toEqual((await results(localTask)).trials);
  }, 120_000);

  it('answers the connection test with the workers, and refuses Redis where the settings do not enable it', async () => {
    await startWorkers();
    const ok = await call<{ redisVersion: string; maxmemoryPolicy: string; workers: { concurrency: number }[] }>(s, 'POST', '/api/system/distributed/test', { redisUrl: redis.url });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.data.maxmemoryPolicy).toBe('noeviction');
    expect(ok.body.data.workers.map((w) => w.concurrency)).toEqual([1, 1]);
    // A port nothing listens on (the server's own HTTP port speaks no Redis; a closed one refuses).
    const closed = await startRedis();
    await closed.stop();
    const down = await call(s, 'POST', '/api/system/distributed/test', { redisUrl: closed.url });
    expect(down.status, down.text).toBe(503);
    expect(down.body.code).toBe(9004);
    const bad = await call(s, 'POST', '/api/system/distributed/test', { redisUrl: 'http://127.0.0.1:6379' });
    expect(bad.status).toBe(422);

    await call(s, 'PATCH', '/api/system/settings', { distributed: { enabled: false, redisUrl: redis.url } });
    try {
      const refused = await call(s, 'POST', '/api/optimize/run', { ...GRID, executor: 'redis' });
      expect(refused.status).toBe(422);
      expect(refused.body.details?.[0]?.field).toBe('body.executor');
    } finally {
      await call(s, 'PATCH', '/api/system/settings', { distributed: { enabled: true, redisUrl: redis.url } });
    }
  }, 60_000);
});
