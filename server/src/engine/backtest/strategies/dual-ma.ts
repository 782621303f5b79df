/**
 * Dual moving-average cross (双均线): long when the fast SMA of closes crosses above the slow one,
 * flat when it crosses below. Crosses follow backtrader's CrossOver: the sign of fast − slow on
 * this bar against its last non-zero sign before, so a cross through a tie counts once.
 *
 * Sizing (the project's default, and the backtrader reference's): all-in whole lots on the signal
 * bar's close with the commission and transfer-fee rates reserved,
 *   lots = floor(cash / (close × lot × (1 + commission + transfer))),
 * (sizing.ts, which also keeps room for the 5 CNY minimum commission on small amounts), filled at
 * the next bar's open; if the cash cannot cover the fill there, the order is rejected (never
 * resized). Two symbols crossing on one bar share the cash (the budget), in symbol order.
 */
import type { StrategyContext, StrategyDefinition } from '../strategy';
import { crossNow } from './crosses';
import { indicatorViewOrNaN, viewFor, viewsBySymbol } from './series';
import { buyAllIn, COMMISSION_PARAM, refillBudget, sellAll, type CashBudget } from './sizing';

export interface DualMaParams extends Record<string, number> {
  fast: number;
  slow: number;
  commissionRate: number;
}

export const dualMa: StrategyDefinition<DualMaParams> = {
  id: 'dual-ma',
  name: { zh: '双均线交叉', en: 'Dual moving-average cross' },
  description: {
    zh: '快线上穿慢线（金叉）时全仓买入，下穿（死叉）时全部卖出；次日开盘成交。',
    en: 'Buys with all cash when the fast SMA crosses above the slow one, sells everything when it crosses below; filled at the next open.',
  },
  params: [
    { name: 'fast', label: { zh: '快线周期', en: 'Fast period' }, type: 'integer', default: 5, min: 2, max: 250 },
    { name: 'slow', label: { zh: '慢线周期', en: 'Slow period' }, type: 'integer', default: 20, min: 3, max: 500 },
    COMMISSION_PARAM,
  ],
  constraints: ['fast < slow'],
  presets: [
    { name: '5/20', params: { fast: 5, slow: 20 } },
    { name: '10/30', params: { fast: 10, slow: 30 } },
    { name: '20/60', params: { fast: 20, slow: 60 } },
  ],
  create(params) {
    if (params.fast >= params.slow) throw new RangeError('dual-ma.fast must be less than dual-ma.slow');
    // One frozen parameter object each for every read: the engine finds a constant object by identity.
    const fast = Object.freeze({ period: params.fast });
    const slow = Object.freeze({ period: params.slow });
    const fastSma = viewsBySymbol((ctx, symbol) => indicatorViewOrNaN(ctx, symbol, 'SMA', fast));
    const slowSma = viewsBySymbol((ctx, symbol) => indicatorViewOrNaN(ctx, symbol, 'SMA', slow));
    const budget: CashBudget = { yuan: NaN }; // refilled on every bar (a double from the start: one hidden class)
    return {
      onBar(ctx: StrategyContext) {
        refillBudget(ctx, budget);
        for (const symbol of ctx.symbols) {
          if (!ctx.hasBar(symbol)) continue;
          const cross = crossNow(viewFor(fastSma, ctx, symbol), viewFor(slowSma, ctx, symbol));
          if (cross === 0) continue; // most bars: no need to look at the holding
          const held = ctx.position(symbol)?.quantity ?? 0;
          if (cross > 0 && held === 0) buyAllIn(ctx, symbol, params.commissionRate, budget);
          else if (cross < 0 && held > 0) sellAll(ctx, symbol);
        }
      },
    };
  },
};
