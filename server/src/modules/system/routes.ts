/** System module routes: liveness, health, settings, log history. HTTP only; work is elsewhere. */
import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../platform/contract';
import type { LogRing } from '../../platform/logging';
import { distributedStatus } from './distributed';
import { measureHealth, type HealthContext } from './health';
import type { Settings, SettingsRepository } from './settings-repository';

export interface SystemRoutesDeps {
  health: HealthContext;
  settings: SettingsRepository;
  logs: LogRing;
  /** Applies settings that take effect at once (the log level). */
  onSettingsChanged: (settings: Settings) => void;
}

export function registerSystemRoutes(app: FastifyInstance, deps: SystemRoutesDeps): void {
  defineRoute(app, 'getLiveness', () => ({ status: 'ok' as const }));

  defineRoute(app, 'getHealth', () => measureHealth(deps.health));

  defineRoute(app, 'getSettings', () => deps.settings.read());

  defineRoute(app, 'updateSettings', (request) => {
    const settings = deps.settings.update(request.body);
    deps.onSettingsChanged(settings);
    request.log.info({ module: 'system', changed: Object.keys(request.body) }, 'settings updated');
    return settings;
  });

  defineRoute(app, 'resetSettings', (request) => {
    const settings = deps.settings.reset();
    deps.onSettingsChanged(settings);
    request.log.info({ module: 'system' }, 'settings reset to defaults');
    return settings;
  });

  defineRoute(app, 'testDistributed', (request) => distributedStatus(request.body.redisUrl));

  defineRoute(app, 'queryLogs', (request) => {
    const { page = 1, pageSize = 100, level, q, from, to } = request.query;
    const { items, total } = deps.logs.query({ page, pageSize, level, q, from, to });
    return { items, pagination: { page, pageSize, total } };
  });
}
