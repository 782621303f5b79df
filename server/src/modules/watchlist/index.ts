/** The watchlist module: ordered lists of symbols. */
import type { Db } from '../../platform/db/database';
import type { Module } from '../../platform/module';
import { WatchlistRepository } from './repository';
import { registerWatchlistRoutes } from './routes';

export function createWatchlistModule(deps: { db: Db }): Module<{ watchlists: WatchlistRepository }> {
  const watchlists = new WatchlistRepository(deps.db);
  return { services: { watchlists }, routes: (app) => registerWatchlistRoutes(app, watchlists) };
}
