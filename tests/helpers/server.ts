/** Test helpers: a server on a fresh temporary data directory, and authorised inject calls. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildServer, type ServerOptions } from '../../server/src/app';

export const TEST_TOKEN = 'test-token-0123456789abcdefghijkl';

export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mystocks-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function testServer(options: Partial<ServerOptions> = {}): Promise<{
  app: FastifyInstance;
  dataDir: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}> {
  const temp = options.dataDir ? undefined : tempDataDir();
  const dataDir = options.dataDir ?? temp!.dir;
  const app = await buildServer({ dataDir, token: TEST_TOKEN, ...options });
  return {
    app,
    dataDir,
    request: (opts) =>
      app.inject({ ...opts, headers: { authorization: `Bearer ${TEST_TOKEN}`, ...(opts.headers ?? {}) } }),
    close: async () => {
      await app.close();
      temp?.remove();
    },
  };
}
