/**
 * IPC handlers, typed by the channel map in electron/shared/ipc.ts. Every call is checked first:
 * the sending frame must be a page of the embedded server's origin, whatever WebContents it
 * lives in. Anything else (a frame that navigated away, an opaque origin, a destroyed frame)
 * is rejected with an error and never reaches the handler.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { IpcArgs, IpcChannel, IpcResult } from '../shared/ipc';
import { isSameOrigin } from './security';

export type IpcHandlers = {
  [C in IpcChannel]: (event: IpcMainInvokeEvent, ...args: IpcArgs<C>) => IpcResult<C> | Promise<IpcResult<C>>;
};

export class UntrustedSenderError extends Error {
  constructor(channel: string, url: string | undefined) {
    super(`IPC ${channel} rejected: sender ${url ?? '(no frame)'} is not the app's origin`);
    this.name = 'UntrustedSenderError';
  }
}

/** The URL of the frame that sent an IPC message; `undefined` when the frame is gone. */
export function senderUrl(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): string | undefined {
  try {
    return event.senderFrame?.url;
  } catch {
    // Reading a WebFrameMain whose render frame was disposed throws.
    return undefined;
  }
}

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, origin: string): boolean {
  return isSameOrigin(senderUrl(event), origin);
}

/** Wraps a handler so that it runs only for trusted senders. */
export function guarded<A extends unknown[], R>(
  channel: string,
  origin: string,
  handler: (event: IpcMainInvokeEvent, ...args: A) => R,
  onRejected?: (error: UntrustedSenderError) => void,
): (event: IpcMainInvokeEvent, ...args: A) => R {
  return (event, ...args) => {
    if (!isTrustedSender(event, origin)) {
      const error = new UntrustedSenderError(channel, senderUrl(event));
      onRejected?.(error);
      throw error;
    }
    return handler(event, ...args);
  };
}

/** Registers one guarded `ipcMain.handle` per channel; returns a function that removes them. */
export function registerIpcHandlers(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  origin: string,
  handlers: IpcHandlers,
  onRejected?: (error: UntrustedSenderError) => void,
): () => void {
  const channels = Object.keys(handlers) as IpcChannel[];
  for (const channel of channels) {
    ipcMain.handle(channel, guarded(channel, origin, handlers[channel] as (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown, onRejected));
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}
