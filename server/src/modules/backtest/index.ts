/**
 * The backtest module: the strategy library, backtests run as `backtest` tasks in the task
 * platform's read lane (kind.ts, job.ts in workers/backtest-worker.ts), their events on the
 * `backtest` SSE topic (stream.ts) and their stored results (results-repository.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import workerPath from '../../workers/backtest-worker?modulePath';
import type { EventBus } from '../../platform/bus';
import type { Db } from '../../platform/db/database';
import type { Module } from '../../platform/module';
import type { SseHub } from '../../platform/sse/hub';
import type { TaskService } from '../../platform/tasks/service';
import type { MarketRepository } from '../market/repository';
import { backtestKind } from './kind';
import { BacktestResults } from './results-repository';
import { registerBacktestRoutes } from './routes';
import { bridgeBacktestEvents } from './stream';

export interface BacktestDeps {
  db: Db;
  bus: EventBus;
  hub: SseHub;
  tasks: TaskService;
  market: MarketRepository;
  log: FastifyBaseLogger;
  now?: () => number;
}

export interface BacktestServices {
  backtestResults: BacktestResults;
}

export function createBacktestModule(deps: BacktestDeps): Module<BacktestServices> {
  const results = new BacktestResults(deps.db, deps.now);
  deps.tasks.register(backtestKind(workerPath, results, (err) => deps.log.error({ module: 'backtest', err }, 'cannot store a backtest result')));
  const unbridge = bridgeBacktestEvents(deps.bus);
  return {
    services: { backtestResults: results },
    routes: (app) => registerBacktestRoutes(app, { tasks: deps.tasks, hub: deps.hub, results, market: deps.market }),
    close: () => unbridge(),
  };
}
