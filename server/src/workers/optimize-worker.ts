/**
 * Worker entry of `optimization` tasks (modules/optimize/kind.ts), run by the task pool's read
 * lane: the coordinator (modules/optimize/coordinator.ts) on its own read connection, with a local
 * pool of trial threads (workers/trial-worker.ts) or BullMQ workers over Redis as its executor
 * (modules/optimize/executors.ts). Posts each finished trial; the
 * main thread stores it. Cancelling sets the shared flag; the coordinator stops dispatching and
 * stops the trials in flight.
 *
 * Loaded like workers/backtest-worker.ts (`?modulePath`); piscina calls the `handler` export.
 */
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../platform/db/database';
import { AppError } from '../platform/errors';
import { taskWorker } from '../platform/tasks/worker';
import type { TaskOutcome } from '../platform/tasks/types';
import type { OptimizationTaskParams } from '../modules/optimize/config';
import { runOptimizationJob } from '../modules/optimize/coordinator';
import { openExecutors, type ExecutorFactory } from '../modules/optimize/executors';
import { storedState } from '../modules/optimize/repository';
import { storedWalkForward } from '../modules/optimize/walk-forward-repository';
import { KlineService } from '../modules/market/kline-service';
import { MarketRepository } from '../modules/market/repository';

/** The thread's connection and K-line service, kept between tasks (as the backtest worker's). */
let reader: { dbFile: string; db: ReturnType<typeof openDatabase>; market: MarketRepository; klines: KlineService } | undefined;

function cacheReader(dbFile: string, nativeBinding?: string) {
  if (reader?.dbFile !== dbFile) {
    const db = openDatabase(dbFile, nativeBinding ? { nativeBinding } : {});
    const market = new MarketRepository(db);
    reader = { dbFile, db, market, klines: new KlineService(market) };
  }
  return reader;
}

export const handler = taskWorker<OptimizationTaskParams>(async ({ params, dbFile, nativeBinding, signal, post, context }): Promise<TaskOutcome> => {
  // The trial threads load workers/trial-worker.ts built as its own chunk (the kind's context; the
  // one `npm run worker` loads too): this chunk carries the coordinator, SQLite and BullMQ, which a
  // trial thread would load for nothing — with them its heap ran major collections and its trials
  // were about 8 % slower.
  const trialWorkerPath = context.trialWorkerPath;
  if (!trialWorkerPath) return { state: 'failed', error: { code: 'INTERNAL_ERROR', message: 'the optimization kind gave no trial worker path' } };
  let cache;
  try {
    cache = cacheReader(dbFile, nativeBinding);
  } catch (err) {
    return { state: 'failed', error: { code: 'DATABASE_ERROR', message: `cannot open the cache: ${(err as Error).message}` } };
  }
  const { db } = cache;
  let executors: ExecutorFactory | undefined;
  try {
    // The local pool, or the Redis session (modules/optimize/executors.ts: the run's `executor`).
    executors = await openExecutors(params, { db, trialWorkerPath });
    const factory = executors;
    await runOptimizationJob(params, {
      klines: cache.klines,
      market: cache.market,
      signal,
      post,
      stored: () => {
        const { row, trials } = storedState(db, params.optimizationId);
        return row ? { fingerprint: row.fingerprint, engineVersion: row.engine_version, trials } : undefined;
      },
      storedWalkForward: () => storedWalkForward(db, params.optimizationId),
      executor: (job) => factory.executor(job),
    });
    return { state: 'succeeded' };
  } catch (err) {
    if (signal.aborted) return { state: 'cancelled' };
    if (err instanceof AppError) return { state: 'failed', error: { code: err.errorName, message: err.details?.[0]?.message ?? err.message } };
    if (err instanceof RangeError) return { state: 'failed', error: { code: 'OPTIMIZATION_FAILED', message: err.message } };
    // A trial thread's error arrives as a plain Error (AppError does not survive the thread boundary).
    if (err instanceof Error && err.name !== 'TaskCancelled') return { state: 'failed', error: { code: 'OPTIMIZATION_FAILED', message: err.message } };
    throw err;
  } finally {
    await executors?.close();
  }
});

const workerPath: string = fileURLToPath(import.meta.url);
export default workerPath;
