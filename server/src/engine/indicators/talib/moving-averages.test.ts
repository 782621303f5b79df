import { describe, expect, it } from 'vitest';
import { IndicatorProblem } from '../problem';
import {
  dema,
  demaLookback,
  ema,
  emaLookback,
  kama,
  kamaLookback,
  ma,
  maLookback,
  sma,
  smaLookback,
  tema,
  temaLookback,
  trima,
  trimaLookback,
  wma,
  wmaLookback,
} from './moving-averages';
import { constant, firstValue, mismatch, randomBars } from './testing';

// Slow, obvious definitions: every window summed afresh, EMAs as prev + k·(x − prev).

function naiveSma(x: Float64Array, p: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  for (let i = p - 1; i < x.length; i++) {
    let s = 0;
    for (let j = i - p + 1; j <= i; j++) s += x[j]!;
    out[i] = s / p;
  }
  return out;
}

/** EMA of x from index `from` on, seeded with the mean of its first p values. */
function naiveEma(x: Float64Array, p: number, from = 0): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  const k = 2 / (p + 1);
  const seedAt = from + p - 1;
  if (seedAt >= x.length) return out;
  let s = 0;
  for (let j = from; j <= seedAt; j++) s += x[j]!;
  out[seedAt] = s / p;
  for (let i = seedAt + 1; i < x.length; i++) out[i] = out[i - 1]! + k * (x[i]! - out[i - 1]!);
  return out;
}

function naiveWeighted(x: Float64Array, weights: number[]): Float64Array {
  const p = weights.length;
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(x.length).fill(NaN);
  for (let i = p - 1; i < x.length; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += x[i - p + 1 + j]! * weights[j]!;
    out[i] = s / total;
  }
  return out;
}

const naiveWma = (x: Float64Array, p: number): Float64Array => naiveWeighted(x, Array.from({ length: p }, (_, j) => j + 1));

/** Triangular weights: 1, 2, .., peak, .., 2, 1 (the peak doubled for an even period). */
function naiveTrima(x: Float64Array, p: number): Float64Array {
  const rising = Math.ceil(p / 2);
  const weights = Array.from({ length: p }, (_, j) => Math.min(j + 1, p - j, rising));
  return naiveWeighted(x, weights);
}

function naiveDema(x: Float64Array, p: number): Float64Array {
  const e1 = naiveEma(x, p);
  const e2 = naiveEma(e1, p, p - 1);
  return e1.map((v, i) => 2 * v - e2[i]!);
}

function naiveTema(x: Float64Array, p: number): Float64Array {
  const e1 = naiveEma(x, p);
  const e2 = naiveEma(e1, p, p - 1);
  const e3 = naiveEma(e2, p, 2 * (p - 1));
  return e1.map((v, i) => 3 * v - 3 * e2[i]! + e3[i]!);
}

/** Kaufman: ER = |x − x[−p]| / Σ|Δx| over p changes, sc = (ER·(2/3 − 2/31) + 2/31)², seeded with x[p − 1]. */
function naiveKama(x: Float64Array, p: number): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  if (x.length <= p) return out;
  let prev = x[p - 1]!;
  for (let i = p; i < x.length; i++) {
    let path = 0;
    for (let j = i - p + 1; j <= i; j++) path += Math.abs(x[j]! - x[j - 1]!);
    const net = Math.abs(x[i]! - x[i - p]!);
    const er = path < 1e-8 ? 1 : net / path;
    const sc = (er * (2 / 3 - 2 / 31) + 2 / 31) ** 2;
    prev = prev + sc * (x[i]! - prev);
    out[i] = prev;
  }
  return out;
}

const close = randomBars(400, 7).close;

const kernels = [
  { name: 'SMA', fn: sma, lookback: smaLookback, naive: naiveSma, lb: (p: number) => p - 1 },
  { name: 'EMA', fn: ema, lookback: emaLookback, naive: (x: Float64Array, p: number) => naiveEma(x, p), lb: (p: number) => p - 1 },
  { name: 'WMA', fn: wma, lookback: wmaLookback, naive: naiveWma, lb: (p: number) => p - 1 },
  { name: 'DEMA', fn: dema, lookback: demaLookback, naive: naiveDema, lb: (p: number) => 2 * (p - 1) },
  { name: 'TEMA', fn: tema, lookback: temaLookback, naive: naiveTema, lb: (p: number) => 3 * (p - 1) },
  { name: 'TRIMA', fn: trima, lookback: trimaLookback, naive: naiveTrima, lb: (p: number) => p - 1 },
  { name: 'KAMA', fn: kama, lookback: kamaLookback, naive: naiveKama, lb: (p: number) => p },
];

describe.each(kernels)('$name', ({ fn, lookback, naive, lb }) => {
  it.each([2, 3, 4, 5, 10, 11, 30])('period %i matches the straightforward definition, lookback included', (p) => {
    const out = fn(close, p);
    expect(lookback(p)).toBe(lb(p));
    expect(firstValue(out)).toBe(lb(p));
    expect(mismatch(out, naive(close, p))).toBeUndefined();
  });

  it('is all NaN when the input is not longer than the lookback, one value when one bar longer', () => {
    const p = 6;
    const short = close.subarray(0, lb(p));
    expect(Array.from(fn(short, p)).every(Number.isNaN)).toBe(true);
    const exact = close.subarray(0, lb(p) + 1);
    const out = fn(exact, p);
    expect(out).toHaveLength(exact.length);
    expect(firstValue(out)).toBe(lb(p));
    expect(mismatch(out, naive(exact, p))).toBeUndefined();
    expect(fn(new Float64Array(0), p)).toHaveLength(0);
  });

  it('returns the constant for a constant series', () => {
    const out = fn(constant(50, 12.34), 5);
    for (let i = lb(5); i < 50; i++) expect(out[i]).toBeCloseTo(12.34, 12);
  });

  it.each([1, 0, -3, 2.5, NaN, Infinity, 100_001])('rejects period %s', (p) => {
    expect(() => fn(close, p)).toThrow(IndicatorProblem);
    expect(() => lookback(p)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'period' }));
  });
});

describe('EMA', () => {
  it('EMA_3 by hand: seeded with the mean of the first three values, then k = 1/2', () => {
    const out = ema(Float64Array.of(1, 2, 3, 4, 8, 0), 3);
    expect(Array.from(out.subarray(0, 2)).every(Number.isNaN)).toBe(true);
    expect(Array.from(out.subarray(2))).toEqual([2, 3, 5.5, 2.75]);
  });
});

describe('TRIMA', () => {
  it('uses the odd and even triangular weights', () => {
    const x = Float64Array.of(1, 2, 3, 4, 5, 6);
    // period 3: weights 1 2 1 / 4; period 4: weights 1 2 2 1 / 6.
    expect(trima(x, 3)[2]).toBeCloseTo((1 + 4 + 3) / 4, 14);
    expect(trima(x, 4)[3]).toBeCloseTo((1 + 4 + 6 + 4) / 6, 14);
  });
});

describe('MA (TA_MA with SMA or EMA)', () => {
  it('dispatches on the type and treats period 1 as the identity', () => {
    expect(mismatch(ma(close, 9, 0), sma(close, 9), 0)).toBeUndefined();
    expect(mismatch(ma(close, 9, 1), ema(close, 9), 0)).toBeUndefined();
    expect(Array.from(ma(close, 1, 1))).toEqual(Array.from(close));
    expect(maLookback(1, 0)).toBe(0);
    expect(maLookback(9, 1)).toBe(8);
  });

  it.each([2, 3, 8, -1, 0.5])('rejects maType %s', (t) => {
    expect(() => ma(close, 9, t)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'maType' }));
  });
});

describe('running sums over a long series', () => {
  it('SMA and WMA stay within 1e-9 of freshly summed windows after 200k bars', () => {
    const long = randomBars(200_000, 3).close;
    expect(mismatch(sma(long, 20), naiveSma(long, 20))).toBeUndefined();
    expect(mismatch(wma(long, 20), naiveWma(long, 20))).toBeUndefined();
  });
});
