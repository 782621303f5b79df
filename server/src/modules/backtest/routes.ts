/**
 * Backtest routes, HTTP only: the strategy library, runs queued as `backtest` tasks (202), stored
 * results (list, get, delete, compare, export) and one run's event stream.
 */
import type { FastifyInstance } from 'fastify';
import type { components } from '../../../../contracts/gen/api';
import { STRATEGIES } from '../../engine/backtest/strategies';
import { defineFileRoute, defineRoute, defineStreamRoute, SerializedJson } from '../../platform/contract';
import { AppError } from '../../platform/errors';
import type { SseHub } from '../../platform/sse/hub';
import type { TaskService } from '../../platform/tasks/service';
import type { MarketRepository } from '../market/repository';
import { backtestConfig } from './config';
import type { BacktestDocument } from './document';
import { tableCsv } from './export';
import type { BacktestResults } from './results-repository';
import { backtestEvent } from './stream';

type StrategyInfo = components['schemas']['StrategyInfo'];
type BacktestResult = components['schemas']['BacktestResult'];

const strategyInfos: StrategyInfo[] = STRATEGIES.map((s) => ({
  id: s.id,
  name: s.name,
  description: s.description,
  params: s.params.map((p) => ({ ...p })),
  presets: s.presets.map((p) => ({ name: p.name, params: { ...p.params } as Record<string, number> })),
  ...(s.constraints ? { constraints: [...s.constraints] } : {}),
  multiSymbol: s.multiSymbol ?? false,
}));

export interface BacktestRouteDeps {
  tasks: TaskService;
  hub: SseHub;
  results: BacktestResults;
  market: MarketRepository;
}

export function registerBacktestRoutes(app: FastifyInstance, deps: BacktestRouteDeps): void {
  const { tasks, hub, results, market } = deps;

  const notFound = (id: string, field = 'params.id') => new AppError('BACKTEST_NOT_FOUND', [{ field, message: `no backtest result ${id}` }]);
  const documentOf = (id: string, field?: string): string => {
    const text = results.document(id);
    if (text === undefined) throw notFound(id, field);
    return text;
  };

  defineRoute(app, 'listStrategies', () => strategyInfos);

  defineRoute(app, 'runBacktest', (request) => {
    const config = backtestConfig(request.body);
    config.symbols.forEach((symbol, i) => {
      if (!market.getInstrument(symbol)) throw new AppError('SYMBOL_NOT_FOUND', [{ field: `body.symbols.${i}`, message: `${symbol} is not in the cache` }]);
    });
    return tasks.submit('backtest', config);
  });

  defineRoute(app, 'listBacktestResults', (request) => {
    const { strategy, symbol, page = 1, pageSize = 100 } = request.query;
    const { items, total } = results.list({ ...(strategy ? { strategy } : {}), ...(symbol ? { symbol } : {}) }, page, pageSize);
    return { items, pagination: { page, pageSize, total } };
  });

  defineRoute(app, 'getBacktestResult', (request) => {
    const { id } = request.params;
    const meta = results.meta(id);
    if (!meta) throw notFound(id);
    // The stored document goes out as its own bytes (never parsed and serialized again).
    return SerializedJson.fromText<BacktestResult>(`{"meta":${JSON.stringify(meta)},"document":${documentOf(id)}}`);
  });

  defineRoute(app, 'deleteBacktestResult', (request) => {
    if (!results.delete(request.params.id)) throw notFound(request.params.id);
    return { deleted: request.params.id };
  });

  defineFileRoute(app, 'exportBacktestResult', (request, reply) => {
    const { id } = request.params;
    const { format, table } = request.query;
    if (format === 'csv' && !table) throw new AppError('VALIDATION_ERROR', [{ field: 'querystring.table', message: 'format=csv needs a table (trades, fills, orders or equity)' }]);
    const text = documentOf(id);
    const base = `backtest-${id.slice(0, 8)}`;
    if (format === 'json') {
      reply.header('Content-Disposition', `attachment; filename="${base}.json"`).type('application/json; charset=utf-8').send(text);
      return;
    }
    const csv = tableCsv(JSON.parse(text) as BacktestDocument, table!);
    reply.header('Content-Disposition', `attachment; filename="${base}-${table}.csv"`).type('text/csv; charset=utf-8').send(csv);
  });

  defineRoute(app, 'compareBacktestResults', (request) => {
    const ids = request.query.ids.split(',');
    if (new Set(ids).size !== ids.length) throw new AppError('VALIDATION_ERROR', [{ field: 'querystring.ids', message: 'the same result is named twice' }]);
    return {
      items: ids.map((id) => {
        const meta = results.meta(id);
        if (!meta) throw notFound(id, 'querystring.ids');
        const doc = JSON.parse(documentOf(id)) as BacktestDocument;
        const base = doc.series.equity[0] ?? 1;
        return { meta, metrics: doc.metrics, dates: doc.series.dates, equity: doc.series.equity.map((v) => v / base) };
      }),
    };
  });

  defineStreamRoute(app, 'streamBacktest', (request, reply) => {
    const { taskId } = request.params;
    const task = tasks.get(taskId);
    if (!task || task.kind !== 'backtest') throw new AppError('TASK_NOT_FOUND', [{ field: 'params.taskId', message: `no backtest task ${taskId}` }]);
    const resuming = request.headers['last-event-id'] !== undefined || request.query.lastEventId !== undefined;
    const current = backtestEvent(task);
    hub.connect(request, reply, {
      topic: 'backtest',
      filter: (event, data) => (event !== 'progress' && event !== 'complete' && event !== 'error') || (data as { taskId: string }).taskId === taskId,
      // A new subscriber starts from the task's state now; a resuming one gets what it missed.
      ...(resuming ? {} : { initial: [current] }),
    });
  });
}
