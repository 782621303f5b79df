/**
 * An optimization request made into the configuration it runs (contracts/optimize.yaml,
 * OptimizationConfig): the backtest fields with the backtest's defaults (modules/backtest/config.ts
 * fills and checks them, through a trial's config), the ranges checked against the strategy's
 * parameter schema by the search space (engine/optimize/search.ts), the grid's size capped, and at
 * least one combination the strategy's rules accept. Also: a trial's BacktestConfig — exactly what
 * POST /api/backtest/run makes of the same fields and params, so a trial's document is the
 * standalone backtest's byte for byte.
 */
import type { components } from '../../../../contracts/gen/api';
import { findStrategy } from '../../engine/backtest/strategies';
import type { StrategyDefinition } from '../../engine/backtest/strategy';
import { gridSize, gridTrials, searchSpace, type ParamGrid, type SearchSpace } from '../../engine/optimize/search';
import { AppError } from '../../platform/errors';
import { backtestConfig, DEFAULTS, type BacktestConfig, type BacktestRequest } from '../backtest/config';

export type OptimizationRequest = components['schemas']['OptimizationRequest'];
export type OptimizationConfig = components['schemas']['OptimizationConfig'];
export type OptimizationTaskParams = components['schemas']['OptimizationTaskParams'];

/** The largest grid an optimization may search (before the strategy's rules). */
export const MAX_GRID = 1_000_000;

export const OPTIMIZE_DEFAULTS = { method: 'grid', samples: 100, seed: 1, objective: 'sharpe', minTrades: 0, topN: 20 } as const;

/** A walk-forward's defaults (contracts/optimize.yaml, WalkForwardSettings): about a year in sample, a quarter out. */
export const WALK_FORWARD_DEFAULTS = { mode: 'rolling', inSampleDays: 250, outOfSampleDays: 60 } as const;

function strategyOf(id: string): StrategyDefinition {
  const def = findStrategy(id);
  if (!def) throw new AppError('STRATEGY_NOT_FOUND', [{ field: 'body.strategy', message: `no strategy ${id}` }]);
  return def;
}

/** The search space of a config; RangeErrors of the space become 1001 on the range they name. */
export function spaceOf(config: Pick<OptimizationConfig, 'strategy' | 'ranges' | 'fixed'>): SearchSpace {
  const def = strategyOf(config.strategy);
  const grids: ParamGrid[] = Object.entries(config.ranges).map(([name, r]) => {
    if ('values' in r) return { name, values: r.values };
    const integer = def.params.find((p) => p.name === name)?.type === 'integer';
    if (r.step === undefined && !integer) throw new AppError('VALIDATION_ERROR', [{ field: `body.ranges.${name}.step`, message: `${def.id}.${name} is a number: its range needs a step` }]);
    return { name, min: r.min, max: r.max, step: r.step ?? 1 };
  });
  try {
    return searchSpace(def, grids, config.fixed);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    // search.ts names the parameter as `strategy.name` or `parameter name`.
    const names = (name: string) => err.message.includes(`.${name}`) || err.message.endsWith(` parameter ${name}`);
    const named = Object.keys(config.ranges).find(names);
    const fixedNamed = Object.keys(config.fixed).find(names);
    const field = named ? `body.ranges.${named}` : fixedNamed ? `body.fixed.${fixedNamed}` : 'body.ranges';
    throw new AppError('VALIDATION_ERROR', [{ field, message: err.message }]);
  }
}

/** The backtest fields of an optimization (what every trial shares). */
function backtestFields(config: OptimizationConfig): Omit<BacktestRequest, 'params' | 'name'> {
  return {
    strategy: config.strategy,
    symbols: config.symbols,
    period: config.period as BacktestRequest['period'],
    adjust: config.adjust,
    start: config.start,
    end: config.end,
    initialCash: config.initialCash,
    costs: config.costs,
    fillModel: config.fillModel,
    ...(config.volumeCap !== undefined ? { volumeCap: config.volumeCap } : {}),
    benchmark: config.benchmark,
    riskFree: config.riskFree,
  };
}

/**
 * The BacktestConfig of the trial with these params: the request POST /api/backtest/run would get
 * (the default name, the shared fields, the params) made into its config by the backtest module.
 */
export function trialConfig(config: OptimizationConfig, params: Record<string, number>): BacktestConfig {
  return backtestConfig({ ...backtestFields(config), params });
}

/**
 * The request with its defaults, checked; throws AppError (1001 with the field, 5000, 5001, 1200,
 * 1201) when it does not fit. Counting the trials the rules accept takes a pass over the whole
 * grid (~5 µs a point), which is the worker's job; here only the first accepted one is looked for.
 */
export function optimizationConfig(request: OptimizationRequest): OptimizationConfig {
  const def = strategyOf(request.strategy);
  const method = request.method ?? OPTIMIZE_DEFAULTS.method;
  const config: OptimizationConfig = {
    name: request.name?.trim() || `${def.id} ${request.symbols.slice(0, 3).join(',')}${request.symbols.length > 3 ? ` +${request.symbols.length - 3}` : ''}`,
    strategy: def.id,
    symbols: [...request.symbols],
    period: request.period ?? DEFAULTS.period,
    adjust: request.adjust ?? DEFAULTS.adjust,
    start: request.start,
    end: request.end,
    initialCash: request.initialCash ?? DEFAULTS.initialCash,
    costs: { commissionRate: DEFAULTS.commissionRate, minCommission: DEFAULTS.minCommission, slippage: { kind: 'none' } },
    fillModel: request.fillModel ?? DEFAULTS.fillModel,
    ...(request.volumeCap !== undefined ? { volumeCap: request.volumeCap } : {}),
    benchmark: request.benchmark ?? DEFAULTS.benchmark,
    riskFree: request.riskFree ?? DEFAULTS.riskFree,
    fixed: { ...request.fixed },
    ranges: structuredClone(request.ranges),
    method,
    ...(method === 'random' ? { samples: request.samples ?? OPTIMIZE_DEFAULTS.samples, seed: request.seed ?? OPTIMIZE_DEFAULTS.seed } : {}),
    objective: request.objective ?? OPTIMIZE_DEFAULTS.objective,
    minTrades: request.minTrades ?? OPTIMIZE_DEFAULTS.minTrades,
    topN: request.topN ?? OPTIMIZE_DEFAULTS.topN,
    ...(request.threads !== undefined ? { threads: request.threads } : {}),
    ...(request.executor !== undefined ? { executor: request.executor } : {}),
    ...(request.walkForward ? { walkForward: { ...WALK_FORWARD_DEFAULTS, ...request.walkForward } } : {}),
  };
  const space = spaceOf(config);
  const size = gridSize(space);
  if (size > MAX_GRID) throw new AppError('VALIDATION_ERROR', [{ field: 'body.ranges', message: `the grid has ${size} combinations; at most ${MAX_GRID} are searched` }]);
  const first = gridTrials(space).next();
  if (first.done) throw new AppError('VALIDATION_ERROR', [{ field: 'body.ranges', message: `no combination of the ranges fits ${def.id}'s rules (${(def.constraints ?? []).join(', ')})` }]);
  // The shared fields and costs checked (and the costs' defaults filled) as a backtest's, on the first trial.
  const first_ = backtestConfig({ ...backtestFields({ ...config, costs: request.costs as OptimizationConfig['costs'] }), params: first.value.params });
  config.costs = first_.costs;
  return config;
}

/** Params of a persisted task (retry): the stored config checked again as a request. */
export function checkStoredParams(raw: unknown): OptimizationTaskParams {
  const p = raw as Partial<OptimizationTaskParams> | null;
  if (typeof p !== 'object' || p === null || typeof p.optimizationId !== 'string' || typeof p.config !== 'object' || p.config === null) {
    throw new AppError('VALIDATION_ERROR', [{ message: 'optimization task params do not fit OptimizationTaskParams' }]);
  }
  const { name, costs, ...rest } = p.config;
  return { optimizationId: p.optimizationId, config: optimizationConfig({ ...rest, name, costs } as OptimizationRequest) };
}
