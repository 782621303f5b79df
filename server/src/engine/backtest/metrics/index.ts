/**
 * Backtest metrics: `computeMetrics(input)` from a daily equity curve, an optional benchmark, the
 * round trips, fills and daily exposure. Pure and deterministic; every definition is in
 * docs/METRICS.md. O(n) per metric (O(n log n) for the VaR percentile).
 */
import { percentile, moments } from '../../stats/distribution';
import { drawdownSeries, longestDrawdownDays, maxDrawdown } from './drawdown';
import { activeRisk, alphaBeta, calmar, downsideDeviation, probabilisticSharpe, sharpe, sortino, volatility } from './ratios';
import { alignBenchmark, annualReturn, checkDates, checkFinite, checkPositive, dailyRate, rebase, simpleReturns, totalReturn } from './returns';
import { monthlyReturns } from './monthly';
import { dayWinRate, meanExposure, tradeStats, turnover } from './trades';
import type { BacktestMetrics, MetricsInput } from './types';

export type * from './types';
export { erfc, normalCdf, percentile } from '../../stats/distribution';
export { TRADING_DAYS } from './returns';

/** A finite number or null. */
const finite = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : x);

/**
 * All metrics of one backtest. Throws a RangeError for malformed input: no dates, dates not
 * YYYY-MM-DD or not strictly increasing, equity (or benchmark closes) not finite and > 0, aligned
 * series of different lengths, or a non-finite exposure, trade P&L, holding days or fill value.
 */
export function computeMetrics(input: MetricsInput): BacktestMetrics {
  const { dates } = input;
  const n = dates.length;
  if (n === 0) throw new RangeError('dates must not be empty');
  if (input.equity.length !== n) throw new RangeError(`equity has ${input.equity.length} values for ${n} dates`);
  checkDates('dates', dates);
  checkPositive('equity', input.equity);
  const riskFree = input.riskFree ?? 0;
  if (!(Number.isFinite(riskFree) && riskFree > -1)) throw new RangeError(`riskFree must be a finite number > −1, got ${riskFree}`);
  const psrTarget = input.psrTargetSharpe ?? 0;
  if (!Number.isFinite(psrTarget)) throw new RangeError(`psrTargetSharpe must be finite, got ${psrTarget}`);
  const exposureIn = input.exposure ?? null;
  if (exposureIn !== null) {
    if (exposureIn.length !== n) throw new RangeError(`exposure has ${exposureIn.length} values for ${n} dates`);
    checkFinite('exposure', exposureIn);
  }
  const tradeList = input.trades ?? [];
  checkFinite('trades.pnl', tradeList.map((t) => t.pnl));
  checkFinite('trades.holdingDays', tradeList.map((t) => t.holdingDays));
  const fills = input.fills ?? [];
  checkFinite('fills.value', fills.map((f) => f.value));

  const equity = Float64Array.from(input.equity);
  const rfDaily = dailyRate(riskFree);
  const periods = n - 1;
  const returns = simpleReturns(equity);

  let benchmark: Float64Array | null = null;
  let benchReturns: Float64Array | null = null;
  if (input.benchmark) {
    const b = input.benchmark;
    if (b.close.length !== b.dates.length) throw new RangeError(`benchmark has ${b.close.length} closes for ${b.dates.length} dates`);
    checkDates('benchmark.dates', b.dates);
    checkPositive('benchmark.close', b.close);
    const aligned = alignBenchmark(dates, b.dates, b.close);
    if (aligned !== null) {
      benchmark = rebase(aligned, equity[0]!);
      benchReturns = simpleReturns(aligned);
    }
  }

  const total = totalReturn(equity);
  const annual = finite(annualReturn(total, periods));
  const benchTotal = benchmark === null ? null : totalReturn(benchmark);
  const benchAnnual = finite(annualReturn(benchTotal, periods));
  const dd = maxDrawdown(dates, equity);
  const ab = benchReturns === null ? null : alphaBeta(returns, benchReturns, rfDaily);
  const active = benchReturns === null ? null : activeRisk(returns, benchReturns);
  const trades = tradeStats(tradeList);
  const m = moments(returns);

  return {
    startDate: dates[0]!,
    endDate: dates[n - 1]!,
    periods,
    riskFree,
    totalReturn: total,
    annualReturn: annual,
    benchmarkTotalReturn: benchTotal,
    benchmarkAnnualReturn: benchAnnual,
    excessReturn: total === null || benchTotal === null ? null : (1 + total) / (1 + benchTotal) - 1,
    annualExcessReturn: annual === null || benchAnnual === null ? null : finite((1 + annual) / (1 + benchAnnual) - 1),
    alpha: ab === null ? null : finite(ab.alpha),
    beta: ab?.beta ?? null,
    sharpe: sharpe(returns, rfDaily),
    sortino: sortino(returns, rfDaily),
    calmar: calmar(annual, dd?.value ?? null),
    informationRatio: active?.informationRatio ?? null,
    trackingError: active?.trackingError ?? null,
    volatility: volatility(returns),
    benchmarkVolatility: benchReturns === null ? null : volatility(benchReturns),
    downsideDeviation: downsideDeviation(returns, rfDaily),
    maxDrawdown: dd,
    longestDrawdownDays: longestDrawdownDays(equity),
    ...trades,
    dayWinRate: dayWinRate(returns),
    turnover: turnover(fills, equity, periods),
    exposure: exposureIn === null ? null : meanExposure(exposureIn),
    var95: returns.length < 2 ? null : percentile(returns, 5),
    skewness: m?.skewness ?? null,
    kurtosis: m?.kurtosis ?? null,
    probabilisticSharpe: probabilisticSharpe(returns, rfDaily, psrTarget),
    series: { dates, equity, benchmark, drawdown: drawdownSeries(equity), returns, benchmarkReturns: benchReturns },
    monthly: monthlyReturns(dates, returns),
  };
}
