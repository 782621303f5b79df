/** Paper trading routes, HTTP only: accounts, orders, fills, positions, statistics, a symbol's trading rules, the trades stream. */
import type { FastifyInstance } from 'fastify';
import { defineRoute, defineStreamRoute } from '../../platform/contract';
import type { SseHub } from '../../platform/sse/hub';
import type { PaperFillView, PaperOrderView } from './book';
import type { TradingService } from './service';

export function registerTradingRoutes(app: FastifyInstance, deps: { trading: TradingService; hub: SseHub }): void {
  const { trading, hub } = deps;

  defineRoute(app, 'listPaperAccounts', () => trading.list());
  defineRoute(app, 'createPaperAccount', (request) => trading.create(request.body));
  defineRoute(app, 'getPaperAccount', (request) => trading.book(request.params.id).account());
  defineRoute(app, 'deletePaperAccount', (request) => {
    trading.delete(request.params.id);
    return null;
  });
  defineRoute(app, 'resetPaperAccount', (request) => trading.reset(request.params.id));

  defineRoute(app, 'listPaperOrders', (request) => {
    const { status, symbol, day } = request.query;
    return trading.book(request.params.id).orders({ ...(status ? { status } : {}), ...(symbol ? { symbol } : {}), ...(day ? { day } : {}) });
  });
  defineRoute(app, 'placePaperOrder', (request) => trading.place(request.params.id, request.body));
  defineRoute(app, 'cancelPaperOrder', (request) => trading.cancel(request.params.id, request.params.orderId));
  defineRoute(app, 'listPaperFills', (request) => {
    const { symbol, day } = request.query;
    return trading.book(request.params.id).fills({ ...(symbol ? { symbol } : {}), ...(day ? { day } : {}) });
  });
  defineRoute(app, 'listPaperPositions', (request) => trading.book(request.params.id).positions());
  defineRoute(app, 'getPaperStatistics', (request) => trading.book(request.params.id).statistics());
  defineRoute(app, 'getTradingRules', (request) => trading.rules(request.query.symbol, request.query.accountId));

  defineStreamRoute(app, 'streamTrades', (request, reply) => {
    const { accountId } = request.query;
    if (accountId !== undefined) trading.book(accountId);
    hub.connect(request, reply, {
      topic: 'trades',
      ...(accountId !== undefined ? { filter: (_event: string, data: unknown) => (data as PaperOrderView | PaperFillView).accountId === accountId } : {}),
    });
  });
}
