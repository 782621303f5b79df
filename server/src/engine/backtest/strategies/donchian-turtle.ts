/**
 * Donchian channel breakout with ATR sizing (唐奇安通道/海龟突破), long or flat per symbol. With
 * i the current bar of the symbol's bars (history before the backtest's start counts):
 *
 * - Entry: the symbol is not held and close[i] > max(high[i − entry … i − 1]) (the highest high of
 *   the previous `entry` bars, the current bar excluded) → buy.
 * - Exit: the symbol is held and close[i] < min(low[i − exit … i − 1]) (the lowest low of the
 *   previous `exit` bars) → sell the whole holding. No pyramiding and no 2N stop (classic turtle
 *   extras left out).
 * - Sizing: risk `riskFraction` of equity per ATR move of `atrMultiple`:
 *     shares = roundBuyQuantity(floor(riskFraction × equity / (ATR(atrPeriod)[i] × atrMultiple)))
 *   (TA-Lib ATR, Wilder's; the board's lot on the bar's day), capped at the all-in quantity
 *   (sizing.ts; cash shared in ctx.symbols order) so the order is one the cash can pay for;
 *   filled at the next bar's open.
 * - Warm-up: an entry needs i ≥ entry and ATR[i] (from bar atrPeriod); an exit needs i ≥ exit.
 * Every symbol with a bar on the step is checked; a suspended symbol is skipped, and a symbol with
 * fewer bars in all than the warm-up never trades (series.ts).
 */
import { fenToYuan } from '../../market/money';
import type { StrategyContext, StrategyDefinition } from '../strategy';
import { indicatorOrNaN } from './series';
import { allInQuantity, buyFromBudget, cashBudget, COMMISSION_PARAM, roundLot, sellAll } from './sizing';

export interface DonchianTurtleParams extends Record<string, number> {
  entry: number;
  exit: number;
  atrPeriod: number;
  atrMultiple: number;
  riskFraction: number;
  commissionRate: number;
}

/** The highest of values[from … to − 1]. */
function highest(values: Float64Array, from: number, to: number): number {
  let m = -Infinity;
  for (let j = from; j < to; j++) if (values[j]! > m) m = values[j]!;
  return m;
}

/** The lowest of values[from … to − 1]. */
function lowest(values: Float64Array, from: number, to: number): number {
  let m = Infinity;
  for (let j = from; j < to; j++) if (values[j]! < m) m = values[j]!;
  return m;
}

export const donchianTurtle: StrategyDefinition<DonchianTurtleParams> = {
  id: 'donchian-turtle',
  name: { zh: '唐奇安通道突破（海龟）', en: 'Donchian breakout (turtle)' },
  description: {
    zh: '收盘价突破前N日最高价时买入，跌破前M日最低价时卖出；按ATR控制每笔风险（权益×风险比例÷(ATR×倍数)），按板块整手取整。',
    en: 'Buys when the close breaks above the highest high of the previous N bars, sells when it breaks below the lowest low of the previous M bars; sized so one ATR multiple risks a fraction of equity, in whole lots.',
  },
  params: [
    { name: 'entry', label: { zh: '入场通道周期', en: 'Entry channel' }, type: 'integer', default: 20, min: 2, max: 250 },
    { name: 'exit', label: { zh: '离场通道周期', en: 'Exit channel' }, type: 'integer', default: 10, min: 2, max: 250 },
    { name: 'atrPeriod', label: { zh: 'ATR周期', en: 'ATR period' }, type: 'integer', default: 20, min: 1, max: 250 },
    { name: 'atrMultiple', label: { zh: 'ATR倍数', en: 'ATR multiple' }, type: 'number', default: 2, min: 0.1, max: 10 },
    { name: 'riskFraction', label: { zh: '单笔风险比例', en: 'Risk per trade' }, type: 'number', default: 0.01, min: 0.001, max: 0.2 },
    COMMISSION_PARAM,
  ],
  presets: [
    { name: '20/10 (system 1)', params: { entry: 20, exit: 10, atrPeriod: 20, atrMultiple: 2, riskFraction: 0.01 } },
    { name: '55/20 (system 2)', params: { entry: 55, exit: 20, atrPeriod: 20, atrMultiple: 2, riskFraction: 0.01 } },
    { name: '20/10 2%', params: { entry: 20, exit: 10, atrPeriod: 20, atrMultiple: 2, riskFraction: 0.02 } },
  ],
  create(params) {
    return {
      onBar(ctx: StrategyContext) {
        const budget = cashBudget(ctx);
        for (const symbol of ctx.symbols) {
          if (!ctx.hasBar(symbol)) continue;
          const bars = ctx.bars(symbol);
          const i = bars.length - 1;
          const close = bars.close[i]!;
          const held = ctx.position(symbol)?.quantity ?? 0;
          if (held > 0) {
            if (i >= params.exit && close < lowest(bars.low, i - params.exit, i)) sellAll(ctx, symbol);
            continue;
          }
          if (i < params.entry || !(close > highest(bars.high, i - params.entry, i))) continue;
          const atr = indicatorOrNaN(ctx, symbol, 'ATR', { period: params.atrPeriod })[i]!;
          if (!(atr > 0)) continue;
          const risk = roundLot(ctx, symbol, (params.riskFraction * fenToYuan(ctx.equityFen)) / (atr * params.atrMultiple));
          const shares = Math.min(risk, allInQuantity(ctx, symbol, params.commissionRate, budget));
          buyFromBudget(ctx, symbol, shares, params.commissionRate, budget);
        }
      },
    };
  },
};
