import { describe, expect, it } from 'vitest';
import { normalCdf } from './distribution';
import { normalPdf, normalQuantile } from './normal';

describe('normal quantile (Acklam + one Halley step)', () => {
  it('gives the textbook one-sided quantiles to 1e-12', () => {
    // scipy.stats.norm.ppf(0.95), norm.ppf(0.99)
    expect(Math.abs(normalQuantile(0.95) - 1.6448536269514722)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(normalQuantile(0.99) - 2.3263478740408408)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(normalQuantile(0.05) + 1.6448536269514722)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(normalQuantile(0.01) + 2.3263478740408408)).toBeLessThanOrEqual(1e-12);
  });

  // Φ⁻¹(p) from mpmath at 50 digits, solving log Φ(x) = log p (log space, so tiny p converge):
  //   import mpmath as mp; mp.mp.dps = 50
  //   x = mp.findroot(lambda x: mp.log(mp.ncdf(x)) - mp.log(p), start); print(repr(float(x)))
  // Both of Acklam's regions (the tail below 0.02425 and the centre), the boundary, and the mirror.
  const reference: [number, number][] = [
    [1e-300, -37.0470962993612],
    [1e-100, -21.273453560965326],
    [1e-20, -9.262340089798407],
    [1e-10, -6.361340902404057],
    [1e-5, -4.264890793922825],
    [0.001, -3.0902323061678136],
    [0.02, -2.053748910631823],
    [0.02425, -1.972961051311885],
    [0.1, -1.2815515655446004],
    [0.25, -0.6744897501960817],
    [0.4, -0.2533471031357997],
    [0.6, 0.2533471031357997],
    [0.8, 0.8416212335729144],
    [0.975, 1.9599639845400538],
    [0.999, 3.090232306167813],
    [0.9999999, 5.199337582290661],
  ];
  it.each(reference)('Φ⁻¹(%d) to 1e-13 relative', (p, x) => {
    expect(Math.abs(normalQuantile(p) - x)).toBeLessThanOrEqual(1e-13 * Math.abs(x));
  });

  it('inverts Φ: Φ(Φ⁻¹(p)) = p to 1e-14 relative across the range', () => {
    for (let k = 1; k < 1000; k++) {
      const p = k / 1000;
      expect(Math.abs(normalCdf(normalQuantile(p)) - p)).toBeLessThanOrEqual(1e-14 * p);
    }
  });

  it('is odd around ½ and infinite at the ends; rejects p outside [0, 1]', () => {
    expect(normalQuantile(0.5)).toBe(0);
    // 1 − 0.75 = 0.25 exactly, so the mirror is exact (1 − 0.7 would not be 0.3)
    expect(normalQuantile(0.25)).toBe(-normalQuantile(0.75));
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    // subnormal p: φ underflows, Acklam's value is kept (finite, in the right place)
    expect(normalQuantile(5e-324)).toBeLessThan(-38);
    expect(Number.isFinite(normalQuantile(5e-324))).toBe(true);
    for (const bad of [-0.1, 1.1, Number.NaN]) expect(() => normalQuantile(bad)).toThrow(RangeError);
  });
});

describe('normal density', () => {
  it('is exp(−x²/2)/√(2π)', () => {
    // mpmath npdf at the 5 % and 1 % quantiles (the parametric CVaR's φ(z))
    expect(normalPdf(-1.6448536269514726)).toBeCloseTo(0.10313564037537132, 16);
    expect(normalPdf(-2.326347874040841)).toBeCloseTo(0.026652142203458042, 16);
    expect(normalPdf(0)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 16);
    expect(normalPdf(40)).toBe(0);
  });
});
