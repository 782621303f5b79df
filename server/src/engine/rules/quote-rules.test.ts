import { describe, expect, it } from 'vitest';
import { RuleBook } from './book';
import { bj, on, rule, tick, watchlist } from './testing';
import type { QuoteTick, RuleDefinition } from './types';

const A = '600000.SH';

/** Feeds prices one by one (a minute apart from 10:00, or at given times) and answers which fired. */
function run(def: RuleDefinition, ticks: QuoteTick[], book = new RuleBook()): boolean[] {
  if (!book.has(def.id)) book.add(def);
  return ticks.map((t) => book.onQuote(t, t.timeMs).length > 0);
}
const minutes = (prices: number[], symbol = A, over: Partial<QuoteTick> = {}) =>
  prices.map((p, i) => tick(symbol, p, bj('10:00') + i * 60_000, over));

describe('price-cross', () => {
  const cross = (direction: 'up' | 'down' | 'either', level = 10) => rule({ kind: 'price-cross', level, direction }, on(A));

  it('needs a previous price: the first quote beyond the level is no crossing', () => {
    expect(run(cross('up'), minutes([10.5, 10.6]))).toEqual([false, false]);
  });

  it('fires on the quote that reaches the level from the other side, not while beyond it', () => {
    expect(run(cross('up'), minutes([9.9, 10.1, 10.2, 9.8, 10.3]))).toEqual([false, true, false, false, true]);
  });

  it('reaching the level exactly counts once; sitting on it and moving on does not fire again', () => {
    expect(run(cross('up'), minutes([9.99, 10.0, 10.01, 10.0, 10.02]))).toEqual([false, true, false, false, false]);
    // Starting on the level: never below, so no up-crossing.
    expect(run(cross('up'), minutes([10.0, 10.05]))).toEqual([false, false]);
  });

  it('compares in fen, whatever float the level or price was', () => {
    expect(run(cross('up', 0.3), minutes([0.29, 0.1 + 0.2]))).toEqual([false, true]);
  });

  it('down and either', () => {
    expect(run(cross('down'), minutes([10.2, 9.9, 10.1, 10.0]))).toEqual([false, true, false, true]);
    expect(run(cross('either'), minutes([10.2, 9.9, 10.1]))).toEqual([false, true, true]);
  });

  it('a gap (no quotes for an hour, or a jump past the level) still crosses between the two quotes', () => {
    const ticks = [tick(A, 9.5, '10:00'), tick(A, 11, '11:00')];
    expect(run(cross('up'), ticks)).toEqual([false, true]);
  });

  it('a quote without a price (suspended, 0) is skipped and does not become the previous price', () => {
    expect(run(cross('up'), minutes([9.9, 0, 10.1]))).toEqual([false, false, true]);
  });

  it('watchlist: each symbol crosses on its own previous price', () => {
    const book = new RuleBook();
    book.add(rule({ kind: 'price-cross', level: 10, direction: 'up' }, watchlist(A, '000001.SZ')));
    expect(book.onQuote(tick(A, 9.9, '10:00'), 0)).toHaveLength(0);
    expect(book.onQuote(tick('000001.SZ', 10.5, '10:00'), 0)).toHaveLength(0);
    const fired = book.onQuote(tick(A, 10.1, '10:01'), 0);
    expect(fired.map((t) => t.symbol)).toEqual([A]);
    expect(fired[0]).toMatchObject({ value: 10.1, threshold: 10, unit: 'price', price: 10.1 });
  });
});

describe('price-change over N minutes', () => {
  const change = (direction: 'up' | 'down' | 'either', thresholdPercent = 2, minutes = 5) =>
    rule({ kind: 'price-change', minutes, thresholdPercent, direction }, on(A));

  it('compares with the price in effect N minutes before; nothing until the day has that much history', () => {
    // 10:00 … 10:06, one a minute; at 10:05 the base is the 10:00 price.
    expect(run(change('up'), minutes([10, 10.1, 10.15, 10.18, 10.19, 10.2, 10.31]))).toEqual([false, false, false, false, false, true, true]);
    expect(run(change('up'), minutes([10, 10, 10, 10, 10, 10.19]))).toEqual([false, false, false, false, false, false]);
  });

  it('the base is the latest point at or before the cutoff, across a gap in quotes', () => {
    const ticks = [tick(A, 10, '10:00'), tick(A, 10.1, '10:01'), tick(A, 10.3, '10:20')];
    // cutoff 10:15: the 10:01 price 10.1 is in effect, +1.98 % < 2 %.
    expect(run(change('up'), ticks)).toEqual([false, false, false]);
    expect(run(change('up', 1.9), ticks)).toEqual([false, false, true]);
  });

  it('down compares change ≤ −threshold; either both ways; the value is signed', () => {
    const book = new RuleBook();
    const falls = minutes([10, 10, 10, 10, 10, 9.8]);
    expect(run(change('down'), falls, book)).toEqual([false, false, false, false, false, true]);
    expect(run(change('up'), falls)).toEqual([false, false, false, false, false, false]);
    expect(run(change('either'), falls)).toEqual([false, false, false, false, false, true]);
    const again = new RuleBook();
    again.add(change('down'));
    let last: readonly unknown[] = [];
    for (const t of falls) last = again.onQuote(t, t.timeMs);
    expect(last[0]).toMatchObject({ value: expect.closeTo(-2, 9), threshold: -2, unit: 'percent' });
  });

  it('a new trading day starts a new history (no window into yesterday)', () => {
    const ticks = [tick(A, 10, bj('14:59', '2026-03-02')), tick(A, 11, bj('09:31', '2026-03-03')), tick(A, 11, bj('09:36', '2026-03-03'))];
    expect(run(change('up'), ticks)).toEqual([false, false, false]);
  });

  it('a late (out-of-order) quote does not rewrite the history', () => {
    const ticks = [tick(A, 10, '10:00'), tick(A, 10, '10:06'), tick(A, 5, '10:02'), tick(A, 10.25, '10:07')];
    // 10:07: base at 10:02 is the 10:00 price 10 (the late 5 was ignored): +2.5 %.
    expect(run(change('up'), ticks)).toEqual([false, false, false, true]);
  });
});

describe('volume-surge', () => {
  // 24,000,000 a day on average: 100,000 a minute of the 240.
  const average = { averageVolume: (symbol: string, days: number) => (symbol === A && days === 20 ? 24_000_000 : undefined) };
  const surge = (multiple = 2, minElapsedMinutes?: number) =>
    rule({ kind: 'volume-surge', days: 20, multiple, ...(minElapsedMinutes === undefined ? {} : { minElapsedMinutes }) }, on(A));
  const at = (time: string, volume: number, symbol = A) => tick(symbol, 10, time, { volume });

  it('scales the average day by the elapsed fraction of the sessions', () => {
    const book = new RuleBook({ reference: average });
    book.add(surge(2));
    // 10:30 = 60 of 240 minutes: an average day has 6,000,000 by then; 12,000,000 is 2×.
    const [t] = book.onQuote(at('10:30', 12_000_000), 0);
    expect(t).toMatchObject({ value: 2, threshold: 2, unit: 'ratio' });
    expect(book.onQuote(at('10:30', 11_999_000), 0)).toHaveLength(0);
  });

  it('the lunch break adds no time; after the close the whole day counts', () => {
    const book = new RuleBook({ reference: average });
    book.add(surge(1));
    // 12:30: 120 minutes elapsed → 12,000,000 expected.
    expect(book.onQuote(at('12:30', 12_000_000), 0)).toHaveLength(1);
    expect(book.onQuote(at('12:30', 11_000_000), 0)).toHaveLength(0);
    expect(book.onQuote(at('15:30', 24_000_000), 0)).toHaveLength(1);
    expect(book.onQuote(at('15:30', 23_000_000), 0)).toHaveLength(0);
  });

  it('nothing before the open, in the first minutes (default 5), without an average or a volume', () => {
    const book = new RuleBook({ reference: average });
    book.add(surge(1));
    expect(book.onQuote(at('09:25', 5_000_000), 0)).toHaveLength(0);
    expect(book.onQuote(at('09:34', 5_000_000), 0)).toHaveLength(0);
    expect(book.onQuote(at('09:35', 5_000_000), 0)).toHaveLength(1);
    expect(book.onQuote(tick(A, 10, '10:30'), 0)).toHaveLength(0);
    const noAverage = new RuleBook();
    noAverage.add(surge(1));
    expect(noAverage.onQuote(at('10:30', 1e12), 0)).toHaveLength(0);
    const early = new RuleBook({ reference: average });
    early.add(surge(1, 1));
    expect(early.onQuote(at('09:31', 1_000_000), 0)).toHaveLength(1);
  });
});

describe('limit-touch', () => {
  const touch = (side: 'up' | 'down' | 'either', symbol = A) => rule({ kind: 'limit-touch', side }, on(symbol));
  const q = (symbol: string, price: number, prevClose: number, name = 'X', date = '2026-03-02') => tick(symbol, price, bj('10:00', date), { prevClose, name });

  it('main board ±10 %, exactly at the limit price in fen', () => {
    const book = new RuleBook();
    book.add(touch('either'));
    // 1.15 × 1.1 = 1.265 → 1.27 (half up, exact in fen).
    expect(book.onQuote(q(A, 1.27, 1.15), 0)[0]).toMatchObject({ value: 1.27, threshold: 1.27 });
    expect(book.onQuote(q(A, 1.26, 1.15), 0)).toHaveLength(0);
    expect(book.onQuote(q(A, 1.04, 1.15), 0)[0]).toMatchObject({ threshold: 1.04 });
  });

  it('the side filters; ST (from the name) is 5 % on the main board before 2026-07-06 and 10 % after', () => {
    const book = new RuleBook();
    book.add(touch('up'));
    expect(book.onQuote(q(A, 9, 10), 0)).toHaveLength(0);
    expect(book.onQuote(q(A, 10.5, 10, '*ST 某某'), 0)).toHaveLength(1);
    expect(book.onQuote(q(A, 10.5, 10, '*ST 某某', '2026-08-03'), 0)).toHaveLength(0);
    expect(book.onQuote(q(A, 11, 10, '*ST 某某', '2026-08-03'), 0)).toHaveLength(1);
  });

  it('board rules: ChiNext and STAR 20 %, BSE 30 %; an index has no limit', () => {
    for (const [symbol, up] of [['300750.SZ', 12], ['688981.SH', 12], ['830799.BJ', 13], ['000001.SH', Infinity]] as const) {
      const book = new RuleBook();
      book.add(touch('up', symbol));
      expect(book.onQuote(q(symbol, 11, 10), 0)).toHaveLength(0);
      expect(book.onQuote(q(symbol, Number.isFinite(up) ? up : 11, 10), 0)).toHaveLength(Number.isFinite(up) ? 1 : 0);
    }
  });

  it('no previous close: no limit known, nothing fires', () => {
    const book = new RuleBook();
    book.add(touch('either'));
    expect(book.onQuote(q(A, 11, 0), 0)).toHaveLength(0);
  });

  it('the IPO window (from the reference data) has no limit', () => {
    const book = new RuleBook({ reference: { listing: (_symbol, day) => ({ listDate: day, tradingDay: 1 }) } });
    book.add(touch('up', '688981.SH'));
    expect(book.onQuote(q('688981.SH', 12, 10), 0)).toHaveLength(0);
  });
});

describe('position-loss', () => {
  const snapshot = (positions: { symbol: string; avgCostFen: number; quantity?: number }[]) => ({
    timeMs: bj('10:00'),
    equityFen: 1e8,
    positions: positions.map((p) => ({ quantity: 100, lastPriceFen: 1000, name: 'N', ...p })),
  });

  it('(cost − price) / cost ≥ threshold, for a held position', () => {
    const book = new RuleBook();
    book.add(rule({ kind: 'position-loss', thresholdPercent: 5 }, on(A)));
    expect(book.onQuote(tick(A, 9, '10:00'), 0)).toHaveLength(0); // not held
    book.onPortfolio(snapshot([{ symbol: A, avgCostFen: 1000 }]), 0);
    expect(book.onQuote(tick(A, 9.51, '10:01'), 0)).toHaveLength(0);
    const [t] = book.onQuote(tick(A, 9.5, '10:02'), 0);
    expect(t).toMatchObject({ symbol: A, name: 'N', value: 5, threshold: 5, unit: 'percent' });
  });

  it('account scope follows the holdings: a position opened later is watched, a closed one no longer', () => {
    const book = new RuleBook();
    const def = rule({ kind: 'position-loss', thresholdPercent: 5 }, { type: 'account' });
    book.add(def);
    expect(book.symbolsOf(def.id)).toEqual([]);
    book.onPortfolio(snapshot([{ symbol: A, avgCostFen: 1000 }]), 0);
    expect(book.symbolsOf(def.id)).toEqual([A]);
    expect(book.onQuote(tick(A, 9, '10:00'), 0)).toHaveLength(1);
    book.onPortfolio(snapshot([{ symbol: '000001.SZ', avgCostFen: 1000 }, { symbol: A, avgCostFen: 1000, quantity: 0 }]), 0);
    expect(book.symbolsOf(def.id)).toEqual(['000001.SZ']);
    expect(book.onQuote(tick(A, 9, '10:01'), 0)).toHaveLength(0);
    expect(book.onQuote(tick('000001.SZ', 9, '10:01'), 0)).toHaveLength(1);
  });
});
