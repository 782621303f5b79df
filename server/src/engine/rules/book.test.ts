import { describe, expect, it } from 'vitest';
import { INDICATORS } from '../indicators';
import { registryFeed, smaFeed } from './bar-conditions';
import { RuleBook } from './book';
import { RuleProblem } from './problem';
import { account, bj, on, rule, tick, watchlist } from './testing';
import type { BarClose, RuleDefinition, TriggerFrequency } from './types';

const A = '600000.SH';
const B = '000001.SZ';
const C = '300750.SZ';
const crossUp = (scope = on(A), level = 10) => rule({ kind: 'price-cross', level, direction: 'up' }, scope);

describe('the symbol index', () => {
  it('a quote for A evaluates A’s rules only, never B’s (counted)', () => {
    const book = new RuleBook();
    const ra = crossUp(on(A));
    const rb = crossUp(on(B));
    const rab = crossUp(watchlist(A, B));
    const portfolio = rule({ kind: 'drawdown', thresholdPercent: 5 }, account);
    for (const r of [ra, rb, rab, portfolio]) book.add(r);
    for (let i = 0; i < 10; i++) book.onQuote(tick(A, 9 + i * 0.1, bj('10:00') + i * 1000), 0);
    expect([ra, rb, rab, portfolio].map((r) => book.evaluationsOf(r.id))).toEqual([10, 0, 10, 0]);
    book.onQuote(tick(B, 9, '10:00'), 0);
    expect([ra, rb, rab].map((r) => book.evaluationsOf(r.id))).toEqual([10, 1, 11]);
  });

  it('a quote for a symbol no rule watches evaluates nothing and answers no trigger', () => {
    const book = new RuleBook();
    const r = crossUp(on(B));
    book.add(r);
    expect(book.onQuote(tick(C, 100, '10:00'), 0)).toEqual([]);
    expect(book.evaluationsOf(r.id)).toBe(0);
  });

  it('watchlists expand into the index; duplicates are listed once; add, update, remove keep it exact', () => {
    const book = new RuleBook();
    const w = crossUp(watchlist(A, B, A));
    book.add(w);
    expect(book.symbolsOf(w.id)).toEqual([A, B]);
    expect(book.rulesFor(A)).toEqual([w.id]);
    book.update({ ...w, scope: watchlist(B, C) });
    expect(book.rulesFor(A)).toEqual([]);
    expect(book.rulesFor(C)).toEqual([w.id]);
    expect(book.remove(w.id)).toBe(true);
    expect(book.remove(w.id)).toBe(false);
    expect([A, B, C].flatMap((s) => book.rulesFor(s))).toEqual([]);
    expect(book.size).toBe(0);
  });

  it('keeps its own copy of a definition: changing the object afterwards changes nothing', () => {
    const book = new RuleBook();
    const symbols = [A];
    const r = crossUp({ type: 'watchlist', symbols });
    book.add(r);
    symbols.push(B);
    r.enabled = false;
    expect(book.symbolsOf(r.id)).toEqual([A]);
    book.onQuote(tick(A, 9, '10:00'), 0);
    expect(book.onQuote(tick(A, 11, '10:01'), 0)).toHaveLength(1);
  });

  it('a symbol’s market state goes with its last rule (a new rule starts without a previous price)', () => {
    const book = new RuleBook();
    const r = crossUp();
    book.add(r);
    book.onQuote(tick(A, 9, '10:00'), 0);
    book.remove(r.id);
    book.add({ ...r, id: 'again' });
    expect(book.onQuote(tick(A, 11, '10:01'), 0)).toHaveLength(0);
  });

  it('an edit keeps the previous price (the market state of the symbol survives)', () => {
    const book = new RuleBook();
    const r = crossUp();
    book.add(r);
    book.onQuote(tick(A, 9, '10:00'), 0);
    book.update({ ...r, severity: 'critical' });
    expect(book.onQuote(tick(A, 11, '10:01'), 0)).toHaveLength(1);
  });

  it('a stale quote (a cached close) is skipped and is not the previous price', () => {
    const book = new RuleBook();
    const r = crossUp();
    book.add(r);
    book.onQuote(tick(A, 9, '10:00'), 0);
    expect(book.onQuote(tick(A, 11, '10:01', { stale: true }), 0)).toHaveLength(0);
    expect(book.evaluationsOf(r.id)).toBe(1);
    expect(book.onQuote(tick(A, 10.5, '10:02'), 0)).toHaveLength(1);
  });

  it('lists the expired rules for the module', () => {
    const book = new RuleBook();
    const r = { ...crossUp(), expiresAt: 1_000 };
    book.add(r);
    book.add(crossUp());
    expect(book.expiredRules(999)).toEqual([]);
    expect(book.expiredRules(1_000)).toEqual([r.id]);
  });

  it('account rules are not in the symbol index; portfolio snapshots evaluate them', () => {
    const book = new RuleBook();
    const r = rule({ kind: 'hhi', threshold: 0.5 }, account);
    book.add(r);
    expect(book.rulesFor(A)).toEqual([]);
    book.onQuote(tick(A, 9, '10:00'), 0);
    expect(book.evaluationsOf(r.id)).toBe(0);
    const triggers = book.onPortfolio({ timeMs: 0, equityFen: 1, positions: [{ symbol: A, quantity: 100, avgCostFen: 1000, lastPriceFen: 1000 }] }, 5);
    expect(triggers).toHaveLength(1);
    expect(triggers[0]).toMatchObject({ ruleId: r.id, value: 1, time: 5 });
  });
});

describe('rule validation', () => {
  const problem = (def: RuleDefinition) => {
    try {
      new RuleBook().add(def);
    } catch (e) {
      return e instanceof RuleProblem ? e.field : 'other';
    }
    return undefined;
  };

  it('names the field at fault', () => {
    expect(problem(crossUp(on('600000')))).toBe('scope.symbol');
    expect(problem(crossUp(account))).toBe('scope.type');
    expect(problem(rule({ kind: 'drawdown', thresholdPercent: 5 }, on(A)))).toBe('scope.type');
    expect(problem(crossUp(on(A), 0.001))).toBe('condition.level');
    expect(problem(rule({ kind: 'price-change', minutes: 0, thresholdPercent: 1, direction: 'up' }, on(A)))).toBe('condition.minutes');
    expect(problem(rule({ kind: 'hhi', threshold: 2 }, account))).toBe('condition.threshold');
    expect(problem({ ...crossUp(), frequency: { mode: 'every', cooldownSeconds: -1 } })).toBe('frequency.cooldownSeconds');
    expect(problem({ ...crossUp(), frequency: { mode: 'sometimes' } as unknown as TriggerFrequency })).toBe('frequency.mode');
    expect(problem({ ...crossUp(), severity: 'fatal' as 'info' })).toBe('severity');
    expect(problem({ ...crossUp(), condition: { kind: 'moon' } as unknown as RuleDefinition['condition'] })).toBe('condition.kind');
    expect(problem({ ...crossUp(), condition: { kind: 'toString' } as unknown as RuleDefinition['condition'] })).toBe('condition.kind');
    expect(problem(crossUp())).toBeUndefined();
  });

  it('rejects a duplicate id on add and an unknown id on update; a bad edit leaves the rule as it was', () => {
    const book = new RuleBook();
    const r = crossUp();
    book.add(r);
    expect(() => book.add(r)).toThrow(RuleProblem);
    expect(() => book.update({ ...r, id: 'nope' })).toThrow(RuleProblem);
    expect(() => book.update({ ...r, scope: on('bad') })).toThrow(RuleProblem);
    expect(book.get(r.id)).toEqual(r);
    expect(book.rulesFor(A)).toEqual([r.id]);
  });
});

describe('indicator-cross on bar closes', () => {
  const bar = (closes: number[], period: BarClose['period'] = 'day'): BarClose => ({ symbol: A, period, timeMs: bj('15:00'), closes: Float64Array.from(closes) });
  const belowMa = rule({ kind: 'indicator-cross', period: 'day', line: 'close', against: { indicator: 'MA', params: { period: 3 } }, direction: 'down' }, on(A));

  it('close crosses below MA(3): previous close ≥ its MA, this close < its MA', () => {
    const book = new RuleBook();
    book.add(belowMa);
    // MA3 at the last two bars: (10+11+12)/3 = 11 (close 12 above), (11+12+9)/3 = 10.67 (close 9 below).
    const [t] = book.onBar(bar([10, 11, 12, 9]), 0);
    expect(t).toMatchObject({ value: 9, threshold: expect.closeTo(32 / 3, 12), price: 9 });
    expect(t!.message).toBe('600000.SH close crossed below MA(3) on the day close 9.00');
    expect(book.onBar(bar([10, 11, 12, 13]), 0)).toHaveLength(0);
  });

  it('nothing while the indicator warms up, on another period, or for an indicator the feed does not know', () => {
    const book = new RuleBook();
    book.add(belowMa);
    expect(book.onBar(bar([12, 9]), 0)).toHaveLength(0);
    expect(book.onBar(bar([10, 11, 12, 9], '5m'), 0)).toHaveLength(0);
    const other = new RuleBook();
    other.add(rule({ kind: 'indicator-cross', period: 'day', line: 'close', against: { indicator: 'BOLL' }, direction: 'down' }, on(A)));
    expect(other.onBar(bar([10, 11, 12, 9]), 0)).toHaveLength(0);
  });

  it('the registry feed: any indicator of the registry, the same MA as smaFeed; silent when it cannot compute', () => {
    const feed = registryFeed(INDICATORS);
    const b = bar([10, 11, 12, 9, 8, 13]);
    expect(feed.lastTwo({ indicator: 'SMA', params: { period: 3 } }, b)).toEqual(smaFeed.lastTwo({ indicator: 'MA', params: { period: 3 } }, b));
    expect(feed.lastTwo({ indicator: 'RSI', params: { period: 2 } }, b)?.every(Number.isFinite)).toBe(true);
    expect(feed.lastTwo({ indicator: 'NOPE' }, b)).toBeUndefined();
    expect(feed.lastTwo({ indicator: 'SMA', params: { period: 30 } }, b)).toBeUndefined();
    expect(feed.lastTwo({ indicator: 'ATR' }, b)).toBeUndefined(); // needs high and low
    expect(registryFeed(INDICATORS, 'tdx').lastTwo({ indicator: 'MA', params: { period: 3 } }, b)).toEqual(feed.lastTwo({ indicator: 'SMA', params: { period: 3 } }, b));
    // A line naming its convention is found there whatever the feed's default.
    expect(feed.lastTwo({ indicator: 'MA', convention: 'tdx', params: { period: 3 } }, b)).toEqual(feed.lastTwo({ indicator: 'SMA', params: { period: 3 } }, b));
    expect(feed.lastTwo({ indicator: 'MA' }, b)).toBeUndefined(); // no MA in talib
    const book = new RuleBook({ indicators: feed });
    book.add(rule({ kind: 'indicator-cross', period: 'day', line: 'close', against: { indicator: 'SMA', params: { period: 3 } }, direction: 'down' }, on(A)));
    expect(book.onBar(bar([10, 11, 12, 9]), 0)).toHaveLength(1);
  });

  it('a level, and a feed supplied by the module', () => {
    const book = new RuleBook({ indicators: { lastTwo: (spec) => (spec.indicator === 'RSI' ? [75, 81] : undefined) } });
    book.add(rule({ kind: 'indicator-cross', period: 'day', line: { indicator: 'RSI', params: { period: 14 } }, against: 80, direction: 'up' }, on(A)));
    expect(book.onBar(bar([1, 2]), 0)[0]).toMatchObject({ value: 81, threshold: 80 });
  });
});

/**
 * Seeded random walks instead of fast-check: the layer rule keeps packages other than vitest out of
 * server/src/engine, tests included (the repo's fast-check properties live in tests/unit). 300
 * walks per property, each reproducible from its seed, which a failure names.
 */
describe('policy properties (seeded random walks)', () => {
  function mulberry32(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Quotes wandering around the level 10.00 in steps of up to ±0.30, 1 ms to 2 min apart. */
  function walk(seed: number): { fen: number; t: number }[] {
    const random = mulberry32(seed);
    const length = 1 + Math.floor(random() * 200);
    const out: { fen: number; t: number }[] = [];
    let fen = 1000;
    let t = bj('09:30');
    for (let i = 0; i < length; i++) {
      fen = Math.max(1, fen + Math.floor(random() * 61) - 30);
      t += 1 + Math.floor(random() * 120_000);
      out.push({ fen, t });
    }
    return out;
  }

  function replay(frequency: TriggerFrequency, quotes: { fen: number; t: number }[]): number[] {
    const book = new RuleBook();
    book.add(rule({ kind: 'price-cross', level: 10, direction: 'either' }, on(A), { frequency }));
    const times: number[] = [];
    for (const { fen, t } of quotes) for (const trigger of book.onQuote(tick(A, fen / 100, t), t)) times.push(trigger.time);
    return times;
  }

  function forAllWalks(property: (quotes: { fen: number; t: number }[], seed: number) => boolean): void {
    for (let seed = 1; seed <= 300; seed++) if (!property(walk(seed), seed)) expect.fail(`property fails for seed ${seed}`);
  }

  it('once never fires twice', () => {
    forAllWalks((quotes) => replay({ mode: 'once' }, quotes).length <= 1);
  });

  it('every with cooldown c never fires two triggers closer than c', () => {
    forAllWalks((quotes, seed) => {
      const cooldownSeconds = seed % 600;
      const times = replay({ mode: 'every', cooldownSeconds }, quotes);
      return times.every((time, i) => i === 0 || time - times[i - 1]! >= cooldownSeconds * 1000);
    });
  });

  it('once-per-bar fires at most once per bucket, and only where cooldown 0 fires', () => {
    forAllWalks((quotes) => {
      const all = new Set(replay({ mode: 'every', cooldownSeconds: 0 }, quotes));
      const perMinute = replay({ mode: 'once-per-bar', bar: '1m' }, quotes);
      const buckets = perMinute.map((t) => Math.floor(t / 60_000));
      return perMinute.every((t) => all.has(t)) && new Set(buckets).size === buckets.length;
    });
  });

  it('the walks do cross (the properties are not vacuous)', () => {
    let crossings = 0;
    for (let seed = 1; seed <= 300; seed++) crossings += replay({ mode: 'every', cooldownSeconds: 0 }, walk(seed)).length;
    expect(crossings).toBeGreaterThan(1000);
  });
});
