import { describe, expect, it } from 'vitest';
import { kdj } from './kdj';
import { dailyBars, dateOf, fillRows, orderDates, runStrategy } from './testing';

// TDX KDJ(3, 1, 2): K = RSV (m1 = 1), D = (K + D′) / 2, both seeded with RSV on bar n − 1 = 2.
// Bars open at the previous close, so a bar's high/low are max/min(previous close, close):
// HHV(HIGH, 3) and LLV(LOW, 3) span the closes of bars i − 3 … i.
//   bar close  HHV   LLV   RSV=K   D
//    2  10.8   10.8  10    100     100       tie (seed)
//    3  11.2   11.2  10    100     100       tie
//    4  10.8   11.2  10.4   50      75       K < D (50 is not above 80: no sell, and none is held)
//    5  10.4   11.2  10.4    0      37.5
//    6  10.0   11.2  10      0      18.75
//    7   9.6   10.8   9.6    0       9.375
//    8   9.7   10.4   9.6   12.5    10.9375   K crosses above D with K < 20 → buy
//    9  10.1   10.1   9.6  100      55.47
//   10  10.5   10.5   9.6  100      77.73
//   11  10.9   10.9   9.7  100      88.87
//   12  10.8   10.9  10.1   87.5    88.18     K crosses below D with K > 80 → sell
// Buy on bar 8's close 9.70: 100 000 / (9.70 × 1.00026) = 10 306.4 → 10 300 shares at bar 9's open;
// sold at bar 13's open (10.80).
const closes = [10, 10.4, 10.8, 11.2, 10.8, 10.4, 10, 9.6, 9.7, 10.1, 10.5, 10.9, 10.8, 10.7];
const params = { n: 3, m1: 1, m2: 2, oversold: 20, overbought: 80 };

describe('kdj', () => {
  it('buys on K crossing above D below the oversold level and sells on the cross below above overbought', () => {
    const run = runStrategy(kdj, params, [{ symbol: '600000.SH', bars: dailyBars(closes) }]);
    expect(fillRows(run)).toEqual([
      [dateOf(9), '600000.SH', 'buy', 10_300],
      [dateOf(13), '600000.SH', 'sell', 10_300],
    ]);
    expect(orderDates(run)).toEqual([dateOf(8), dateOf(12)]);
  });

  it('ignores crosses between the levels', () => {
    // With oversold 10 the bar-8 cross (K = 12.5) is not low enough, so nothing is bought or sold.
    const run = runStrategy(kdj, { ...params, oversold: 10 }, [{ symbol: '600000.SH', bars: dailyBars(closes) }]);
    expect(run.orders).toEqual([]);
    // With overbought 90 the bar-12 cross (K = 87.5) is not high enough: the holding stays.
    const held = runStrategy(kdj, { ...params, overbought: 90 }, [{ symbol: '600000.SH', bars: dailyBars(closes) }]);
    expect(fillRows(held)).toEqual([[dateOf(9), '600000.SH', 'buy', 10_300]]);
  });

  it('never trades in warm-up (bars before n + 1)', () => {
    // A series whose first values already sit low: K = D on the seed bar is a tie, no order.
    const run = runStrategy(kdj, { ...params, oversold: 60 }, [{ symbol: '600000.SH', bars: dailyBars([10, 9.8, 9.6, 9.7]) }]);
    expect(run.orders).toEqual([]);
  });

  it('refuses oversold ≥ overbought', () => {
    expect(() => kdj.create({ n: 9, m1: 3, m2: 3, oversold: 80, overbought: 20, commissionRate: 0 })).toThrow(RangeError);
  });
});
