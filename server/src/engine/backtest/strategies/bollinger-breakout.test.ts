import { describe, expect, it } from 'vitest';
import { bollingerBreakout } from './bollinger-breakout';
import { dailyBars, dateOf, fillRows, orderDates, runStrategy } from './testing';

// BBANDS(3, 1, 1): middle = SMA(3), bands = middle ± population sd of the same 3 closes.
//   bar close  window             middle   sd       upper     close vs upper / middle
//    2  10     10 10 10           10       0        10        tie: no sign
//    3  10.1   10 10 10.1         10.0333  0.0471   10.0805   above upper, but no sign before: no cross
//    4  10     10 10.1 10         10.0333  0.0471   10.0805   below upper
//    5  10.6   10.1 10 10.6       10.2333  0.2625   10.4958   crosses above upper → buy
//    6  10.8   10 10.6 10.8       10.4667           10.8066   above middle
//    7  10.75  10.6 10.8 10.75    10.7167                     above middle
//    8  10.2   10.8 10.75 10.2    10.5833                     crosses below middle → sell
// Buy on bar 5's close 10.60: 100 000 / (10.60 × 1.00026) = 9 431.3 → 9 400 at bar 6's open;
// sold at bar 9's open (10.20).
const closes = [10, 10, 10, 10.1, 10, 10.6, 10.8, 10.75, 10.2, 10.1];
const params = { period: 3, nbdev: 1 };

describe('bollinger-breakout', () => {
  it('buys when the close crosses above the upper band and sells when it crosses below the middle', () => {
    const run = runStrategy(bollingerBreakout, params, [{ symbol: '600000.SH', bars: dailyBars(closes) }]);
    expect(fillRows(run)).toEqual([
      [dateOf(6), '600000.SH', 'buy', 9_400],
      [dateOf(9), '600000.SH', 'sell', 9_400],
    ]);
    expect(orderDates(run)).toEqual([dateOf(5), dateOf(8)]);
  });

  it('never trades in warm-up: the close above the first bands (bar 3) is no cross', () => {
    const run = runStrategy(bollingerBreakout, params, [{ symbol: '600000.SH', bars: dailyBars(closes.slice(0, 5)) }]);
    expect(run.orders).toEqual([]);
  });
});
