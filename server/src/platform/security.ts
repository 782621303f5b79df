/**
 * Security of the local API (ARCHITECTURE.md §5), one onRequest hook for every route:
 *  1. Host must be this server's loopback host:port (defeats DNS rebinding).
 *  2. A browser Origin, when sent, must be this server's own origin (no CORS at all).
 *  3. /api/* needs the per-launch token as `Authorization: Bearer`, or the HttpOnly session
 *     cookie obtained with it (EventSource cannot send headers). Operations whose contract says
 *     `security: []` are public.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors';

export interface SecurityOptions {
  token: string;
  /** Port the server listens on; read lazily because it is known only after listen(). */
  port: () => number;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export class Sessions {
  private readonly ids = new Set<string>();
  private readonly tokenDigest: Buffer;

  constructor(token: string) {
    if (token.length < 16) throw new Error('the API token must be at least 16 characters');
    this.tokenDigest = digest(token);
  }

  tokenMatches(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.tokenDigest);
  }

  create(): string {
    const id = randomBytes(32).toString('base64url');
    this.ids.add(id);
    return id;
  }

  has(id: string | undefined): boolean {
    return id !== undefined && this.ids.has(id);
  }

  delete(id: string | undefined): void {
    if (id) this.ids.delete(id);
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

export function registerSecurity(app: FastifyInstance, options: SecurityOptions, sessions: Sessions): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const port = options.port();
    const hosts = allowedHosts(port);
    const host = request.headers.host ?? '';
    if (!hosts.includes(host)) throw new AppError('HOST_NOT_ALLOWED');

    const origin = request.headers.origin;
    if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) throw new AppError('ORIGIN_NOT_ALLOWED');
    if (request.headers['sec-fetch-site'] === 'cross-site') throw new AppError('ORIGIN_NOT_ALLOWED');

    // Everything outside /api is the renderer's static files, which hold no secrets.
    if (!request.url.startsWith('/api/') && request.url !== '/api') return;
    if (request.routeOptions.config?.public) return;
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
    if (request.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });
}
