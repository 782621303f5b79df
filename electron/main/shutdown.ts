/**
 * Graceful shutdown. Electron's 'before-quit' does not wait for promises, so the first one is
 * cancelled, the windows are closed (ending their HTTP/SSE connections), the server is closed
 * (Fastify, then the SQLite WAL checkpoint and close), and the app exits with `app.exit()`,
 * which does not emit 'before-quit' again. A server that does not close in time is abandoned
 * (SQLite's WAL keeps the data safe) so quitting never hangs.
 */

export interface ShutdownOptions {
  /** Synchronous work first: save window state, destroy windows and the tray. */
  beforeClose?: () => void;
  close: () => Promise<void>;
  exit: (code: number) => void;
  timeoutMs?: number;
  onError?: (err: unknown) => void;
}

export interface QuitEvent {
  preventDefault(): void;
}

export class ShutdownTimeoutError extends Error {
  constructor(ms: number) {
    super(`the embedded server did not close within ${ms} ms`);
    this.name = 'ShutdownTimeoutError';
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ShutdownTimeoutError(ms)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Returns the 'before-quit' listener. Every call prevents the default quit; only the first one
 * starts the shutdown. `isQuitting()` tells window 'close' handlers not to hide instead.
 */
export function createQuitHandler(options: ShutdownOptions): { onBeforeQuit: (event: QuitEvent) => void; isQuitting: () => boolean; done: () => Promise<void> } {
  let started = false;
  let finished: Promise<void> = Promise.resolve();

  const run = async () => {
    let code = 0;
    try {
      options.beforeClose?.();
    } catch (err) {
      options.onError?.(err);
    }
    try {
      await withTimeout(options.close(), options.timeoutMs ?? 5000);
    } catch (err) {
      code = 1;
      options.onError?.(err);
    }
    options.exit(code);
  };

  return {
    onBeforeQuit(event) {
      event.preventDefault();
      if (started) return;
      started = true;
      finished = run();
    },
    isQuitting: () => started,
    done: () => finished,
  };
}
