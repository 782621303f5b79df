import { describe, expect, it } from 'vitest';
import { fillCloses, portfolioReturns, valueIndex } from './series';

const f = (...v: number[]) => Float64Array.from(v);

describe('filling closes', () => {
  it('forward-fills suspended days and back-fills before the first close', () => {
    // no bar on days 0, 1 (not cached yet), 3 (suspended, null) and 5 (NaN)
    const { closes, filled } = fillCloses('x', [null, Number.NaN, 10, null, 11, Number.NaN, 12], 7);
    expect([...closes]).toEqual([10, 10, 10, 10, 11, 11, 12]);
    expect(filled).toBe(4);
  });

  it('keeps a full series as it is', () => {
    expect(fillCloses('x', [3, 4, 5], 3)).toEqual({ closes: f(3, 4, 5), filled: 0 });
    expect(fillCloses('x', [], 0)).toEqual({ closes: f(), filled: 0 });
  });

  it('makes a series with no close at all flat, and says so', () => {
    expect(fillCloses('x', [null, null, undefined as unknown as null], 3)).toEqual({ closes: f(1, 1, 1), filled: 3 });
  });

  it('rejects closes that are not bars or gaps, and the wrong length', () => {
    for (const bad of [0, -1, Infinity]) expect(() => fillCloses('x', [1, bad, 2], 3)).toThrow(RangeError);
    expect(() => fillCloses('x', [1, 2], 3)).toThrow(/2 closes for 3 dates/);
  });
});

describe('fixed-weights portfolio returns', () => {
  it('is Σ wᵢ·rᵢ each day', () => {
    // a: +10 %, −5 %; b: −2 %, +4 %; weights ¾, ¼
    // day 1: 0.75·0.10 + 0.25·(−0.02) = 0.07; day 2: 0.75·(−0.05) + 0.25·0.04 = −0.0275
    const r = portfolioReturns([f(0.1, -0.05), f(-0.02, 0.04)], [0.75, 0.25]);
    expect(r[0]).toBeCloseTo(0.07, 15);
    expect(r[1]).toBeCloseTo(-0.0275, 15);
  });

  it('is the one position’s returns for a single position, and empty for none', () => {
    expect(portfolioReturns([f(0.01, -0.02, 0.03)], [1])).toEqual(f(0.01, -0.02, 0.03));
    expect(portfolioReturns([], [])).toEqual(f());
  });

  it('is not the buy-and-hold book: weights are reset every day', () => {
    // a doubles then halves, b is flat, 50/50: fixed weights give +50 % then −25 % (index 1.125),
    // while holding the shares would end where it started (1 + 1)/2 → (2 + 1)/2 → (1 + 1)/2 = 1.
    const r = portfolioReturns([f(1, -0.5), f(0, 0)], [0.5, 0.5]);
    expect([...valueIndex(r)]).toEqual([1, 1.5, 1.125]);
  });
});

describe('value index', () => {
  it('starts at 1 and compounds', () => {
    // 1 → 1.1 → 1.1·0.9 = 0.99
    const v = valueIndex([0.1, -0.1]);
    expect(v[0]).toBe(1);
    expect(v[1]).toBeCloseTo(1.1, 15);
    expect(v[2]).toBeCloseTo(0.99, 15);
    expect(valueIndex([])).toEqual(f(1));
  });
});
