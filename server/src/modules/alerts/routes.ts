/**
 * Alert routes, HTTP only: the history (list, unread count, read, acknowledge, read all, delete),
 * the test alert and the `alerts` stream.
 */
import type { FastifyInstance } from 'fastify';
import { defineRoute, defineStreamRoute } from '../../platform/contract';
import { AppError } from '../../platform/errors';
import type { SseHub } from '../../platform/sse/hub';
import type { AlertService } from './service';

export function registerAlertRoutes(app: FastifyInstance, deps: { alerts: AlertService; hub: SseHub; now: () => number }): void {
  const { alerts, hub, now } = deps;
  const repo = alerts.repository;
  const notFound = (id: string) => new AppError('ALERT_NOT_FOUND', [{ field: 'params.id', message: `no alert ${id}` }]);

  defineRoute(app, 'listAlerts', (request) => {
    const { severity, read, symbol, since, page = 1, pageSize = 100 } = request.query;
    let sinceIso: string | undefined;
    if (since !== undefined) {
      const ms = Date.parse(since);
      if (!Number.isFinite(ms)) throw new AppError('DATE_INVALID', [{ field: 'querystring.since', message: `${since} is not a date and time` }]);
      sinceIso = new Date(ms).toISOString();
    }
    const { items, total } = repo.list(
      { ...(severity ? { severity } : {}), ...(read !== undefined ? { read } : {}), ...(symbol ? { symbol } : {}), ...(sinceIso ? { since: sinceIso } : {}) },
      page,
      pageSize,
    );
    return { items, pagination: { page, pageSize, total } };
  });

  defineRoute(app, 'getUnreadAlertCount', () => repo.unreadCount());

  defineRoute(app, 'markAlertRead', (request) => repo.markRead(request.params.id) ?? throwError(notFound(request.params.id)));

  defineRoute(app, 'acknowledgeAlert', (request) => repo.acknowledge(request.params.id, new Date(now()).toISOString()) ?? throwError(notFound(request.params.id)));

  defineRoute(app, 'markAllAlertsRead', () => ({ updated: repo.markAllRead() }));

  defineRoute(app, 'deleteAlert', (request) => {
    if (!repo.delete(request.params.id)) throw notFound(request.params.id);
    return { deleted: request.params.id };
  });

  defineRoute(app, 'raiseTestAlert', (request) => alerts.raiseTest(request.body.severity, request.body.message));

  defineStreamRoute(app, 'streamAlerts', (request, reply) => hub.connect(request, reply, { topic: 'alerts' }));
}

function throwError(error: Error): never {
  throw error;
}
