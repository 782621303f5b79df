/**
 * The command line of a remote trial worker (`npm run worker -- --redis redis://host:6379
 * [--concurrency N]`, entry server/src/worker.ts): parses the options, logs with pino to stdout as
 * `serve` does, and stops gracefully — SIGTERM/SIGINT finish the trials running (a second one exits
 * at once, Redis reachable or not; BullMQ then gives those trials to another worker when their
 * locks expire).
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { startTrialWorker, type TrialWorkerOptions } from './worker';

export const WORKER_USAGE = `Usage: npm run worker -- --redis redis://host:6379 [--concurrency N] [--name NAME]
  --redis        the Redis the app submits to (Settings → Distributed), redis:// or rediss://
  --concurrency  trials at once (default: the machine's cores, ${availableParallelism()} here)
  --name         this worker's name in BullMQ (default host:pid)
  --lock-ms      job lock duration: a lost worker's trial is retried about this much later (default 15000)
  --stalled-ms   how often lost workers' trials are looked for (default 5000)`;

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${value}`);
  return n;
}

/** Runs a worker until a signal; `extra` lets tests add hooks. Resolves once it has stopped. */
export async function runWorkerCli(argv: string[], trialWorkerPath: string, extra: Partial<TrialWorkerOptions> = {}): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      redis: { type: 'string' },
      concurrency: { type: 'string' },
      name: { type: 'string' },
      'lock-ms': { type: 'string' },
      'stalled-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(WORKER_USAGE);
    return;
  }
  const redisUrl = values.redis ?? process.env.MYSTOCKS_REDIS_URL;
  if (!redisUrl || !/^rediss?:\/\/\S+$/.test(redisUrl)) throw new Error(`--redis redis://host:port is required\n${WORKER_USAGE}`);
  const log = pino({ base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime });
  const lockDurationMs = positiveInt('lock-ms', values['lock-ms']);
  const stalledIntervalMs = positiveInt('stalled-ms', values['stalled-ms']);
  const worker = await startTrialWorker({
    redisUrl,
    concurrency: positiveInt('concurrency', values.concurrency) ?? availableParallelism(),
    trialWorkerPath,
    log,
    ...(values.name ? { name: values.name } : {}),
    ...(lockDurationMs ? { lockDurationMs } : {}),
    ...(stalledIntervalMs ? { stalledIntervalMs } : {}),
    ...extra,
  });
  await new Promise<void>((resolve) => {
    let signals = 0;
    const stop = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        // At once, even with Redis gone (a graceful close waits for it): the trials this worker
        // held go back to the queue when their locks expire, as a lost worker's do.
        log.info({ module: 'worker', signal }, 'stopping now');
        resolve();
        return;
      }
      log.info({ module: 'worker', signal }, 'stopping after the trials running (again to stop at once)');
      worker.close().then(resolve, (err: Error) => {
        log.error({ module: 'worker', err: err.message }, 'could not stop cleanly');
        resolve();
      });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
