/** The system module: liveness, health, settings and the log history. */
import type { Db } from '../../platform/db/database';
import type { LogRing } from '../../platform/logging';
import type { Module } from '../../platform/module';
import { registerSystemRoutes } from './routes';
import { SettingsRepository, type Settings } from './settings-repository';

export interface SystemDeps {
  db: Db;
  dbFile: string;
  dataDir: string;
  appVersion: string;
  logs: LogRing;
  /** Applies the settings that take effect at once (the log level): now, and after every change. */
  applySettings: (settings: Settings) => void;
}

export function createSystemModule(deps: SystemDeps): Module<{ settings: SettingsRepository }> {
  const settings = new SettingsRepository(deps.db);
  deps.applySettings(settings.read());
  const health = { db: deps.db, dbFile: deps.dbFile, dataDir: deps.dataDir, appVersion: deps.appVersion, startedAt: new Date() };
  return {
    services: { settings },
    routes: (app) => registerSystemRoutes(app, { health, settings, logs: deps.logs, onSettingsChanged: deps.applySettings }),
  };
}
