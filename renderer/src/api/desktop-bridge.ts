/**
 * The Electron preload bridge (contextBridge, `window.mystocksDesktop`). Declared once here; it is
 * absent when the renderer is opened in a plain browser (`npm run serve`), so every use must
 * tolerate `undefined`.
 */
export interface ServerInfo {
  /** Origin of the embedded API server, e.g. `http://127.0.0.1:49152`. */
  origin: string;
  /** Per-launch API token; kept in memory only. */
  token: string;
}

export interface ChoosePathRequest {
  kind: 'folder' | 'file';
  /** For files: the extensions to offer, without the dot. */
  extensions?: string[];
}

export interface DesktopBridge {
  serverInfo(): Promise<ServerInfo>;
  /** The native open dialog: the chosen absolute path, or null when cancelled. */
  choosePath(request: ChoosePathRequest): Promise<string | null>;
  /** A native alert notification was clicked (main revealed the window); answers the unsubscribe. */
  onOpenAlert?(listener: (payload: { alertId: string }) => void): () => void;
  readonly appVersion: string;
}

declare global {
  interface Window {
    mystocksDesktop?: DesktopBridge;
  }
}

export function desktopBridge(): DesktopBridge | undefined {
  return typeof window === 'undefined' ? undefined : window.mystocksDesktop;
}
