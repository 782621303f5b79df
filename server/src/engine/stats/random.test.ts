import { describe, expect, it } from 'vitest';
import { mulberry32, randomIndex, randomNormal } from './random';

describe('seeded random numbers', () => {
  it('is mulberry32: the published first draws for seed 42', () => {
    // mulberry32(42)'s first three draws (the sequence the test data of earlier sessions was made with).
    const random = mulberry32(42);
    expect([random(), random(), random()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('draws indices in [0, n), all of a small range, and above 2³²', () => {
    const random = mulberry32(1);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const k = randomIndex(random, 7);
      expect(k).toBeGreaterThanOrEqual(0);
      expect(k).toBeLessThan(7);
      seen.add(k);
    }
    expect(seen.size).toBe(7);
    let high = 0;
    for (let i = 0; i < 1000; i++) if (randomIndex(random, 1e12) > 2 ** 32) high++;
    expect(high).toBeGreaterThan(990);
    expect(() => randomIndex(random, 0)).toThrow(RangeError);
  });

  it('draws standard normals (mean 0, variance 1 within sampling error)', () => {
    const random = mulberry32(3);
    let s = 0;
    let ss = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const z = randomNormal(random);
      s += z;
      ss += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.015); // ±4.7 standard errors
    expect(Math.abs(ss / n - 1)).toBeLessThan(0.02);
  });
});
