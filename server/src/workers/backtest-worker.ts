/**
 * Worker entry of `backtest` tasks (modules/backtest/kind.ts), run by the task pool's read lane
 * (platform/tasks), several at once: reads the bars through its own connection and K-line service
 * (kept by the thread between tasks) and runs the job (modules/backtest/job.ts), posting progress and finally the
 * result document, which the main thread stores. Cancelling sets the shared flag the engine checks
 * between steps.
 *
 * Loaded like workers/import-worker.ts (`?modulePath`); piscina calls the `handler` export.
 */
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../platform/db/database';
import { AppError } from '../platform/errors';
import { taskWorker } from '../platform/tasks/worker';
import type { TaskOutcome } from '../platform/tasks/types';
import { runBacktestJob } from '../modules/backtest/job';
import type { BacktestConfig } from '../modules/backtest/config';
import { KlineService } from '../modules/market/kline-service';
import { MarketRepository } from '../modules/market/repository';

/**
 * The thread's connection and K-line service, kept between tasks: the series cache then answers a
 * rerun's bars from memory (an entry is checked against its series row on every read, so an
 * import in between is seen). Closed with the thread.
 */
let reader: { dbFile: string; market: MarketRepository; klines: KlineService } | undefined;

function cacheReader(dbFile: string, nativeBinding?: string): { market: MarketRepository; klines: KlineService } {
  if (reader?.dbFile !== dbFile) {
    const db = openDatabase(dbFile, nativeBinding ? { nativeBinding } : {});
    const market = new MarketRepository(db);
    reader = { dbFile, market, klines: new KlineService(market) };
  }
  return reader;
}

export const handler = taskWorker<BacktestConfig>(({ params, dbFile, nativeBinding, signal, post }): TaskOutcome => {
  let cache;
  try {
    cache = cacheReader(dbFile, nativeBinding);
  } catch (err) {
    return { state: 'failed', error: { code: 'DATABASE_ERROR', message: `cannot open the cache: ${(err as Error).message}` } };
  }
  try {
    runBacktestJob(params, { ...cache, signal, post });
    return { state: 'succeeded' };
  } catch (err) {
    // A run that cannot be made (no bars, unknown symbol) fails with its own code; cancelling unwinds as TaskCancelled.
    if (err instanceof AppError) return { state: 'failed', error: { code: err.errorName, message: err.details?.[0]?.message ?? err.message } };
    if (err instanceof RangeError) return { state: 'failed', error: { code: 'BACKTEST_FAILED', message: err.message } };
    throw err;
  }
});

const workerPath: string = fileURLToPath(import.meta.url);
export default workerPath;
