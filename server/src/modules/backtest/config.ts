/**
 * A backtest request made into the configuration a run uses (contracts/backtest.yaml,
 * BacktestConfig): every default filled in, the strategy's parameters checked against its schema
 * and its cross-parameter rules, the dates checked. The config is the task's params and is stored
 * with the result, so the same config names the same run.
 */
import type { components } from '../../../../contracts/gen/api';
import { parseTimeString } from '../../engine/bars/time';
import { findStrategy } from '../../engine/backtest/strategies';
import { resolveStrategyParams } from '../../engine/backtest/strategy';
import { AppError } from '../../platform/errors';

export type BacktestRequest = components['schemas']['BacktestRequest'];
export type BacktestConfig = components['schemas']['BacktestConfig'];

export const DEFAULTS = {
  period: 'day',
  adjust: 'qfq',
  initialCash: 1_000_000,
  commissionRate: 0.00025,
  minCommission: 5,
  fillModel: 'next-open',
  benchmark: '000001.SH',
  riskFree: 0,
} as const;

function checkDate(value: string, field: string): void {
  // The pattern is checked by the contract; the calendar date itself here (2025-02-30 is not one).
  if (parseTimeString(value) === undefined) throw new AppError('DATE_INVALID', [{ field, message: `${value} is not a real date` }]);
}

/** The request with its defaults, checked; throws AppError (5000, 5001, 1200, 1201) when it does not fit. */
export function backtestConfig(request: BacktestRequest): BacktestConfig {
  const def = findStrategy(request.strategy);
  if (!def) throw new AppError('STRATEGY_NOT_FOUND', [{ field: 'body.strategy', message: `no strategy ${request.strategy}` }]);
  const costs: Partial<NonNullable<BacktestRequest['costs']>> = request.costs ?? {};
  // A strategy that sizes with the commission rate (all-in lots) takes the run's rate unless given its own.
  const given = { ...request.params };
  if (given.commissionRate === undefined && def.params.some((p) => p.name === 'commissionRate')) given.commissionRate = costs.commissionRate ?? DEFAULTS.commissionRate;
  let params: Record<string, number>;
  try {
    params = resolveStrategyParams(def, given);
    def.create(params);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new AppError('STRATEGY_INVALID', [{ field: 'body.params', message: err.message }]);
  }
  checkDate(request.start, 'body.start');
  checkDate(request.end, 'body.end');
  if (request.start > request.end) throw new AppError('DATE_RANGE_INVALID', [{ field: 'body.start', message: 'start is after end' }]);

  const slippage = costs.slippage ?? { kind: 'none' };
  if (slippage.kind !== 'none' && slippage.value === undefined) {
    throw new AppError('VALUE_INVALID', [{ field: 'body.costs.slippage.value', message: `slippage in ${slippage.kind} needs a value` }]);
  }
  const symbols = [...request.symbols];
  const config: BacktestConfig = {
    // The default names the run in no language (the UI shows the strategy's name in its own).
    name: request.name?.trim() || `${def.id} ${symbols.slice(0, 3).join(',')}${symbols.length > 3 ? ` +${symbols.length - 3}` : ''}`,
    strategy: def.id,
    params,
    symbols,
    period: request.period ?? DEFAULTS.period,
    adjust: request.adjust ?? DEFAULTS.adjust,
    start: request.start,
    end: request.end,
    initialCash: request.initialCash ?? DEFAULTS.initialCash,
    costs: {
      commissionRate: costs.commissionRate ?? DEFAULTS.commissionRate,
      minCommission: costs.minCommission ?? DEFAULTS.minCommission,
      slippage: slippage.kind === 'none' ? { kind: 'none' } : { kind: slippage.kind, value: slippage.value! },
    },
    fillModel: request.fillModel ?? DEFAULTS.fillModel,
    ...(request.volumeCap !== undefined ? { volumeCap: request.volumeCap } : {}),
    benchmark: request.benchmark ?? DEFAULTS.benchmark,
    riskFree: request.riskFree ?? DEFAULTS.riskFree,
  };
  return config;
}

/** Params of a persisted task (retry): the stored config is checked again as a request. */
export function checkStoredConfig(raw: unknown): BacktestConfig {
  const c = raw as Partial<BacktestConfig> | null;
  if (typeof c !== 'object' || c === null || typeof c.strategy !== 'string' || !Array.isArray(c.symbols) || typeof c.start !== 'string' || typeof c.end !== 'string') {
    throw new AppError('VALIDATION_ERROR', [{ message: 'backtest task params do not fit BacktestConfig' }]);
  }
  return backtestConfig(c as BacktestRequest);
}
