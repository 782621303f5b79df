/**
 * A holding in one stock: total and available (sellable) quantity, cost basis and realized P&L.
 *
 * Definitions (all money integer fen):
 * - `quantity`: shares held; `available`: the part that may be sold today. T+1 (market/settlement.ts):
 *   shares bought today join `available` only at the next trading day's start (`settle`).
 * - `costFen`, the cost basis: what the shares still held cost, buy fees included — each buy adds
 *   its value + commission + stamp duty + transfer fee; each sell removes the sold fraction of it,
 *   costFen × sold / quantity rounded half-up to the fen (all of it when the position closes), so
 *   nothing is lost to rounding over a round trip. Average cost per share = costFen / quantity
 *   (`averageCostFen`, a fraction of a fen).
 * - `realizedPnlFen`: Σ over sells of (value − sell fees − the cost removed): P&L net of every fee.
 *   Unrealized P&L at a price p is quantity × p − costFen.
 */
import type { Fill } from './orders';

export interface Position {
  symbol: string;
  quantity: number;
  available: number;
  costFen: number;
  realizedPnlFen: number;
}

export function emptyPosition(symbol: string): Position {
  return { symbol, quantity: 0, available: 0, costFen: 0, realizedPnlFen: 0 };
}

/** Cost basis per share in fen (fractional), NaN for an empty position. */
export function averageCostFen(p: Position): number {
  return p.quantity > 0 ? p.costFen / p.quantity : NaN;
}

/** ⌊a × b / c⌉ half-up, exact for any integer sizes (BigInt). a, b ≥ 0, c > 0. */
function mulDivHalfUp(a: number, b: number, c: number): number {
  const C = BigInt(c);
  return Number((BigInt(a) * BigInt(b) * 2n + C) / (2n * C));
}

/** The position after a buy fill; `sellableToday` when shares bought may be sold the same day (T+0). */
export function applyBuy(p: Position, fill: Fill, sellableToday: boolean): Position {
  const feesFen = fill.commissionFen + fill.stampDutyFen + fill.transferFeeFen;
  return {
    ...p,
    quantity: p.quantity + fill.quantity,
    available: p.available + (sellableToday ? fill.quantity : 0),
    costFen: p.costFen + fill.valueFen + feesFen,
  };
}

/** The position after a sell fill (fill.quantity ≤ p.available, checked by the caller). */
export function applySell(p: Position, fill: Fill): Position {
  const removed = fill.quantity === p.quantity ? p.costFen : mulDivHalfUp(p.costFen, fill.quantity, p.quantity);
  return {
    ...p,
    quantity: p.quantity - fill.quantity,
    available: p.available - fill.quantity,
    costFen: p.costFen - removed,
    realizedPnlFen: p.realizedPnlFen + fill.cashFen - removed,
  };
}

/** The start of a new trading day: every share held is sellable (T+1 settled). */
export function settle(p: Position): Position {
  return p.available === p.quantity ? p : { ...p, available: p.quantity };
}
