import { describe, expect, it } from 'vitest';
import { adx, adxLookback, minusDi, minusDiLookback, plusDi, plusDiLookback } from './directional';
import { sar, sarLookback } from './sar';
import { constant, firstValue, mismatch, randomBars } from './testing';

/**
 * Wilder's system written out with arrays: +DM/−DM/TR per bar, smoothed sums seeded with the first
 * period − 1 bars (TA-Lib's seeding), DI, DX, and the ADX seeded with the mean of `period` DX.
 */
function naiveDirectional(h: Float64Array, l: Float64Array, c: Float64Array, p: number) {
  const n = c.length;
  const nan = (): Float64Array => new Float64Array(n).fill(NaN);
  const plus = nan();
  const minus = nan();
  const adxOut = nan();
  const pdm = new Float64Array(n);
  const mdm = new Float64Array(n);
  const tr = new Float64Array(n);
  for (let i = 1; i < n; i++) {
    const up = h[i]! - h[i - 1]!;
    const down = l[i - 1]! - l[i]!;
    pdm[i] = up > down && up > 0 ? up : 0;
    mdm[i] = down > up && down > 0 ? down : 0;
    tr[i] = Math.max(h[i]! - l[i]!, Math.abs(h[i]! - c[i - 1]!), Math.abs(l[i]! - c[i - 1]!));
  }
  let sp = 0;
  let sm = 0;
  let st = 0;
  for (let i = 1; i < p; i++) {
    sp += pdm[i]!;
    sm += mdm[i]!;
    st += tr[i]!;
  }
  const dx: number[] = [];
  let prevAdx = 0;
  for (let i = p; i < n; i++) {
    sp = sp - sp / p + pdm[i]!;
    sm = sm - sm / p + mdm[i]!;
    st = st - st / p + tr[i]!;
    const pdi = st < 1e-8 ? 0 : (100 * sp) / st;
    const mdi = st < 1e-8 ? 0 : (100 * sm) / st;
    plus[i] = pdi;
    minus[i] = mdi;
    const d = pdi + mdi < 1e-8 ? 0 : (100 * Math.abs(pdi - mdi)) / (pdi + mdi);
    if (i < 2 * p - 1) dx.push(d);
    else if (i === 2 * p - 1) {
      dx.push(d);
      prevAdx = dx.reduce((a, b) => a + b, 0) / p;
      adxOut[i] = prevAdx;
    } else {
      prevAdx = (prevAdx * (p - 1) + d) / p;
      adxOut[i] = prevAdx;
    }
  }
  return { plus, minus, adx: adxOut };
}

const { high, low, close } = randomBars(400, 31);

describe('ADX / PLUS_DI / MINUS_DI', () => {
  it.each([2, 5, 14, 28])('period %i matches Wilder’s definition', (p) => {
    const expected = naiveDirectional(high, low, close, p);
    const a = adx(high, low, close, p);
    const pd = plusDi(high, low, close, p);
    const md = minusDi(high, low, close, p);
    expect(adxLookback(p)).toBe(2 * p - 1);
    expect(plusDiLookback(p)).toBe(p);
    expect(minusDiLookback(p)).toBe(p);
    expect(firstValue(a)).toBe(2 * p - 1);
    expect(firstValue(pd)).toBe(p);
    expect(firstValue(md)).toBe(p);
    expect(mismatch(a, expected.adx)).toBeUndefined();
    expect(mismatch(pd, expected.plus)).toBeUndefined();
    expect(mismatch(md, expected.minus)).toBeUndefined();
  });

  it('period-1 DI is TA-Lib’s raw one-bar ratio DM/TR (no ×100)', () => {
    const h = Float64Array.of(10, 12, 11, 11);
    const l = Float64Array.of(9, 10, 8, 8);
    const c = Float64Array.of(9.5, 11, 9, 8.5);
    // bar 1: +DM 2, TR max(2, |12 − 9.5|, |10 − 9.5|) = 2.5; bar 2: −DM 2, TR max(3, 0, 3) = 3; bar 3: no move.
    expect(Array.from(plusDi(h, l, c, 1))).toEqual([NaN, 0.8, 0, 0]);
    expect(Array.from(minusDi(h, l, c, 1))).toEqual([NaN, 0, 2 / 3, 0]);
    expect(plusDiLookback(1)).toBe(1);
  });

  it('is 0 on a constant series (zero true range)', () => {
    const flat = constant(40, 5);
    expect(Array.from(adx(flat, flat, flat, 14).subarray(27))).toEqual(Array(13).fill(0));
    expect(Array.from(plusDi(flat, flat, flat, 14).subarray(14))).toEqual(Array(26).fill(0));
  });

  it('is all NaN up to the lookback, one value one bar longer', () => {
    const cut = (n: number) => [high.subarray(0, n), low.subarray(0, n), close.subarray(0, n)] as const;
    expect(Array.from(adx(...cut(27), 14)).every(Number.isNaN)).toBe(true);
    expect(firstValue(adx(...cut(28), 14))).toBe(27);
    expect(Array.from(minusDi(...cut(14), 14)).every(Number.isNaN)).toBe(true);
    expect(firstValue(minusDi(...cut(15), 14))).toBe(14);
  });

  it('rejects bad periods and unequal columns', () => {
    expect(() => adx(high, low, close, 1)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'period' }));
    expect(() => plusDi(high, low, close, 0)).toThrow(expect.objectContaining({ kind: 'parameter' }));
    expect(() => minusDi(high, low, close, 3.5)).toThrow(expect.objectContaining({ kind: 'parameter' }));
    expect(() => adx(high, low, close.subarray(1), 14)).toThrow(expect.objectContaining({ kind: 'input', field: 'close' }));
  });
});

describe('SAR', () => {
  it('starts long when bar 1 has no −DM, then accelerates and reverses (by hand)', () => {
    const h = Float64Array.of(10, 11, 12, 13, 12, 11);
    const l = Float64Array.of(9, 10, 11, 12, 10, 9);
    const out = sar(h, l, 0.02, 0.2);
    expect(Number.isNaN(out[0]!)).toBe(true);
    expect(out[1]).toBe(9);
    expect(out[2]).toBeCloseTo(9.04, 12);
    expect(out[3]).toBeCloseTo(9.1584, 12);
    expect(out[4]).toBeCloseTo(9.388896, 12);
    // Bar 5's low (9) crosses 9.60556224: the SAR flips to the extreme point, 13.
    expect(out[5]).toBe(13);
  });

  it('starts short when bar 1 has a −DM', () => {
    const out = sar(Float64Array.of(10, 9.5, 9.4), Float64Array.of(9, 8, 7.9), 0.02, 0.2);
    expect(out[1]).toBe(10);
    expect(out[2]).toBeCloseTo(9.96, 12);
  });

  it('cuts an acceleration above the maximum to the maximum', () => {
    expect(mismatch(sar(high, low, 0.5, 0.2), sar(high, low, 0.2, 0.2), 0)).toBeUndefined();
  });

  it('keeps the stop on the far side of the bar unless it reverses there', () => {
    const out = sar(high, low, 0.02, 0.2);
    expect(firstValue(out)).toBe(sarLookback(0.02, 0.2));
    for (let i = 1; i < out.length; i++) {
      const s = out[i]!;
      expect(s <= low[i]! || s >= high[i]!, `bar ${i}`).toBe(true);
    }
  });

  it('is all NaN for a single bar and rejects negative or non-finite factors', () => {
    expect(Array.from(sar(Float64Array.of(2), Float64Array.of(1), 0.02, 0.2))).toEqual([NaN]);
    expect(() => sar(high, low, -0.01, 0.2)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'acceleration' }));
    expect(() => sarLookback(0.02, NaN)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'maximum' }));
  });
});
