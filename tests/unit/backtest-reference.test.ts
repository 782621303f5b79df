/**
 * The backtrader reference (../shared/data/reference/backtrader-600519-dualma-5-20.json): dual MA
 * 5/20 on 600519.SH front-adjusted daily bars with A-share costs. The engine must make the same
 * fills (dates, quantities, prices), each fee within a fen per component (backtrader does not round
 * fees; we round each component to the fen), and the final value within the summed rounding.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backtraderReference } from '../helpers/reference';
import { allocateSeries, setBar, sliceSeries } from '../../server/src/engine/bars/series';
import { parseTimeString, formatDate } from '../../server/src/engine/bars/time';
import { runBacktest } from '../../server/src/engine/backtest/engine';
import { dualMa } from '../../server/src/engine/backtest/strategies/dual-ma';
import { resolveStrategyParams } from '../../server/src/engine/backtest/strategy';
import { sharedDataPath, skipWithoutSharedData } from '../helpers/shared-data';

const noData = skipWithoutSharedData('the backtrader reference backtest');


/** csv/ashare-daily-qfq: date,open,close,high,low,volume (lots of 100 shares). */
function qfqBars(file: string) {
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  const bars = allocateSeries(lines.length);
  lines.forEach((line, i) => {
    const [date, open, close, high, low, volume] = line.split(',');
    setBar(bars, i, parseTimeString(date!)!, Number(open), Number(high), Number(low), Number(close), Number(volume) * 100, 0);
  });
  return sliceSeries(bars, 0, lines.length);
}

describe.skipIf(noData)('dual MA 5/20 on 600519.SH against backtrader', () => {
  it('makes the same fills with the same fees and ends at the same value', () => {
    const reference = backtraderReference();
    const bars = qfqBars(sharedDataPath('csv/ashare-daily-qfq/600519.csv'));
    const strategy = dualMa.create(resolveStrategyParams(dualMa, { fast: 5, slow: 20 }));
    const run = runBacktest({ data: [{ symbol: '600519.SH', bars }], initialCashFen: reference.config.initial_cash * 100 }, strategy);

    const ours = run.fills.map((f) => ({ date: formatDate(f.day), side: f.side, qty: f.quantity, price: f.priceFen / 100 }));
    expect(ours).toEqual(reference.fills.map((f) => ({ date: f.date, side: f.side, qty: f.qty, price: f.price })));
    run.fills.forEach((f, i) => {
      const fee = (f.commissionFen + f.stampDutyFen + f.transferFeeFen) / 100;
      // Each of the three components is rounded to the fen: at most 1.5 fen apart in total.
      expect(Math.abs(fee - reference.fills[i]!.fee), `fill ${i} on ${reference.fills[i]!.date}`).toBeLessThanOrEqual(0.015 + 1e-9);
    });
    const summedRounding = run.fills.length * 0.015;
    expect(Math.abs(run.finalEquityFen / 100 - reference.final_value)).toBeLessThanOrEqual(summedRounding);
  });
});
