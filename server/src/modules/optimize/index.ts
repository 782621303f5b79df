/**
 * The optimize module (docs/ARCHITECTURE.md, "Optimization"): parameter optimizations run as
 * `optimization` tasks in the task platform's read lane (kind.ts; the coordinator, coordinator.ts,
 * in workers/optimize-worker.ts, runs the trials, trial.ts, on a pool of trial threads,
 * workers/trial-worker.ts), their events on the `optimize` SSE topic (stream.ts) and their stored
 * trials (repository.ts).
 */
import type { FastifyBaseLogger } from 'fastify';
import workerPath from '../../workers/optimize-worker?modulePath';
import trialWorkerPath from '../../workers/trial-worker?modulePath';
import type { EventBus } from '../../platform/bus';
import type { Db } from '../../platform/db/database';
import type { Module } from '../../platform/module';
import type { SseHub } from '../../platform/sse/hub';
import type { TaskService } from '../../platform/tasks/service';
import type { MarketRepository } from '../market/repository';
import type { Settings } from '../system/settings-repository';
import { optimizationKind } from './kind';
import { OptimizationRepository } from './repository';
import { WalkForwardRepository } from './walk-forward-repository';
import { registerOptimizeRoutes } from './routes';
import { bridgeOptimizeEvents } from './stream';

export interface OptimizeDeps {
  db: Db;
  bus: EventBus;
  hub: SseHub;
  tasks: TaskService;
  market: MarketRepository;
  /** The settings now (`distributed`: where a run goes by default). */
  settings?: () => Settings;
  log: FastifyBaseLogger;
  now?: () => number;
}

export interface OptimizeServices {
  optimizations: OptimizationRepository;
}

export function createOptimizeModule(deps: OptimizeDeps): Module<OptimizeServices> {
  const repo = new OptimizationRepository(deps.db, deps.now);
  const walkForward = new WalkForwardRepository(deps.db);
  deps.tasks.register(optimizationKind(workerPath, trialWorkerPath, repo, (err) => deps.log.error({ module: 'optimize', err }, 'cannot store an optimization trial'), walkForward));
  const unbridge = bridgeOptimizeEvents(deps.bus);
  return {
    services: { optimizations: repo },
    routes: (app) => registerOptimizeRoutes(app, { tasks: deps.tasks, hub: deps.hub, repo, market: deps.market, walkForward, settings: deps.settings }),
    close: () => unbridge(),
  };
}
