/**
 * TrialExecutors on BullMQ over Redis (docs/ARCHITECTURE.md, "Distributed trials"): each batch of
 * trials (dispatch.ts) is a job of the shared queue TRIAL_QUEUE, run by whichever remote worker
 * (remote/worker.ts, started with `npm run worker -- --redis URL`) takes it, with the same trial
 * function as the local pool.
 *
 * A RedisTrialSession is the coordinator thread's connection to one Redis (its command connection,
 * the Queue and the QueueEvents): acquired before each attempt, so an unreachable Redis fails it
 * at once with REDIS_UNAVAILABLE, and kept between attempts like the local trial pools (opening one
 * took 10–30 ms of a one-second run); one idle for 30 s is closed, and one that no longer answers
 * is replaced. Each executor it makes (the grid's, walk-forward's) shares it.
 *
 * - Job id `optimization_dataset_first×size_hash[_window]` (trialJobId): a retried run never
 *   queues a batch twice (BullMQ ignores an add whose id exists; we then wait for that job's outcome).
 * - Results are the jobs' return values, read from the queue's event stream (QueueEvents), so a
 *   finished job is removed at once (removeOnComplete) and Redis does not grow with the grid.
 * - Retries: `attempts` with exponential backoff; a worker that dies holding a job stops renewing
 *   its lock and BullMQ's stalled-job check (in the other workers) puts the job back in the queue.
 *   A batch is retried whole: its results are deterministic, so none is lost or counted twice.
 * - Dataset: encodeDataset's bytes stored once under their SHA-256 (SET NX, with a TTL refreshed
 *   while an executor uses it); workers fetch it on first need and keep it (LRU). The bars'
 *   fingerprint alone is not enough: it covers the bars with history, not the range.
 * - Cancel: the waiting jobs are removed and the run's id is published on CANCEL_CHANNEL; workers
 *   set the cancel flag their trial threads check between engine steps.
 * - Concurrency: the sum of the live workers' concurrency (their registry keys), re-read every two
 *   seconds, so the coordinator's in-flight window follows workers joining and leaving.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { ENGINE_VERSION } from '../../engine/backtest/version';
import { AppError } from '../../platform/errors';
import { encodeDataset } from './dataset';
import type { ExecutorJob, TrialExecutor } from './executor';
import {
  CANCEL_CHANNEL,
  CANCELLED_REASON,
  DATASET_TTL_SECONDS,
  datasetKey,
  decodeResults,
  TRIAL_QUEUE,
  trialJobId,
  WORKER_KEY_PREFIX,
  type TrialJobData,
  type WorkerInfo,
} from './remote/protocol';
import type { TrialInput, TrialResult } from './trial';

/** Attempts per trial: a thrown error or a lost worker counts. */
const ATTEMPTS = 3;

/** ioredis options BullMQ needs for connections it blocks on (no per-command retry limit). */
export function redisOptions(): { maxRetriesPerRequest: null; connectionName: string } {
  return { maxRetriesPerRequest: null, connectionName: 'mystocks' };
}

/**
 * A connection for plain commands that gives up quickly when the server is not there (`retries`
 * reconnections, 200 ms apart and more; none for a connection test).
 */
export function commandConnection(redisUrl: string, retries = 3): Redis {
  return new Redis(redisUrl, { connectionName: 'mystocks', maxRetriesPerRequest: 1, lazyConnect: true, connectTimeout: 3000, retryStrategy: (n) => (n > retries ? null : 200 * n) });
}

/** The live workers of a Redis (their registry keys). */
export async function liveWorkers(redis: Redis): Promise<WorkerInfo[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${WORKER_KEY_PREFIX}*`, 'COUNT', 200);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(keys);
  return values.flatMap((v) => (v ? [JSON.parse(v) as WorkerInfo] : []));
}

interface Pending {
  executor: RedisTrialExecutor;
  trials: TrialInput[];
  resolve: (results: TrialResult[]) => void;
  reject: (err: Error) => void;
}

export class RedisTrialSession {
  /** Every live worker's concurrency summed (at least 1). */
  workersConcurrency = 1;
  readonly pending = new Map<string, Pending>();
  /** Datasets in use by this session's executors, with how many use each (their TTL is refreshed while used). */
  private readonly datasets = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private users = 0;
  private idle: NodeJS.Timeout | undefined;

  private constructor(
    private readonly url: string,
    readonly redis: Redis,
    readonly queue: Queue<TrialJobData, string>,
    private readonly events: QueueEvents,
  ) {}

  /** The kept session for `redisUrl` if it still answers, else a new one; `release()` it when the attempt ends. */
  static async acquire(redisUrl: string): Promise<RedisTrialSession> {
    let session = kept.get(redisUrl);
    if (session) {
      clearTimeout(session.idle);
      // Liveness and a fresh count of the workers in one go (a worker may have joined since the last refresh).
      const alive = await Promise.race([session.refresh().then(() => true, () => false), new Promise<boolean>((r) => setTimeout(() => r(false), 2000).unref())]);
      if (!alive) {
        kept.delete(redisUrl);
        if (session.users === 0) await session.close();
        session = undefined;
      }
    }
    if (!session) {
      session = await RedisTrialSession.open(redisUrl);
      kept.set(redisUrl, session);
    }
    session.users++;
    return session;
  }

  /** The attempt is done with it: closed once no attempt has used it for 30 s. */
  release(): void {
    if (--this.users > 0) return;
    this.idle = setTimeout(() => {
      if (kept.get(this.url) === this) kept.delete(this.url);
      void this.close();
    }, IDLE_MS);
    this.idle.unref();
  }

  private static async open(redisUrl: string): Promise<RedisTrialSession> {
    let redis: Redis | undefined;
    try {
      redis = commandConnection(redisUrl);
      await redis.connect();
    } catch (err) {
      redis?.disconnect();
      throw new AppError('REDIS_UNAVAILABLE', [{ field: 'settings.distributed.redisUrl', message: `cannot connect to Redis: ${(err as Error).message}` }]);
    }
    const connection = { url: redisUrl, ...redisOptions() };
    const session = new RedisTrialSession(redisUrl, redis, new Queue<TrialJobData, string>(TRIAL_QUEUE, { connection }), new QueueEvents(TRIAL_QUEUE, { connection }));
    // A kept session may lose its Redis while idle; its connections then report errors as events
    // (unheard, they would end the thread). The next acquire finds it unanswering and replaces it.
    session.queue.on('error', () => undefined);
    session.events.on('error', () => undefined);
    redis.on('error', () => undefined);
    try {
      // Listening before any job is added: only events after this point are read.
      await Promise.all([session.queue.waitUntilReady(), session.events.waitUntilReady()]);
      session.events.on('completed', ({ jobId, returnvalue }) => session.completed(jobId, returnvalue as unknown as string));
      session.events.on('failed', ({ jobId, failedReason }) => session.failed(jobId, failedReason));
      await session.refresh();
    } catch (err) {
      await session.close();
      throw new AppError('REDIS_UNAVAILABLE', [{ field: 'settings.distributed.redisUrl', message: `cannot use Redis: ${(err as Error).message}` }]);
    }
    session.timer = setInterval(() => void session.refresh().catch(() => undefined), 2000);
    session.timer.unref();
    return session;
  }

  /** Re-reads the workers' concurrency and keeps this session's datasets alive. */
  private async refresh(): Promise<void> {
    const workers = await liveWorkers(this.redis);
    this.workersConcurrency = Math.max(1, workers.reduce((sum, w) => sum + w.concurrency, 0));
    for (const id of this.datasets.keys()) await this.redis.expire(datasetKey(id), DATASET_TTL_SECONDS);
  }

  /** Stores a dataset unless it is there already, refreshing its TTL either way (and while it is used: `unship`). */
  async ship(id: string, bytes: Buffer): Promise<void> {
    this.datasets.set(id, (this.datasets.get(id) ?? 0) + 1);
    const key = datasetKey(id);
    if (await this.redis.expire(key, DATASET_TTL_SECONDS)) return;
    await this.redis.set(key, bytes, 'EX', DATASET_TTL_SECONDS, 'NX');
  }

  /** An executor is done with a dataset: its TTL is no longer refreshed for it (it expires an hour after its last use). */
  unship(id: string): void {
    const users = (this.datasets.get(id) ?? 1) - 1;
    if (users > 0) this.datasets.set(id, users);
    else this.datasets.delete(id);
  }

  executor(job: ExecutorJob, optimizationId: string): RedisTrialExecutor {
    return new RedisTrialExecutor(this, job, optimizationId);
  }

  private completed(jobId: string, returnvalue: string): void {
    const p = this.pending.get(jobId);
    if (!p) return;
    this.pending.delete(jobId);
    try {
      const results = decodeResults(returnvalue);
      // Defensive: a job answers for exactly its trials (the id names them), in their order.
      if (results.length !== p.trials.length || results.some((r, i) => r.index !== p.trials[i]!.index)) throw new Error(`job ${jobId} answered for other trials`);
      p.resolve(results);
    } catch (err) {
      p.reject(err as Error);
    }
  }

  private failed(jobId: string, reason: string): void {
    const p = this.pending.get(jobId);
    if (!p) return;
    if (reason === CANCELLED_REASON && !p.executor.cancelled) {
      // A job of an earlier, cancelled attempt held this id (our add was ignored); it is gone now.
      p.executor.add(jobId, p.trials).catch((err: unknown) => this.reject(jobId, err as Error));
      return;
    }
    this.reject(jobId, new Error(reason));
  }

  reject(jobId: string, err: Error): void {
    const p = this.pending.get(jobId);
    if (!p) return;
    this.pending.delete(jobId);
    p.reject(err);
  }

  private async close(): Promise<void> {
    clearInterval(this.timer);
    clearTimeout(this.idle);
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    this.redis.disconnect();
  }
}

/** How long a session with no attempt using it stays open. */
const IDLE_MS = 30_000;
/** Sessions kept in this (the coordinator's) thread, by Redis URL; they go with the thread. */
const kept = new Map<string, RedisTrialSession>();

export class RedisTrialExecutor implements TrialExecutor {
  readonly runId = randomUUID();
  /** SHA-256 of the encoded dataset: its key in Redis and in the workers' caches. */
  readonly datasetId: string;
  cancelled = false;
  private readonly jobIds = new Set<string>();
  private readonly shipped: Promise<void>;
  private cancelling: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly session: RedisTrialSession,
    private readonly job: ExecutorJob,
    private readonly optimizationId: string,
  ) {
    const bytes = encodeDataset(job.dataset);
    this.datasetId = createHash('sha256').update(bytes).digest('hex');
    this.shipped = session.ship(this.datasetId, bytes);
    this.shipped.catch(() => undefined);
  }

  get concurrency(): number {
    return this.session.workersConcurrency;
  }

  async add(id: string, trials: TrialInput[]): Promise<void> {
    await this.shipped;
    const data: TrialJobData = { runId: this.runId, engineVersion: ENGINE_VERSION, datasetId: this.datasetId, config: this.job.config, partitions: this.job.partitions, trials };
    await this.session.queue.add('trial', data, { jobId: id, attempts: ATTEMPTS, backoff: { type: 'exponential', delay: 250 }, removeOnComplete: true, removeOnFail: true });
  }

  run(trials: TrialInput[]): Promise<TrialResult[]> {
    if (this.cancelled) return Promise.reject(new Error(CANCELLED_REASON));
    const id = trialJobId(this.optimizationId, this.datasetId, trials);
    return new Promise<TrialResult[]>((resolve, reject) => {
      // Registered before the add: the job may finish before add() answers.
      this.session.pending.set(id, { executor: this, trials, resolve, reject });
      this.jobIds.add(id);
      this.add(id, trials).catch((err: unknown) => this.session.reject(id, err as Error));
    }).finally(() => this.jobIds.delete(id));
  }

  /** Rejects what is pending, removes its waiting jobs and tells workers to stop this run's. */
  private stop(reason: string): void {
    const ids = [...this.jobIds];
    for (const id of ids) this.session.reject(id, new Error(reason));
    if (ids.length === 0) return;
    // A waiting job is removed; a running one is locked and stays (its worker stops it).
    this.cancelling = Promise.allSettled([this.session.redis.publish(CANCEL_CHANNEL, this.runId), ...ids.map((id) => this.session.queue.remove(id))]);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.stop(CANCELLED_REASON);
  }

  async close(): Promise<void> {
    // After a failure the rest of the run's trials are not wanted any more.
    this.stop('closed');
    await this.cancelling;
    await this.shipped.catch(() => undefined);
    this.session.unship(this.datasetId);
  }
}
