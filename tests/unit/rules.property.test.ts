/**
 * The trigger policy of the rules engine (server/src/engine/rules, docs/RULES.md "Trigger policy")
 * against a model written out here: random quote sequences on two symbols of a watchlist
 * price-cross rule, random frequency (once, once-per-bar 1m/5m/day, every with a cooldown),
 * direction and re-arms. The book's triggers must be exactly the model's — a crossing (previous
 * price strictly on one side, this one on the other or at the level, in fen) that the frequency
 * lets through, per symbol — and the frequency invariants hold on their own: `once` at most once
 * per symbol between re-arms, `every` never twice within the cooldown of the clock, `once-per-bar`
 * at most once per bar. fast-check lives here, not beside the engine (scripts/eslint/layers.js).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RuleBook, type Direction, type TriggerFrequency } from '../../server/src/engine/rules';

const SYMBOLS = ['600000.SH', '000001.SZ'] as const;
const LEVEL_FEN = 1000;
/** Monday 2026-03-02 09:30 Beijing. */
const START_MS = Date.parse('2026-03-02T09:30:00+08:00');
const BAR_MINUTES = { '1m': 1, '5m': 5, day: 1440 } as const;

/** Clock steps on a 15 s grid (0–90 s), so a cooldown on the grid is often met exactly (the ≥ boundary). */
const CLOCK_STEP = fc.integer({ min: 0, max: 6 }).map((k) => k * 15);

type Step = { type: 'quote'; symbol: 0 | 1; priceFen: number; marketSeconds: number; clockSeconds: number } | { type: 'rearm' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 20, arbitrary: fc.record({ type: fc.constant('quote' as const), symbol: fc.constantFrom(0 as const, 1 as const), priceFen: fc.integer({ min: 990, max: 1010 }), marketSeconds: fc.integer({ min: 0, max: 200 }), clockSeconds: CLOCK_STEP }) },
  { weight: 1, arbitrary: fc.constant({ type: 'rearm' as const }) },
);

const frequency: fc.Arbitrary<TriggerFrequency> = fc.oneof(
  fc.constant({ mode: 'once' as const }),
  fc.constantFrom('1m' as const, '5m' as const, 'day' as const).map((bar) => ({ mode: 'once-per-bar' as const, bar })),
  fc.oneof(fc.integer({ min: 0, max: 20 }).map((k) => k * 15), fc.integer({ min: 0, max: 300 })).map((cooldownSeconds) => ({ mode: 'every' as const, cooldownSeconds })),
);

const crosses = (direction: Direction, prev: number, price: number): boolean =>
  (direction !== 'down' && prev < LEVEL_FEN && price >= LEVEL_FEN) || (direction !== 'up' && prev > LEVEL_FEN && price <= LEVEL_FEN);

/** The bar of a market time as the exchange's clock reads it (Beijing, UTC+8, no DST). */
const bucketOf = (bar: keyof typeof BAR_MINUTES, ms: number) => Math.floor((ms + 8 * 3_600_000) / 60_000 / BAR_MINUTES[bar]);

interface Fired {
  symbol: string;
  step: number;
  now: number;
  eventMs: number;
}

/** What the policy lets through, computed from the definitions in docs/RULES.md. */
function model(direction: Direction, freq: TriggerFrequency, steps: readonly Step[]): Fired[] {
  const prev = new Map<string, number>();
  let state = new Map<string, { fired: boolean; lastNow: number; lastBucket: number }>();
  const out: Fired[] = [];
  let market = START_MS;
  let clock = START_MS;
  steps.forEach((s, i) => {
    if (s.type === 'rearm') {
      state = new Map();
      return;
    }
    market += s.marketSeconds * 1000;
    clock += s.clockSeconds * 1000;
    const symbol = SYMBOLS[s.symbol];
    const before = prev.get(symbol);
    prev.set(symbol, s.priceFen);
    if (before === undefined || !crosses(direction, before, s.priceFen)) return;
    const st = state.get(symbol);
    if (st) {
      if (freq.mode === 'once') return;
      if (freq.mode === 'every' && clock - st.lastNow < freq.cooldownSeconds * 1000) return;
      if (freq.mode === 'once-per-bar' && bucketOf(freq.bar as keyof typeof BAR_MINUTES, market) === st.lastBucket) return;
    }
    state.set(symbol, { fired: true, lastNow: clock, lastBucket: freq.mode === 'once-per-bar' ? bucketOf(freq.bar as keyof typeof BAR_MINUTES, market) : NaN });
    out.push({ symbol, step: i, now: clock, eventMs: market });
  });
  return out;
}

function run(direction: Direction, freq: TriggerFrequency, steps: readonly Step[]): Fired[] {
  const book = new RuleBook();
  book.add({ id: 'r', name: 'cross', enabled: true, severity: 'warning', scope: { type: 'watchlist', symbols: [...SYMBOLS] }, condition: { kind: 'price-cross', level: LEVEL_FEN / 100, direction }, frequency: freq });
  const out: Fired[] = [];
  let market = START_MS;
  let clock = START_MS;
  steps.forEach((s, i) => {
    if (s.type === 'rearm') return book.rearm('r');
    market += s.marketSeconds * 1000;
    clock += s.clockSeconds * 1000;
    const symbol = SYMBOLS[s.symbol];
    for (const t of book.onQuote({ symbol, price: s.priceFen / 100, prevClose: 10, timeMs: market }, clock)) {
      expect(t).toMatchObject({ ruleId: 'r', kind: 'price-cross', symbol, value: s.priceFen / 100, threshold: LEVEL_FEN / 100, time: clock, eventTime: market });
      out.push({ symbol, step: i, now: t.time, eventMs: t.eventTime });
    }
  });
  return out;
}

describe('trigger policy (RuleBook) against a model', () => {
  it('fires exactly on the crossings the frequency lets through, per symbol, with the frequency invariants', () => {
    fc.assert(
      fc.property(fc.constantFrom<Direction>('up', 'down', 'either'), frequency, fc.array(step, { minLength: 1, maxLength: 120 }), (direction, freq, steps) => {
        const fired = run(direction, freq, steps);
        expect(fired).toEqual(model(direction, freq, steps));

        // The invariants on their own, between re-arms.
        const rearms = steps.flatMap((s, i) => (s.type === 'rearm' ? [i] : []));
        const epoch = (i: number) => rearms.filter((r) => r < i).length;
        for (const symbol of SYMBOLS) {
          const mine = fired.filter((f) => f.symbol === symbol);
          for (let k = 1; k < mine.length; k++) {
            const [a, b] = [mine[k - 1]!, mine[k]!];
            if (epoch(a.step) !== epoch(b.step)) continue;
            if (freq.mode === 'once') expect.unreachable(`once fired twice for ${symbol}`);
            if (freq.mode === 'every') expect(b.now - a.now).toBeGreaterThanOrEqual(freq.cooldownSeconds * 1000);
            if (freq.mode === 'once-per-bar') expect(bucketOf(freq.bar as keyof typeof BAR_MINUTES, b.eventMs)).not.toBe(bucketOf(freq.bar as keyof typeof BAR_MINUTES, a.eventMs));
          }
        }
      }),
      { numRuns: 400, seed: 20_261_205 },
    );
  });
});
