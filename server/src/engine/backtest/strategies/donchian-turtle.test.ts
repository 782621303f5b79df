import { describe, expect, it } from 'vitest';
import { donchianTurtle } from './donchian-turtle';
import { dailyBars, dateOf, fillRows, orderDates, runStrategy, type BarSpec } from './testing';

// entry 3, exit 2, ATR(2), multiple 1, risk 1 %. Opens at the previous close.
//   bar  high  low   close  TR                                  ATR(2) (Wilder, TA-Lib)
//    0   10.2  9.8   10     —
//    1   10.2  9.8   10     max(0.4, 0.2, 0.2) = 0.4
//    2   10.2  9.8   10     0.4                                 (0.4 + 0.4) / 2 = 0.4
//    3   10.2  9.9   10.1   max(0.3, 0.2, 0.1) = 0.3            (0.4 + 0.3) / 2 = 0.35
//    4   10.6  10.1  10.5   max(0.5, 0.5, 0)   = 0.5            (0.35 + 0.5) / 2 = 0.425
// Bar 3: 10.1 is not above the highest high of bars 0..2 (10.2). Bar 4: 10.5 > max(high 1..3) = 10.2
// → buy floor(0.01 × 100 000 / (0.425 × 1)) = floor(2 352.9) = 2 352 → 2 300 main-board shares
// (all-in would allow 9 500), filled at bar 5's open (10.50).
//    5   10.9  10.5  10.8
//    6   11.0  10.7  10.9
//    7   10.9  10.5  10.6   min(low 5..6) = 10.5: 10.6 is not below
//    8   10.6  10.3  10.4   min(low 6..7) = 10.5: 10.4 < 10.5 → sell all, at bar 9's open (10.40)
//    9   10.4  10.2  10.3
const specs: BarSpec[] = [
  { close: 10, high: 10.2, low: 9.8 },
  { close: 10, high: 10.2, low: 9.8 },
  { close: 10, high: 10.2, low: 9.8 },
  { close: 10.1, high: 10.2, low: 9.9 },
  { close: 10.5, high: 10.6, low: 10.1 },
  { close: 10.8, high: 10.9, low: 10.5 },
  { close: 10.9, high: 11, low: 10.7 },
  { close: 10.6, high: 10.9, low: 10.5 },
  { close: 10.4, high: 10.6, low: 10.3 },
  { close: 10.3, high: 10.4, low: 10.2 },
];
const params = { entry: 3, exit: 2, atrPeriod: 2, atrMultiple: 1, riskFraction: 0.01 };

describe('donchian-turtle', () => {
  it('enters above the previous highs with ATR-risk sizing and exits below the previous lows', () => {
    const run = runStrategy(donchianTurtle, params, [{ symbol: '600000.SH', bars: dailyBars(specs) }]);
    expect(fillRows(run)).toEqual([
      [dateOf(5), '600000.SH', 'buy', 2_300],
      [dateOf(9), '600000.SH', 'sell', 2_300],
    ]);
    expect(orderDates(run)).toEqual([dateOf(4), dateOf(8)]);
  });

  it("rounds to the board's lot: STAR buys 200 + 1-share steps, so 2 352 shares", () => {
    const run = runStrategy(donchianTurtle, params, [{ symbol: '688001.SH', bars: dailyBars(specs) }]);
    expect(fillRows(run)).toEqual([
      [dateOf(5), '688001.SH', 'buy', 2_352],
      [dateOf(9), '688001.SH', 'sell', 2_352],
    ]);
  });

  it('caps the risk size at what the cash buys', () => {
    // Risk 20 % of equity: floor(0.2 × 100 000 / 0.425) = 47 058 shares, but the cash buys
    // floor(100 000 / (10.5 × 1.00026)) = 9 521 → 9 500.
    const run = runStrategy(donchianTurtle, { ...params, riskFraction: 0.2 }, [{ symbol: '600000.SH', bars: dailyBars(specs) }]);
    expect(fillRows(run)[0]).toEqual([dateOf(5), '600000.SH', 'buy', 9_500]);
  });

  it('never trades in warm-up: a breakout before `entry` previous bars exist is ignored', () => {
    // Bar 2 closes far above the first two highs, but bar 2 has only two previous bars (< 3).
    const run = runStrategy(donchianTurtle, params, [{ symbol: '600000.SH', bars: dailyBars([10, 10, 10.9]) }]);
    expect(run.orders).toEqual([]);
    // The same jump on bar 3 is an entry.
    expect(orderDates(runStrategy(donchianTurtle, params, [{ symbol: '600000.SH', bars: dailyBars([10, 10, 10, 10.9, 10.9]) }]))).toEqual([dateOf(3)]);
  });
});
