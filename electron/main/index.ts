/**
 * Electron main: the application lifecycle.
 *
 *  1. userData override for tests (MYSTOCKS_USER_DATA_DIR), then the single-instance lock
 *     (a second launch focuses the running window and exits).
 *  2. The embedded server starts (in this process, loopback, random port and token) while
 *     Electron gets ready. If it cannot start, an error box explains why and the app quits:
 *     never a blank window.
 *  3. Hardening (navigation, window.open, webviews, permissions), IPC handlers, menu,
 *     the window (loads `${origin}/`) and the tray.
 *  4. Quitting (menu, tray, last window closed on Windows/Linux, SIGINT/SIGTERM) closes the
 *     server gracefully before the process exits (shutdown.ts).
 *
 * With "type": "module" this bundle is ESM: use `import.meta.dirname`, never `__dirname`
 * (electron-vite injects its own shim). No top-level `await` here: Electron emits 'ready' only
 * after the ESM entry has been evaluated, so awaiting `whenReady()` at top level would hang. The
 * calls that must precede 'ready' (setPath, the single-instance lock) run synchronously in main()
 * before its first await.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, Notification, session, shell, type Tray } from 'electron';
import { buildOutputs, iconsDir, nativeBindingPath, sampleDataDir, userDataOverride, type Layout } from './paths';
import { describeStartupError, startEmbeddedServer, type EmbeddedServer } from './server-host';
import { hardenWebContents, restrictPermissions } from './security';
import { registerIpcHandlers } from './ipc';
import { choosePath } from './dialogs';
import { buildMenuTemplate } from './menu';
import { createTray } from './tray';
import { createMainWindow, revealWindow, type MainWindow } from './window';
import { WindowStateStore } from './window-state';
import { createQuitHandler } from './shutdown';
import { APP_USER_MODEL_ID, startAlertNotifier, type AlertNotifier } from './notifier';
import type { IpcEvents } from '../shared/ipc';

const PRODUCT_NAME = 'MyStocks Workstation';
const mainDir = import.meta.dirname;
const layout: Layout = {
  isPackaged: app.isPackaged,
  resourcesPath: process.resourcesPath,
  repoRoot: path.resolve(mainDir, '..', '..'),
};

let mainWindow: MainWindow | undefined;
let tray: Tray | undefined;
let notifier: AlertNotifier | undefined;
/** Set by fail(): the normal quit path stands aside so the exit code stays 1. */
let failing = false;

type Log = (level: 'info' | 'warn' | 'error', message: string, extra?: Record<string, unknown>) => void;

/** Shows an error box and exits: for failures before the app is usable. */
async function fail(message: string, embedded?: EmbeddedServer): Promise<void> {
  failing = true;
  console.error(`[mystocks] ${message}`);
  dialog.showErrorBox(PRODUCT_NAME, message);
  for (const win of BrowserWindow.getAllWindows()) win.destroy();
  await embedded?.server.close().catch((err: unknown) => console.error(err));
  app.exit(1);
}

async function main(): Promise<void> {
  const userData = userDataOverride(process.env, process.cwd());
  if (userData) app.setPath('userData', userData);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => revealWindow(mainWindow?.win));
  // Windows shows toasts only for an app whose AppUserModelID matches the installed shortcut's.
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  const outputs = buildOutputs(mainDir);
  // Start the server while Electron initialises; wait for both (dialogs need a ready app).
  const starting = startEmbeddedServer({
    dataDir: app.getPath('userData'),
    rendererDir: outputs.rendererDir,
    nativeBinding: nativeBindingPath(layout),
    appVersion: app.getVersion(),
    isPackaged: app.isPackaged,
    sampleDataDir: sampleDataDir(layout),
  }).then(
    (embedded) => ({ embedded }),
    (error: unknown) => ({ error }),
  );
  await app.whenReady();
  const started = await starting;
  if ('error' in started) {
    await fail(describeStartupError(started.error));
    return;
  }
  const embedded = started.embedded;
  const { origin } = embedded.server;
  const logger = embedded.server.app.log;
  const log: Log = (level, message, extra = {}) => logger[level]({ module: 'electron', ...extra }, message);

  // Quitting: graceful from here on.
  const quit = createQuitHandler({
    beforeClose: () => {
      mainWindow?.saveState();
      notifier?.stop();
      for (const win of BrowserWindow.getAllWindows()) win.destroy();
      tray?.destroy();
      tray = undefined;
    },
    close: () => embedded.server.close(),
    exit: (code) => app.exit(code),
    onError: (err) => console.error('[mystocks] shutdown:', err),
  });
  app.on('before-quit', (event) => {
    if (failing) event.preventDefault();
    else quit.onBeforeQuit(event);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  // Every WebContents (the window, devtools, anything later) gets the same rules.
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, {
      origin,
      shell,
      onBlocked: (what, url) => log('warn', `blocked ${what}`, { url }),
    });
  });
  restrictPermissions(session.defaultSession, origin);

  registerIpcHandlers(
    ipcMain,
    origin,
    {
      'app:server-info': () => ({ origin, token: embedded.token }),
      'dialog:choose-path': (event, request) => choosePath(dialog, BrowserWindow.fromWebContents(event.sender), request),
    },
    (err) => log('warn', err.message),
  );

  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ platform: process.platform, isPackaged: app.isPackaged, appName: PRODUCT_NAME })));

  const icons = iconsDir(layout);
  mainWindow = createMainWindow({
    preload: outputs.preload,
    appVersion: app.getVersion(),
    icon: path.join(icons, 'icon.png'),
    stateStore: new WindowStateStore(app.getPath('userData')),
    hideOnClose: () => process.platform === 'darwin' && !quit.isQuitting(),
    onStateSaveError: (err) => log('warn', 'could not save the window state', { err }),
  });
  watchRenderer(mainWindow.win, log);
  // Alerts as native notifications, straight from the server's bus (shown while the window is hidden too).
  notifier = startAlertNotifier({
    bus: embedded.server.context.bus,
    notifications: { isSupported: () => Notification.isSupported(), create: (options) => new Notification(options) },
    reveal: () => revealWindow(mainWindow?.win),
    openAlert: (payload) => {
      const win = mainWindow?.win;
      if (win && !win.isDestroyed()) win.webContents.send('alerts:open' satisfies keyof IpcEvents, payload);
    },
    onError: (message, extra) => log('warn', message, extra),
  });
  // Windows shutdown/log-off does not emit 'before-quit': save what we can (SQLite's WAL keeps the data safe).
  mainWindow.win.on('session-end', () => {
    mainWindow?.saveState();
    void embedded.server.close().catch(() => {});
  });

  try {
    tray = createTray(icons, { show: () => revealWindow(mainWindow?.win), quit: () => app.quit() });
  } catch (err) {
    // Some Linux desktops have no status area; the app works without a tray.
    log('warn', 'no tray icon', { err });
  }

  // macOS: the window hides on close; the dock icon brings it back.
  app.on('activate', () => revealWindow(mainWindow?.win));
  // Windows/Linux: closing the window quits.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin' && !failing) app.quit();
  });

  try {
    await mainWindow.win.loadURL(`${origin}/`);
  } catch (err) {
    // Closing the window or quitting while it loads aborts the load: not an error.
    if (quit.isQuitting() || mainWindow.win.isDestroyed()) return;
    await fail(`The workstation window could not load ${origin}/:\n${err instanceof Error ? err.message : String(err)}`, embedded);
  }
}

/** A crashed renderer is reloaded once; a second crash within a minute is left for the user to see. */
function watchRenderer(win: BrowserWindow, log: Log): void {
  let lastCrash = 0;
  win.webContents.on('render-process-gone', (_event, details) => {
    if (details.reason === 'clean-exit' || win.isDestroyed()) return;
    log('error', 'renderer process gone', { reason: details.reason, exitCode: details.exitCode });
    const now = Date.now();
    if (now - lastCrash > 60_000) win.webContents.reload();
    lastCrash = now;
  });
}

main().catch((err: unknown) => {
  void fail(describeStartupError(err));
});
