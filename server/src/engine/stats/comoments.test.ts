import { describe, expect, it } from 'vitest';
import { betaCorrelation, comoments } from './comoments';

describe('co-moments, beta and correlation', () => {
  it('match sums written out by hand', () => {
    // x = 1 2 3 4, y = 2 1 4 3: means 2.5, 2.5; dx = −1.5 −0.5 0.5 1.5, dy = −0.5 −1.5 1.5 0.5
    // sxx = syy = 2.25 + 0.25 + 0.25 + 2.25 = 5; sxy = 0.75 + 0.75 + 0.75 + 0.75 = 3
    expect(comoments([1, 2, 3, 4], [2, 1, 4, 3])).toEqual({ n: 4, meanX: 2.5, meanY: 2.5, sxx: 5, syy: 5, sxy: 3 });
    // beta of y on x = 3/5, correlation 3/√(5·5) = 0.6
    const bc = betaCorrelation([2, 1, 4, 3], [1, 2, 3, 4]);
    expect(bc.beta).toBeCloseTo(0.6, 15);
    expect(bc.correlation).toBeCloseTo(0.6, 15);
  });

  it('gives beta 2 and correlation 1 for y = 2x + c, −1 for y = −x', () => {
    const x = [0.01, -0.005, 0.02, 0.004, -0.013];
    const bc = betaCorrelation(x.map((v) => 2 * v + 0.001), x);
    expect(bc.beta).toBeCloseTo(2, 13);
    expect(bc.correlation).toBeCloseTo(1, 14);
    expect(bc.correlation!).toBeLessThanOrEqual(1); // clamped against rounding
    expect(betaCorrelation(x.map((v) => -v), x).correlation).toBeCloseTo(-1, 14);
  });

  it('is null where undefined: a flat x, a flat y (correlation only), fewer than 2 pairs', () => {
    expect(betaCorrelation([1, 2, 3], [5, 5, 5])).toEqual({ beta: null, correlation: null });
    expect(betaCorrelation([0.01, 0.01, 0.01], [1, 2, 3])).toEqual({ beta: 0, correlation: null });
    expect(betaCorrelation([1], [1])).toEqual({ beta: null, correlation: null });
    expect(comoments([], [])).toBeNull();
  });
});
