/** SSE module routes: the log stream and the hub's status. Streams are served by the one hub. */
import type { FastifyInstance } from 'fastify';
import { defineRoute, defineStreamRoute } from '../../platform/contract';
import { levelRank, type LogEntry } from '../../platform/logging';
import type { SseHub } from '../../platform/sse/hub';

export function registerSseRoutes(app: FastifyInstance, hub: SseHub): void {
  defineStreamRoute(app, 'streamLogs', (request, reply) => {
    const min = request.query.level ? levelRank(request.query.level) : 0;
    hub.connect(request, reply, {
      topic: 'logs',
      filter: min === 0 ? undefined : (event, data) => event !== 'log' || levelRank((data as LogEntry).level) >= min,
    });
  });

  defineRoute(app, 'getStreamStatus', () => hub.status());
}
