/** Auth module: trade the Bearer token for the HttpOnly cookie that EventSource requests carry. */
import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../platform/contract';
import { AppError } from '../../platform/errors';
import { bearerToken, sessionCookieName, type Sessions } from '../../platform/security';

export function registerAuthRoutes(app: FastifyInstance, sessions: Sessions, port: () => number): void {
  defineRoute(app, 'createSession', (request, reply) => {
    // A cookie can only be minted with the token itself, not with another cookie.
    if (bearerToken(request) === undefined) throw new AppError('UNAUTHORIZED');
    const cookieName = sessionCookieName(port());
    reply.setCookie(cookieName, sessions.create(), { httpOnly: true, sameSite: 'strict', path: '/' });
    return { cookieName };
  });

  defineRoute(app, 'deleteSession', (request, reply) => {
    const cookieName = sessionCookieName(port());
    sessions.delete(request.cookies[cookieName]);
    reply.clearCookie(cookieName, { path: '/' });
    return null;
  });
}
