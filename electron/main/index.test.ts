/**
 * The lifecycle in electron/main/index.ts with Electron stubbed: the order of startup, the
 * failure paths (error box + exit, never a blank window) and graceful quitting.
 */
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as ServerHost from './server-host';

const h = vi.hoisted(() => {
  const log: string[] = [];
  return { log, state: {} as Record<string, unknown> };
});

vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  const app = Object.assign(new Emitter(), {
    isPackaged: false,
    paths: new Map<string, string>([['userData', '/default/userData']]),
    lock: true,
    setPath(name: string, value: string) {
      h.log.push(`setPath ${name}`);
      this.paths.set(name, value);
    },
    getPath(name: string) {
      return this.paths.get(name) ?? `/default/${name}`;
    },
    requestSingleInstanceLock() {
      h.log.push('lock');
      return this.lock;
    },
    whenReady() {
      h.log.push('whenReady');
      return Promise.resolve();
    },
    getVersion: () => '0.1.0',
    setAppUserModelId: () => {},
    quit: vi.fn(() => h.log.push('quit')),
    exit: vi.fn((code: number) => h.log.push(`exit ${code}`)),
  });
  const windows: { destroy(): void }[] = [];
  h.state.app = app;
  h.state.windows = windows;
  return {
    app,
    BrowserWindow: { getAllWindows: () => windows },
    dialog: { showErrorBox: vi.fn((title: string, msg: string) => h.log.push(`errorBox ${msg.split('\n')[0]}`)) },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: (t: unknown) => t },
    session: { defaultSession: { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() } },
    shell: { openExternal: vi.fn() },
    Notification: { isSupported: () => true },
  };
});

vi.mock('./server-host', async (importOriginal) => ({
  ...(await importOriginal<typeof ServerHost>()),
  startEmbeddedServer: vi.fn(),
}));
vi.mock('./window', () => ({ createMainWindow: vi.fn(), revealWindow: vi.fn() }));
vi.mock('./tray', () => ({ createTray: vi.fn(() => ({ destroy: vi.fn() })) }));
vi.mock('./notifier', () => ({ APP_USER_MODEL_ID: 'com.mystocks.workstation', startAlertNotifier: vi.fn(() => ({ live: new Set(), stop: vi.fn() })) }));

const electron = await import('electron');
const serverHost = await import('./server-host');
const windowModule = await import('./window');
const notifierModule = await import('./notifier');

type FakeApp = EventEmitter & { lock: boolean; paths: Map<string, string>; quit: ReturnType<typeof vi.fn>; exit: ReturnType<typeof vi.fn> };
const app = electron.app as unknown as FakeApp;
const ORIGIN = 'http://127.0.0.1:45678';
const repoRoot = path.resolve(import.meta.dirname, '..', '..');

function fakeServer() {
  return {
    origin: ORIGIN,
    port: 45678,
    close: vi.fn(async () => void h.log.push('server.close')),
    app: { log: { info: vi.fn(), warn: vi.fn(), error: vi.fn() } },
    context: { bus: { subscribe: vi.fn() } },
  };
}

function fakeWindow(loadURL: () => Promise<void> = async () => {}) {
  const win = Object.assign(new EventEmitter(), {
    webContents: Object.assign(new EventEmitter(), { reload: vi.fn() }),
    loadURL: vi.fn(async (url: string) => {
      h.log.push(`loadURL ${url}`);
      return loadURL();
    }),
    destroyed: false,
    isDestroyed() {
      return this.destroyed;
    },
    destroy: vi.fn(() => {
      h.log.push('window.destroy');
      win.destroyed = true;
      // Like Electron: destroying the last window emits 'window-all-closed' (which quits on Windows/Linux).
      if ((h.state.windows as { destroyed: boolean }[]).every((w) => w.destroyed)) app.emit('window-all-closed');
    }),
  });
  (h.state.windows as unknown[]).push(win);
  return win;
}

type Listener = (...args: unknown[]) => void;
let signalListeners: { SIGINT: Listener[]; SIGTERM: Listener[] };

async function launch() {
  vi.resetModules();
  await import('./index');
}

beforeEach(() => {
  h.log.length = 0;
  (h.state.windows as unknown[]).length = 0;
  app.removeAllListeners();
  app.lock = true;
  app.paths = new Map([['userData', '/default/userData']]);
  vi.clearAllMocks();
  vi.mocked(app.quit).mockImplementation(() => h.log.push('quit'));
  signalListeners = { SIGINT: process.listeners('SIGINT') as Listener[], SIGTERM: process.listeners('SIGTERM') as Listener[] };
  vi.stubEnv('MYSTOCKS_USER_DATA_DIR', '/tmp/mystocks-e2e-profile');
  vi.spyOn(console, 'error').mockImplementation(() => {});
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.mocked(console.error).mockRestore();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const l of process.listeners(signal) as Listener[]) if (!signalListeners[signal].includes(l)) process.off(signal, l);
  }
});

describe('main process lifecycle', () => {
  it('starts the server before the window, then loads the server origin', async () => {
    const server = fakeServer();
    vi.mocked(serverHost.startEmbeddedServer).mockImplementation(async () => {
      h.log.push('startServer');
      return { server: server as never, token: 'secret-token-0123456789' };
    });
    const win = fakeWindow();
    vi.mocked(windowModule.createMainWindow).mockImplementation(() => {
      h.log.push('createWindow');
      return { win: win as never, saveState: () => h.log.push('saveState') };
    });

    await launch();
    await vi.waitFor(() => expect(win.loadURL).toHaveBeenCalled());

    expect(h.log).toEqual(['setPath userData', 'lock', 'startServer', 'whenReady', 'createWindow', `loadURL ${ORIGIN}/`]);
    expect(serverHost.startEmbeddedServer).toHaveBeenCalledWith({
      dataDir: '/tmp/mystocks-e2e-profile',
      rendererDir: path.join(import.meta.dirname, '..', 'renderer'),
      nativeBinding: path.join(repoRoot, 'build', 'native', 'electron', 'better_sqlite3.node'),
      appVersion: '0.1.0',
      isPackaged: false,
      sampleDataDir: path.join(repoRoot, 'resources', 'sample-data'),
    });

    // Security wiring happened before the window existed.
    expect(app.listenerCount('web-contents-created')).toBe(1);
    expect(electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(electron.session.defaultSession.setPermissionCheckHandler).toHaveBeenCalledOnce();

    // The IPC channels: server info for trusted frames only, and the native open dialog.
    expect(vi.mocked(electron.ipcMain.handle).mock.calls.map((c) => c[0])).toEqual(['app:server-info', 'dialog:choose-path']);
    const [channel, handler] = vi.mocked(electron.ipcMain.handle).mock.calls[0]!;
    expect(channel).toBe('app:server-info');
    expect(handler({ senderFrame: { url: `${ORIGIN}/` } } as never)).toEqual({ origin: ORIGIN, token: 'secret-token-0123456789' });
    expect(() => handler({ senderFrame: { url: 'https://evil.example/' } } as never)).toThrow();

    // The window gets the CommonJS preload and the version.
    expect(vi.mocked(windowModule.createMainWindow).mock.calls[0]?.[0]).toMatchObject({ appVersion: '0.1.0', preload: path.join(import.meta.dirname, '..', 'preload', 'index.cjs') });

    // Alerts are notified from the server's bus; a click reveals this window.
    const notifierDeps = vi.mocked(notifierModule.startAlertNotifier).mock.calls[0]![0];
    expect(notifierDeps.bus).toBe(server.context.bus);
    notifierDeps.reveal();
    expect(windowModule.revealWindow).toHaveBeenLastCalledWith(win);

    // A second launch focuses this window.
    app.emit('second-instance');
    expect(windowModule.revealWindow).toHaveBeenCalledWith(win);

    // Quitting: default prevented, window state saved, windows destroyed, server closed, then exit(0).
    const event = { preventDefault: vi.fn() };
    app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(0));
    // (Destroying the last window emits 'window-all-closed' → app.quit() → a second 'before-quit', held back.)
    expect(h.log.slice(-5)).toEqual(['saveState', 'window.destroy', 'quit', 'server.close', 'exit 0']);
    expect(server.close).toHaveBeenCalledOnce();
    expect(app.exit).toHaveBeenCalledOnce();
  });

  it('on Windows/Linux the last window closing quits', async () => {
    vi.mocked(serverHost.startEmbeddedServer).mockResolvedValue({ server: fakeServer() as never, token: 't'.repeat(20) });
    const win = fakeWindow();
    vi.mocked(windowModule.createMainWindow).mockReturnValue({ win: win as never, saveState: () => {} });
    await launch();
    await vi.waitFor(() => expect(win.loadURL).toHaveBeenCalled());
    app.emit('window-all-closed');
    expect(app.quit).toHaveBeenCalledTimes(process.platform === 'darwin' ? 0 : 1);
  });

  it('a second instance quits at once, starting nothing', async () => {
    app.lock = false;
    await launch();
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
    expect(serverHost.startEmbeddedServer).not.toHaveBeenCalled();
    expect(windowModule.createMainWindow).not.toHaveBeenCalled();
  });

  it('no Electron build of better-sqlite3: an error box says what to run, then exit(1), no window', async () => {
    vi.mocked(serverHost.startEmbeddedServer).mockRejectedValue(new serverHost.NativeBindingMissingError('/repo/build/native/electron/better_sqlite3.node', false));
    await launch();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(vi.mocked(electron.dialog.showErrorBox).mock.calls[0]?.[1]).toContain('npm run rebuild:electron');
    expect(windowModule.createMainWindow).not.toHaveBeenCalled();
  });

  it('any server start failure: error box and exit(1), no window', async () => {
    vi.mocked(serverHost.startEmbeddedServer).mockRejectedValue(new Error('EACCES: permission denied, mkdir'));
    await launch();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(vi.mocked(electron.dialog.showErrorBox).mock.calls[0]?.[1]).toContain('EACCES');
    expect(windowModule.createMainWindow).not.toHaveBeenCalled();
  });

  it('a window that cannot load: error box, server closed, exit(1)', async () => {
    const server = fakeServer();
    vi.mocked(serverHost.startEmbeddedServer).mockResolvedValue({ server: server as never, token: 't'.repeat(20) });
    const win = fakeWindow(() => Promise.reject(new Error('ERR_CONNECTION_REFUSED')));
    vi.mocked(windowModule.createMainWindow).mockReturnValue({ win: win as never, saveState: () => {} });
    vi.mocked(app.quit).mockImplementation(() => {
      h.log.push('quit');
      app.emit('before-quit', { preventDefault: () => {} });
    });
    await launch();
    await vi.waitFor(() => expect(app.exit).toHaveBeenCalledWith(1));
    expect(vi.mocked(electron.dialog.showErrorBox).mock.calls[0]?.[1]).toContain('ERR_CONNECTION_REFUSED');
    // The normal quit path stood aside: one close, one exit, code 1.
    await new Promise((r) => setTimeout(r, 20));
    expect(server.close).toHaveBeenCalledOnce();
    expect(app.exit).toHaveBeenCalledExactlyOnceWith(1);
  });

  it('SIGTERM quits through the graceful path', async () => {
    const server = fakeServer();
    vi.mocked(serverHost.startEmbeddedServer).mockResolvedValue({ server: server as never, token: 't'.repeat(20) });
    const win = fakeWindow();
    vi.mocked(windowModule.createMainWindow).mockReturnValue({ win: win as never, saveState: () => {} });
    await launch();
    await vi.waitFor(() => expect(win.loadURL).toHaveBeenCalled());
    const added = (process.listeners('SIGTERM') as Listener[]).filter((l) => !signalListeners.SIGTERM.includes(l));
    expect(added).toHaveLength(1);
    added[0]!();
    expect(app.quit).toHaveBeenCalled();
  });
});
