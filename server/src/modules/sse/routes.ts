/** SSE module routes: the log stream and the hub's status. Streams are served by the one hub. */
import type { FastifyInstance } from 'fastify';
import { defineRoute, defineStreamRoute } from '../../platform/contract';
import { levelRank, type LogEntry } from '../../platform/logging';
import type { SseHub } from '../../platform/sse/hub';

function lastEventId(header: string | string[] | undefined, query: string | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value ?? query;
}

export function registerSseRoutes(app: FastifyInstance, hub: SseHub): void {
  defineStreamRoute(app, 'streamLogs', (request, reply) => {
    const min = request.query.level ? levelRank(request.query.level) : 0;
    hub.connect(request, reply, {
      topic: 'logs',
      filter: min === 0 ? undefined : (event, data) => event !== 'log' || levelRank((data as LogEntry).level) >= min,
      lastEventId: lastEventId(request.headers['last-event-id'], request.query.lastEventId),
    });
  });

  defineRoute(app, 'getStreamStatus', () => hub.status());
}
