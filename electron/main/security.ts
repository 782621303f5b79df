/**
 * Security of the window and everything else that renders (docs/ARCHITECTURE.md, "Security"):
 *  - navigation never leaves the embedded server's origin (will-navigate / will-redirect /
 *    will-frame-navigate);
 *  - no new Electron windows: `window.open` and target=_blank are denied, and only https links to
 *    an allow-list of hosts go to the OS browser;
 *  - no <webview>;
 *  - every permission is denied except notifications from the server origin.
 * The CSP itself comes from the server's response header (server/src/app.ts); it is not doubled here.
 *
 * The decisions are pure functions (tested in security.test.ts); the wiring below only calls them.
 */
import type { Session, Shell, WebContents } from 'electron';

/** Hosts whose https pages may be opened in the OS browser. Exact host names: no wildcards. */
export const EXTERNAL_HOST_ALLOW_LIST: readonly string[] = [
  'github.com',
  'eastmoney.com',
  'www.eastmoney.com',
  'quote.eastmoney.com',
  'data.eastmoney.com',
  'finance.sina.com.cn',
  'gu.qq.com',
];

/** Permissions the renderer may use. Everything else (camera, geolocation, clipboard-read, ...) is denied. */
export const ALLOWED_PERMISSIONS: readonly string[] = ['notifications'];

function parseUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** `true` when `url` is a page of `origin` (scheme, host and port all equal). */
export function isSameOrigin(url: string | undefined | null, origin: string): boolean {
  if (!url) return false;
  const parsed = parseUrl(url);
  // 'null' is the origin of opaque URLs (data:, file:, about:blank...): never trusted.
  return parsed !== undefined && parsed.origin !== 'null' && parsed.origin === origin;
}

/** `true` when `url` may be handed to the OS browser: https, default port, no credentials, allow-listed host. */
export function isAllowedExternalUrl(url: string, allowList: readonly string[] = EXTERNAL_HOST_ALLOW_LIST): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (parsed.protocol !== 'https:') return false;
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.port !== '') return false;
  return allowList.includes(parsed.hostname.toLowerCase());
}

/**
 * Opens an allow-listed https URL in the OS browser; returns `false` (and opens nothing) otherwise.
 * The URL handed to the OS is the parsed, normalised one, never the raw string from the page.
 */
export function openAllowedExternal(url: string, shell: Pick<Shell, 'openExternal'>, onError?: (err: unknown) => void): boolean {
  if (!isAllowedExternalUrl(url)) return false;
  const href = new URL(url).href;
  // Reviewed: only https URLs to the exact hosts of EXTERNAL_HOST_ALLOW_LIST reach the OS (see isAllowedExternalUrl).
  shell.openExternal(href).catch((err: unknown) => onError?.(err)); // eng-disable OPEN_EXTERNAL_JS_CHECK -- allow-listed above
  return true;
}

/** Permission decision shared by the request and the check handler. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, origin: string): boolean {
  return ALLOWED_PERMISSIONS.includes(permission) && isSameOrigin(requestingUrl, origin);
}

export interface HardeningOptions {
  /** The embedded server's origin: the only place pages may live. */
  origin: string;
  /** Electron's shell (its openExternal is called only for allow-listed URLs). */
  shell: Pick<Shell, 'openExternal'>;
  /** Reports a blocked action (logging); optional. */
  onBlocked?: (what: string, url: string) => void;
}

/**
 * Applied to every WebContents from `app.on('web-contents-created')`, so windows, devtools and
 * anything created later get the same rules.
 */
export function hardenWebContents(contents: WebContents, options: HardeningOptions): void {
  const { origin, shell, onBlocked } = options;

  const keepOnOrigin = (what: string) => (event: { url: string; preventDefault(): void }) => {
    if (isSameOrigin(event.url, origin)) return;
    event.preventDefault();
    onBlocked?.(what, event.url);
  };
  contents.on('will-navigate', keepOnOrigin('navigation'));
  contents.on('will-redirect', keepOnOrigin('redirect'));
  contents.on('will-frame-navigate', keepOnOrigin('frame navigation'));

  contents.setWindowOpenHandler((details) => {
    const opened = openAllowedExternal(details.url, shell, (err) => onBlocked?.(`external link (${String(err)})`, details.url));
    if (!opened) onBlocked?.('window.open', details.url);
    return { action: 'deny' };
  });

  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    onBlocked?.('webview', '');
  });
}

/** Permission handlers for the default session: deny everything except notifications from our origin. */
export function restrictPermissions(ses: Session, origin: string): void {
  ses.setPermissionRequestHandler((_webContents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details.requestingUrl, origin));
  });
  ses.setPermissionCheckHandler((_webContents, permission, requestingOrigin) => {
    return isPermissionAllowed(permission, requestingOrigin, origin);
  });
  // HID, serial and USB device access: never.
  ses.setDevicePermissionHandler(() => false);
}
