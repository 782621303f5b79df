import { describe, expect, it, vi } from 'vitest';
import { createQuitHandler, ShutdownTimeoutError } from './shutdown';

const quitEvent = () => ({ preventDefault: vi.fn() });

describe('createQuitHandler', () => {
  it('prevents the quit, closes windows then the server, then exits 0', async () => {
    const order: string[] = [];
    const quit = createQuitHandler({
      beforeClose: () => order.push('windows'),
      close: async () => {
        order.push('server');
      },
      exit: (code) => order.push(`exit ${code}`),
    });
    expect(quit.isQuitting()).toBe(false);
    const event = quitEvent();
    quit.onBeforeQuit(event);
    expect(event.preventDefault).toHaveBeenCalledOnce();
    expect(quit.isQuitting()).toBe(true);
    await quit.done();
    expect(order).toEqual(['windows', 'server', 'exit 0']);
  });

  it('starts only once; later quits are held back until the first finishes', async () => {
    let release!: () => void;
    const close = vi.fn(() => new Promise<void>((r) => (release = r)));
    const exit = vi.fn();
    const quit = createQuitHandler({ close, exit });
    quit.onBeforeQuit(quitEvent());
    const again = quitEvent();
    quit.onBeforeQuit(again);
    expect(again.preventDefault).toHaveBeenCalledOnce();
    expect(close).toHaveBeenCalledOnce();
    expect(exit).not.toHaveBeenCalled();
    release();
    await quit.done();
    expect(exit).toHaveBeenCalledExactlyOnceWith(0);
  });

  it('exits 1 and reports when the server fails to close', async () => {
    const err = new Error('boom');
    const onError = vi.fn();
    const exit = vi.fn();
    const quit = createQuitHandler({ close: () => Promise.reject(err), exit, onError, beforeClose: () => { throw new Error('window'); } });
    quit.onBeforeQuit(quitEvent());
    await quit.done();
    expect(onError).toHaveBeenCalledTimes(2);
    expect(onError).toHaveBeenLastCalledWith(err);
    expect(exit).toHaveBeenCalledWith(1);
  });

  it('gives up on a server that never closes', async () => {
    vi.useFakeTimers();
    try {
      const onError = vi.fn();
      const exit = vi.fn();
      const quit = createQuitHandler({ close: () => new Promise(() => {}), exit, onError, timeoutMs: 5000 });
      quit.onBeforeQuit(quitEvent());
      await vi.advanceTimersByTimeAsync(5000);
      await quit.done();
      expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(ShutdownTimeoutError);
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
