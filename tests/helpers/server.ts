/** Test helpers: a server on a fresh temporary data directory, and authorised inject calls. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildServer, type ServerContext, type ServerOptions } from '../../server/src/app';

export const TEST_TOKEN = 'test-token-0123456789abcdefghijkl';

/** The default `fetch` of test servers: tests never reach the network (pass a double to test providers). */
export const offlineFetch: typeof fetch = () => Promise.reject(new TypeError('fetch failed', { cause: new Error('network disabled in tests') }));

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mystocks-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function testServer(options: Partial<ServerOptions> = {}): Promise<{
  app: FastifyInstance;
  /** The platform and the modules' services (db, bus, market, online, imports …). */
  context: ServerContext;
  dataDir: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}> {
  const temp = options.dataDir ? undefined : tempDataDir();
  const dataDir = options.dataDir ?? temp!.dir;
  // Offline, and provider retries without real waits.
  const { app, context } = await buildServer({ dataDir, token: TEST_TOKEN, fetch: offlineFetch, providers: { http: { sleep: async () => undefined } }, ...options });
  return {
    app,
    context,
    dataDir,
    request: (opts) =>
      app.inject({ ...opts, headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(opts.headers ?? {}) } }),
    close: async () => {
      await app.close();
      temp?.remove();
    },
  };
}
