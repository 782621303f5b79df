/** Replay routes, HTTP only: the state, start, and control (pause, resume, step, speed, stop). */
import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../platform/contract';
import type { ReplayService } from './service';

export function registerReplayRoutes(app: FastifyInstance, replay: ReplayService): void {
  defineRoute(app, 'getReplay', () => replay.state());
  defineRoute(app, 'startReplay', (request) => replay.start(request.body));
  defineRoute(app, 'controlReplay', (request) => replay.control(request.body));
}
