/**
 * KDJ cross (KDJ 超买超卖), long or flat per symbol, on the TDX KDJ(n, m1, m2) (通达信 formula:
 * RSV = (C − LLV(L, n)) / (HHV(H, n) − LLV(L, n)) × 100, K = SMA(RSV, m1, 1), D = SMA(K, m2, 1)).
 *
 * - Entry: K crosses above D on the bar (backtrader cross, crosses.ts) with K < `oversold` on that
 *   bar (so D is below it too), and the symbol is not held → buy all-in.
 * - Exit: K crosses below D with K > `overbought` on that bar (so D is above it too), and the symbol
 *   is held → sell the whole holding. A cross in between the levels does nothing.
 * - Sizing: all-in (sizing.ts), cash shared in ctx.symbols order; filled at the next bar's open.
 * - Warm-up: K and D start at bar n − 1 of the symbol's bars, where K = D = RSV (a tie, no sign);
 *   a cross needs a non-zero sign before it, so the first possible signal is on bar n + 1.
 * Every symbol with a bar on the step is checked; a suspended symbol is skipped, and a symbol with
 * fewer bars in all than the warm-up never trades (series.ts).
 */
import type { StrategyContext, StrategyDefinition } from '../strategy';
import { indicatorViewOrNaN } from './series';
import { crossNow } from './crosses';
import { buyAllIn, cashBudget, COMMISSION_PARAM, sellAll } from './sizing';

export interface KdjParams extends Record<string, number> {
  n: number;
  m1: number;
  m2: number;
  oversold: number;
  overbought: number;
  commissionRate: number;
}

export const kdj: StrategyDefinition<KdjParams> = {
  id: 'kdj',
  name: { zh: 'KDJ超买超卖', en: 'KDJ oversold/overbought cross' },
  description: {
    zh: 'K值在超卖线下方上穿D值时全仓买入，在超买线上方下穿D值时全部卖出（通达信KDJ）；次日开盘成交。',
    en: 'Buys with all cash when K crosses above D below the oversold level, sells everything when K crosses below D above the overbought level (TDX KDJ); filled at the next open.',
  },
  params: [
    { name: 'n', label: { zh: 'RSV周期 N', en: 'RSV period N' }, type: 'integer', default: 9, min: 2, max: 250 },
    { name: 'm1', label: { zh: 'K平滑 M1', en: 'K smoothing M1' }, type: 'integer', default: 3, min: 1, max: 100 },
    { name: 'm2', label: { zh: 'D平滑 M2', en: 'D smoothing M2' }, type: 'integer', default: 3, min: 1, max: 100 },
    { name: 'oversold', label: { zh: '超卖线', en: 'Oversold level' }, type: 'number', default: 20, min: 0, max: 100 },
    { name: 'overbought', label: { zh: '超买线', en: 'Overbought level' }, type: 'number', default: 80, min: 0, max: 100 },
    COMMISSION_PARAM,
  ],
  constraints: ['oversold < overbought'],
  presets: [
    { name: '9/3/3 20/80', params: { n: 9, m1: 3, m2: 3, oversold: 20, overbought: 80 } },
    { name: '9/3/3 30/70', params: { n: 9, m1: 3, m2: 3, oversold: 30, overbought: 70 } },
    { name: '18/5/5 20/80', params: { n: 18, m1: 5, m2: 5, oversold: 20, overbought: 80 } },
  ],
  create(params) {
    if (params.oversold >= params.overbought) throw new RangeError('kdj.oversold must be less than kdj.overbought');
    // Frozen: the engine finds the indicator of a constant parameter object by identity.
    const p = Object.freeze({ n: params.n, m1: params.m1, m2: params.m2 });
    return {
      onBar(ctx: StrategyContext) {
        const budget = cashBudget(ctx);
        for (const symbol of ctx.symbols) {
          if (!ctx.hasBar(symbol)) continue;
          const k = indicatorViewOrNaN(ctx, symbol, 'KDJ', p, 'k', 'tdx');
          const d = indicatorViewOrNaN(ctx, symbol, 'KDJ', p, 'd', 'tdx');
          const cross = crossNow(k, d);
          const kNow = k.at(-1)!;
          const held = ctx.position(symbol)?.quantity ?? 0;
          if (cross > 0 && kNow < params.oversold && held === 0) buyAllIn(ctx, symbol, params.commissionRate, budget);
          else if (cross < 0 && kNow > params.overbought && held > 0) sellAll(ctx, symbol);
        }
      },
    };
  },
};
