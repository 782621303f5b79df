/** Indicators module routes: the registry, calculations, saved sets and technical signals. */
import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../platform/contract';
import type { IndicatorService } from './service';
import type { IndicatorSetRepository } from './sets-repository';
import type { SignalService } from './signals';

export function registerIndicatorRoutes(app: FastifyInstance, deps: { indicators: IndicatorService; sets: IndicatorSetRepository; signals: SignalService }): void {
  const { indicators, sets, signals } = deps;
  // The registry never changes while the server runs.
  const registry = indicators.list();
  defineRoute(app, 'getIndicatorRegistry', () => registry);
  defineRoute(app, 'calculateIndicators', (request) => indicators.calculate(request.body));
  defineRoute(app, 'calculateIndicatorsBatch', (request) => indicators.batch(request.body));
  defineRoute(app, 'listIndicatorSets', () => sets.list());
  defineRoute(app, 'createIndicatorSet', (request) => {
    indicators.check(request.body.indicators, request.body.convention);
    return sets.create(request.body);
  });
  defineRoute(app, 'replaceIndicatorSet', (request) => {
    indicators.check(request.body.indicators, request.body.convention);
    return sets.replace(request.params.id, request.body);
  });
  defineRoute(app, 'deleteIndicatorSet', (request) => {
    sets.remove(request.params.id);
    return { id: request.params.id };
  });
  defineRoute(app, 'getTechnicalSignals', (request) => signals.signals({ ...request.query, symbol: request.params.symbol, period: request.query.period ?? 'day' }));
}
