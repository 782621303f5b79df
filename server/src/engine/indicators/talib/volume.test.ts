import { describe, expect, it } from 'vitest';
import { ad, adLookback, adosc, adoscLookback, obv, obvLookback, volumeMa, volumeMaLookback, vwap, vwapLookback } from './volume';
import { constant, firstValue, mismatch, randomBars } from './testing';

const { high, low, close, volume, amount } = randomBars(300, 51);

function naiveAd(h: Float64Array, l: Float64Array, c: Float64Array, v: Float64Array): Float64Array {
  const out = new Float64Array(c.length);
  let total = 0;
  for (let i = 0; i < c.length; i++) {
    const range = h[i]! - l[i]!;
    if (range > 0) total += (((c[i]! - l[i]!) - (h[i]! - c[i]!)) / range) * v[i]!;
    out[i] = total;
  }
  return out;
}

describe('OBV', () => {
  it('starts at the first volume and adds or subtracts volume as the close rises or falls', () => {
    const c = Float64Array.of(10, 11, 11, 10.5, 12);
    const v = Float64Array.of(100, 20, 30, 40, 50);
    expect(Array.from(obv(c, v))).toEqual([100, 120, 120, 80, 130]);
    expect(obvLookback()).toBe(0);
    expect(obv(new Float64Array(0), new Float64Array(0))).toHaveLength(0);
  });
});

describe('AD', () => {
  it('accumulates the close location value times volume, skipping bars with H = L', () => {
    const out = ad(Float64Array.of(10, 5, 12), Float64Array.of(8, 5, 10), Float64Array.of(9.5, 5, 10), Float64Array.of(100, 50, 10));
    // (1.5 − 0.5)/2 · 100 = 50; flat bar adds 0; (0 − 2)/2 · 10 = −10.
    expect(Array.from(out)).toEqual([50, 50, 40]);
    expect(adLookback()).toBe(0);
    expect(mismatch(ad(high, low, close, volume), naiveAd(high, low, close, volume))).toBeUndefined();
  });
});

describe('ADOSC', () => {
  it.each([
    [3, 10],
    [2, 2],
    [10, 3],
    [5, 21],
  ])('ADOSC %i/%i = EMA(AD, fast) − EMA(AD, slow), both seeded with the first AD', (fast, slow) => {
    const line = naiveAd(high, low, close, volume);
    const lookback = Math.max(fast, slow) - 1;
    const expected = new Float64Array(close.length).fill(NaN);
    let f = line[0]!;
    let s = line[0]!;
    for (let i = 1; i < close.length; i++) {
      f += (2 / (fast + 1)) * (line[i]! - f);
      s += (2 / (slow + 1)) * (line[i]! - s);
      if (i >= lookback) expected[i] = f - s;
    }
    const out = adosc(high, low, close, volume, fast, slow);
    expect(adoscLookback(fast, slow)).toBe(lookback);
    expect(firstValue(out)).toBe(lookback);
    expect(mismatch(out, expected, 1e-9)).toBeUndefined();
  });

  it('is all NaN up to the lookback and rejects periods below 2', () => {
    const n = 9;
    expect(Array.from(adosc(high.subarray(0, n), low.subarray(0, n), close.subarray(0, n), volume.subarray(0, n), 3, 10)).every(Number.isNaN)).toBe(true);
    expect(firstValue(adosc(high.subarray(0, 10), low.subarray(0, 10), close.subarray(0, 10), volume.subarray(0, 10), 3, 10))).toBe(9);
    expect(() => adosc(high, low, close, volume, 1, 10)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'fastPeriod' }));
    expect(() => adoscLookback(3, 0)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'slowPeriod' }));
  });
});

describe('VWAP', () => {
  it('is Σ typical price × volume / Σ volume from the first bar', () => {
    const out = vwap(high, low, close, volume);
    expect(vwapLookback()).toBe(0);
    expect(firstValue(out)).toBe(0);
    const expected = close.map((_, i) => {
      let pv = 0;
      let v = 0;
      for (let j = 0; j <= i; j++) {
        pv += ((high[j]! + low[j]! + close[j]!) / 3) * volume[j]!;
        v += volume[j]!;
      }
      return pv / v;
    });
    expect(mismatch(out, expected)).toBeUndefined();
  });

  it('uses Σ amount / Σ volume when an amount column is given', () => {
    const out = vwap(high, low, close, volume, amount);
    let a = 0;
    let v = 0;
    for (let i = 0; i < close.length; i++) {
      a += amount[i]!;
      v += volume[i]!;
      expect(Math.abs(out[i]! - a / v)).toBeLessThanOrEqual(1e-9 * (a / v));
    }
    expect(vwap(Float64Array.of(11), Float64Array.of(9), Float64Array.of(10), Float64Array.of(200), Float64Array.of(2100))[0]).toBe(10.5);
  });

  it('gives the typical price until any volume has traded', () => {
    const out = vwap(Float64Array.of(12, 12, 13), Float64Array.of(9, 9, 10), Float64Array.of(9, 12, 10), Float64Array.of(0, 0, 100));
    expect(Array.from(out)).toEqual([10, 11, 11]);
  });

  it('rejects an amount column of another length', () => {
    expect(() => vwap(high, low, close, volume, amount.subarray(1))).toThrow(expect.objectContaining({ kind: 'input', field: 'amount' }));
  });
});

describe('volume MA', () => {
  it.each([2, 5, 20])('is the SMA of volume, period %i', (p) => {
    const out = volumeMa(volume, p);
    expect(volumeMaLookback(p)).toBe(p - 1);
    expect(firstValue(out)).toBe(p - 1);
    const expected = volume.map((_, i) => {
      if (i < p - 1) return NaN;
      let s = 0;
      for (let j = i - p + 1; j <= i; j++) s += volume[j]!;
      return s / p;
    });
    expect(mismatch(out, expected)).toBeUndefined();
  });

  it('is the volume itself when constant, NaN-only when too short, and rejects period 1', () => {
    expect(Array.from(volumeMa(constant(6, 500), 5).subarray(4))).toEqual([500, 500]);
    expect(Array.from(volumeMa(volume.subarray(0, 4), 5)).every(Number.isNaN)).toBe(true);
    expect(() => volumeMa(volume, 1)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'period' }));
  });
});
