import { describe, expect, it } from 'vitest';
import { crossAt, crossNow, signBefore } from './crosses';

const f = (xs: number[]) => Float64Array.from(xs);

describe('backtrader-style crosses', () => {
  it('compares the sign now with the last non-zero sign before, so a touch-and-through counts once', () => {
    const a = f([1, 2, 3, 3, 4, 3, 2]);
    const b = f([3, 3, 3, 3, 3, 3, 3]);
    // a − b: −2, −1, 0, 0, +1, 0, −1 → up on bar 4 (last non-zero before: −1 on bar 1), down on bar 6
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => crossAt(a, b, i))).toEqual([0, 0, 0, 0, 1, 0, -1]);
    expect(signBefore(a, b, 4)).toBe(-1);
    expect(signBefore(a, b, 6)).toBe(1);
  });

  it('finds no sign through warm-up NaNs: the first bar with values never crosses', () => {
    const a = f([NaN, NaN, 5, 6, 4]);
    const b = f([NaN, NaN, 5.5, 5.5, 5.5]);
    expect([0, 1, 2, 3, 4].map((i) => crossAt(a, b, i))).toEqual([0, 0, 0, 1, -1]);
    // A tie on the first bar with values, then a move: still no cross (nothing non-zero before).
    expect(crossAt(f([NaN, 5, 6]), f([NaN, 5, 5]), 2)).toBe(0);
    expect(signBefore(f([NaN, 5, 6]), f([NaN, 5, 5]), 2)).toBe(0);
  });

  it('takes a constant level, and crossNow looks at the last bar', () => {
    expect(crossNow(f([25, 35]), 30)).toBe(1);
    expect(crossNow(f([35, 30, 25]), 30)).toBe(-1);
    expect(crossNow(f([25]), 30)).toBe(0);
    expect(crossNow(f([]), 30)).toBe(0);
  });
});
