/**
 * Price adjustment with cumulative adjustment factors (复权因子): a factor applies from its date on.
 * hfq (后复权) multiplies prices by the factor in force; qfq (前复权) divides that by the latest
 * factor, so the newest prices stay as traded. Volume and amount are left as traded.
 */
import { allocateSeries, sliceSeries, type BarSeries } from './series';

export interface FactorTable {
  /** Ascending start times (same clock as bar ts). */
  ts: Float64Array;
  factor: Float64Array;
}

export function adjustSeries(bars: BarSeries, factors: FactorTable, mode: 'qfq' | 'hfq'): BarSeries {
  const out = allocateSeries(bars.length);
  const latest = factors.factor.length > 0 ? factors.factor[factors.factor.length - 1]! : 1;
  let f = 0;
  let current = 1;
  for (let i = 0; i < bars.length; i++) {
    while (f < factors.ts.length && factors.ts[f]! <= bars.ts[i]!) current = factors.factor[f++]!;
    const k = mode === 'hfq' ? current : current / latest;
    out.ts[i] = bars.ts[i]!;
    out.open[i] = bars.open[i]! * k;
    out.high[i] = bars.high[i]! * k;
    out.low[i] = bars.low[i]! * k;
    out.close[i] = bars.close[i]! * k;
    out.volume[i] = bars.volume[i]!;
    out.amount[i] = bars.amount[i]!;
  }
  return sliceSeries(out, 0, bars.length);
}
