/**
 * The portfolio against backtrader on a whole run: the dual moving-average strategy of
 * ../shared/data/reference/backtrader-600519-dualma-5-20.json (SMA(5) vs SMA(20) on closes, decide on
 * bar t, market order filled at the open of bar t+1, sized by the reference's formula) replayed
 * through engine/portfolio with the same cost config. Every fill must be the reference's (date,
 * side, quantity, price), each fee within half a fen per component, and the final cash within the
 * accumulated rounding (≤ half a fen per fee component per fill).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backtraderReference } from '../helpers/reference';
import { skipWithoutSharedData, sharedDataPath } from '../helpers/shared-data';
import { formatDate, parseTimeString } from '../../server/src/engine/bars/time';
import { transferFeeRow } from '../../server/src/engine/market/costs';
import { Portfolio } from '../../server/src/engine/portfolio';


const noData = skipWithoutSharedData('the backtrader portfolio replay');

describe.skipIf(noData)('portfolio replays the backtrader dual-MA run on 600519.SH', () => {
  it('fills, fees and final cash agree', () => {
    const ref = backtraderReference();
    const rows = readFileSync(sharedDataPath('csv', 'ashare-daily-qfq', '600519.csv'), 'utf8').trim().split('\n').slice(1);
    const bars = rows.map((line) => {
      const [date, open, close, high, low, volume] = line.split(',');
      return { day: parseTimeString(date!)!, open: Number(open), close: Number(close), high: Number(high), low: Number(low), volume: Number(volume) };
    });
    const sma = (n: number, i: number) => (i + 1 < n ? NaN : bars.slice(i + 1 - n, i + 1).reduce((s, b) => s + b.close, 0) / n);

    const SYM = '600519.SH';
    const p = new Portfolio({ initialCashFen: ref.config.initial_cash * 100 });
    let prevDiff = NaN;
    for (let i = 0; i < bars.length; i++) {
      const b = bars[i]!;
      p.startDay(b.day);
      p.processBar(SYM, { bar: b });
      const diff = sma(5, i) - sma(20, i);
      const held = p.position(SYM)?.quantity ?? 0;
      if (prevDiff <= 0 && diff > 0 && held === 0) {
        const rate = 1 + 0.00025 + transferFeeRow(b.day).rate;
        const qty = Math.floor(p.cashFen / 100 / (b.close * 100 * rate)) * 100;
        if (qty > 0) p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: qty });
      } else if (prevDiff >= 0 && diff < 0 && held > 0) {
        p.submit({ symbol: SYM, side: 'sell', type: 'market', quantity: held });
      }
      if (!Number.isNaN(diff)) prevDiff = diff;
      p.endDay();
    }

    const ours = p.fills.map((f) => ({ date: formatDate(f.day), side: f.side, qty: f.quantity, price: f.priceFen / 100 }));
    expect(ours).toEqual(ref.fills.map((f) => ({ date: f.date, side: f.side, qty: f.qty, price: f.price })));
    let components = 0;
    p.fills.forEach((f, i) => {
      const n = f.side === 'sell' ? 3 : 2;
      components += n;
      const fee = (f.commissionFen + f.stampDutyFen + f.transferFeeFen) / 100;
      expect(Math.abs(fee - ref.fills[i]!.fee)).toBeLessThanOrEqual(0.005 * n + 1e-9);
    });
    // An open position at the end would make cash differ by its value; the reference ends flat.
    expect(p.positions()).toEqual([]);
    const diffCash = Math.abs(p.cashFen / 100 - ref.final_cash);
    console.info(`[replay] ${p.fills.length} fills; final cash ${p.cashFen / 100} vs backtrader ${ref.final_cash} (Δ ${diffCash.toFixed(4)} CNY, bound ${(0.005 * components).toFixed(2)})`);
    expect(diffCash).toBeLessThanOrEqual(0.005 * components + 1e-6);
    expect(p.reconciles()).toBe(true);
  });
});
