/**
 * Bollinger breakout (布林带突破), long or flat per symbol, on the TA-Lib BBANDS(period, nbdev,
 * nbdev) of closes: middle = SMA(period), bands = middle ± nbdev × population stddev.
 *
 * - Entry: the close crosses above the upper band on the bar (backtrader cross, crosses.ts: the
 *   sign of close − upper now against its last non-zero sign before) and the symbol is not held →
 *   buy all-in.
 * - Exit: the close crosses below the middle band and the symbol is held → sell the whole holding.
 * - Sizing: all-in (sizing.ts), cash shared in ctx.symbols order; filled at the next bar's open.
 * - Warm-up: the bands start at bar period − 1 of the symbol's bars; that bar never crosses (no sign
 *   before it), so the first possible signal is on bar `period`.
 * Every symbol with a bar on the step is checked; a suspended symbol is skipped, and a symbol with
 * fewer bars in all than the warm-up never trades (series.ts).
 */
import type { StrategyContext, StrategyDefinition } from '../strategy';
import { indicatorViewOrNaN } from './series';
import { crossNow } from './crosses';
import { buyAllIn, cashBudget, COMMISSION_PARAM, sellAll } from './sizing';

export interface BollingerBreakoutParams extends Record<string, number> {
  period: number;
  nbdev: number;
  commissionRate: number;
}

export const bollingerBreakout: StrategyDefinition<BollingerBreakoutParams> = {
  id: 'bollinger-breakout',
  name: { zh: '布林带突破', en: 'Bollinger breakout' },
  description: {
    zh: '收盘价上穿布林上轨时全仓买入，下穿中轨时全部卖出；次日开盘成交。',
    en: 'Buys with all cash when the close crosses above the upper Bollinger band, sells everything when it crosses below the middle band; filled at the next open.',
  },
  params: [
    { name: 'period', label: { zh: '周期', en: 'Period' }, type: 'integer', default: 20, min: 2, max: 250 },
    { name: 'nbdev', label: { zh: '标准差倍数', en: 'Standard deviations' }, type: 'number', default: 2, min: 0.1, max: 5 },
    COMMISSION_PARAM,
  ],
  presets: [
    { name: '20/2', params: { period: 20, nbdev: 2 } },
    { name: '20/1.5', params: { period: 20, nbdev: 1.5 } },
    { name: '50/2.5', params: { period: 50, nbdev: 2.5 } },
  ],
  create(params) {
    // Frozen: the engine finds the indicator of a constant parameter object by identity.
    const p = Object.freeze({ period: params.period, nbDevUp: params.nbdev, nbDevDn: params.nbdev });
    return {
      onBar(ctx: StrategyContext) {
        const budget = cashBudget(ctx);
        for (const symbol of ctx.symbols) {
          if (!ctx.hasBar(symbol)) continue;
          const close = ctx.bars(symbol).close;
          const upper = indicatorViewOrNaN(ctx, symbol, 'BBANDS', p, 'upper');
          const middle = indicatorViewOrNaN(ctx, symbol, 'BBANDS', p, 'middle');
          const held = ctx.position(symbol)?.quantity ?? 0;
          if (held === 0 && crossNow(close, upper) > 0) buyAllIn(ctx, symbol, params.commissionRate, budget);
          else if (held > 0 && crossNow(close, middle) < 0) sellAll(ctx, symbol);
        }
      },
    };
  },
};
