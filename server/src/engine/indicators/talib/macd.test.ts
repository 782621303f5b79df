import { describe, expect, it } from 'vitest';
import { IndicatorProblem } from '../problem';
import { macd, macdLookback } from './macd';
import { constant, firstValue, mismatch, randomBars } from './testing';

/** EMA of x from index `from`, seeded with the mean of its first p values; NaN before. */
function naiveEma(x: Float64Array, p: number, from = 0): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  const k = 2 / (p + 1);
  const seedAt = from + p - 1;
  let s = 0;
  for (let j = from; j <= seedAt && j < x.length; j++) s += x[j]!;
  if (seedAt < x.length) out[seedAt] = s / p;
  for (let i = seedAt + 1; i < x.length; i++) out[i] = out[i - 1]! + k * (x[i]! - out[i - 1]!);
  return out;
}

/** TA-Lib's MACD: both EMAs seeded at bar slow − 1 (the fast one over its last `fast` closes). */
function naiveMacd(x: Float64Array, fast: number, slow: number, signal: number) {
  const slowEma = naiveEma(x, slow);
  const fastEma = naiveEma(x, fast, slow - fast);
  const line = slowEma.map((s, i) => fastEma[i]! - s);
  const sig = naiveEma(line, signal, slow - 1);
  const lookback = slow - 1 + signal - 1;
  const hist = line.map((m, i) => m - sig[i]!);
  line.fill(NaN, 0, lookback);
  return { macd: line, signal: sig, hist };
}

const close = randomBars(500, 11).close;

describe('MACD', () => {
  it.each([
    [12, 26, 9],
    [5, 35, 5],
    [2, 3, 1],
    [10, 10, 4],
  ])('MACD %i/%i/%i matches the definition, all outputs starting at the lookback', (fast, slow, signal) => {
    const out = macd(close, fast, slow, signal);
    const lookback = slow - 1 + signal - 1;
    expect(macdLookback(fast, slow, signal)).toBe(lookback);
    const expected = naiveMacd(close, fast, slow, signal);
    for (const key of ['macd', 'signal', 'hist'] as const) {
      expect(firstValue(out[key]), key).toBe(lookback);
      expect(mismatch(out[key], expected[key]), key).toBeUndefined();
    }
  });

  it('seeds the fast EMA at the slow one, not at bar fast − 1', () => {
    const out = macd(close, 5, 35, 5);
    const plainFast = naiveEma(close, 5);
    const slow = naiveEma(close, 35);
    const i = 38;
    expect(Math.abs(out.macd[i]! - (plainFast[i]! - slow[i]!))).toBeGreaterThan(1e-9);
  });

  it('swaps fast and slow when given the wrong way round', () => {
    const a = macd(close, 26, 12, 9);
    const b = macd(close, 12, 26, 9);
    expect(mismatch(a.hist, b.hist, 0)).toBeUndefined();
    expect(macdLookback(26, 12, 9)).toBe(33);
  });

  it('is all NaN up to the lookback and has one value one bar longer', () => {
    expect(Array.from(macd(close.subarray(0, 33), 12, 26, 9).signal).every(Number.isNaN)).toBe(true);
    const out = macd(close.subarray(0, 34), 12, 26, 9);
    expect(firstValue(out.macd)).toBe(33);
    expect(firstValue(out.hist)).toBe(33);
  });

  it('is 0 on a constant series', () => {
    const out = macd(constant(60, 8.8), 12, 26, 9);
    for (let i = 33; i < 60; i++) {
      expect(out.macd[i]).toBeCloseTo(0, 12);
      expect(out.hist[i]).toBeCloseTo(0, 12);
    }
  });

  it.each([
    [1, 26, 9, 'fastPeriod'],
    [12, 100_001, 9, 'slowPeriod'],
    [12, 26, 0, 'signalPeriod'],
    [12, 26.5, 9, 'slowPeriod'],
  ])('rejects %s/%s/%s', (fast, slow, signal, field) => {
    expect(() => macd(close, fast, slow, signal)).toThrow(IndicatorProblem);
    expect(() => macdLookback(fast, slow, signal)).toThrow(expect.objectContaining({ kind: 'parameter', field }));
  });
});
