import { describe, expect, it } from 'vitest';
import { equalWeightRebalance } from './equal-weight-rebalance';
import { formatDate } from '../../bars/time';
import { dailyBars, dateOf, fillRows, orderDates, runStrategy } from './testing';

// Two main-board symbols, period 3 (rebalances on steps 0 and 3), reserve 1 %, 100 000 CNY.
//   bar   A      B
//    0   10     10       step 0: targets 0.495 × 100 000 = 49 500 → 4 950 → 4 900 shares each
//    1   10     10       (cash above half the reserve, 99 500, pays for both) filled at 10.00
//    2   10.5    9.5     cash left ≈ 100 000 − 2 × (49 000 + 12.25 + 0.49) = 1 974.52
//    3   11      9       step 3: equity ≈ 1 974.52 + 53 900 + 44 100 = 99 974.52, target 49 487.39:
//                        A: wanted floor(49 487.39 / 11) = 4 498 → sell 4 900 − 4 498 = 402 → 400 (lots)
//                        B: wanted floor(49 487.39 / 9) = 5 498 → buy 598 → 500, but the cash above half
//                           the reserve (1 974.52 − 499.87 = 1 474.65) pays for 1 474.65 / (9 × 1.00026)
//                           = 163 → 100 now, the rest on the next step
//    4   11      9       fills: A sells 400 at 11.00 (+4 392.75 after fees), B buys 100 at 9.00
//                        (−905.01); top-up: cash ≈ 5 462.27, equity ≈ 99 962.27, target 49 481.32:
//                        B wanted 5 497 → 497 more → 400 (cash above half the reserve ≈ 4 962.46 pays 551)
//    5   11      9       fill: B buys 400 → A 4 500, B 5 400
const a = dailyBars([10, 10, 10.5, 11, 11, 11]);
const b = dailyBars([10, 10, 9.5, 9, 9, 9]);
const params = { period: 3, reserve: 0.01 };

describe('equal-weight-rebalance', () => {
  it('aims every symbol at 1/N of equity every `period` steps, sells first, tops up buys the cash could not pay', () => {
    const run = runStrategy(equalWeightRebalance, params, [
      { symbol: '600000.SH', bars: a },
      { symbol: '000001.SZ', bars: b },
    ]);
    expect(fillRows(run)).toEqual([
      [dateOf(1), '600000.SH', 'buy', 4_900],
      [dateOf(1), '000001.SZ', 'buy', 4_900],
      [dateOf(4), '600000.SH', 'sell', 400],
      [dateOf(4), '000001.SZ', 'buy', 100],
      [dateOf(5), '000001.SZ', 'buy', 400],
    ]);
    // The sell of step 3 was submitted before its buy.
    expect(run.orders.map((o) => [o.side, o.symbol])).toEqual([
      ['buy', '600000.SH'],
      ['buy', '000001.SZ'],
      ['sell', '600000.SH'],
      ['buy', '000001.SZ'],
      ['buy', '000001.SZ'],
    ]);
    expect(orderDates(run)).toEqual([dateOf(0), dateOf(0), dateOf(3), dateOf(3), dateOf(4)]);
    expect(run.orders.every((o) => o.status === 'filled')).toBe(true);
    expect(Object.fromEntries(run.positions.map((p) => [p.symbol, p.quantity]))).toEqual({ '600000.SH': 4_500, '000001.SZ': 5_400 });
  });

  it('submits the sells first even when the seller comes later in the data', () => {
    const run = runStrategy(equalWeightRebalance, params, [
      { symbol: '000001.SZ', bars: b },
      { symbol: '600000.SH', bars: a },
    ]);
    const step3 = run.orders.filter((o) => formatDate(o.submittedDay) === dateOf(3)).map((o) => [o.side, o.symbol]);
    expect(step3).toEqual([
      ['sell', '600000.SH'],
      ['buy', '000001.SZ'],
    ]);
  });

  it('leaves a symbol without a bar alone: N counts only the symbols with a bar', () => {
    // Reserve 10 %. Step 0 (N = 3): 0.3 × 100 000 / 10 = 3 000 shares each; cash left ≈ 9 977.
    // C is suspended on step 3: N = 2 there, so A and B are aimed at 45 % of equity ≈ 99 977 each:
    // A (3 000 × 11 = 33 000) wants floor(44 990 / 11) − 3 000 = 1 090 → 1 000 more, but the cash
    // above half the reserve (≈ 9 977 − 4 999 = 4 978) buys 4 978 / (11 × 1.00026) = 452 → 400;
    // B then has ≈ 578 left, less than a lot at 9.00. C (held 3 000) gets no order.
    const c = dailyBars([10, 10, 10, 10, 10, 10], [3]);
    const run = runStrategy(equalWeightRebalance, { ...params, reserve: 0.1 }, [
      { symbol: '600000.SH', bars: a },
      { symbol: '000001.SZ', bars: b },
      { symbol: '600036.SH', bars: c },
    ]);
    expect(run.orders.filter((o) => formatDate(o.submittedDay) === dateOf(0)).map((o) => [o.symbol, o.quantity])).toEqual([
      ['600000.SH', 3_000],
      ['000001.SZ', 3_000],
      ['600036.SH', 3_000],
    ]);
    const step3 = run.orders.filter((o) => formatDate(o.submittedDay) === dateOf(3));
    expect(step3.map((o) => [o.side, o.symbol, o.quantity])).toEqual([['buy', '600000.SH', 400]]);
    expect(run.orders.filter((o) => o.status !== 'filled')).toEqual([]);
  });

  it('trades from the first step (no warm-up)', () => {
    const run = runStrategy(equalWeightRebalance, params, [{ symbol: '600000.SH', bars: dailyBars([10, 10]) }]);
    // One symbol: 0.99 × 100 000 / 10 = 9 900 shares, within the cash above the reserve.
    expect(fillRows(run)).toEqual([[dateOf(1), '600000.SH', 'buy', 9_900]]);
  });
});
