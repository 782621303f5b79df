import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../server/src/app';
import { defaultDeps, describeStartupError, NativeBindingMissingError, startEmbeddedServer, type ServerHostDeps } from './server-host';

const options = {
  dataDir: '/data',
  rendererDir: '/app/out/renderer',
  nativeBinding: '/repo/build/native/electron/better_sqlite3.node',
  appVersion: '0.1.0',
  isPackaged: false,
};

function fakeDeps(overrides: Partial<ServerHostDeps> = {}): ServerHostDeps {
  const running = { origin: 'http://127.0.0.1:5000', port: 5000 } as RunningServer;
  return { startServer: vi.fn(async () => running), exists: () => true, newToken: () => 't'.repeat(43), ...overrides };
}

describe('startEmbeddedServer', () => {
  it('refuses to start without the Electron build of better-sqlite3, telling how to build it', async () => {
    const deps = fakeDeps({ exists: () => false });
    const error = await startEmbeddedServer(options, deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NativeBindingMissingError);
    expect((error as Error).message).toContain('npm run rebuild:electron');
    expect((error as Error).message).toContain(options.nativeBinding);
    expect(deps.startServer).not.toHaveBeenCalled();
  });

  it('packaged: asks for a reinstall instead', async () => {
    const error = await startEmbeddedServer({ ...options, isPackaged: true }, fakeDeps({ exists: () => false })).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/reinstall/i);
    expect((error as Error).message).not.toContain('npm run');
  });

  it('passes data dir, renderer, binding, version and a fresh token to startServer', async () => {
    const deps = fakeDeps();
    const { server, token } = await startEmbeddedServer(options, deps);
    expect(server.origin).toBe('http://127.0.0.1:5000');
    expect(token).toBe('t'.repeat(43));
    expect(deps.startServer).toHaveBeenCalledExactlyOnceWith({
      dataDir: '/data',
      token,
      rendererDir: '/app/out/renderer',
      nativeBinding: options.nativeBinding,
      appVersion: '0.1.0',
    });
  });

  it('passes the bundled sample data folder on', async () => {
    const deps = fakeDeps();
    await startEmbeddedServer({ ...options, sampleDataDir: '/app/resources/sample-data' }, deps);
    expect(deps.startServer).toHaveBeenCalledWith(expect.objectContaining({ sampleDataDir: '/app/resources/sample-data' }));
  });

  it('default tokens are 43 base64url characters and differ per launch', () => {
    const a = defaultDeps.newToken();
    const b = defaultDeps.newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });
});

describe('describeStartupError', () => {
  it('explains an ABI mismatch', () => {
    const msg = describeStartupError(new Error("The module 'x.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 150."));
    expect(msg).toContain('npm run rebuild:electron');
  });

  it('passes other errors through', () => {
    expect(describeStartupError(new Error('EACCES: permission denied'))).toContain('EACCES');
    expect(describeStartupError('weird')).toContain('weird');
  });
});

/**
 * The real server, through the same nativeBinding path Electron uses, but with the Node-ABI
 * build from node_modules (the Electron one cannot be loaded by Node).
 */
describe('startEmbeddedServer with the real server', () => {
  let dir: string | undefined;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const nodeBinding = path.resolve(import.meta.dirname, '../../node_modules/better-sqlite3/build/Release/better_sqlite3.node');

  it.skipIf(!existsSync(nodeBinding))('serves the renderer with its CSP and the API with the token, on loopback', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mystocks-host-'));
    const rendererDir = path.join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>MyStocks</title><div id="app"></div>');

    const { server, token } = await startEmbeddedServer({
      dataDir: path.join(dir, 'userData'),
      rendererDir,
      nativeBinding: nodeBinding,
      appVersion: '9.9.9',
      isPackaged: false,
    });
    close = () => server.close();
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const page = await fetch(`${server.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('MyStocks');

    expect((await fetch(`${server.origin}/api/system/health`)).status).toBe(401);
    const health = await fetch(`${server.origin}/api/system/health`, { headers: { authorization: `Bearer ${token}` } });
    expect(health.status).toBe(200);
    expect(JSON.stringify(await health.json())).toContain('9.9.9');
    expect(existsSync(path.join(dir, 'userData', 'mystocks.db'))).toBe(true);
  });
});
