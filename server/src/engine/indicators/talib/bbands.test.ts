import { describe, expect, it } from 'vitest';
import { IndicatorProblem } from '../problem';
import { bbands, bbandsLookback, stddev, stddevLookback } from './bbands';
import { constant, firstValue, mismatch, randomBars } from './testing';

function windowStats(x: Float64Array, i: number, p: number): { mean: number; sd: number } {
  let s = 0;
  for (let j = i - p + 1; j <= i; j++) s += x[j]!;
  const mean = s / p;
  let v = 0;
  for (let j = i - p + 1; j <= i; j++) v += (x[j]! - mean) ** 2;
  return { mean, sd: Math.sqrt(v / p) };
}

function naiveEma(x: Float64Array, p: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  let s = 0;
  for (let j = 0; j < p; j++) s += x[j]!;
  out[p - 1] = s / p;
  for (let i = p; i < x.length; i++) out[i] = out[i - 1]! + (2 / (p + 1)) * (x[i]! - out[i - 1]!);
  return out;
}

/** Population deviation of the window; the middle band is the SMA or the EMA (deviation still about the mean). */
function naiveBbands(x: Float64Array, p: number, up: number, dn: number, maType: number) {
  const n = x.length;
  const upper = new Float64Array(n).fill(NaN);
  const middle = new Float64Array(n).fill(NaN);
  const lower = new Float64Array(n).fill(NaN);
  const e = naiveEma(x, p);
  for (let i = p - 1; i < n; i++) {
    const { mean, sd } = windowStats(x, i, p);
    const m = maType === 0 ? mean : e[i]!;
    middle[i] = m;
    upper[i] = m + up * sd;
    lower[i] = m - dn * sd;
  }
  return { upper, middle, lower };
}

const close = randomBars(300, 5).close;

describe('BBANDS', () => {
  it.each([
    [20, 2, 2, 0],
    [20, 1.5, 2.5, 0],
    [10, 1, 3, 0],
    [5, 2.5, 1, 0],
    [14, 2, 1.5, 1],
    [2, -1, 0, 0],
  ])('period %i, up %s, down %s, maType %i matches the definition', (p, up, dn, t) => {
    const out = bbands(close, p, up, dn, t);
    const expected = naiveBbands(close, p, up, dn, t);
    expect(bbandsLookback(p, up, dn, t)).toBe(p - 1);
    for (const key of ['upper', 'middle', 'lower'] as const) {
      expect(firstValue(out[key]), key).toBe(p - 1);
      expect(mismatch(out[key], expected[key]), key).toBeUndefined();
    }
  });

  it('collapses onto the middle band for a constant series', () => {
    const out = bbands(constant(30, 7.5), 20, 2, 2, 0);
    for (let i = 19; i < 30; i++) {
      expect(out.upper[i]).toBe(7.5);
      expect(out.lower[i]).toBe(7.5);
    }
  });

  it('is all NaN up to the lookback, one value one bar longer', () => {
    expect(Array.from(bbands(close.subarray(0, 19), 20, 2, 2, 0).middle).every(Number.isNaN)).toBe(true);
    expect(firstValue(bbands(close.subarray(0, 20), 20, 2, 2, 0).upper)).toBe(19);
  });

  it.each([
    [1, 2, 2, 0, 'period'],
    [20, NaN, 2, 0, 'nbDevUp'],
    [20, 2, Infinity, 0, 'nbDevDn'],
    [20, 2, 2, 3, 'maType'],
  ])('rejects period %s, up %s, down %s, maType %s', (p, up, dn, t, field) => {
    expect(() => bbands(close, p, up, dn, t)).toThrow(IndicatorProblem);
    expect(() => bbandsLookback(p, up, dn, t)).toThrow(expect.objectContaining({ kind: 'parameter', field }));
  });
});

describe('STDDEV', () => {
  it.each([
    [2, 1],
    [5, 1],
    [20, 2],
    [30, 0.5],
  ])('period %i × %s is the population deviation', (p, nbDev) => {
    const out = stddev(close, p, nbDev);
    const expected = new Float64Array(close.length).fill(NaN);
    for (let i = p - 1; i < close.length; i++) expected[i] = windowStats(close, i, p).sd * nbDev;
    expect(stddevLookback(p, nbDev)).toBe(p - 1);
    expect(firstValue(out)).toBe(p - 1);
    expect(mismatch(out, expected, 1e-8)).toBeUndefined();
  });

  it('is 0 for a constant series, and for any variance below 1e-8 (TA_IS_ZERO_OR_NEG)', () => {
    expect(Array.from(stddev(constant(10, 3.3), 5, 1).subarray(4))).toEqual([0, 0, 0, 0, 0, 0]);
    const tiny = Float64Array.from({ length: 10 }, (_, i) => 10 + (i % 2) * 1e-5);
    expect(Array.from(stddev(tiny, 4, 1).subarray(3)).every((v) => v === 0)).toBe(true);
  });

  it('rejects a period below 2 or a non-finite multiplier', () => {
    expect(() => stddev(close, 1, 1)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'period' }));
    expect(() => stddev(close, 5, NaN)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'nbDev' }));
  });
});
