/**
 * The alerts module (docs/ARCHITECTURE.md, "Alerts and notifications"): the alert history
 * (migration 7), `AlertService.raise` — where the risk rules put their alerts — publishing each
 * alert once on the `alerts` topic with its notification decision, the routes and the stream.
 * The retention rule runs at start.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from '../../platform/bus';
import type { Db } from '../../platform/db/database';
import type { Module } from '../../platform/module';
import type { SseHub } from '../../platform/sse/hub';
import type { Settings } from '../system/settings-repository';
import type { AlertRetention } from './repository';
import { registerAlertRoutes } from './routes';
import { AlertService } from './service';

export interface AlertDeps {
  db: Db;
  bus: EventBus;
  hub: SseHub;
  settings: () => Settings;
  log: FastifyBaseLogger;
  now?: () => number;
  retention?: AlertRetention;
}

export interface AlertServices {
  alerts: AlertService;
}

export function createAlertsModule(deps: AlertDeps): Module<AlertServices> {
  const now = deps.now ?? Date.now;
  const alerts = new AlertService({ db: deps.db, bus: deps.bus, settings: deps.settings, now, ...(deps.retention ? { retention: deps.retention } : {}) });
  return {
    services: { alerts },
    routes: (app) => registerAlertRoutes(app, { alerts, hub: deps.hub, now }),
    start: () => {
      try {
        const pruned = alerts.prune();
        if (pruned > 0) deps.log.info({ module: 'alerts', pruned }, 'old alerts pruned');
      } catch (err) {
        deps.log.error({ module: 'alerts', err }, 'cannot prune old alerts');
      }
    },
  };
}
