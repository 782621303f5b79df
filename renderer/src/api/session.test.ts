import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { envelope, stubFetch } from '@/test/helpers';
import { getApiToken, setApiToken } from './auth';
import { bootstrapSession } from './session';

vi.mock('element-plus', () => ({ ElMessage: vi.fn() }));

beforeEach(() => {
  setApiToken(null);
  delete window.mystocksDesktop;
  window.history.replaceState(null, '', '/');
});
afterEach(() => vi.unstubAllGlobals());

describe('session bootstrap', () => {
  it('exchanges the #token= fragment for the session cookie and clears the fragment', async () => {
    window.history.replaceState(null, '', '/#token=abcdefghijklmnop0123');
    const { requests } = stubFetch(() => envelope({ cookieName: 'mystocks_session_5950' }));

    await expect(bootstrapSession()).resolves.toBe('fragment');

    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('POST');
    expect(new URL(requests[0]!.url).pathname).toBe('/api/auth/session');
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer abcdefghijklmnop0123');
    expect(window.location.hash).toBe('');
    expect(window.location.href).not.toContain('token');
    expect(getApiToken()).toBe('abcdefghijklmnop0123');
  });

  it('uses the desktop bridge when present', async () => {
    window.mystocksDesktop = {
      appVersion: '0.1.0',
      serverInfo: vi.fn().mockResolvedValue({ origin: 'http://127.0.0.1:49152', token: 'desktop-token-0123456789' }),
      choosePath: vi.fn(),
    };
    const { requests } = stubFetch(() => envelope({ cookieName: 'mystocks_session_49152' }));

    await expect(bootstrapSession()).resolves.toBe('desktop');

    expect(window.mystocksDesktop!.serverInfo).toHaveBeenCalledOnce();
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer desktop-token-0123456789');
    expect(getApiToken()).toBe('desktop-token-0123456789');
  });

  it('relies on the cookie when there is no token (reload in browser mode)', async () => {
    window.history.replaceState(null, '', '/#/system');
    const { fetchMock } = stubFetch(() => envelope({ cookieName: 'x' }));

    await expect(bootstrapSession()).resolves.toBe('none');

    expect(fetchMock).not.toHaveBeenCalled();
    expect(getApiToken()).toBeNull();
    expect(window.location.hash).toBe('#/system'); // a router hash is left alone
  });
});
