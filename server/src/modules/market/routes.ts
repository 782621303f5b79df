/** Market module routes: instrument search and lookup, K-lines. */
import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../platform/contract';
import { AppError } from '../../platform/errors';
import type { KlineService } from './kline-service';
import type { MarketRepository } from './repository';

export function registerMarketRoutes(app: FastifyInstance, deps: { repo: MarketRepository; klines: KlineService }): void {
  defineRoute(app, 'searchInstruments', (request) => deps.repo.search(request.query.q, request.query.limit ?? 20));

  defineRoute(app, 'getInstrument', (request) => {
    const instrument = deps.repo.getInstrument(request.params.symbol);
    if (!instrument) throw new AppError('SYMBOL_NOT_FOUND', [{ field: 'params.symbol', message: `${request.params.symbol} is not in the cache` }]);
    return instrument;
  });

  defineRoute(app, 'getKline', (request) => deps.klines.load(request.query));
}
