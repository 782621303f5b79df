/**
 * The trading module: paper accounts whose orders are matched against the quotes on the bus
 * (live or replayed) through the engine's Portfolio (book.ts), stored in `paper_accounts`
 * (repository.ts), streamed on the `trades` topic (service.ts). docs/ARCHITECTURE.md, "Paper trading".
 */
import type { Module } from '../../platform/module';
import type { SseHub } from '../../platform/sse/hub';
import { registerTradingRoutes } from './routes';
import { TradingService, type TradingDeps } from './service';

export interface TradingServices {
  trading: TradingService;
}

export function createTradingModule(deps: TradingDeps & { hub: SseHub }): Module<TradingServices> {
  const trading = new TradingService(deps);
  return {
    services: { trading },
    routes: (app) => registerTradingRoutes(app, { trading, hub: deps.hub }),
    start: () => trading.start(),
    close: () => trading.close(),
  };
}
