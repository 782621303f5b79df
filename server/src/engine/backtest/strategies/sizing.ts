/**
 * Order sizing shared by the built-in strategies.
 *
 * All-in (the project's default, and dual-ma's): the most shares the cash buys at the signal bar's
 * close with the commission and transfer-fee rates reserved, rounded down to the board's lot
 * (market/lots.ts roundBuyQuantity: 100-share lots on the main board and ChiNext, 200 + 1-share
 * steps on STAR, 100 + 1 on BSE):
 *   shares = roundBuyQuantity(floor(cash / (close × (1 + commission + transfer))))
 * and, so that a small buy (what is left over after another symbol's) is not refused for the
 * minimum commission (DEFAULT_COSTS: 5 CNY), also at most
 *   floor((cash − minimum commission) / (close × (1 + transfer)))
 * (the commission charged is max(rate × value, minimum); for value × rate ≥ 5 CNY, i.e. buys of
 * 20 000 CNY and more at the default rate, this second bound never binds).
 * The order fills at the next bar's open; if the cash cannot cover it there the portfolio rejects
 * it (never resizes). Several buys in one onBar draw on one CashBudget, so a later symbol gets what
 * the earlier ones (in ctx.symbols order) left instead of an order that would be rejected.
 */
import { dayStart } from '../../bars/time';
import { DEFAULT_COSTS, transferFeeRow } from '../../market/costs';
import { roundBuyQuantity } from '../../market/lots';
import { fenToYuan } from '../../market/money';
import { classify, parseSymbol, type Board } from '../../market/symbols';
import type { StrategyContext } from '../strategy';

/** Boards by symbol, parsed once: sizing asks several times per order. */
const boards = new Map<string, Board>();

export function boardOf(symbol: string): Board {
  let board = boards.get(symbol);
  if (board === undefined) {
    const parsed = parseSymbol(symbol);
    if (!parsed) throw new RangeError(`not a symbol: ${symbol}`);
    board = classify(parsed.code, parsed.exchange).board;
    boards.set(symbol, board);
  }
  return board;
}

/** Yuan still to spend in this onBar. */
export interface CashBudget {
  yuan: number;
}

export const cashBudget = (ctx: StrategyContext): CashBudget => ({ yuan: fenToYuan(ctx.cashFen) });

/** Sets `budget` to the cash now: a strategy may keep one budget for every onBar (none made per bar). */
export function refillBudget(ctx: StrategyContext, budget: CashBudget): CashBudget {
  budget.yuan = fenToYuan(ctx.cashFen);
  return budget;
}

/** The transfer-fee rate of `symbol` on the current bar's day. */
function transferRate(ctx: StrategyContext, symbol: string): number {
  return transferFeeRow(dayStart(ctx.time), boardOf(symbol)).rate;
}

/** The cost reserved per yuan of value: 1 + commission + transfer fee (on the bar's day). */
export function costFactor(ctx: StrategyContext, symbol: string, commissionRate: number): number {
  return 1 + commissionRate + transferRate(ctx, symbol);
}

/**
 * Shares (not yet rounded to a lot) that `yuan` pays for at `price` with the fees reserved: the
 * rate-based bound and the minimum-commission bound of the header.
 */
export function affordableShares(ctx: StrategyContext, symbol: string, price: number, commissionRate: number, yuan: number): number {
  if (!(price > 0) || !(yuan > 0)) return 0;
  const byRate = yuan / (price * costFactor(ctx, symbol, commissionRate));
  const byMinimum = (yuan - DEFAULT_COSTS.minCommissionFen / 100) / (price * (1 + transferRate(ctx, symbol)));
  return Math.max(0, Math.min(byRate, byMinimum));
}

/** The largest valid buy of `symbol` not above `shares` (0 when even one lot is more). */
export function roundLot(ctx: StrategyContext, symbol: string, shares: number): number {
  return roundBuyQuantity(boardOf(symbol), Math.floor(shares), dayStart(ctx.time));
}

/** The symbol's current close, yuan (indexed: Float64Array#at is a slow built-in). */
export function lastClose(ctx: StrategyContext, symbol: string): number {
  const close = ctx.bars(symbol).close;
  return close[close.length - 1]!;
}

/** The all-in quantity on the current close (see the header), 0 when no lot is affordable. */
export function allInQuantity(ctx: StrategyContext, symbol: string, commissionRate: number, budget: CashBudget): number {
  return roundLot(ctx, symbol, affordableShares(ctx, symbol, lastClose(ctx, symbol), commissionRate, budget.yuan));
}

/** Buys `shares` (if any) and takes their reserved cost out of the budget; returns the shares. */
export function buyFromBudget(ctx: StrategyContext, symbol: string, shares: number, commissionRate: number, budget: CashBudget): number {
  if (shares <= 0) return 0;
  const value = shares * lastClose(ctx, symbol);
  ctx.buy(symbol, shares);
  budget.yuan -= value * (1 + transferRate(ctx, symbol)) + Math.max(value * commissionRate, DEFAULT_COSTS.minCommissionFen / 100);
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
