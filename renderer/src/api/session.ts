/**
 * Session bootstrap, run once before the app mounts (and before the router reads the URL hash).
 *
 * The token comes from the Electron preload bridge, or in browser mode from the `#token=...`
 * fragment printed by `npm run serve`. With a token we exchange it for the HttpOnly session cookie
 * (EventSource cannot send headers) and keep it in memory for REST calls. Without one (a reload in
 * browser mode) the cookie from the earlier exchange is all we have; if it is gone, the first call
 * answers 401 and the shell explains how to get back in.
 */
import { api, unwrap } from './client';
import { getApiToken, setApiToken } from './auth';
import { desktopBridge } from './desktop-bridge';

export type TokenSource = 'desktop' | 'fragment' | 'none';

/** Reads `#token=...` and removes it from the URL (and history) so it is never bookmarked or shared. */
export function takeFragmentToken(): string | undefined {
  const hash = window.location.hash;
  if (!hash.startsWith('#token=')) return undefined;
  const token = new URLSearchParams(hash.slice(1)).get('token') ?? undefined;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return token || undefined;
}

export async function bootstrapSession(): Promise<TokenSource> {
  // Always strip a fragment token, even in the desktop app, so it never lingers in the URL.
  const fragmentToken = takeFragmentToken();
  const bridge = desktopBridge();
  const token = bridge ? (await bridge.serverInfo()).token : fragmentToken;
  if (!token) return 'none';
  setApiToken(token);
  await refreshSession();
  return bridge ? 'desktop' : 'fragment';
}

/**
 * Trades the in-memory token for a fresh session cookie. Also used by the SSE client when a stream
 * is refused while the token is still known (the cookie was revoked or the server forgot it).
 * Returns false when there is no token to trade.
 */
export async function refreshSession(): Promise<boolean> {
  if (!getApiToken()) return false;
  await unwrap(api.POST('/api/auth/session'));
  return true;
}
