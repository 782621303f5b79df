/**
 * Dual moving-average cross (双均线): long when the fast SMA of closes crosses above the slow one,
 * flat when it crosses below. Crosses follow backtrader's CrossOver: the sign of fast − slow on
 * this bar against its last non-zero sign before, so a cross through a tie counts once.
 *
 * Sizing (the project's default, and the backtrader reference's): all-in whole lots on the signal
 * bar's close with the commission and transfer-fee rates reserved,
 *   lots = floor(cash / (close × lot × (1 + commission + transfer))),
 * filled at the next bar's open; if the cash cannot cover the fill there, the order is rejected
 * (never resized).
 */
import { transferFeeRow } from '../../market/costs';
import { fenToYuan } from '../../market/money';
import { lotRow } from '../../market/lots';
import { classify, parseSymbol } from '../../market/symbols';
import type { StrategyContext, StrategyDefinition } from '../strategy';

export interface DualMaParams extends Record<string, number> {
  fast: number;
  slow: number;
  commissionRate: number;
}

/** The last non-zero sign of fast − slow before bar i (0 when there is none). */
function signBefore(fast: Float64Array, slow: Float64Array, i: number): number {
  for (let j = i - 1; j >= 0; j--) {
    const d = fast[j]! - slow[j]!;
    if (Number.isNaN(d)) return 0;
    if (d !== 0) return Math.sign(d);
  }
  return 0;
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
    { name: 'commissionRate', label: { zh: '预留佣金率', en: 'Commission rate reserved' }, type: 'number', default: 0.00025, min: 0, max: 0.01 },
  ],
  presets: [
    { name: '5/20', params: { fast: 5, slow: 20 } },
    { name: '10/30', params: { fast: 10, slow: 30 } },
    { name: '20/60', params: { fast: 20, slow: 60 } },
  ],
  create(params) {
    if (params.fast >= params.slow) throw new RangeError('dual-ma.fast must be less than dual-ma.slow');
    return {
      onBar(ctx: StrategyContext) {
        for (const symbol of ctx.symbols) {
          if (!ctx.hasBar(symbol)) continue;
          const fast = ctx.indicator(symbol, 'SMA', { period: params.fast });
          const slow = ctx.indicator(symbol, 'SMA', { period: params.slow });
          const i = fast.length - 1;
          const diff = fast[i]! - slow[i]!;
          if (!(diff !== 0) || Number.isNaN(diff)) continue;
          const before = signBefore(fast, slow, i);
          const held = ctx.position(symbol)?.quantity ?? 0;
          if (diff > 0 && before < 0 && held === 0) buyAllIn(ctx, symbol, params.commissionRate);
          else if (diff < 0 && before > 0 && held > 0) ctx.sell(symbol, held);
        }
      },
    };
  },
};

function buyAllIn(ctx: StrategyContext, symbol: string, commissionRate: number): void {
  const parsed = parseSymbol(symbol)!;
  const board = classify(parsed.code, parsed.exchange).board;
  const day = ctx.bars(symbol).ts.at(-1)!;
  const lot = lotRow(board, day)?.step ?? 100;
  const close = ctx.bars(symbol).close.at(-1)!;
  const transfer = transferFeeRow(day).rate;
  const lots = Math.floor(fenToYuan(ctx.cashFen) / (close * lot * (1 + commissionRate + transfer)));
  if (lots > 0) ctx.buy(symbol, lots * lot);
}
