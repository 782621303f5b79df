/**
 * Worker entry of `backtest` tasks (modules/backtest/kind.ts), run by the task pool's read lane
 * (platform/tasks), several at once: opens its own connection to the cache, reads the bars through
 * the K-line service and runs the job (modules/backtest/job.ts), posting progress and finally the
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

export const handler = taskWorker<BacktestConfig>(({ params, dbFile, nativeBinding, signal, post }): TaskOutcome => {
  let db;
  try {
    db = openDatabase(dbFile, nativeBinding ? { nativeBinding } : {});
  } catch (err) {
    return { state: 'failed', error: { code: 'DATABASE_ERROR', message: `cannot open the cache: ${(err as Error).message}` } };
  }
  try {
    const market = new MarketRepository(db);
    runBacktestJob(params, { klines: new KlineService(market), market, signal, post });
    return { state: 'succeeded' };
  } catch (err) {
    // A run that cannot be made (no bars, unknown symbol) fails with its own code; cancelling unwinds as TaskCancelled.
    if (err instanceof AppError) return { state: 'failed', error: { code: err.errorName, message: err.details?.[0]?.message ?? err.message } };
    if (err instanceof RangeError) return { state: 'failed', error: { code: 'BACKTEST_FAILED', message: err.message } };
    throw err;
  } finally {
    db.close();
  }
});

const workerPath: string = fileURLToPath(import.meta.url);
export default workerPath;
