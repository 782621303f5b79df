/**
 * Which TrialExecutor an optimization's attempt runs on (docs/ARCHITECTURE.md, "Distributed
 * trials"): the config's `executor` (chosen when the run was submitted: `redis` when the settings'
 * `distributed` is enabled with a URL, else `local`) — the local pool of trial threads, or BullMQ
 * workers over the Redis the settings name *now* (read at each attempt, so a retry after the URL
 * changed goes to the new one). A run for Redis while the settings no longer allow it fails with
 * REDIS_UNAVAILABLE rather than quietly running elsewhere.
 */
import type { Db } from '../../platform/db/database';
import { KeyValueTable } from '../../platform/db/kv';
import { AppError } from '../../platform/errors';
import type { components } from '../../../../contracts/gen/api';
import type { OptimizationTaskParams } from './config';
import { LocalTrialExecutor, type ExecutorJob, type TrialExecutor } from './executor';
import { RedisTrialSession } from './redis-executor';

type DistributedSettings = components['schemas']['DistributedSettings'];

/** The Redis URL the settings enable, if any (the settings table is read directly: a worker thread). */
export function configuredRedisUrl(settings: { distributed?: DistributedSettings }): string | undefined {
  const d = settings.distributed;
  return d?.enabled && typeof d.redisUrl === 'string' && d.redisUrl ? d.redisUrl : undefined;
}

/** The executor factory of one attempt (the coordinator may make several: the grid's, walk-forward's). */
export interface ExecutorFactory {
  executor(job: ExecutorJob): TrialExecutor;
  close(): Promise<void>;
}

/** Opens what the attempt's executors need: nothing locally; the Redis session, kept between attempts (REDIS_UNAVAILABLE if it cannot). */
export async function openExecutors(params: OptimizationTaskParams, deps: { db: Db; trialWorkerPath: string }): Promise<ExecutorFactory> {
  if (params.config.executor !== 'redis') {
    return {
      executor: (job) => new LocalTrialExecutor(job, { workerPath: deps.trialWorkerPath, ...(params.config.threads ? { threads: params.config.threads } : {}) }),
      close: async () => undefined,
    };
  }
  const distributed = new KeyValueTable(deps.db, 'settings').get('distributed') as DistributedSettings | undefined;
  const redisUrl = configuredRedisUrl({ ...(distributed ? { distributed } : {}) });
  if (!redisUrl) throw new AppError('REDIS_UNAVAILABLE', [{ field: 'params.config.executor', message: 'the run is for Redis but the settings no longer enable distributed trials' }]);
  const session = await RedisTrialSession.acquire(redisUrl);
  return { executor: (job) => session.executor(job, params.optimizationId), close: async () => session.release() };
}
