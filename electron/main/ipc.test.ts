import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { guarded, isTrustedSender, registerIpcHandlers, senderUrl, UntrustedSenderError } from './ipc';

const ORIGIN = 'http://127.0.0.1:41234';

const eventFrom = (url: string | null) => ({ senderFrame: url === null ? null : { url } }) as unknown as IpcMainInvokeEvent;

describe('IPC sender check', () => {
  it('trusts frames of the server origin only', () => {
    expect(isTrustedSender(eventFrom(`${ORIGIN}/`), ORIGIN)).toBe(true);
    expect(isTrustedSender(eventFrom(`${ORIGIN}/portfolio#x`), ORIGIN)).toBe(true);
    expect(isTrustedSender(eventFrom('http://127.0.0.1:1/'), ORIGIN)).toBe(false);
    expect(isTrustedSender(eventFrom('https://github.com/'), ORIGIN)).toBe(false);
    expect(isTrustedSender(eventFrom('about:blank'), ORIGIN)).toBe(false);
    expect(isTrustedSender(eventFrom('devtools://devtools/bundled/index.html'), ORIGIN)).toBe(false);
  });

  it('rejects a destroyed frame (null or throwing getter)', () => {
    expect(isTrustedSender(eventFrom(null), ORIGIN)).toBe(false);
    const disposed = {
      get senderFrame() {
        return {
          get url(): string {
            throw new Error('Render frame was disposed before WebFrameMain could be accessed');
          },
        };
      },
    } as unknown as IpcMainInvokeEvent;
    expect(senderUrl(disposed)).toBeUndefined();
    expect(isTrustedSender(disposed, ORIGIN)).toBe(false);
  });
});

describe('guarded', () => {
  it('runs the handler for trusted senders and throws for others', () => {
    const handler = vi.fn(() => 42);
    const onRejected = vi.fn();
    const wrapped = guarded('app:server-info', ORIGIN, handler, onRejected);
    expect(wrapped(eventFrom(`${ORIGIN}/`))).toBe(42);
    expect(() => wrapped(eventFrom('https://evil.example/'))).toThrow(UntrustedSenderError);
    expect(handler).toHaveBeenCalledOnce();
    expect(onRejected).toHaveBeenCalledOnce();
    expect(onRejected.mock.calls[0]?.[0].message).toContain('https://evil.example/');
  });
});

describe('registerIpcHandlers', () => {
  it('registers every channel guarded, and removes them', async () => {
    const registered = new Map<string, (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown>();
    const ipcMain = {
      handle: vi.fn((channel: string, fn: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown) => void registered.set(channel, fn)),
      removeHandler: vi.fn((channel: string) => void registered.delete(channel)),
    };
    const dispose = registerIpcHandlers(ipcMain, ORIGIN, {
      'app:server-info': () => ({ origin: ORIGIN, token: 'x'.repeat(43) }),
      'dialog:choose-path': () => null,
    });
    expect([...registered.keys()]).toEqual(['app:server-info', 'dialog:choose-path']);

    const handler = registered.get('app:server-info')!;
    expect(await handler(eventFrom(`${ORIGIN}/`))).toEqual({ origin: ORIGIN, token: 'x'.repeat(43) });
    expect(() => handler(eventFrom('http://localhost:41234/'))).toThrow(/not the app's origin/);

    dispose();
    expect(registered.size).toBe(0);
  });
});
