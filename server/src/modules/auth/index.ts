/** The auth module: trading the per-launch token for the session cookie EventSource carries. */
import type { Module } from '../../platform/module';
import type { Sessions } from '../../platform/security';
import { registerAuthRoutes } from './routes';

export function createAuthModule(deps: { sessions: Sessions; port: () => number }): Module {
  return { services: {}, routes: (app) => registerAuthRoutes(app, deps.sessions, deps.port) };
}
