/**
 * The trading module: paper accounts whose orders are matched against the quotes on the bus
 * (live or replayed) through the engine's Portfolio (book.ts), stored in `paper_accounts`
 * (repository.ts), streamed on the `trades` topic (service.ts). docs/ARCHITECTURE.md, "Paper trading".
 */
import type { EventBus } from '../../platform/bus';
import type { Db } from '../../platform/db/database';
import type { Module } from '../../platform/module';
import type { SseHub } from '../../platform/sse/hub';
import type { MarketRepository } from '../market/repository';
import { registerTradingRoutes } from './routes';
import { TradingService } from './service';

export interface TradingServices {
  trading: TradingService;
}

export function createTradingModule(deps: { db: Db; bus: EventBus; hub: SseHub; market: MarketRepository; now?: () => number }): Module<TradingServices> {
  const trading = new TradingService(deps);
  return {
    services: { trading },
    routes: (app) => registerTradingRoutes(app, { trading, hub: deps.hub }),
    start: () => trading.start(),
    close: () => trading.close(),
  };
}
