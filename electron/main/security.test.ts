import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import {
  ALLOWED_PERMISSIONS,
  hardenWebContents,
  isAllowedExternalUrl,
  isPermissionAllowed,
  isSameOrigin,
  openAllowedExternal,
  restrictPermissions,
} from './security';

const ORIGIN = 'http://127.0.0.1:41234';

describe('isSameOrigin', () => {
  it.each([
    [`${ORIGIN}/`, true],
    [`${ORIGIN}/settings?tab=1#x`, true],
    [ORIGIN, true],
    ['http://127.0.0.1:41235/', false],
    ['http://localhost:41234/', false],
    ['https://127.0.0.1:41234/', false],
    ['http://127.0.0.1:41234@evil.example/', false],
    ['file:///etc/passwd', false],
    ['data:text/html,hi', false],
    ['about:blank', false],
    ['not a url', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isSameOrigin(url, ORIGIN)).toBe(expected);
  });

  it('treats a missing URL as foreign', () => {
    expect(isSameOrigin(undefined, ORIGIN)).toBe(false);
    expect(isSameOrigin(null, ORIGIN)).toBe(false);
  });

  it('never matches an opaque origin, even against "null"', () => {
    expect(isSameOrigin('data:text/html,x', 'null')).toBe(false);
  });
});

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://github.com/mystocks/workstation',
    'https://quote.eastmoney.com/sh600000.html',
    'https://eastmoney.com/',
    'https://finance.sina.com.cn/realstock/company/sh600000/nc.shtml',
    'https://gu.qq.com/sh600000',
    'https://GitHub.com/x',
  ])('allows %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    ['http is refused', 'http://github.com/'],
    ['another scheme', 'file:///C:/Windows/system32/calc.exe'],
    ['custom protocol', 'ms-settings:privacy'],
    ['javascript', 'javascript:alert(1)'],
    ['suffix trick', 'https://github.com.evil.example/'],
    ['prefix trick', 'https://evilgithub.com/'],
    ['unlisted subdomain', 'https://gist.github.com/'],
    ['credentials', 'https://user:pw@github.com/'],
    ['userinfo host confusion', 'https://github.com@evil.example/'],
    ['explicit port', 'https://github.com:8443/'],
    ['garbage', 'github.com'],
    ['empty', ''],
  ])('refuses: %s', (_why, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('uses the given allow-list', () => {
    expect(isAllowedExternalUrl('https://example.com/', ['example.com'])).toBe(true);
    expect(isAllowedExternalUrl('https://github.com/', ['example.com'])).toBe(false);
  });
});

describe('openAllowedExternal', () => {
  it('opens allow-listed URLs, normalised', () => {
    const shell = { openExternal: vi.fn(() => Promise.resolve()) };
    expect(openAllowedExternal('https://GITHUB.com/a b', shell)).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('https://github.com/a%20b');
  });

  it('opens nothing else', () => {
    const shell = { openExternal: vi.fn(() => Promise.resolve()) };
    expect(openAllowedExternal('https://evil.example/', shell)).toBe(false);
    expect(shell.openExternal).not.toHaveBeenCalled();
  });

  it('reports a failing OS handler instead of throwing', async () => {
    const err = new Error('no handler');
    const onError = vi.fn();
    openAllowedExternal('https://github.com/', { openExternal: () => Promise.reject(err) }, onError);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledWith(err));
  });
});

describe('permissions', () => {
  it('allows only notifications, only from the server origin', () => {
    expect(ALLOWED_PERMISSIONS).toEqual(['notifications']);
    expect(isPermissionAllowed('notifications', `${ORIGIN}/`, ORIGIN)).toBe(true);
    expect(isPermissionAllowed('notifications', ORIGIN, ORIGIN)).toBe(true);
    expect(isPermissionAllowed('notifications', 'https://evil.example/', ORIGIN)).toBe(false);
    expect(isPermissionAllowed('notifications', undefined, ORIGIN)).toBe(false);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown']) {
      expect(isPermissionAllowed(p, `${ORIGIN}/`, ORIGIN)).toBe(false);
    }
  });

  it('installs request, check and device handlers on the session', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const ses = {
      setPermissionRequestHandler: (h: never) => (handlers.request = h),
      setPermissionCheckHandler: (h: never) => (handlers.check = h),
      setDevicePermissionHandler: (h: never) => (handlers.device = h),
    } as unknown as Session;
    restrictPermissions(ses, ORIGIN);

    const callback = vi.fn();
    const request = handlers.request as unknown as (wc: unknown, p: string, cb: (ok: boolean) => void, d: { requestingUrl: string }) => void;
    request({}, 'notifications', callback, { requestingUrl: `${ORIGIN}/alerts` });
    request({}, 'media', callback, { requestingUrl: `${ORIGIN}/` });
    request({}, 'notifications', callback, { requestingUrl: 'https://evil.example/' });
    expect(callback.mock.calls).toEqual([[true], [false], [false]]);

    const check = handlers.check as unknown as (wc: unknown, p: string, origin: string) => boolean;
    expect(check(null, 'notifications', ORIGIN)).toBe(true);
    expect(check(null, 'clipboard-read', ORIGIN)).toBe(false);
    expect(check(null, 'notifications', 'http://127.0.0.1:1')).toBe(false);

    expect((handlers.device as unknown as () => boolean)()).toBe(false);
  });
});

/** A WebContents stand-in: an EventEmitter that records the window-open handler. */
function fakeContents() {
  const emitter = new EventEmitter() as EventEmitter & { openHandler?: (d: { url: string }) => { action: string } };
  (emitter as unknown as { setWindowOpenHandler: (h: never) => void }).setWindowOpenHandler = (h) => {
    emitter.openHandler = h;
  };
  return emitter;
}

function navEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

describe('hardenWebContents', () => {
  const setup = () => {
    const contents = fakeContents();
    const shell = { openExternal: vi.fn(() => Promise.resolve()) };
    const onBlocked = vi.fn();
    hardenWebContents(contents as unknown as WebContents, { origin: ORIGIN, shell, onBlocked });
    return { contents, shell, onBlocked };
  };

  it.each(['will-navigate', 'will-redirect', 'will-frame-navigate'])('%s stays on the server origin', (event) => {
    const { contents, onBlocked } = setup();
    const inside = navEvent(`${ORIGIN}/backtests`);
    contents.emit(event, inside);
    expect(inside.preventDefault).not.toHaveBeenCalled();

    for (const url of ['https://github.com/', 'http://127.0.0.1:9999/', 'file:///etc/hosts', 'about:blank']) {
      const outside = navEvent(url);
      contents.emit(event, outside);
      expect(outside.preventDefault).toHaveBeenCalledOnce();
    }
    expect(onBlocked).toHaveBeenCalledTimes(4);
  });

  it('denies every new window; allow-listed https links go to the OS browser', () => {
    const { contents, shell, onBlocked } = setup();
    expect(contents.openHandler?.({ url: 'https://quote.eastmoney.com/sh600000.html' })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledWith('https://quote.eastmoney.com/sh600000.html');

    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: `${ORIGIN}/popup` })).toEqual({ action: 'deny' });
    expect(shell.openExternal).toHaveBeenCalledOnce();
    expect(onBlocked).toHaveBeenCalledWith('window.open', 'https://evil.example/');
  });

  it('refuses to attach webviews', () => {
    const { contents } = setup();
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event, {}, {});
    expect(event.preventDefault).toHaveBeenCalledOnce();
  });
});
