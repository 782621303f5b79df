import { describe, expect, it } from 'vitest';
import { macdCross } from './macd-cross';
import { dailyBars, dateOf, fillRows, orderDates, runStrategy } from './testing';

// MACD(2, 3, 2), TA-Lib seeding: both EMAs start on bar slow − 1 = 2 with means (slow: c0..c2 = 10,
// fast: c1..c2 = 10), so DIF(2) = 0; DEA starts with the mean of DIF over bars 2..3 = 0 and both are
// reported from bar 3. EMA factors: fast 2/3, slow 1/2, signal 2/3.
//   bar  close   fast EMA   slow EMA   DIF        DEA
//    3   10      10         10          0          0          tie: no sign
//    4    9.8     9.8667     9.9       −0.0333    −0.0222     DIF < DEA
//    5    9.4     9.5556     9.65      −0.0944    −0.0704
//    6    8.8     9.0519     9.225     −0.1731    −0.1389
//    7    9.0     9.0173     9.1125    −0.0952    −0.1098     DIF > DEA: cross up → buy
//   ...  (DIF above DEA on bars 8..11)
//   11   10.6                            0.1511     0.1466
//   12   10.5                            0.0815     0.1032     cross down → sell
// Buy on bar 7's close 9.00: 100 000 / (9.00 × (1 + 0.00025 + 0.00001)) = 11 108.2 → 11 100 shares,
// filled at bar 8's open (9.00); sold at bar 13's open (10.50).
const closes = [10, 10, 10, 10, 9.8, 9.4, 8.8, 9.0, 9.5, 10, 10.4, 10.6, 10.5, 10.2, 9.8, 9.5];
const params = { fast: 2, slow: 3, signal: 2 };

describe('macd-cross', () => {
  it('buys all-in on DIF crossing above DEA and sells on the cross below', () => {
    const run = runStrategy(macdCross, params, [{ symbol: '600000.SH', bars: dailyBars(closes) }]);
    expect(fillRows(run)).toEqual([
      [dateOf(8), '600000.SH', 'buy', 11_100],
      [dateOf(13), '600000.SH', 'sell', 11_100],
    ]);
    expect(run.fills.map((f) => f.priceFen)).toEqual([900, 1050]);
    expect(orderDates(run)).toEqual([dateOf(7), dateOf(12)]);
  });

  it('never trades in warm-up: nothing before bar slow + signal − 1 even when the history starts moving', () => {
    // The first values (bar 3) and the first possible cross (bar 4) come after a tie: no order there.
    const run = runStrategy(macdCross, params, [{ symbol: '600000.SH', bars: dailyBars(closes.slice(0, 7)) }]);
    expect(run.orders).toEqual([]);
  });

  it('shares the cash in ctx.symbols order: the second symbol gets what the first left, no refused order', () => {
    const run = runStrategy(macdCross, params, [
      { symbol: '600000.SH', bars: dailyBars(closes) },
      { symbol: '000001.SZ', bars: dailyBars(closes) },
    ]);
    expect(run.orders.filter((o) => o.status === 'rejected')).toEqual([]);
    expect(fillRows(run)).toEqual([
      [dateOf(8), '600000.SH', 'buy', 11_100],
      [dateOf(13), '600000.SH', 'sell', 11_100],
    ]);
  });

  it('refuses fast ≥ slow', () => {
    expect(() => macdCross.create({ fast: 26, slow: 26, signal: 9, commissionRate: 0 })).toThrow(RangeError);
  });
});
