/**
 * Trade and activity statistics: win rates, payoff ratio (盈亏比), profit factor, expectancy,
 * holding days, turnover and exposure.
 */
import { TRADING_DAYS } from './returns';
import type { FillValue, RoundTrip } from './types';

export interface TradeStats {
  tradeCount: number;
  /** Trades with pnl > 0 / all trades. */
  winRate: number | null;
  /** Mean winning pnl / |mean losing pnl|. */
  payoffRatio: number | null;
  /** Σ winning pnl / |Σ losing pnl|. */
  profitFactor: number | null;
  /** Mean pnl per trade, in the unit of pnl. */
  expectancy: number | null;
  avgHoldingDays: number | null;
}

/** One pass over the round trips. A trade with pnl 0 counts as a trade, neither a win nor a loss. */
export function tradeStats(trades: readonly RoundTrip[]): TradeStats {
  const n = trades.length;
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  let pnl = 0;
  let holding = 0;
  for (const t of trades) {
    pnl += t.pnl;
    holding += t.holdingDays;
    if (t.pnl > 0) {
      wins++;
      grossProfit += t.pnl;
    } else if (t.pnl < 0) {
      losses++;
      grossLoss -= t.pnl;
    }
  }
  return {
    tradeCount: n,
    winRate: n === 0 ? null : wins / n,
    payoffRatio: wins === 0 || losses === 0 ? null : grossProfit / wins / (grossLoss / losses),
    profitFactor: grossLoss === 0 ? null : grossProfit / grossLoss,
    expectancy: n === 0 ? null : pnl / n,
    avgHoldingDays: n === 0 ? null : holding / n,
  };
}

/** Days with a positive return / days with a non-zero return; null when no day moved. */
export function dayWinRate(returns: Float64Array): number | null {
  let up = 0;
  let moved = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    if (r > 0) up++;
    if (r !== 0) moved++;
  }
  return moved === 0 ? null : up / moved;
}

/**
 * Annualised two-sided turnover: Σ|fill value| / mean equity × 252/periods (buys and sells both
 * count, so buying and selling the whole book once is 2). Null without a period. Same money unit
 * for fills and equity.
 */
export function turnover(fills: readonly FillValue[], equity: ArrayLike<number>, periods: number): number | null {
  const n = equity.length;
  if (periods < 1 || n === 0) return null;
  let traded = 0;
  for (const f of fills) traded += Math.abs(f.value);
  let s = 0;
  for (let i = 0; i < n; i++) s += equity[i]!;
  return (traded / (s / n)) * (TRADING_DAYS / periods);
}

/** Mean of the daily exposure (position value / equity); null for an empty series. */
export function meanExposure(exposure: ArrayLike<number>): number | null {
  const n = exposure.length;
  if (n === 0) return null;
  let s = 0;
  for (let i = 0; i < n; i++) s += exposure[i]!;
  return s / n;
}
