/**
 * The preload: the only bridge between the page and Electron. Built as CommonJS
 * (out/preload/index.cjs) because the window is sandboxed. It exposes a few named functions as
 * `window.mystocksDesktop`; raw `ipcRenderer` never reaches the page.
 *
 *   window.mystocksDesktop.serverInfo(): Promise<{ origin, token }>
 *   window.mystocksDesktop.choosePath({ kind, extensions? }): Promise<string | null>  (native dialog)
 *   window.mystocksDesktop.onOpenAlert(listener): unsubscribe   (a native alert notification was clicked)
 *   window.mystocksDesktop.appVersion: string
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcArgs, IpcChannel, IpcEvents, IpcResult, MystocksDesktopApi } from '../shared/ipc';
import { versionFromArgv } from './version';

function invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C>): Promise<IpcResult<C>> {
  return ipcRenderer.invoke(channel, ...args) as Promise<IpcResult<C>>;
}

const api: MystocksDesktopApi = {
  serverInfo: () => invoke('app:server-info'),
  choosePath: (request) => invoke('dialog:choose-path', request),
  onOpenAlert: (listener) => {
    const channel: keyof IpcEvents = 'alerts:open';
    // Only the payload reaches the page (never the IpcRendererEvent with its sender).
    const handler = (_event: unknown, payload: IpcEvents['alerts:open']) => listener({ alertId: String(payload?.alertId ?? '') });
    ipcRenderer.on(channel, handler);
    return () => void ipcRenderer.removeListener(channel, handler);
  },
  appVersion: versionFromArgv(process.argv),
};

contextBridge.exposeInMainWorld('mystocksDesktop', api);
