/**
 * Market routes backed by the online providers: quotes, the market overview, the live quote
 * stream (through the one SSE hub), the instrument-list refresh and the providers' status.
 *
 * The stream takes the symbols the cache (or an earlier quote) knows; unknown ones in the list are
 * ignored, and a list with none known answers 1101. On connect it sends the latest known quote of
 * each symbol once, then `quote` events as they change during trading hours.
 */
import type { FastifyInstance } from 'fastify';
import { defineRoute, defineStreamRoute } from '../../platform/contract';
import { AppError } from '../../platform/errors';
import type { SseHub } from '../../platform/sse/hub';
import type { Quote } from '../../providers/types';
import type { OnlineMarket } from './online';
import type { MarketRepository } from './repository';

function symbolList(text: string): string[] {
  return [...new Set(text.split(',').filter(Boolean))];
}

export function registerOnlineMarketRoutes(app: FastifyInstance, deps: { hub: SseHub; repo: MarketRepository; online: OnlineMarket }): void {
  const { hub, repo, online } = deps;

  defineRoute(app, 'getQuotes', (request) => online.quotes.getQuotes(symbolList(request.query.symbols)));

  defineRoute(app, 'getMarketOverview', () => online.quotes.overview());

  defineRoute(app, 'refreshInstruments', () => online.refreshInstruments());

  defineRoute(app, 'getProviderStatus', () => online.registry.status());

  defineStreamRoute(app, 'streamQuotes', (request, reply) => {
    const asked = symbolList(request.query.symbols);
    const symbols = asked.filter((s) => repo.getInstrument(s) !== undefined || online.quotes.latest.has(s));
    if (symbols.length === 0) {
      throw new AppError('SYMBOL_NOT_FOUND', [{ field: 'querystring.symbols', message: `unknown: ${asked.join(', ')}` }]);
    }
    const wanted = new Set(symbols);
    const unwatch = online.poller.watch(symbols);
    try {
      hub.connect(request, reply, {
        topic: 'quotes',
        filter: (event, data) => event !== 'quote' || wanted.has((data as Quote).symbol),
        initial: online.poller.snapshot(symbols).map((q) => ({ event: 'quote' as const, data: q })),
        onClose: unwatch,
      });
    } catch (err) {
      unwatch();
      throw err;
    }
  });
}
