/**
 * The fee model against backtrader's: every fill of the dual-MA reference run on 600519.SH
 * (../shared/data/reference/backtrader-600519-dualma-5-20.json, config: commission 0.025 % min 5,
 * transfer 0.002 % → 0.001 % on 2022-04-29, stamp duty sells only 0.1 % → 0.05 % on 2023-08-28)
 * recomputed with engine/market/costs.ts. backtrader does not round; we round each component to
 * the fen, so the totals may differ by at most half a fen per component — checked at 0.01 CNY per
 * component.
 */
import { describe, expect, it } from 'vitest';
import { backtraderReference, type BacktraderFill } from '../helpers/reference';
import { skipWithoutSharedData } from '../helpers/shared-data';
import { parseTimeString } from '../../server/src/engine/bars/time';
import { tradeFees, tradeValueFen } from '../../server/src/engine/market/costs';
import { toFen } from '../../server/src/engine/market/money';


const noData = skipWithoutSharedData('the backtrader fee reference');

describe.skipIf(noData)('fees match the backtrader reference (600519.SH dual MA)', () => {
  const ref = noData ? { fills: [] as BacktraderFill[] } : backtraderReference();

  it('has fills on both sides of both rate changes', () => {
    expect(ref.fills.length).toBeGreaterThan(50);
    expect(ref.fills.some((f) => f.side === 'sell' && f.date < '2022-04-29')).toBe(true);
    expect(ref.fills.some((f) => f.side === 'sell' && f.date >= '2023-08-28')).toBe(true);
  });

  it('every fill: Σ components within 0.01 CNY per component of backtrader', () => {
    let worst = 0;
    for (const f of ref.fills) {
      const priceFen = toFen(f.price);
      // The reference prices are whole fen, so the value is exact on both sides.
      expect(Math.abs(priceFen / 100 - f.price), `${f.date} price ${f.price}`).toBeLessThan(1e-9);
      const fees = tradeFees(f.side, tradeValueFen(f.qty, priceFen), parseTimeString(f.date)!);
      const components = f.side === 'sell' ? 3 : 2; // buys pay no stamp duty since 2008
      if (f.side === 'buy') expect(fees.stampDutyFen).toBe(0);
      const diff = Math.abs(fees.totalFen / 100 - f.fee);
      worst = Math.max(worst, diff);
      expect(diff, `${f.date} ${f.side} ${f.qty}@${f.price}: ours ${fees.totalFen / 100}, backtrader ${f.fee}`).toBeLessThanOrEqual(0.01 * components);
      // Rounding each component moves it by at most half a fen.
      expect(diff).toBeLessThanOrEqual(0.005 * components + 1e-9);
    }
    console.info(`[fees] ${ref.fills.length} fills, largest difference ${worst.toFixed(6)} CNY`);
  });
});
