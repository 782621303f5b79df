/** The SSE module: the live log stream and the hub's status (the hub itself is platform). */
import type { Module } from '../../platform/module';
import type { SseHub } from '../../platform/sse/hub';
import { registerSseRoutes } from './routes';

export function createSseModule(deps: { hub: SseHub }): Module {
  return { services: {}, routes: (app) => registerSseRoutes(app, deps.hub) };
}
