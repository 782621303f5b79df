/**
 * A real redis-server for integration tests (never a mock; ../shared/TOOLCHAIN.md): Debian's
 * binary started on loopback on a free port, no persistence, `noeviction` as BullMQ requires.
 * Tests skip with a printed reason when the binary is missing, unless MYSTOCKS_REQUIRE_REDIS is
 * set (.ci/run sets it after installing redis-server), in which case they fail instead.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

const BINARY = process.env.MYSTOCKS_REDIS_SERVER ?? 'redis-server';

/**
 * The server's environment without libfaketime: CI runs the suite a second time under
 * `faketime -f +365d`, which preloads into every child, and redis-server (its jemalloc) hangs
 * there at start. The server's own clock is no input of any test (workers and the app share the
 * faked one; Redis keeps only relative timeouts).
 */
function realClockEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('FAKETIME')) delete env[key];
  const preload = (env.LD_PRELOAD ?? '').split(/[ :]/).filter((lib) => lib && !lib.includes('faketime'));
  if (preload.length > 0) env.LD_PRELOAD = preload.join(':');
  else delete env.LD_PRELOAD;
  return env;
}

function hasBinary(): boolean {
  return spawnSync(BINARY, ['--version'], { stdio: 'ignore', env: realClockEnv(), timeout: 10_000 }).status === 0;
}

/** true (and a printed reason) when the Redis tests must skip. */
export function skipWithoutRedis(what: string): boolean {
  if (hasBinary()) return false;
  if (process.env.MYSTOCKS_REQUIRE_REDIS) throw new Error(`MYSTOCKS_REQUIRE_REDIS is set but ${BINARY} is not installed (apt-get install redis-server)`);
  console.warn(`skipping ${what}: ${BINARY} is not installed (apt-get install redis-server; MYSTOCKS_REQUIRE_REDIS=1 makes this a failure)`);
  return true;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const proc: ChildProcess = spawn(BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--loglevel', 'warning'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: realClockEnv(),
  });
  const url = `redis://127.0.0.1:${port}`;
  // Ready when it answers PING: connect attempts until then (the process takes a few ms to listen).
  for (let attempt = 0; ; attempt++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (err) {
      if (attempt >= 200 || proc.exitCode !== null) {
        proc.kill('SIGKILL');
        throw new Error(`redis-server did not start on ${url}`, { cause: err });
      }
      await new Promise((r) => setTimeout(r, 25));
    } finally {
      probe.disconnect();
    }
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
