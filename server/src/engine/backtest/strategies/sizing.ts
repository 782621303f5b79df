/**
 * Order sizing shared by the built-in strategies.
 *
 * All-in (the project's default, and dual-ma's): the most shares the cash buys at the signal bar's
 * close with the commission and transfer-fee rates reserved, rounded down to the board's lot
 * (market/lots.ts roundBuyQuantity: 100-share lots on the main board and ChiNext, 200 + 1-share
 * steps on STAR, 100 + 1 on BSE):
 *   shares = roundBuyQuantity(floor(cash / (close × (1 + commission + transfer))))
 * The order fills at the next bar's open; if the cash cannot cover it there the portfolio rejects
 * it (never resizes). Several buys in one onBar draw on one CashBudget, so a later symbol gets what
 * the earlier ones (in ctx.symbols order) left instead of an order that would be rejected.
 */
import { dayStart } from '../../bars/time';
import { transferFeeRow } from '../../market/costs';
import { roundBuyQuantity } from '../../market/lots';
import { fenToYuan } from '../../market/money';
import { classify, parseSymbol, type Board } from '../../market/symbols';
import type { StrategyContext } from '../strategy';

export function boardOf(symbol: string): Board {
  const parsed = parseSymbol(symbol);
  if (!parsed) throw new RangeError(`not a symbol: ${symbol}`);
  return classify(parsed.code, parsed.exchange).board;
}

/** Yuan still to spend in this onBar. */
export interface CashBudget {
  yuan: number;
}

export const cashBudget = (ctx: StrategyContext): CashBudget => ({ yuan: fenToYuan(ctx.cashFen) });

/** The share rate reserved per yuan of value: 1 + commission + transfer fee (on the bar's day). */
export function costFactor(ctx: StrategyContext, symbol: string, commissionRate: number): number {
  return 1 + commissionRate + transferFeeRow(dayStart(ctx.time), boardOf(symbol)).rate;
}

/** The largest valid buy of `symbol` not above `shares` (0 when even one lot is more). */
export function roundLot(ctx: StrategyContext, symbol: string, shares: number): number {
  return roundBuyQuantity(boardOf(symbol), Math.floor(shares), dayStart(ctx.time));
}

/** The all-in quantity on the current close (see the header), 0 when no lot is affordable. */
export function allInQuantity(ctx: StrategyContext, symbol: string, commissionRate: number, budget: CashBudget): number {
  const close = ctx.bars(symbol).close.at(-1)!;
  if (!(close > 0) || !(budget.yuan > 0)) return 0;
  return roundLot(ctx, symbol, budget.yuan / (close * costFactor(ctx, symbol, commissionRate)));
}

/** Buys `shares` (if any) and takes their reserved cost out of the budget; returns the shares. */
export function buyFromBudget(ctx: StrategyContext, symbol: string, shares: number, commissionRate: number, budget: CashBudget): number {
  if (shares <= 0) return 0;
  const close = ctx.bars(symbol).close.at(-1)!;
  ctx.buy(symbol, shares);
  budget.yuan -= shares * close * costFactor(ctx, symbol, commissionRate);
  return shares;
}

/** Buys all-in (see the header) out of the budget; returns the shares ordered (0: none). */
export function buyAllIn(ctx: StrategyContext, symbol: string, commissionRate: number, budget: CashBudget): number {
  return buyFromBudget(ctx, symbol, allInQuantity(ctx, symbol, commissionRate, budget), commissionRate, budget);
}

/** Sells the whole holding of `symbol` (if any); returns the shares ordered. */
export function sellAll(ctx: StrategyContext, symbol: string): number {
  const held = ctx.position(symbol)?.quantity ?? 0;
  if (held > 0) ctx.sell(symbol, held);
  return held;
}

/** The commission-rate parameter every built-in all-in strategy carries (as dual-ma does). */
export const COMMISSION_PARAM = {
  name: 'commissionRate',
  label: { zh: '预留佣金率', en: 'Commission rate reserved' },
  type: 'number',
  default: 0.00025,
  min: 0,
  max: 0.01,
} as const;
