/** The indicators module: the registry, calculations over cached bars, saved sets and signals. */
import { INDICATORS } from '../../engine/indicators';
import type { Db } from '../../platform/db/database';
import type { Module } from '../../platform/module';
import type { KlineService } from '../market/kline-service';
import type { MarketRepository } from '../market/repository';
import { registerIndicatorRoutes } from './routes';
import { IndicatorService } from './service';
import { IndicatorSetRepository } from './sets-repository';
import { SignalService } from './signals';

export interface IndicatorServices {
  indicators: IndicatorService;
  sets: IndicatorSetRepository;
  signals: SignalService;
}

export function createIndicatorsModule(deps: { db: Db; klines: KlineService; market: MarketRepository }): Module<IndicatorServices> {
  const services: IndicatorServices = {
    indicators: new IndicatorService(INDICATORS, deps.klines),
    sets: new IndicatorSetRepository(deps.db),
    signals: new SignalService(deps.klines, deps.market),
  };
  return { services, routes: (app) => registerIndicatorRoutes(app, services) };
}
