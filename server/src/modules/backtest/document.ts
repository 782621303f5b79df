/**
 * The result document of a run (contracts/backtest.yaml, BacktestDocument): the config, the bars
 * fingerprint, the engine version, every metric (engine/backtest/metrics, docs/METRICS.md), the
 * daily series, the monthly table, and the orders, fills, round trips and final positions with
 * their costs. Pure: the same run gives the same document, and JSON.stringify of it the same bytes.
 *
 * Money stays integer fen where the ledger keeps it (`…Fen`); prices and the equity series are
 * yuan. Metrics take money in yuan, so the expectancy comes out in yuan.
 */
import type { components } from '../../../../contracts/gen/api';
import type { BacktestRun, BacktestSymbolData } from '../../engine/backtest/engine';
import { computeMetrics, type BacktestMetrics } from '../../engine/backtest/metrics';
import { ENGINE_VERSION } from '../../engine/backtest/version';
import { barsUpTo } from '../../engine/bars/series';
import { formatDate } from '../../engine/bars/time';
import { tradeValueFen } from '../../engine/market/costs';
import { toFen } from '../../engine/market/money';
import type { BacktestConfig } from './config';

export type BacktestDocument = components['schemas']['BacktestDocument'];
type ApiMetrics = components['schemas']['BacktestMetrics'];

export interface BenchmarkSeries {
  symbol: string;
  dates: string[];
  close: number[];
}

const yuan = (fen: number): number => fen / 100;

/** The metrics without their series (the document carries the series apart). */
function apiMetrics(m: BacktestMetrics): ApiMetrics {
  const { series: _series, monthly: _monthly, ...rest } = m;
  return rest;
}

export function buildDocument(
  config: BacktestConfig,
  run: BacktestRun,
  extra: { fingerprint: string; benchmark: BenchmarkSeries | null; warnings: string[]; bars: readonly BacktestSymbolData[] },
): BacktestDocument {
  const { equity } = run;
  const metrics = computeMetrics({
    dates: equity.dates,
    equity: equity.equityFen.map(yuan),
    benchmark: extra.benchmark,
    trades: run.trades.map((t) => ({ ...t, entryValue: yuan(t.entryValue), exitValue: yuan(t.exitValue), pnl: yuan(t.pnl) })),
    fills: run.fills.map((f) => ({ value: yuan(f.valueFen) })),
    exposure: equity.exposure,
    riskFree: config.riskFree,
  });

  const lastClose = new Map<string, number>();
  for (const d of extra.bars) {
    // The last day's last bar (minute bars of that day too).
    const end = barsUpTo(d.bars, (equity.times.at(-1) ?? -Infinity) + 86_399);
    if (end > 0) lastClose.set(d.symbol, d.bars.close[end - 1]!);
  }

  return {
    engineVersion: ENGINE_VERSION,
    fingerprint: extra.fingerprint,
    config,
    metrics: apiMetrics(metrics),
    series: {
      dates: [...equity.dates],
      equity: Array.from(metrics.series.equity),
      benchmark: metrics.series.benchmark ? Array.from(metrics.series.benchmark) : null,
      drawdown: Array.from(metrics.series.drawdown),
      cash: equity.cashFen.map(yuan),
      exposure: [...equity.exposure],
    },
    monthly: metrics.monthly,
    orders: run.orders.map((o) => ({
      id: o.id,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      quantity: o.quantity,
      ...(o.limitFen !== undefined ? { limitPrice: yuan(o.limitFen) } : {}),
      ...(o.stopFen !== undefined ? { stopPrice: yuan(o.stopFen) } : {}),
      submitted: formatDate(o.submittedDay),
      status: o.status,
      filledQuantity: o.filledQuantity,
      ...(o.reason ? { reason: o.reason } : {}),
    })),
    fills: run.fills.map((f) => ({
      id: f.id,
      orderId: f.orderId,
      symbol: f.symbol,
      side: f.side,
      date: formatDate(f.day),
      quantity: f.quantity,
      price: yuan(f.priceFen),
      valueFen: f.valueFen,
      commissionFen: f.commissionFen,
      stampDutyFen: f.stampDutyFen,
      transferFeeFen: f.transferFeeFen,
      cashFen: f.cashFen,
    })),
    trades: run.trades.map((t) => ({
      symbol: t.symbol,
      entryDate: t.entryDate,
      exitDate: t.exitDate,
      quantity: t.quantity,
      entryValueFen: t.entryValue,
      exitValueFen: t.exitValue,
      pnlFen: t.pnl,
      ...(t.entryValue > 0 ? { returnPct: t.pnl / t.entryValue } : {}),
      holdingDays: t.holdingDays,
      commissionFen: t.commissionFen,
      stampDutyFen: t.stampDutyFen,
      transferFeeFen: t.transferFeeFen,
    })),
    positions: run.positions
      .filter((p) => p.quantity > 0)
      .map((p) => {
        const close = lastClose.get(p.symbol) ?? NaN;
        return { symbol: p.symbol, quantity: p.quantity, costFen: p.costFen, lastPrice: close, valueFen: Number.isFinite(close) ? tradeValueFen(p.quantity, toFen(close)) : 0 };
      }),
    markers: run.fills.map((f) => ({ symbol: f.symbol, time: formatDate(f.day), side: f.side, price: yuan(f.priceFen), quantity: f.quantity })),
    finalCashFen: run.finalCashFen,
    finalEquityFen: run.finalEquityFen,
    barsProcessed: run.barsProcessed,
    warnings: extra.warnings,
  };
}
