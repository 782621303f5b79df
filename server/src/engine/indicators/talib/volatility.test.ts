import { describe, expect, it } from 'vitest';
import { atr, atrLookback, natr, natrLookback, trange, trangeLookback } from './volatility';
import { constant, firstValue, mismatch, randomBars } from './testing';

function naiveTrange(h: Float64Array, l: Float64Array, c: Float64Array): Float64Array {
  const out = new Float64Array(c.length).fill(NaN);
  for (let i = 1; i < c.length; i++) out[i] = Math.max(h[i]! - l[i]!, Math.abs(h[i]! - c[i - 1]!), Math.abs(l[i]! - c[i - 1]!));
  return out;
}

/** Wilder: the first ATR is the mean of the true ranges of bars 1..p, then (prev·(p − 1) + TR)/p. */
function naiveAtr(h: Float64Array, l: Float64Array, c: Float64Array, p: number): Float64Array {
  const tr = naiveTrange(h, l, c);
  const out = new Float64Array(c.length).fill(NaN);
  if (c.length <= p) return out;
  let s = 0;
  for (let i = 1; i <= p; i++) s += tr[i]!;
  out[p] = s / p;
  for (let i = p + 1; i < c.length; i++) out[i] = (out[i - 1]! * (p - 1) + tr[i]!) / p;
  return out;
}

const { high, low, close } = randomBars(300, 41);

describe('TRANGE', () => {
  it('is the greatest of H − L and the gaps to the previous close, from bar 1', () => {
    const out = trange(high, low, close);
    expect(trangeLookback()).toBe(1);
    expect(firstValue(out)).toBe(1);
    expect(mismatch(out, naiveTrange(high, low, close), 0)).toBeUndefined();
    // A gap up: the previous close (8) is below today's low (10).
    expect(trange(Float64Array.of(9, 12), Float64Array.of(7, 10), Float64Array.of(8, 11))[1]).toBe(4);
    expect(Array.from(trange(Float64Array.of(1), Float64Array.of(1), Float64Array.of(1)))).toEqual([NaN]);
  });
});

describe('ATR / NATR', () => {
  it.each([1, 2, 14, 30])('period %i is Wilder’s average true range', (p) => {
    const a = atr(high, low, close, p);
    const expected = p === 1 ? naiveTrange(high, low, close) : naiveAtr(high, low, close, p);
    expect(atrLookback(p)).toBe(p);
    expect(firstValue(a)).toBe(p);
    expect(mismatch(a, expected)).toBeUndefined();
    const nat = natr(high, low, close, p);
    expect(natrLookback(p)).toBe(p);
    expect(firstValue(nat)).toBe(p);
    // TA-Lib's NATR with period 1 is the un-normalised true range.
    expect(mismatch(nat, p === 1 ? expected : expected.map((v, i) => (v / close[i]!) * 100))).toBeUndefined();
  });

  it('is 0 on a constant series; NATR is 0 at a ~0 close', () => {
    const flat = constant(20, 6);
    expect(Array.from(atr(flat, flat, flat, 14).subarray(14))).toEqual(Array(6).fill(0));
    const h = Float64Array.of(1, 2, 2, 1);
    const l = Float64Array.of(0, 1, 0, 0);
    const c = Float64Array.of(0.5, 1.5, 0, 0.5);
    const out = natr(h, l, c, 2);
    expect(out[2]).toBe(0);
    expect(out[3]).toBeGreaterThan(0);
  });

  it('is all NaN up to the lookback, one value one bar longer', () => {
    expect(Array.from(atr(high.subarray(0, 14), low.subarray(0, 14), close.subarray(0, 14), 14)).every(Number.isNaN)).toBe(true);
    expect(firstValue(natr(high.subarray(0, 15), low.subarray(0, 15), close.subarray(0, 15), 14))).toBe(14);
  });

  it('rejects period 0 and unequal columns', () => {
    expect(() => atr(high, low, close, 0)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'period' }));
    expect(() => natrLookback(100_001)).toThrow(expect.objectContaining({ kind: 'parameter' }));
    expect(() => trange(high, low.subarray(3), close)).toThrow(expect.objectContaining({ kind: 'input', field: 'low' }));
  });
});
