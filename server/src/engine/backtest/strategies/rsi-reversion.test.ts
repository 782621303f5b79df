import { describe, expect, it } from 'vitest';
import { rsiReversion } from './rsi-reversion';
import { dailyBars, dateOf, fillRows, orderDates, runStrategy } from './testing';

// TA-Lib RSI(2), Wilder: the first value (bar 2) averages the gains and losses of bars 1..2, then
// avg = (avg × 1 + today) / 2.
//   bar close change  gain    loss    RSI
//    2  10     −0.5    0.25    0.25    50
//    3   9.5   −0.5    0.125   0.375   25      < 30 → buy
//    4   9     −0.5    0.0625  0.4375  12.5    held: nothing
//    5   9.5   +0.5    0.28125 0.21875 56.25
//    6  10     +0.5    0.3906  0.1094  78.125  > 70 → sell
//    7..9 up, then down: bar 10 (close 10) RSI 23.63 < 30 → buy again
// First buy on bar 3's close 9.50: 100 000 / (9.50 × 1.00026) = 10 523.9 → 10 500 at bar 4's open,
// sold at bar 7's open (10.00) for about 104 920 after fees: cash ≈ 105 144, so the second buy at
// 10.00 is 105 144 / (10 × 1.00026) = 10 511.6 → 10 500 at bar 11's open.
const closes = [10, 10.5, 10, 9.5, 9, 9.5, 10, 10.5, 11, 10.5, 10, 10.2];
const params = { period: 2, lower: 30, upper: 70 };

describe('rsi-reversion', () => {
  it('buys all-in below the lower level and sells above the upper level', () => {
    const run = runStrategy(rsiReversion, params, [{ symbol: '600000.SH', bars: dailyBars(closes) }]);
    expect(fillRows(run)).toEqual([
      [dateOf(4), '600000.SH', 'buy', 10_500],
      [dateOf(7), '600000.SH', 'sell', 10_500],
      [dateOf(11), '600000.SH', 'buy', 10_500],
    ]);
    expect(orderDates(run)).toEqual([dateOf(3), dateOf(6), dateOf(10)]);
  });

  it('sizes a small all-in buy with the minimum commission reserved (BSE: 100 + 1-share steps)', () => {
    // 1 000 CNY at 9.50: by the rate alone 1 000 / (9.50 × 1.00026) = 105.2 → 105 shares, but 997.50
    // + the 5 CNY minimum commission is more than the cash; (1 000 − 5) / (9.50 × 1.00001) = 104.7
    // → 104 shares (988 + 5 + 0.01) is what the cash pays.
    const run = runStrategy(rsiReversion, params, [{ symbol: '430047.BJ', bars: dailyBars(closes) }], 100_000);
    expect(fillRows(run)[0]).toEqual([dateOf(4), '430047.BJ', 'buy', 104]);
    expect(run.orders.filter((o) => o.status === 'rejected')).toEqual([]);
  });

  it('never trades in warm-up: RSI(period) has no value before bar period', () => {
    // Two falls in a row would read as RSI 0 — but bar 1 is still warm-up.
    const run = runStrategy(rsiReversion, params, [{ symbol: '600000.SH', bars: dailyBars([10, 9.5]) }]);
    expect(run.orders).toEqual([]);
  });

  it('refuses lower ≥ upper', () => {
    expect(() => rsiReversion.create({ period: 14, lower: 70, upper: 30, commissionRate: 0 })).toThrow(RangeError);
  });
});
