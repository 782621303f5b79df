/** Watchlist routes: CRUD on ordered lists of symbols. */
import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../platform/contract';
import type { WatchlistRepository } from './repository';

export function registerWatchlistRoutes(app: FastifyInstance, repo: WatchlistRepository): void {
  defineRoute(app, 'listWatchlists', () => repo.list());
  defineRoute(app, 'createWatchlist', (request) => repo.create(request.body.name, request.body.symbols));
  defineRoute(app, 'updateWatchlist', (request) => repo.update(request.params.id, request.body));
  defineRoute(app, 'deleteWatchlist', (request) => {
    repo.remove(request.params.id);
    return null;
  });
  defineRoute(app, 'addWatchlistItem', (request) => repo.addSymbol(request.params.id, request.body.symbol, request.body.position));
  defineRoute(app, 'removeWatchlistItem', (request) => repo.removeSymbol(request.params.id, request.params.symbol));
}
