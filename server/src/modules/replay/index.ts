/**
 * The replay module: cached bars played back as quotes on the `quotes` topic (service.ts), so
 * everything that reacts to quotes works offline.
 */
import type { EventBus } from '../../platform/bus';
import type { Module } from '../../platform/module';
import type { KlineService } from '../market/kline-service';
import type { MarketRepository } from '../market/repository';
import { registerReplayRoutes } from './routes';
import { ReplayService } from './service';

export interface ReplayServices {
  replay: ReplayService;
}

export function createReplayModule(deps: { bus: EventBus; klines: KlineService; market: MarketRepository }): Module<ReplayServices> {
  const replay = new ReplayService(deps);
  return {
    services: { replay },
    routes: (app) => registerReplayRoutes(app, replay),
    close: () => replay.close(),
  };
}
