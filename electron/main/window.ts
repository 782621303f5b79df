/**
 * The main window: sandboxed, context-isolated, no Node in the page, the CommonJS preload as the
 * only bridge. It is shown on 'ready-to-show' (no white flash) and remembers its bounds.
 */
import { BrowserWindow, screen } from 'electron';
import type { VersionArgument, VersionArgumentPrefix } from '../shared/ipc';
import { debounce, MIN_SIZE, restoreBounds, type WindowStateStore } from './window-state';

export const WINDOW_TITLE = 'MyStocks Workstation';
const VERSION_PREFIX: VersionArgumentPrefix = '--mystocks-version=';

export function versionArgument(version: string): VersionArgument {
  return `${VERSION_PREFIX}${version}`;
}

export interface MainWindowOptions {
  preload: string;
  appVersion: string;
  /** Window icon (used on Linux and Windows; macOS takes the bundle icon). */
  icon?: string;
  stateStore: WindowStateStore;
  /** macOS: closing hides the window unless the app is quitting. */
  hideOnClose: () => boolean;
  onStateSaveError?: (err: unknown) => void;
}

export interface MainWindow {
  win: BrowserWindow;
  /** Writes the current bounds now (used when quitting, where windows are destroyed without 'close'). */
  saveState(): void;
}

export function createMainWindow(options: MainWindowOptions): MainWindow {
  const bounds = restoreBounds(
    options.stateStore.load(),
    screen.getAllDisplays().map((d) => d.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  const position = bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : { center: true };

  const win = new BrowserWindow({
    ...position,
    width: bounds.width,
    height: bounds.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: WINDOW_TITLE,
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      // Reviewed: the CommonJS preload (electron/preload/index.ts) runs sandboxed and context-isolated and
      // exposes two named members (serverInfo, appVersion); no ipcRenderer; main checks every IPC sender.
      preload: options.preload, // eng-disable PRELOAD_JS_CHECK -- reviewed, see above
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // Middle-click would otherwise bypass the window-open handler in some Chromium versions.
      disableBlinkFeatures: 'Auxclick',
      additionalArguments: [versionArgument(options.appVersion)],
    },
  });

  win.once('ready-to-show', () => {
    if (bounds.maximized) win.maximize();
    win.show();
  });

  const saveState = trackWindowState(win, options.stateStore, options.onStateSaveError);

  win.on('close', (event) => {
    if (options.hideOnClose()) {
      event.preventDefault();
      win.hide();
    }
  });

  return { win, saveState };
}

/** Saves bounds 500 ms after the last move/resize, and at once when the window closes. */
function trackWindowState(win: BrowserWindow, store: WindowStateStore, onError?: (err: unknown) => void): () => void {
  const saveNow = () => {
    if (win.isDestroyed()) return;
    try {
      const normal = win.getNormalBounds();
      store.save({ ...normal, maximized: win.isMaximized() });
    } catch (err) {
      onError?.(err);
    }
  };
  const saveSoon = debounce(saveNow, 500);
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) {
    win.on(event as 'resize', () => saveSoon());
  }
  const flush = () => {
    saveSoon.cancel();
    saveNow();
  };
  win.on('close', flush);
  return flush;
}

/** Brings the window to the front (second instance, tray, dock click). */
export function revealWindow(win: BrowserWindow | undefined): void {
  if (!win || win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}
