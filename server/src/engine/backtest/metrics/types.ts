/**
 * Inputs and outputs of the backtest metrics (docs/METRICS.md has every definition). Money may be
 * integer fen or yuan: ratios do not care, and money-valued outputs (expectancy) come back in the
 * unit they went in.
 */

/** One round trip (开仓→平仓), P&L net of every cost (commission, stamp duty, transfer fee). */
export interface RoundTrip {
  entryDate: string;
  exitDate: string;
  quantity: number;
  entryValue: number;
  exitValue: number;
  /** Net P&L: > 0 a win, < 0 a loss, 0 neither (still counted as a trade). */
  pnl: number;
  /** Holding period in trading days, as the engine counts it. */
  holdingDays: number;
}

/** A fill; only its value (price × quantity, either sign) is used, for turnover. */
export interface FillValue {
  value: number;
}

export interface MetricsInput {
  /** Trading dates, YYYY-MM-DD, strictly increasing. dates[0] is the base: the equity before the first return. */
  dates: readonly string[];
  /** Equity at each date's close (> 0, finite), aligned with `dates`. */
  equity: ArrayLike<number>;
  /** Benchmark closes on their own dates (may have gaps or extra dates); forward-filled onto `dates`. */
  benchmark?: { dates: readonly string[]; close: ArrayLike<number> } | null;
  trades?: readonly RoundTrip[];
  fills?: readonly FillValue[];
  /** Position value / equity at each date's close, aligned with `dates`. */
  exposure?: ArrayLike<number> | null;
  /** Annual risk-free rate, e.g. 0.03 (default 0); daily rate (1 + rf)^(1/252) − 1. */
  riskFree?: number;
  /** SR* of the probabilistic Sharpe ratio, annualised (default 0); compared with the daily Sharpe ratio as SR* ÷ √252. */
  psrTargetSharpe?: number;
}

export interface MaxDrawdown {
  /** Most negative equity/peak − 1 (≤ 0); 0 when equity never falls. */
  value: number;
  peakDate: string;
  troughDate: string;
  /** First date at or after the trough whose equity is back to the peak; null if never. */
  recoveryDate: string | null;
  /** Trading days from peak to recovery, or from peak to the last date when not recovered. */
  durationDays: number;
}

export interface MonthlyRow {
  year: number;
  /** Compounded return of each month, January first; null for months without a return. */
  months: (number | null)[];
  /** Compounded return of the year's returns. */
  total: number;
}

export interface MetricsSeries {
  dates: readonly string[];
  equity: Float64Array;
  /** Benchmark forward-filled on `dates` and rebased to equity[0]; null without a benchmark. */
  benchmark: Float64Array | null;
  /** equity/running peak − 1, one per date (≤ 0). */
  drawdown: Float64Array;
  /** returns[i] is the return on dates[i + 1]: equity[i + 1]/equity[i] − 1. */
  returns: Float64Array;
  /** Benchmark returns aligned like `returns`; null without a benchmark. */
  benchmarkReturns: Float64Array | null;
}

/** Every number is finite or null (null: undefined for this input, never NaN or ±Infinity). */
export interface BacktestMetrics {
  startDate: string;
  endDate: string;
  /** Number of daily returns (dates − 1). */
  periods: number;
  riskFree: number;

  totalReturn: number | null;
  annualReturn: number | null;
  benchmarkTotalReturn: number | null;
  benchmarkAnnualReturn: number | null;
  /** (1 + total)/(1 + benchmark total) − 1. */
  excessReturn: number | null;
  /** (1 + annual)/(1 + benchmark annual) − 1. */
  annualExcessReturn: number | null;

  alpha: number | null;
  beta: number | null;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
  informationRatio: number | null;
  trackingError: number | null;

  volatility: number | null;
  benchmarkVolatility: number | null;
  downsideDeviation: number | null;

  maxDrawdown: MaxDrawdown | null;
  /** Longest stretch below a previous peak, in trading days (peak → recovery or end). */
  longestDrawdownDays: number | null;

  tradeCount: number;
  winRate: number | null;
  dayWinRate: number | null;
  payoffRatio: number | null;
  profitFactor: number | null;
  expectancy: number | null;
  avgHoldingDays: number | null;
  turnover: number | null;
  exposure: number | null;

  var95: number | null;
  skewness: number | null;
  kurtosis: number | null;
  probabilisticSharpe: number | null;

  series: MetricsSeries;
  monthly: MonthlyRow[];
}
