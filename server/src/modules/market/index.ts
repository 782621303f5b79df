/**
 * The market module: the market-data cache (instruments, bars, coverage), K-lines served from it
 * and kept filled by the online providers, quotes and their live stream.
 */
import type { EventBus } from '../../platform/bus';
import type { Db } from '../../platform/db/database';
import type { Module } from '../../platform/module';
import type { SseHub } from '../../platform/sse/hub';
import type { FetchLike } from '../../providers/http';
import type { Settings } from '../system/settings-repository';
import { KlineService } from './kline-service';
import { createOnlineMarket, type OnlineMarket, type ProviderTuning } from './online';
import { registerOnlineMarketRoutes } from './quote-routes';
import { MarketRepository } from './repository';
import { registerMarketRoutes } from './routes';

export interface MarketDeps {
  db: Db;
  bus: EventBus;
  hub: SseHub;
  settings: () => Settings;
  fetch?: FetchLike;
  now?: () => number;
  log?: { debug(obj: object, msg: string): void; info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  tuning?: ProviderTuning;
}

export interface MarketServices {
  market: MarketRepository;
  klines: KlineService;
  /** Providers, quote service, K-line filler, quote poller and the trading calendar. */
  online: OnlineMarket;
}

export function createMarketModule(deps: MarketDeps): Module<MarketServices> {
  const market = new MarketRepository(deps.db);
  const online = createOnlineMarket({ db: deps.db, repo: market, bus: deps.bus, settings: deps.settings, fetch: deps.fetch, now: deps.now, log: deps.log, tuning: deps.tuning });
  const klines = new KlineService(market, deps.now, online.filler);
  return {
    services: { market, klines, online },
    routes(app) {
      registerMarketRoutes(app, { repo: market, klines });
      registerOnlineMarketRoutes(app, { hub: deps.hub, repo: market, online });
    },
    // Polling stops before the streams end and the database closes.
    close: () => online.close(),
  };
}
