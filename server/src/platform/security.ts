/**
 * Security of the local API (docs/ARCHITECTURE.md, "Security"), one onRequest hook for every route:
 *  1. Host must be this server's loopback host:port (defeats DNS rebinding).
 *  2. A browser Origin, when sent, must be this server's own origin (no CORS at all).
 *  3. /api/* needs the per-launch token as `Authorization: Bearer`, or the HttpOnly session
 *     cookie obtained with it (EventSource cannot send headers). Operations whose contract says
 *     `security: []` are public.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors';

export interface SecurityOptions {
  token: string;
  /** Port the server listens on; read lazily because it is known only after listen(). */
  port: () => number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The session cookie's value is an HMAC of the token: valid exactly as long as the token is (a
 * random token per launch makes it per launch; a fixed MYSTOCKS_API_TOKEN lets an open page resume
 * after `serve` restarts). It never contains the token and cannot be turned back into it.
 */
export class Sessions {
  private readonly tokenDigest: Buffer;
  private readonly sessionId: string;
  private readonly revoked = new Set<string>();

  constructor(token: string) {
    if (token.length < 16) throw new Error('the API token must be at least 16 characters');
    this.tokenDigest = digest(token);
    this.sessionId = createHmac('sha256', token).update('mystocks-session-v1').digest('base64url');
  }

  tokenMatches(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.tokenDigest);
  }

  create(): string {
    this.revoked.delete(this.sessionId);
    return this.sessionId;
  }

  has(id: string | undefined): boolean {
    if (id === undefined || this.revoked.has(id)) return false;
    return timingSafeEqual(digest(id), digest(this.sessionId));
  }

  /** Logging out revokes the cookie until the token is presented again. */
  delete(id: string | undefined): void {
    if (id !== undefined && this.has(id)) this.revoked.add(id);
  }
}

/** Cookies are not isolated by port, so the name carries it: two instances never clash. */
export function sessionCookieName(port: number): string {
  return `mystocks_session_${port}`;
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/**
 * Whether a request is for the API (token required) rather than the renderer's files. Decided on
 * what the router matched, never on the raw request text: `/%61pi/…` or an absolute-form target
 * (`http://host/api/…`) reaches the same API route as `/api/…`. A request that matched nothing is
 * for the API when its decoded path is under /api; anything else that matched nothing gets the
 * single page or a 404, neither of which holds data.
 */
export function isApiRequest(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  if (route !== undefined) return route === '/api' || route.startsWith('/api/');
  const path = decodedPath(request.url);
  return path === undefined || path === '/api' || path.startsWith('/api/');
}

/** The request target's path as the router sees it, or undefined when it cannot be decoded. */
function decodedPath(target: string): string | undefined {
  try {
    return decodeURIComponent(new URL(target, 'http://127.0.0.1').pathname);
  } catch {
    return undefined;
  }
}

/** An absolute-form target (`GET http://host/…`) names the host itself, which then counts, not Host (RFC 9112 §3.2.2). */
function targetHost(request: FastifyRequest): string {
  const target = request.raw.url ?? '/';
  if (target.startsWith('/')) return request.headers.host ?? '';
  try {
    return new URL(target).host;
  } catch {
    return '';
  }
}

export function registerSecurity(app: FastifyInstance, options: SecurityOptions, sessions: Sessions): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const port = options.port();
    const hosts = allowedHosts(port);
    if (!hosts.includes(request.headers.host ?? '') || !hosts.includes(targetHost(request))) throw new AppError('HOST_NOT_ALLOWED');

    const origin = request.headers.origin;
    if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) throw new AppError('ORIGIN_NOT_ALLOWED');
    if (request.headers['sec-fetch-site'] === 'cross-site') throw new AppError('ORIGIN_NOT_ALLOWED');

    // Everything outside /api is the renderer's static files, which hold no secrets.
    if (!isApiRequest(request) || request.routeOptions.config?.public) return;
    const token = bearerToken(request);
    if (token !== undefined && sessions.tokenMatches(token)) return;
    if (token === undefined && sessions.has(request.cookies[sessionCookieName(port)])) return;
    throw new AppError('UNAUTHORIZED');
  });

  // Responses are never cached and never embeddable; the renderer gets its CSP in app.ts.
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    if (isApiRequest(request)) reply.header('Cache-Control', 'no-store');
    return payload;
  });
}
