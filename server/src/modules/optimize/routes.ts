/**
 * Optimize routes, HTTP only: runs queued as `optimization` tasks (202), stored optimizations
 * (list, get, delete), their trials (pages, heatmap), a trial run again as a normal backtest, and
 * one run's event stream.
 */
import type { FastifyInstance } from 'fastify';
import { ENGINE_VERSION } from '../../engine/backtest/version';
import { defineRoute, defineStreamRoute } from '../../platform/contract';
import { AppError } from '../../platform/errors';
import type { SseHub } from '../../platform/sse/hub';
import type { TaskService } from '../../platform/tasks/service';
import { isFinal } from '../../platform/tasks/types';
import type { MarketRepository } from '../market/repository';
import type { Settings } from '../system/settings-repository';
import { configuredRedisUrl } from './executors';
import { optimizationConfig, trialConfig, type OptimizationConfig } from './config';
import { toEntry, type OptimizationRepository, type OptimizationRow, type Overfitting } from './repository';
import { optimizeEvents } from './stream';
import type { WalkForwardRepository } from './walk-forward-repository';

export interface OptimizeRouteDeps {
  tasks: TaskService;
  hub: SseHub;
  repo: OptimizationRepository;
  market: MarketRepository;
  walkForward?: WalkForwardRepository;
  /** The settings now (`distributed`: where a run goes by default). */
  settings?: () => Settings;
}

export function registerOptimizeRoutes(app: FastifyInstance, deps: OptimizeRouteDeps): void {
  const { tasks, hub, repo, market } = deps;
  const notFound = (id: string, field = 'params.id') => new AppError('OPTIMIZATION_NOT_FOUND', [{ field, message: `no optimization ${id}` }]);
  const rowOf = (id: string): OptimizationRow => {
    const row = repo.get(id);
    if (!row) throw notFound(id);
    return row;
  };
  const meta = (row: OptimizationRow) => {
    const best = repo.top(row.id, 1)[0];
    return {
      id: row.id,
      taskId: row.task_id,
      name: row.name,
      createdAt: row.created_at,
      strategy: row.strategy,
      symbols: JSON.parse(row.symbols) as string[],
      method: row.method,
      objective: row.objective as OptimizationConfig['objective'],
      trialsTotal: row.trials_total ?? 0,
      trialsDone: repo.counts(row.id).done,
      state: tasks.get(row.task_id)?.state ?? null,
      best: best ? toEntry(best) : null,
    };
  };

  defineRoute(app, 'runOptimization', (request) => {
    const config = optimizationConfig(request.body);
    // Where it runs is decided now and kept on retry: Redis when the settings enable it, unless the request says.
    const redis = deps.settings ? configuredRedisUrl(deps.settings()) !== undefined : false;
    if (config.executor === 'redis' && !redis) throw new AppError('VALIDATION_ERROR', [{ field: 'body.executor', message: 'distributed trials are not enabled in the settings (a Redis URL)' }]);
    config.executor ??= redis ? 'redis' : 'local';
    config.symbols.forEach((symbol, i) => {
      if (!market.getInstrument(symbol)) throw new AppError('SYMBOL_NOT_FOUND', [{ field: `body.symbols.${i}`, message: `${symbol} is not in the cache` }]);
    });
    // The row first (the kind's params check finds it), then the task, then the row names its task.
    const id = repo.create({ taskId: '', config, engineVersion: ENGINE_VERSION });
    try {
      const task = tasks.submit('optimization', { optimizationId: id, config });
      repo.setTask(id, task.id);
      return task;
    } catch (err) {
      repo.delete(id);
      throw err;
    }
  });

  defineRoute(app, 'listOptimizations', (request) => {
    const { page = 1, pageSize = 100 } = request.query;
    const { rows, total } = repo.list(page, pageSize);
    return { items: rows.map(meta), pagination: { page, pageSize, total } };
  });

  defineRoute(app, 'getOptimization', (request) => {
    const row = rowOf(request.params.id);
    const config = JSON.parse(row.config) as OptimizationConfig;
    return {
      meta: meta(row),
      config,
      eligibleTrials: repo.counts(row.id).eligible,
      fingerprint: row.fingerprint,
      engineVersion: row.engine_version,
      leaderboard: repo.top(row.id, config.topN),
      overfitting: row.overfitting ? (JSON.parse(row.overfitting) as Overfitting) : null,
      walkForward: deps.walkForward?.result(row.id, config) ?? null,
    };
  });

  defineRoute(app, 'deleteOptimization', (request) => {
    const row = rowOf(request.params.id);
    const task = tasks.get(row.task_id);
    if (task && !isFinal(task.state)) throw new AppError('TASK_NOT_FINISHED', [{ field: 'params.id', message: `optimization ${row.id} is ${task.state}; cancel it first` }]);
    repo.delete(row.id);
    return { deleted: row.id };
  });

  defineRoute(app, 'listOptimizationTrials', (request) => {
    const row = rowOf(request.params.id);
    const { sort = 'objective', page = 1, pageSize = 100 } = request.query;
    return { items: repo.trials(row.id, sort, page, pageSize), pagination: { page, pageSize, total: repo.counts(row.id).done } };
  });

  defineRoute(app, 'getOptimizationHeatmap', (request) => {
    const row = rowOf(request.params.id);
    const { x, y } = request.query;
    const ranges = (JSON.parse(row.config) as OptimizationConfig).ranges;
    for (const [name, field] of [[x, 'querystring.x'], [y, 'querystring.y']] as const) {
      if (!(name in ranges)) throw new AppError('VALIDATION_ERROR', [{ field, message: `${name} is not a searched parameter (${Object.keys(ranges).join(', ')})` }]);
    }
    if (x === y) throw new AppError('VALIDATION_ERROR', [{ field: 'querystring.y', message: 'x and y must be two different parameters' }]);
    const cells = repo.heatmap(row.id, x, y);
    const xValues = [...new Set(cells.map((c) => c.x))].sort((a, b) => a - b);
    const yValues = [...new Set(cells.map((c) => c.y))].sort((a, b) => a - b);
    const values = yValues.map(() => xValues.map((): number | null => null));
    const trials = yValues.map(() => xValues.map((): number | null => null));
    for (const c of cells) {
      values[yValues.indexOf(c.y)]![xValues.indexOf(c.x)] = c.v;
      trials[yValues.indexOf(c.y)]![xValues.indexOf(c.x)] = c.index;
    }
    return { x, y, xValues, yValues, values, trials };
  });

  defineRoute(app, 'backtestOptimizationTrial', (request) => {
    const row = rowOf(request.params.id);
    const trial = repo.trial(row.id, request.params.index);
    if (!trial) throw new AppError('OPTIMIZATION_NOT_FOUND', [{ field: 'params.index', message: `optimization ${row.id} has no trial ${request.params.index}` }]);
    const config = trialConfig(JSON.parse(row.config) as OptimizationConfig, trial.params);
    config.symbols.forEach((symbol, i) => {
      if (!market.getInstrument(symbol)) throw new AppError('SYMBOL_NOT_FOUND', [{ field: `config.symbols.${i}`, message: `${symbol} is no longer in the cache` }]);
    });
    return tasks.submit('backtest', config);
  });

  defineStreamRoute(app, 'streamOptimization', (request, reply) => {
    const { taskId } = request.params;
    const task = tasks.get(taskId);
    if (!task || task.kind !== 'optimization') throw new AppError('TASK_NOT_FOUND', [{ field: 'params.taskId', message: `no optimization task ${taskId}` }]);
    const resuming = request.headers['last-event-id'] !== undefined || request.query.lastEventId !== undefined;
    hub.connect(request, reply, {
      topic: 'optimize',
      filter: (event, data) => !event.startsWith('optimization') || (data as { taskId: string }).taskId === taskId,
      ...(resuming ? {} : { initial: optimizeEvents(task) }),
    });
  });
}
