import { describe, expect, it } from 'vitest';
import { allocateSeries, setBar, sliceSeries, type BarSeries } from '../bars/series';
import { formatDate, tsOf } from '../bars/time';
import { runBacktest } from './engine';
import type { Strategy, StrategyContext } from './strategy';
import { dualMa } from './strategies/dual-ma';
import { resolveStrategyParams } from './strategy';

/** Daily bars from closes, on consecutive weekdays from 2024-01-02; open = previous close. */
function daily(closes: number[], opts: { from?: [number, number, number]; skip?: number[] } = {}): BarSeries {
  const bars = allocateSeries(closes.length);
  const [y, m, d] = opts.from ?? [2024, 1, 2];
  let day = tsOf(y, m, d);
  let n = 0;
  closes.forEach((c, i) => {
    while ([0, 6].includes(new Date(day * 1000).getUTCDay())) day += 86_400;
    if (!opts.skip?.includes(i)) setBar(bars, n++, day, i > 0 ? closes[i - 1]! : c, Math.max(c, i > 0 ? closes[i - 1]! : c), Math.min(c, i > 0 ? closes[i - 1]! : c), c, 1e6, c * 1e6);
    day += 86_400;
  });
  return sliceSeries(bars, 0, n);
}

const scripted = (onBar: (ctx: StrategyContext, step: number) => void): Strategy => {
  let step = 0;
  return { onBar: (ctx) => onBar(ctx, step++) };
};

describe('the backtest engine', () => {
  it('shows a strategy only the bars up to the current one: the next bar cannot be read', () => {
    const bars = daily([10, 11, 12, 13, 14]);
    const seen: { date: string; length: number; last: number; next: unknown; sma: number }[] = [];
    runBacktest(
      { data: [{ symbol: '600000.SH', bars }], initialCashFen: 1_000_000 },
      scripted((ctx) => {
        const b = ctx.bars('600000.SH');
        const sma = ctx.indicator('600000.SH', 'SMA', { period: 2 });
        seen.push({ date: ctx.date, length: b.length, last: b.close[b.length - 1]!, next: b.close[b.length], sma: sma.length });
      }),
    );
    expect(seen.map((s) => [s.length, s.last, s.next, s.sma])).toEqual([
      [1, 10, undefined, 1],
      [2, 11, undefined, 2],
      [3, 12, undefined, 3],
      [4, 13, undefined, 4],
      [5, 14, undefined, 5],
    ]);
    expect(seen[0]!.date).toBe('2024-01-02');
  });

  it('hands out a live indicator view that follows the current bar and reads nothing past it', () => {
    const bars = daily([10, 11, 12, 13, 14]);
    const views = new Set<unknown>();
    const seen: unknown[][] = [];
    runBacktest(
      { data: [{ symbol: '600000.SH', bars }], initialCashFen: 1_000_000 },
      scripted((ctx) => {
        const v = ctx.indicatorView!('600000.SH', 'SMA', { period: 2 });
        const a = ctx.indicator('600000.SH', 'SMA', { period: 2 });
        views.add(v);
        seen.push([v.length, v.at(v.length - 1), v.at(-1), v.at(v.length), v.at(-v.length - 1), a.at(-1)]);
        const odd = [1.5, NaN, -1.5, Infinity, -Infinity, -0, 99];
        expect(odd.map((i) => v.at(i))).toEqual(odd.map((i) => a.at(i)));
      }),
    );
    expect(views.size).toBe(1);
    expect(seen).toEqual([
      [1, NaN, NaN, undefined, undefined, NaN],
      [2, 10.5, 10.5, undefined, undefined, 10.5],
      [3, 11.5, 11.5, undefined, undefined, 11.5],
      [4, 12.5, 12.5, undefined, undefined, 12.5],
      [5, 13.5, 13.5, undefined, undefined, 13.5],
    ]);
  });

  it('finds an indicator by its parameters: a frozen object by identity, a changed object anew', () => {
    const bars = daily([10, 11, 12, 13, 14]);
    const frozen = Object.freeze({ period: 2 });
    const mutable = { period: 2 };
    const seen: number[][] = [];
    runBacktest(
      { data: [{ symbol: '600000.SH', bars }], initialCashFen: 1_000_000 },
      scripted((ctx) => {
        const a = ctx.indicator('600000.SH', 'SMA', frozen);
        mutable.period = 2;
        const b = ctx.indicator('600000.SH', 'SMA', mutable);
        mutable.period = 3;
        const c = ctx.indicator('600000.SH', 'SMA', mutable);
        seen.push([a.length, a.at(-1)!, b.at(-1)!, c.at(-1)!, ctx.indicator('600000.SH', 'SMA', frozen) === a ? 1 : 0]);
      }),
    );
    expect(seen.slice(2)).toEqual([
      [3, 11.5, 11.5, 11, 1],
      [4, 12.5, 12.5, 12, 1],
      [5, 13.5, 13.5, 13, 1],
    ]);
  });

  it('fills at the next open, refuses a limit-up buy, and keeps T+1 (a same-day fill of a sale is impossible)', () => {
    // Day 3 opens at limit-up (+10 % on 10.00 = 11.00): the buy of day 2 is not filled there.
    const bars = allocateSeries(5);
    const t = (d: number) => tsOf(2024, 1, d);
    setBar(bars, 0, t(2), 10, 10, 10, 10, 1e6, 1e7);
    setBar(bars, 1, t(3), 10, 10, 10, 10, 1e6, 1e7);
    setBar(bars, 2, t(4), 11, 11, 11, 11, 1e6, 1e7);
    setBar(bars, 3, t(5), 11, 11.5, 10.5, 11, 1e6, 1e7);
    setBar(bars, 4, t(8), 11, 11.5, 10.5, 11.2, 1e6, 1e7);
    const run = runBacktest(
      { data: [{ symbol: '600000.SH', bars: sliceSeries(bars, 0, 5) }], initialCashFen: 10_000_000 },
      scripted((ctx, step) => {
        if (step === 1 || step === 2) ctx.buy('600000.SH', 100);
        if (step === 3) ctx.sell('600000.SH', 100);
      }),
    );
    expect(run.orders.map((o) => [o.id, o.side, o.status, o.reason ?? null])).toEqual([
      ['o1', 'buy', 'cancelled', 'price-limit'],
      ['o2', 'buy', 'filled', null],
      ['o3', 'sell', 'filled', null],
    ]);
    expect(run.fills.map((f) => [formatDate(f.day), f.side, f.priceFen])).toEqual([
      ['2024-01-05', 'buy', 1100],
      ['2024-01-08', 'sell', 1100],
    ]);
    expect(run.trades).toMatchObject([{ entryDate: '2024-01-05', exitDate: '2024-01-08', holdingDays: 1, quantity: 100 }]);
    expect(run.equity.dates).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08']);
    expect(run.finalCashFen).toBe(run.finalEquityFen);
  });

  it('runs several symbols on one timeline, a suspended day trading nothing', () => {
    const a = daily([10, 10, 10, 10]);
    const b = daily([20, 20, 20, 20], { skip: [1] });
    const hasBar: string[] = [];
    const run = runBacktest(
      { data: [{ symbol: '600000.SH', bars: a }, { symbol: '000001.SZ', bars: b }], initialCashFen: 10_000_000 },
      scripted((ctx, step) => {
        hasBar.push(ctx.symbols.map((s) => (ctx.hasBar(s) ? 'y' : 'n')).join(''));
        if (step === 0) ctx.buy('000001.SZ', 100);
      }),
    );
    expect(hasBar).toEqual(['yy', 'yn', 'yy', 'yy']);
    // Bought on day 0 for the next open: day 1 is suspended, so the order is cancelled at its end.
    expect(run.orders[0]).toMatchObject({ status: 'cancelled', reason: 'suspended' });
    expect(run.steps).toBe(4);
    expect(run.barsProcessed).toBe(7);
  });

  it('is deterministic, reports progress and stops when aborted', () => {
    const closes = Array.from({ length: 300 }, (_, i) => 10 + 3 * Math.sin(i / 9) + i / 100);
    const input = { data: [{ symbol: '600000.SH', bars: daily(closes) }], initialCashFen: 100_000_000 };
    const make = () => dualMa.create(resolveStrategyParams(dualMa, { fast: 5, slow: 20 }));
    const first = runBacktest(input, make());
    const second = runBacktest(input, make());
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(first.fills.length).toBeGreaterThan(4);

    const progress: number[] = [];
    runBacktest(input, make(), { progressEvery: 100, onProgress: (p) => progress.push(p.stepsDone) });
    expect(progress).toEqual([100, 200, 300]);

    const controller = new AbortController();
    let steps = 0;
    const stopping = scripted(() => {
      if (++steps === 50) controller.abort(new Error('cancelled by the user'));
    });
    expect(() => runBacktest(input, stopping, { signal: controller.signal })).toThrow('cancelled by the user');
    expect(steps).toBe(50);
  });

  it('orderTarget buys whole lots toward a percent of equity and sells down to a share count', () => {
    const bars = daily([10, 10, 10, 10]);
    const run = runBacktest(
      { data: [{ symbol: '600000.SH', bars }], initialCashFen: 1_000_000 }, // 10 000 CNY
      scripted((ctx, step) => {
        if (step === 0) ctx.orderTarget('600000.SH', { percent: 0.5 });
        if (step === 2) ctx.orderTarget('600000.SH', { shares: 100 });
      }),
    );
    expect(run.fills.map((f) => [f.side, f.quantity])).toEqual([
      ['buy', 500],
      ['sell', 400],
    ]);
  });
});
