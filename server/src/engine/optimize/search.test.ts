import { describe, expect, it } from 'vitest';
import { bollingerBreakout } from '../backtest/strategies/bollinger-breakout';
import { dualMa } from '../backtest/strategies/dual-ma';
import { rsiReversion } from '../backtest/strategies/rsi-reversion';
import { countTrials, gridSize, gridTrials, randomTrials, RESERVOIR_SHARE, searchSpace, strategyAccepts, trialAt, type Trial } from './search';

// Dual MA, fast 3–20 × slow 10–60, both step 1; the strategy requires fast < slow.
const space = searchSpace(dualMa, [
  { name: 'fast', min: 3, max: 20, step: 1 },
  { name: 'slow', min: 10, max: 60, step: 1 },
]);

/** The accepted (fast, slow) pairs by nested loops, in the grid's order (fast outermost). */
function nestedLoops(): { fast: number; slow: number }[] {
  const out: { fast: number; slow: number }[] = [];
  for (let fast = 3; fast <= 20; fast++) for (let slow = 10; slow <= 60; slow++) if (fast < slow) out.push({ fast, slow });
  return out;
}

describe('grid search over a strategy schema', () => {
  it('sizes the grid before constraints and counts the accepted trials as nested loops do', () => {
    expect(gridSize(space)).toBe(18 * 51);
    // By hand: fast 3–9 pairs with all 51 slows (7 × 51 = 357); fast 10–20 with slow fast+1…60,
    // 50 + 49 + … + 40 = 495; 852 in all.
    expect(nestedLoops()).toHaveLength(852);
    expect(countTrials(space)).toBe(852);
    expect([...gridTrials(space)].map((t) => t.params)).toEqual(nestedLoops());
  });

  it('decodes an index as the generator orders it (mixed radix, the first parameter slowest)', () => {
    const trials = [...gridTrials(space)];
    for (const { index, params } of trials) expect(trialAt(space, index)).toEqual(params);
    expect(trialAt(space, 0)).toEqual({ fast: 3, slow: 10 });
    expect(trialAt(space, 51)).toEqual({ fast: 4, slow: 10 });
    expect(trialAt(space, 17 * 51 + 50)).toEqual({ fast: 20, slow: 60 });
    // A refused point has an index too: fast 20, slow 10.
    expect(trialAt(space, 17 * 51)).toEqual({ fast: 20, slow: 10 });
    expect(space.accepts(trialAt(space, 17 * 51))).toBe(false);
    expect(() => trialAt(space, 918)).toThrow(new RangeError('index must be an integer from 0 to 917, got 918'));
    expect(() => trialAt(space, 1.5)).toThrow(RangeError);
  });

  it('resumes from an index', () => {
    const all = [...gridTrials(space)];
    const from = all[400]!.index;
    expect([...gridTrials(space, from)]).toEqual(all.slice(400));
    expect([...gridTrials(space, from + 1)]).toEqual(all.slice(401));
    expect([...gridTrials(space, gridSize(space))]).toEqual([]);
    expect(() => [...gridTrials(space, -1)]).toThrow(RangeError);
  });

  it('checks constraints the way a backtest request is checked (resolve, then create)', () => {
    expect(strategyAccepts(dualMa, { fast: 5, slow: 20 })).toBe(true);
    expect(strategyAccepts(dualMa, { fast: 20, slow: 20 })).toBe(false);
    expect(strategyAccepts(dualMa, { fast: 1, slow: 20 })).toBe(false); // below the schema's min
    expect(strategyAccepts(rsiReversion, { lower: 70, upper: 30 })).toBe(false);
  });

  it('keeps fixed parameters in every trial', () => {
    const s = searchSpace(dualMa, [{ name: 'fast', values: [5, 10] }], { slow: 30, commissionRate: 0.0003 });
    expect([...gridTrials(s)].map((t) => t.params)).toEqual([
      { slow: 30, commissionRate: 0.0003, fast: 5 },
      { slow: 30, commissionRate: 0.0003, fast: 10 },
    ]);
  });

  it('steps real parameters without drift and takes enumerations in their order', () => {
    const s = searchSpace(bollingerBreakout, [
      { name: 'period', values: [50, 20] },
      { name: 'nbdev', min: 0.1, max: 0.7, step: 0.1 },
    ]);
    expect(gridSize(s)).toBe(14);
    const values = [...gridTrials(s)].map((t) => [t.params.period, t.params.nbdev]);
    expect(values.slice(0, 7)).toEqual([[50, 0.1], [50, 0.2], [50, 0.3], [50, 0.4], [50, 0.5], [50, 0.6], [50, 0.7]]);
    expect(values[7]).toEqual([20, 0.1]);
    const fine = searchSpace(bollingerBreakout, [{ name: 'nbdev', min: 1, max: 1.00005, step: 0.00001 }]);
    expect([...gridTrials(fine)].map((t) => t.params.nbdev)).toEqual([1, 1.00001, 1.00002, 1.00003, 1.00004, 1.00005]);
  });

  it('iterates a 100,000-point grid in constant memory (lazily: only counted here)', () => {
    // fast 2–201 (200 values) × slow 101–350 (250) × commissionRate 0.0002, 0.0003 = 100,000
    // points, none materialised. The accepted ones counted by nested loops (a count, no list).
    const big = searchSpace(dualMa, [
      { name: 'fast', min: 2, max: 201, step: 1 },
      { name: 'slow', min: 101, max: 350, step: 1 },
      { name: 'commissionRate', values: [0.0002, 0.0003] },
    ]);
    expect(gridSize(big)).toBe(100_000);
    let expected = 0;
    for (let fast = 2; fast <= 201; fast++) for (let slow = 101; slow <= 350; slow++) if (fast < slow) expected += 2;
    expect(expected).toBe(89_698);
    let n = 0;
    for (const trial of gridTrials(big)) n += trial.index >= 0 ? 1 : 0;
    expect(n).toBe(expected);
  });

  it('refuses grids the schema does not allow', () => {
    expect(() => searchSpace(dualMa, [{ name: 'speed', min: 1, max: 2, step: 1 }])).toThrow(new RangeError('dual-ma has no parameter speed'));
    expect(() => searchSpace(dualMa, [{ name: 'fast', min: 3, max: 20, step: 0.5 }])).toThrow(/fast: the step must be a positive integer, got 0.5/);
    expect(() => searchSpace(dualMa, [{ name: 'fast', min: 1, max: 20, step: 1 }])).toThrow(/min and max must be integers from 2 to 250/);
    expect(() => searchSpace(dualMa, [{ name: 'fast', min: 20, max: 3, step: 1 }])).toThrow(/min ≤ max/);
    expect(() => searchSpace(bollingerBreakout, [{ name: 'nbdev', min: 1, max: 2, step: 0 }])).toThrow(/step must be a positive number/);
    expect(() => searchSpace(dualMa, [{ name: 'fast', values: [] }])).toThrow(/empty/);
    expect(() => searchSpace(dualMa, [{ name: 'fast', values: [5, 5] }])).toThrow(/repeat/);
    expect(() => searchSpace(dualMa, [{ name: 'fast', values: [5.5] }])).toThrow(/values must be integers/);
    expect(() => searchSpace(dualMa, [{ name: 'fast', values: [5] }, { name: 'fast', values: [6] }])).toThrow(/searched twice/);
    expect(() => searchSpace(dualMa, [{ name: 'fast', values: [5] }], { fast: 5 })).toThrow(/both searched and fixed/);
    expect(() => searchSpace(dualMa, [{ name: 'fast', values: [5] }], { slow: 9999 })).toThrow(/dual-ma.slow must be an integer from 3 to 500/);
    expect(() => searchSpace(dualMa, [])).toThrow(/at least one parameter/);
  });
});

describe('random search', () => {
  const key = (t: Trial) => t.index;
  function checkSample(trials: Trial[]) {
    expect(new Set(trials.map(key)).size).toBe(trials.length); // no repeats
    for (const t of trials) {
      expect(space.accepts(t.params)).toBe(true); // every one valid
      expect(trialAt(space, t.index)).toEqual(t.params); // and where its index says
    }
  }

  it('draws distinct valid trials, the same for the same seed, by rejection when the count is small', () => {
    expect(50).toBeLessThan(RESERVOIR_SHARE * gridSize(space));
    const a = randomTrials(space, 50, 42);
    expect(a).toHaveLength(50);
    checkSample(a);
    expect(randomTrials(space, 50, 42)).toEqual(a);
    expect(randomTrials(space, 50, 43).map(key)).not.toEqual(a.map(key));
  });

  it('samples without replacement in one pass when the count is a large share of the grid', () => {
    const count = 600; // ≥ ¼ of the 918 points: reservoir sampling over the 852 accepted trials
    const a = randomTrials(space, count, 7);
    expect(a).toHaveLength(count);
    checkSample(a);
    expect(randomTrials(space, count, 7)).toEqual(a);
    // Random order, not grid order.
    expect(a.map(key)).not.toEqual([...a.map(key)].sort((x, y) => x - y));
  });

  it('returns every accepted trial, shuffled, when asked for more than there are', () => {
    const all = randomTrials(space, 5000, 1);
    expect(all).toHaveLength(852);
    checkSample(all);
    expect(new Set(all.map(key))).toEqual(new Set([...gridTrials(space)].map(key)));
    expect(randomTrials(space, 0, 1)).toEqual([]);
    expect(() => randomTrials(space, -1, 1)).toThrow(new RangeError('count must be an integer ≥ 0, got -1'));
  });

  it('still draws distinct valid trials when the strategy refuses most of the grid', () => {
    // fast 2–250 × slow 3–10: 1,992 points, only 1 + 2 + … + 8 = 36 with fast < slow. Rejection
    // gives up after 64·count + 1,024 draws and the reservoir pass finishes the job.
    const sparse = searchSpace(dualMa, [
      { name: 'fast', min: 2, max: 250, step: 1 },
      { name: 'slow', min: 3, max: 10, step: 1 },
    ]);
    expect(countTrials(sparse)).toBe(36);
    for (const count of [5, 30, 36]) {
      const a = randomTrials(sparse, count, 99);
      expect(a).toHaveLength(count);
      expect(new Set(a.map(key)).size).toBe(count);
      for (const t of a) expect(t.params.fast).toBeLessThan(t.params.slow!);
      expect(randomTrials(sparse, count, 99)).toEqual(a);
    }
  });

  it('covers the grid evenly (each accepted trial about equally often over many seeds)', () => {
    const hits = new Map<number, number>();
    for (let seed = 0; seed < 400; seed++) for (const t of randomTrials(space, 20, seed)) hits.set(t.index, (hits.get(t.index) ?? 0) + 1);
    // 400 × 20 = 8,000 draws over 852 trials: about 9.4 each; uniform sampling keeps every count in 0–30.
    expect(hits.size).toBeGreaterThan(840);
    for (const n of hits.values()) expect(n).toBeLessThan(30);
  });
});
