/** The preload (electron/preload), with Electron's contextBridge and ipcRenderer stubbed. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { versionFromArgv } from '../preload/version';

const bridge = vi.hoisted(() => ({ exposed: new Map<string, unknown>(), invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => bridge.exposed.set(key, api) },
  ipcRenderer: { invoke: bridge.invoke, on: bridge.on, removeListener: bridge.removeListener },
}));

describe('versionFromArgv', () => {
  it('reads --mystocks-version=', () => {
    expect(versionFromArgv(['/electron', '--type=renderer', '--mystocks-version=0.1.0', '--other'])).toBe('0.1.0');
    expect(versionFromArgv(['--mystocks-version=1', '--mystocks-version=2'])).toBe('2');
    expect(versionFromArgv(['--type=renderer'])).toBe('');
  });
});

describe('preload', () => {
  const argv = process.argv;
  afterEach(() => {
    process.argv = argv;
    bridge.exposed.clear();
    bridge.invoke.mockReset();
    vi.resetModules();
  });

  it('exposes exactly { serverInfo(), choosePath(), onOpenAlert(), appVersion } as window.mystocksDesktop', async () => {
    process.argv = [...argv, '--mystocks-version=0.1.0'];
    await import('../preload/index');
    expect([...bridge.exposed.keys()]).toEqual(['mystocksDesktop']);
    const api = bridge.exposed.get('mystocksDesktop') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['appVersion', 'choosePath', 'onOpenAlert', 'serverInfo']);
    expect(api.appVersion).toBe('0.1.0');
    expect(typeof api.serverInfo).toBe('function');
  });

  it('serverInfo() invokes app:server-info and nothing else', async () => {
    bridge.invoke.mockResolvedValueOnce({ origin: 'http://127.0.0.1:1234', token: 'tok' });
    await import('../preload/index');
    const api = bridge.exposed.get('mystocksDesktop') as { serverInfo(): Promise<unknown> };
    await expect(api.serverInfo()).resolves.toEqual({ origin: 'http://127.0.0.1:1234', token: 'tok' });
    expect(bridge.invoke).toHaveBeenCalledExactlyOnceWith('app:server-info');
  });

  it('choosePath() passes the request to dialog:choose-path', async () => {
    bridge.invoke.mockResolvedValueOnce('/home/me/vipdoc');
    await import('../preload/index');
    const api = bridge.exposed.get('mystocksDesktop') as { choosePath(r: object): Promise<unknown> };
    await expect(api.choosePath({ kind: 'folder' })).resolves.toBe('/home/me/vipdoc');
    expect(bridge.invoke).toHaveBeenCalledExactlyOnceWith('dialog:choose-path', { kind: 'folder' });
  });

  it('onOpenAlert() forwards alerts:open payloads only, and unsubscribes', async () => {
    await import('../preload/index');
    const api = bridge.exposed.get('mystocksDesktop') as { onOpenAlert(l: (p: unknown) => void): () => void };
    const listener = vi.fn();
    const off = api.onOpenAlert(listener);
    expect(bridge.on).toHaveBeenCalledExactlyOnceWith('alerts:open', expect.any(Function));
    const handler = bridge.on.mock.calls[0]![1] as (event: unknown, payload: unknown) => void;
    handler({ sender: 'main' }, { alertId: 'a42' });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ alertId: 'a42' });
    off();
    expect(bridge.removeListener).toHaveBeenCalledExactlyOnceWith('alerts:open', handler);
  });
});
