/**
 * Equal-weight rebalance (等权再平衡) across the backtest's symbols.
 *
 * - When: on step 0 (the first bar time of the backtest) and then every `period` steps of the
 *   timeline (steps 0, period, 2·period, …; a step is one bar time of any symbol).
 * - Target: N = the symbols with a bar on that step; each is aimed at (1 − reserve) / N of equity
 *   (cash plus every holding at its last close), in shares at its close:
 *   wanted = floor(equity × (1 − reserve) / N / close). The `reserve` keeps cash for fees and for
 *   opens above the close. A symbol without a bar (suspended) is neither bought nor sold, but its
 *   holding counts in equity.
 * - Sells first: every symbol held above its target is sold down with ctx.orderTarget (valid lots;
 *   a sale of a whole position includes its odd lot). Those orders are submitted before any buy.
 * - Then buys, in ctx.symbols order: wanted − held shares, rounded down to the board's lot, but no
 *   more than the cash of this step above half the reserve (reserve / 2 × equity) pays for at the
 *   close with the fees reserved (sizing.ts, the minimum commission included): the other half of the
 *   reserve pays the fees of buying up to the targets, the half kept covers opens above the close.
 *   The portfolio matches the next bar symbol by symbol, so a sale's cash may arrive after another
 *   symbol's buy; buying only from the cash already there keeps every order payable. What that
 *   cash could not buy is bought on the next step (one top-up: buys only, toward the same fraction
 *   of that step's equity, from the cash above half the reserve once the sales have paid in).
 * - Fills: at the next bar's open.
 * - Warm-up: none (no indicator); it trades on the first step.
 */
import { fenToYuan, toFen } from '../../market/money';
import type { StrategyContext, StrategyDefinition } from '../strategy';
import { affordableShares, buyFromBudget, COMMISSION_PARAM, lastClose, roundLot, type CashBudget } from './sizing';

export interface EqualWeightRebalanceParams extends Record<string, number> {
  period: number;
  reserve: number;
  commissionRate: number;
}

export const equalWeightRebalance: StrategyDefinition<EqualWeightRebalanceParams> = {
  id: 'equal-weight-rebalance',
  name: { zh: '等权再平衡', en: 'Equal-weight rebalance' },
  description: {
    zh: '每隔固定周期，把每只有行情的股票调整到权益的1/N（留出少量现金），先卖后买；次日开盘成交。',
    en: 'Every fixed number of bars, aims each symbol with a bar at 1/N of equity (keeping a little cash), sells before buys; filled at the next open.',
  },
  params: [
    { name: 'period', label: { zh: '调仓间隔（K线数）', en: 'Rebalance every (bars)' }, type: 'integer', default: 20, min: 1, max: 1000 },
    { name: 'reserve', label: { zh: '预留现金比例', en: 'Cash reserve' }, type: 'number', default: 0.01, min: 0, max: 0.5 },
    COMMISSION_PARAM,
  ],
  multiSymbol: true,
  presets: [
    { name: 'weekly', params: { period: 5 } },
    { name: 'monthly', params: { period: 20 } },
    { name: 'quarterly', params: { period: 60 } },
  ],
  create(params) {
    let step = 0;
    let topUp = false;
    /** Buys toward `percent` of equity for each symbol below it, from the budget. Whether all were. */
    const buyUp = (ctx: StrategyContext, symbols: readonly string[], percent: number, budget: CashBudget): boolean => {
      let complete = true;
      for (const s of symbols) {
        const closeFen = toFen(lastClose(ctx, s));
        if (!(closeFen > 0)) continue;
        const missing = Math.floor((ctx.equityFen * percent) / closeFen) - (ctx.position(s)?.quantity ?? 0);
        if (roundLot(ctx, s, missing) === 0) continue;
        const affordable = affordableShares(ctx, s, lastClose(ctx, s), params.commissionRate, budget.yuan);
        const shares = roundLot(ctx, s, Math.min(missing, affordable));
        if (shares < roundLot(ctx, s, missing)) complete = false;
        buyFromBudget(ctx, s, shares, params.commissionRate, budget);
      }
      return complete;
    };
    /** The cash above half the reserve. */
    const budgetOf = (ctx: StrategyContext): CashBudget => ({ yuan: fenToYuan(ctx.cashFen - (params.reserve / 2) * ctx.equityFen) });
    return {
      onBar(ctx: StrategyContext) {
        const now = step++;
        const live = ctx.symbols.filter((s) => ctx.hasBar(s));
        if (live.length === 0) return;
        const percent = (1 - params.reserve) / live.length;
        if (now % params.period !== 0) {
          if (topUp) buyUp(ctx, live, percent, budgetOf(ctx));
          topUp = false;
          return;
        }
        const targetFen = ctx.equityFen * percent;
        for (const s of live) {
          const held = ctx.position(s)?.quantity ?? 0;
          if (held * toFen(lastClose(ctx, s)) > targetFen) ctx.orderTarget(s, { percent });
        }
        topUp = !buyUp(ctx, live, percent, budgetOf(ctx));
      },
    };
  },
};
