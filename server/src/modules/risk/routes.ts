/** Risk routes, HTTP only: rules CRUD and re-arm, and the risk metrics of a paper account. */
import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../platform/contract';
import type { RiskMetricsService } from './metrics';
import type { RiskRuleService } from './service';

export function registerRiskRoutes(app: FastifyInstance, deps: { rules: RiskRuleService; metrics: RiskMetricsService }): void {
  const { rules, metrics } = deps;
  defineRoute(app, 'listRiskRules', (request) => {
    const { enabled, kind, symbol } = request.query;
    return rules.list({ ...(enabled !== undefined ? { enabled } : {}), ...(kind ? { kind } : {}), ...(symbol ? { symbol } : {}) });
  });
  defineRoute(app, 'createRiskRule', (request) => rules.create(request.body));
  defineRoute(app, 'getRiskRule', (request) => rules.get(request.params.id));
  defineRoute(app, 'updateRiskRule', (request) => rules.update(request.params.id, request.body));
  defineRoute(app, 'deleteRiskRule', (request) => {
    rules.remove(request.params.id);
    return { deleted: request.params.id };
  });
  defineRoute(app, 'rearmRiskRule', (request) => rules.rearm(request.params.id));
  defineRoute(app, 'getRiskMetrics', (request) => {
    const { account, index, days } = request.query;
    return metrics.metrics(account, { ...(index ? { index } : {}), ...(days !== undefined ? { days } : {}) });
  });
}
