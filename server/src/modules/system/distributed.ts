/**
 * "Test connection" of the distributed-trials setting (POST /api/system/distributed/test): connect
 * to the Redis, PING it, read its version and eviction policy (BullMQ needs `noeviction`) and the
 * trial workers registered on it (modules/optimize/remote/protocol.ts). A Redis that cannot be
 * reached within a few seconds is REDIS_UNAVAILABLE (503) with the reason.
 */
import type { components } from '../../../../contracts/gen/api';
import { ENGINE_VERSION } from '../../engine/backtest/version';
import { AppError } from '../../platform/errors';
import { commandConnection, liveWorkers } from '../optimize/redis-executor';

export type DistributedStatus = components['schemas']['DistributedStatus'];

export async function distributedStatus(redisUrl: string): Promise<DistributedStatus> {
  let redis;
  try {
    redis = commandConnection(redisUrl, 0);
  } catch (err) {
    // ioredis parses the URL with new URL(): what the contract's pattern lets through may still fail.
    throw new AppError('VALIDATION_ERROR', [{ field: 'body.redisUrl', message: (err as Error).message }]);
  }
  redis.on('error', () => undefined); // reported by the failing command below
  try {
    await redis.connect();
    const t0 = performance.now();
    await redis.ping();
    const latencyMs = Math.round((performance.now() - t0) * 1000) / 1000;
    const info = await redis.info('server');
    const policy = (await redis.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
    const workers = await liveWorkers(redis);
    return {
      redisVersion: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
      maxmemoryPolicy: policy[1] ?? 'unknown',
      latencyMs,
      engineVersion: ENGINE_VERSION,
      workers: workers.sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid),
    };
  } catch (err) {
    throw new AppError('REDIS_UNAVAILABLE', [{ field: 'body.redisUrl', message: (err as Error).message }]);
  } finally {
    redis.disconnect();
  }
}
