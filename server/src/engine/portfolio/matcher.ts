/**
 * The fill simulator: given an order and one bar, whether it fills, how many shares and at what
 * price. Pure — it knows nothing of cash or positions (the portfolio checks those) beyond the
 * sellable quantity a partial sell must respect.
 *
 * Fill models (chosen by the caller):
 * - 'next-open' (default): an order decided on bar t trades on bar t+1 — the caller presents it
 *   the next bar. A market order fills at that bar's open. A limit buy fills at the better of open
 *   and limit: at the open when open ≤ limit (a gap down below the limit gives the open), else at
 *   the limit when low ≤ limit (the price crossed it during the bar); a limit sell mirrors it
 *   (open ≥ limit → open, else high ≥ limit → limit). A stop buy triggers when high ≥ stop and
 *   fills at max(open, stop) (a gap up through the stop fills at the open), a stop sell when
 *   low ≤ stop at min(open, stop); after that it is a market order.
 * - 'close': the order trades on the bar it was decided on, at its close: a market order at the
 *   close, a limit buy when close ≤ limit (sell: close ≥ limit), a stop buy when close ≥ stop (sell:
 *   close ≤ stop) — all at the close, since nothing is known of the path within the bar.
 *
 * Then, in order:
 * 1. Suspension: no bar, or a bar without volume, fills nothing ('suspended').
 * 2. Price limit: a buy whose price (before slippage) is at or above limit-up, a sell at or below
 *    limit-down, does not fill ('price-limit'; market/limit-guard.ts).
 * 3. Slippage (market/costs.ts) moves the price against the trader, then the price is kept inside
 *    the bar's [low, high] (nobody traded outside it), strictly inside the limits (a slipped buy
 *    never reaches limit-up), and a limit order never fills beyond its limit.
 * 4. Volume cap (optional, a fraction of the bar's volume in shares): when the remaining quantity
 *    exceeds it, the fill is the largest valid lot within the cap (lots.ts), 'volume-cap' when none.
 */
import type { LimitFen } from '../market/price-limits';
import type { Board } from '../market/symbols';
import type { Slippage } from '../market/costs';
import { applySlippage } from '../market/costs';
import { blockedByLimit } from '../market/limit-guard';
import { roundBuyQuantity, roundSellQuantity } from '../market/lots';
import { toFen } from '../market/money';
import type { OrderType, Side } from './orders';
import type { NoFillReason } from './reasons';

export type FillModel = 'next-open' | 'close';

/** One bar as the data has it: prices in yuan, volume in shares. */
export interface MatchBar {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** What the matcher needs of an order. */
export interface MatchOrder {
  side: Side;
  type: OrderType;
  /** Shares still to fill. */
  remaining: number;
  limitFen?: number;
  stopFen?: number;
  /** A stop order triggered on an earlier bar. */
  triggered?: boolean;
}

export interface MatchContext {
  model: FillModel;
  board: Board;
  /** Bar time of the bar's day (for the lot table). */
  day: number;
  /** The day's limit prices (market/limit-guard.ts `dailyLimitsFen`); none → no limit. */
  limits?: LimitFen;
  slippage?: Slippage;
  /** Fraction of the bar's volume one order may take (0.1 = 10 %); none → no cap. */
  volumeCap?: number;
  /** For sells: the shares the holder can sell (a partial sell must leave a valid remainder rule). */
  sellable?: number;
}

export type MatchResult =
  | { kind: 'fill'; quantity: number; priceFen: number; triggered: boolean }
  | { kind: 'no-fill'; reason: NoFillReason; triggered: boolean };

/** The price the order trades at on this bar before slippage, or why it does not trade. */
function referencePrice(order: MatchOrder, bar: { o: number; h: number; l: number; c: number }, model: FillModel): { price?: number; reason?: NoFillReason; triggered: boolean } {
  const buy = order.side === 'buy';
  let triggered = order.triggered ?? false;
  if (model === 'close') {
    if (order.type === 'limit') {
      const ok = buy ? bar.c <= order.limitFen! : bar.c >= order.limitFen!;
      return ok ? { price: bar.c, triggered } : { reason: 'limit-not-reached', triggered };
    }
    if (order.type === 'stop' && !triggered) {
      triggered = buy ? bar.c >= order.stopFen! : bar.c <= order.stopFen!;
      if (!triggered) return { reason: 'not-triggered', triggered };
    }
    return { price: bar.c, triggered };
  }
  if (order.type === 'limit') {
    const lim = order.limitFen!;
    if (buy) return bar.o <= lim ? { price: bar.o, triggered } : bar.l <= lim ? { price: lim, triggered } : { reason: 'limit-not-reached', triggered };
    return bar.o >= lim ? { price: bar.o, triggered } : bar.h >= lim ? { price: lim, triggered } : { reason: 'limit-not-reached', triggered };
  }
  if (order.type === 'stop' && !triggered) {
    const stop = order.stopFen!;
    if (buy ? bar.h >= stop : bar.l <= stop) return { price: buy ? Math.max(bar.o, stop) : Math.min(bar.o, stop), triggered: true };
    return { reason: 'not-triggered', triggered: false };
  }
  return { price: bar.o, triggered };
}

/** Whether and how `order` fills on `bar` (undefined: no bar that day — suspended). */
export function matchOrder(order: MatchOrder, bar: MatchBar | undefined, ctx: MatchContext): MatchResult {
  const triggered0 = order.triggered ?? false;
  if (!bar || !(bar.volume > 0)) return { kind: 'no-fill', reason: 'suspended', triggered: triggered0 };
  const b = { o: toFen(bar.open), h: toFen(bar.high), l: toFen(bar.low), c: toFen(bar.close) };
  const ref = referencePrice(order, b, ctx.model);
  if (ref.price === undefined) return { kind: 'no-fill', reason: ref.reason!, triggered: ref.triggered };
  const buy = order.side === 'buy';
  if (blockedByLimit(order.side, ref.price, ctx.limits)) return { kind: 'no-fill', reason: 'price-limit', triggered: ref.triggered };

  let price = ctx.slippage ? applySlippage(order.side, ref.price, ctx.slippage) : ref.price;
  price = Math.min(Math.max(price, b.l), b.h);
  if (ctx.limits) price = buy ? Math.min(price, ctx.limits.up - 1) : Math.max(price, ctx.limits.down + 1);
  if (order.type === 'limit') price = buy ? Math.min(price, order.limitFen!) : Math.max(price, order.limitFen!);
  // The clamps never push the price back past the reference: slippage only ever hurts.
  price = buy ? Math.max(price, ref.price) : Math.min(price, ref.price);

  let quantity = order.remaining;
  if (ctx.volumeCap !== undefined) {
    const cap = Math.floor(bar.volume * ctx.volumeCap);
    if (quantity > cap) {
      quantity = buy ? roundBuyQuantity(ctx.board, cap, ctx.day) : roundSellQuantity(ctx.board, cap, ctx.sellable ?? order.remaining, ctx.day);
      if (quantity <= 0) return { kind: 'no-fill', reason: 'volume-cap', triggered: ref.triggered };
    }
  }
  return { kind: 'fill', quantity, priceFen: price, triggered: ref.triggered };
}
