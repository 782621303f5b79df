/**
 * A remote trial worker (docs/ARCHITECTURE.md, "Distributed trials"): a BullMQ Worker on the trial
 * queue whose processor runs each job (a batch of trials, dispatch.ts) on a piscina pool of trial
 * threads — the very module the local executor uses (workers/trial-worker.ts, hence trial.ts's
 * `runTrial`), so a trial's result does not depend on where it ran.
 *
 * Why threads and not the processor itself: a trial is synchronous CPU work; run on this thread it
 * would stop BullMQ renewing the job locks, and a long trial would look stalled and be run twice.
 * Here the event loop stays free, and `concurrency` jobs run on as many threads.
 *
 * Datasets are fetched from Redis on first need and kept by id (LRU, decoded once into
 * SharedArrayBuffers the threads view without copying). Cancel: a run id published on
 * CANCEL_CHANNEL sets that run's shared flag (the engine stops at its next step) and aborts its
 * trials still waiting for a thread; the job then fails with CANCELLED_REASON, not retried.
 * The worker registers itself (WORKER_KEY_PREFIX) so coordinators size their in-flight window.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { Piscina } from 'piscina';
import type { Logger } from 'pino';
import { ENGINE_VERSION } from '../../../engine/backtest/version';
import type { TrialTask } from '../../../workers/trial-worker';
import { decodeDataset, type Dataset } from '../dataset';
import { redisOptions } from '../redis-executor';
import type { TrialResult } from '../trial';
import { CANCEL_CHANNEL, CANCELLED_REASON, datasetKey, encodeResults, TRIAL_QUEUE, WORKER_KEY_PREFIX, WORKER_TTL_SECONDS, type TrialJobData, type WorkerInfo } from './protocol';

export interface TrialWorkerOptions {
  redisUrl: string;
  /** Trials at once (threads); default 1. */
  concurrency: number;
  /** The trial thread module (workers/trial-worker.ts, or the built chunk). */
  trialWorkerPath: string;
  log: Logger;
  /** Worker name (BullMQ's `processedBy`); default host:pid. */
  name?: string;
  /** How long a job's lock lasts unrenewed: a dead worker's trial is retried about this much later. */
  lockDurationMs?: number;
  /** How often stalled jobs (lock expired) are looked for. */
  stalledIntervalMs?: number;
  /** Datasets kept (by fingerprint). */
  datasets?: number;
  /** Test hook: awaited before each job (a batch of trials), with the run's abort signal. */
  beforeJob?: (job: Job<TrialJobData>, signal: AbortSignal) => Promise<void>;
}

export interface RunningTrialWorker {
  readonly id: string;
  /** Finishes the trials running (no new one is taken), then disconnects. */
  close(force?: boolean): Promise<void>;
}

interface Run {
  flag: SharedArrayBuffer;
  abort: AbortController;
  used: number;
}

export async function startTrialWorker(options: TrialWorkerOptions): Promise<RunningTrialWorker> {
  const { log } = options;
  const concurrency = Math.max(1, options.concurrency);
  const id = randomUUID();
  const name = options.name ?? `${hostname()}:${process.pid}`;
  const redis = new Redis(options.redisUrl, { ...redisOptions(), maxRetriesPerRequest: 3, lazyConnect: true });
  const subscriber = new Redis(options.redisUrl, { ...redisOptions(), lazyConnect: true });
  await Promise.all([redis.connect(), subscriber.connect()]);

  const pool = new Piscina({
    filename: options.trialWorkerPath,
    name: 'trials',
    minThreads: concurrency,
    maxThreads: concurrency,
    concurrentTasksPerWorker: 1,
    execArgv: options.trialWorkerPath.endsWith('.ts') ? ['--import', 'tsx'] : [],
  });

  // Runs by id: their cancel flag and abort controller. A cancel may arrive before the run's
  // first job here, so cancelled ids are remembered too (bounded).
  const runs = new Map<string, Run>();
  const cancelledRuns = new LRUCache<string, true>({ max: 1000 });
  const runOf = (runId: string): Run => {
    let run = runs.get(runId);
    if (!run) {
      run = { flag: new SharedArrayBuffer(4), abort: new AbortController(), used: 0 };
      runs.set(runId, run);
      if (cancelledRuns.has(runId)) cancelRun(run);
    }
    run.used = Date.now();
    // Forget runs idle for ten minutes (their jobs are long done).
    for (const [k, r] of runs) if (run.used - r.used > 600_000) runs.delete(k);
    return run;
  };
  function cancelRun(run: Run): void {
    Atomics.store(new Int32Array(run.flag), 0, 1);
    run.abort.abort();
  }
  await subscriber.subscribe(CANCEL_CHANNEL);
  subscriber.on('message', (_channel: string, runId: string) => {
    cancelledRuns.set(runId, true);
    const run = runs.get(runId);
    if (run) {
      log.info({ module: 'worker', runId }, 'run cancelled');
      cancelRun(run);
    }
  });

  // Decoded datasets by fingerprint; concurrent first uses share one fetch.
  const datasets = new LRUCache<string, Promise<Dataset>>({ max: options.datasets ?? 4 });
  const datasetOf = (id: string): Promise<Dataset> => {
    let p = datasets.get(id);
    if (!p) {
      p = redis.getBuffer(datasetKey(id)).then((bytes) => {
        if (!bytes) throw new Error(`dataset ${id} is not in Redis (expired?)`);
        log.info({ module: 'worker', dataset: id, bytes: bytes.length }, 'dataset fetched');
        return decodeDataset(bytes);
      });
      datasets.set(id, p);
      p.catch(() => datasets.delete(id));
    }
    return p;
  };

  const processor = async (job: Job<TrialJobData, string>): Promise<string> => {
    const d = job.data;
    // Another engine would give other results: refuse for good rather than answer differently.
    if (d.engineVersion !== ENGINE_VERSION) throw new UnrecoverableError(`this worker runs engine ${ENGINE_VERSION}, the optimization ${d.engineVersion}`);
    const run = runOf(d.runId);
    if (run.abort.signal.aborted) throw new UnrecoverableError(CANCELLED_REASON);
    const dataset = await datasetOf(d.datasetId);
    await options.beforeJob?.(job, run.abort.signal);
    const task: TrialTask = { dataset, datasetKey: d.datasetId, config: d.config, partitions: d.partitions, trials: d.trials, cancel: run.flag };
    try {
      const results = (await pool.run(task, { signal: run.abort.signal })) as TrialResult[];
      // A batch stopped by a cancel answers only the trials it finished; here the job fails as
      // cancelled instead, as before batches (a later attempt waiting on the same job id adds it again).
      if (results.length < d.trials.length) throw new UnrecoverableError(CANCELLED_REASON);
      return encodeResults(results);
    } catch (err) {
      if (run.abort.signal.aborted) throw new UnrecoverableError(CANCELLED_REASON);
      throw err;
    }
  };

  const worker = new Worker<TrialJobData, string>(TRIAL_QUEUE, processor, {
    connection: { url: options.redisUrl, ...redisOptions() },
    concurrency,
    name,
    lockDuration: options.lockDurationMs ?? 15_000,
    stalledInterval: options.stalledIntervalMs ?? 5_000,
    // A job may be found stalled twice (two workers lost) before it counts as failed.
    maxStalledCount: 2,
    autorun: false,
  });
  worker.on('failed', (job, err) => {
    if (err.message !== CANCELLED_REASON) log.warn({ module: 'worker', jobId: job?.id, attempts: job?.attemptsMade, err: err.message }, 'trial failed');
  });
  worker.on('error', (err) => log.error({ module: 'worker', err: err.message }, 'worker error'));
  await worker.waitUntilReady();

  const info: WorkerInfo = { id, host: hostname(), pid: process.pid, concurrency, engineVersion: ENGINE_VERSION, startedAt: new Date().toISOString() };
  const register = () => redis.set(WORKER_KEY_PREFIX + id, JSON.stringify(info), 'EX', WORKER_TTL_SECONDS);
  await register();
  const heartbeat = setInterval(() => void register().catch((err: Error) => log.warn({ module: 'worker', err: err.message }, 'cannot refresh the registry')), (WORKER_TTL_SECONDS * 1000) / 3);
  void worker.run();
  log.info({ module: 'worker', id, name, concurrency, queue: TRIAL_QUEUE, engineVersion: ENGINE_VERSION }, 'trial worker ready');

  let closing: Promise<void> | undefined;
  return {
    id,
    close(force = false) {
      closing ??= (async () => {
        clearInterval(heartbeat);
        // Unregistering is a courtesy (the key expires anyway): not worth waiting for a Redis that is gone.
        await Promise.race([redis.del(WORKER_KEY_PREFIX + id).catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
        await worker.close(force);
        await pool.destroy();
        subscriber.disconnect();
        redis.disconnect();
        log.info({ module: 'worker', id }, 'trial worker stopped');
      })();
      return closing;
    },
  };
}
