/**
 * RSI mean reversion (RSI 超买超卖), long or flat per symbol, on the TA-Lib RSI(period) of closes
 * (Wilder's smoothing).
 *
 * - Entry: RSI < `lower` on the bar and the symbol is not held → buy all-in (a level, not a cross:
 *   while RSI stays below `lower` and the buy was not filled, it is tried again on the next bar).
 * - Exit: RSI > `upper` on the bar and the symbol is held → sell the whole holding.
 * - Sizing: all-in (sizing.ts), cash shared in ctx.symbols order; filled at the next bar's open.
 * - Warm-up: TA-Lib reports RSI from bar `period` of the symbol's bars (NaN before: no signal).
 * Every symbol with a bar on the step is checked; a suspended symbol is skipped, and a symbol with
 * fewer bars in all than the warm-up never trades (series.ts).
 */
import type { StrategyContext, StrategyDefinition } from '../strategy';
import { indicatorViewOrNaN } from './series';
import { buyAllIn, cashBudget, COMMISSION_PARAM, sellAll } from './sizing';

export interface RsiReversionParams extends Record<string, number> {
  period: number;
  lower: number;
  upper: number;
  commissionRate: number;
}

export const rsiReversion: StrategyDefinition<RsiReversionParams> = {
  id: 'rsi-reversion',
  name: { zh: 'RSI均值回归', en: 'RSI mean reversion' },
  description: {
    zh: 'RSI低于下限时全仓买入，高于上限时全部卖出；次日开盘成交。',
    en: 'Buys with all cash when RSI is below the lower level, sells everything when it is above the upper level; filled at the next open.',
  },
  params: [
    { name: 'period', label: { zh: 'RSI周期', en: 'RSI period' }, type: 'integer', default: 14, min: 2, max: 250 },
    { name: 'lower', label: { zh: '买入下限', en: 'Buy below' }, type: 'number', default: 30, min: 0, max: 100 },
    { name: 'upper', label: { zh: '卖出上限', en: 'Sell above' }, type: 'number', default: 70, min: 0, max: 100 },
    COMMISSION_PARAM,
  ],
  constraints: ['lower < upper'],
  presets: [
    { name: '14 30/70', params: { period: 14, lower: 30, upper: 70 } },
    { name: '6 20/80', params: { period: 6, lower: 20, upper: 80 } },
    { name: '2 10/90', params: { period: 2, lower: 10, upper: 90 } },
  ],
  create(params) {
    if (params.lower >= params.upper) throw new RangeError('rsi-reversion.lower must be less than rsi-reversion.upper');
    // Frozen: the engine finds the indicator of a constant parameter object by identity.
    const p = Object.freeze({ period: params.period });
    return {
      onBar(ctx: StrategyContext) {
        const budget = cashBudget(ctx);
        for (const symbol of ctx.symbols) {
          if (!ctx.hasBar(symbol)) continue;
          const now = indicatorViewOrNaN(ctx, symbol, 'RSI', p).at(-1)!;
          if (Number.isNaN(now)) continue;
          const held = ctx.position(symbol)?.quantity ?? 0;
          if (now < params.lower && held === 0) buyAllIn(ctx, symbol, params.commissionRate, budget);
          else if (now > params.upper && held > 0) sellAll(ctx, symbol);
        }
      },
    };
  },
};
