/**
 * The one IPC contract between Electron main and the preload (GitHub Desktop style): every
 * channel, its arguments and its result. Type-only: main and preload import it with
 * `import type`, so nothing from here is bundled into either side.
 *
 * Main registers a handler for every channel (`electron/main/ipc.ts`, checked against this map);
 * the preload calls them through a typed `invoke` and exposes named functions only.
 */

/** Where the embedded API listens and the per-launch token the renderer exchanges for a cookie. */
export interface ServerInfo {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  token: string;
}

/** What the import wizard asks the native open dialog for. */
export interface ChoosePathRequest {
  kind: 'folder' | 'file';
  /** For files: the extensions to offer (without the dot), e.g. ['csv', 'txt']. */
  extensions?: string[];
}

/** Channel name → handler signature (arguments the renderer passes → what main returns). */
export interface IpcChannels {
  'app:server-info': () => ServerInfo;
  /** The absolute path the user chose in the native dialog, or null when cancelled. */
  'dialog:choose-path': (request: ChoosePathRequest) => string | null;
}

/**
 * Messages main sends to the page (`webContents.send`), channel → payload. The preload forwards
 * each to a named listener function (`onOpenAlert`), never raw `ipcRenderer`.
 */
export interface IpcEvents {
  /** The user clicked an alert's native notification: open that alert (the window is already revealed). */
  'alerts:open': { alertId: string };
}

export type IpcChannel = keyof IpcChannels;
export type IpcArgs<C extends IpcChannel> = Parameters<IpcChannels[C]>;
export type IpcResult<C extends IpcChannel> = Awaited<ReturnType<IpcChannels[C]>>;

/** What the preload exposes as `window.mystocksDesktop` (the renderer declares the same shape). */
export interface MystocksDesktopApi {
  serverInfo(): Promise<ServerInfo>;
  choosePath(request: ChoosePathRequest): Promise<string | null>;
  /** Calls `listener` when the user clicks an alert's native notification; answers the unsubscribe. */
  onOpenAlert(listener: (payload: IpcEvents['alerts:open']) => void): () => void;
  appVersion: string;
}

/**
 * The app version reaches the sandboxed preload synchronously as a command-line switch of the
 * renderer process (`webPreferences.additionalArguments`). Main and preload each spell the
 * prefix as a value of this type, so a typo on either side fails the typecheck.
 */
export type VersionArgumentPrefix = '--mystocks-version=';
export type VersionArgument = `${VersionArgumentPrefix}${string}`;
