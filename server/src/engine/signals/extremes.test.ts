import { describe, expect, it } from 'vitest';
import { newHighs, newLows } from './extremes';

const f = (...values: number[]) => Float64Array.from(values);
const indices = (events: { index: number }[]) => events.map((e) => e.index);

/** The definition, straight: x[i] beyond every one of x[i−n … i−1], none of them NaN. */
function naive(x: Float64Array, n: number, sign: 1 | -1): number[] {
  const out: number[] = [];
  for (let i = n; i < x.length; i++) {
    let ok = !Number.isNaN(x[i]!);
    for (let j = i - n; j < i && ok; j++) ok = !Number.isNaN(x[j]!) && sign * x[i]! > sign * x[j]!;
    if (ok) out.push(i);
  }
  return out;
}

describe('new highs and lows', () => {
  it('needs n previous bars and a strictly greater high', () => {
    const high = f(10, 11, 12, 12, 11, 13, 13.5);
    expect(newHighs(high, 3)).toEqual([
      { index: 5, kind: 'new_high', value: 13, prior: 12 },
      { index: 6, kind: 'new_high', value: 13.5, prior: 13 },
    ]);
    // 12 at bar 3 only equals the previous high: not new. Bars 1 and 2 lack 3 previous bars.
    expect(indices(newHighs(high, 1))).toEqual([1, 2, 5, 6]);
  });

  it('finds new lows the same way', () => {
    expect(newLows(f(10, 9, 9, 9.5, 8, 8.5, 7.9), 2)).toEqual([
      { index: 4, kind: 'new_low', value: 8, prior: 9 },
      { index: 6, kind: 'new_low', value: 7.9, prior: 8 },
    ]);
  });

  it('gives nothing while a NaN is in the bar or its window', () => {
    const high = f(1, 2, NaN, 3, 4, 5, 6);
    expect(indices(newHighs(high, 2))).toEqual([5, 6]);
    expect(indices(newHighs(high, 2))).toEqual(naive(high, 2, 1));
  });

  it('agrees with the definition on a long random walk', () => {
    let seed = 7;
    const rand = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32;
    const x = new Float64Array(3000);
    for (let i = 1; i < x.length; i++) x[i] = Math.round((x[i - 1]! + rand() - 0.5) * 100) / 100;
    x[1500] = NaN;
    for (const n of [1, 5, 20, 60]) {
      expect(newHighs(x, n).length, `some ${n}-bar highs`).toBeGreaterThan(10);
      expect(indices(newHighs(x, n)), `high ${n}`).toEqual(naive(x, n, 1));
      expect(indices(newLows(x, n)), `low ${n}`).toEqual(naive(x, n, -1));
    }
  });

  it('refuses a period that is not a positive integer', () => {
    expect(() => newHighs(f(1, 2), 0)).toThrow();
    expect(() => newLows(f(1, 2), 2.5)).toThrow();
  });
});
