/**
 * The risk module (docs/ARCHITECTURE.md, "Risk rules and alerts"): risk rules stored in
 * `risk_rules` (migration 9) and evaluated by the rules engine on the bus's quotes, the daily bar
 * closes made from them (bar-closes.ts) and the paper accounts' snapshots (service.ts), raising
 * alerts through the alerts module; and the risk metrics of a paper account (metrics.ts).
 * contracts/risk.yaml.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from '../../platform/bus';
import type { Db } from '../../platform/db/database';
import type { Module } from '../../platform/module';
import type { AlertService } from '../alerts/service';
import type { KlineService } from '../market/kline-service';
import type { ProfileFiller } from '../market/profile-filler';
import type { Adjust } from '../market/repository';
import type { TradingService } from '../trading/service';
import type { WatchlistRepository } from '../watchlist/repository';
import { RiskMetricsService } from './metrics';
import { registerRiskRoutes } from './routes';
import { RiskRuleService } from './service';

export interface RiskDeps {
  db: Db;
  bus: EventBus;
  alerts: AlertService;
  trading: TradingService;
  klines: KlineService;
  /** Industries of the positions (exposure by industry), filled from the providers when online. */
  profiles?: ProfileFiller;
  watchlists: WatchlistRepository;
  /** The running replay's price adjustment (ReplayService.adjust), for the series of replayed bar closes. */
  replayAdjust?: () => Adjust;
  log: FastifyBaseLogger;
  /** The settings' language, for the default alert messages. */
  language?: () => 'zh-CN' | 'en';
  now?: () => number;
  /** How often account rules are evaluated and watchlists re-expanded (ms; default 5 s; 0: only after fills and CRUD). */
  intervalMs?: number;
}

export interface RiskServices {
  riskRules: RiskRuleService;
  riskMetrics: RiskMetricsService;
}

export function createRiskModule(deps: RiskDeps): Module<RiskServices> {
  const riskMetrics = new RiskMetricsService({ trading: deps.trading, klines: deps.klines, ...(deps.profiles ? { profiles: deps.profiles } : {}) });
  const riskRules = new RiskRuleService({ ...deps, metrics: riskMetrics });
  return {
    services: { riskRules, riskMetrics },
    routes: (app) => registerRiskRoutes(app, { rules: riskRules, metrics: riskMetrics }),
    start: () => riskRules.start(),
    close: () => riskRules.close(),
  };
}
