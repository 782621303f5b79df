/**
 * MACD cross (MACD 金叉死叉), long or flat per symbol, TA-Lib MACD(fast, slow, signal) of closes:
 * DIF = the `macd` output (EMA(fast) − EMA(slow)), DEA = the `signal` output (EMA(signal) of DIF).
 *
 * - Entry: DIF crosses above DEA on the bar (backtrader cross, crosses.ts: the sign of DIF − DEA
 *   now against its last non-zero sign before) and the symbol is not held → buy all-in.
 * - Exit: DIF crosses below DEA and the symbol is held → sell the whole holding.
 * - Sizing: all-in (sizing.ts): roundBuyQuantity(floor(cash / (close × (1 + commission +
 *   transfer)))), cash shared in ctx.symbols order; filled at the next bar's open.
 * - Warm-up: TA-Lib reports DIF and DEA from bar (slow − 1) + (signal − 1) of the symbol's bars
 *   (history before the backtest's start counts); the first of those bars never crosses (no sign
 *   before it), so the first possible signal is on bar slow + signal − 1.
 * Every symbol with a bar on the step is checked; a suspended symbol is skipped, and a symbol with
 * fewer bars in all than the warm-up never trades (series.ts).
 */
import type { StrategyContext, StrategyDefinition } from '../strategy';
import { indicatorViewOrNaN } from './series';
import { crossNow } from './crosses';
import { buyAllIn, cashBudget, COMMISSION_PARAM, sellAll } from './sizing';

export interface MacdCrossParams extends Record<string, number> {
  fast: number;
  slow: number;
  signal: number;
  commissionRate: number;
}

export const macdCross: StrategyDefinition<MacdCrossParams> = {
  id: 'macd-cross',
  name: { zh: 'MACD金叉死叉', en: 'MACD cross' },
  description: {
    zh: 'DIF上穿DEA（金叉）时全仓买入，下穿（死叉）时全部卖出；次日开盘成交。',
    en: 'Buys with all cash when DIF (the MACD line) crosses above DEA (the signal line), sells everything when it crosses below; filled at the next open.',
  },
  params: [
    { name: 'fast', label: { zh: '快线周期', en: 'Fast period' }, type: 'integer', default: 12, min: 2, max: 250 },
    { name: 'slow', label: { zh: '慢线周期', en: 'Slow period' }, type: 'integer', default: 26, min: 3, max: 500 },
    { name: 'signal', label: { zh: '信号周期', en: 'Signal period' }, type: 'integer', default: 9, min: 2, max: 250 },
    COMMISSION_PARAM,
  ],
  constraints: ['fast < slow'],
  presets: [
    { name: '12/26/9', params: { fast: 12, slow: 26, signal: 9 } },
    { name: '6/13/5', params: { fast: 6, slow: 13, signal: 5 } },
    { name: '24/52/18', params: { fast: 24, slow: 52, signal: 18 } },
  ],
  create(params) {
    if (params.fast >= params.slow) throw new RangeError('macd-cross.fast must be less than macd-cross.slow');
    // Frozen: the engine finds the indicator of a constant parameter object by identity.
    const p = Object.freeze({ fast: params.fast, slow: params.slow, signal: params.signal });
    return {
      onBar(ctx: StrategyContext) {
        const budget = cashBudget(ctx);
        for (const symbol of ctx.symbols) {
          if (!ctx.hasBar(symbol)) continue;
          const dif = indicatorViewOrNaN(ctx, symbol, 'MACD', p, 'macd');
          const dea = indicatorViewOrNaN(ctx, symbol, 'MACD', p, 'signal');
          const cross = crossNow(dif, dea);
          if (cross === 0) continue; // most bars: no need to look at the holding
          const held = ctx.position(symbol)?.quantity ?? 0;
          if (cross > 0 && held === 0) buyAllIn(ctx, symbol, params.commissionRate, budget);
          else if (cross < 0 && held > 0) sellAll(ctx, symbol);
        }
      },
    };
  },
};
