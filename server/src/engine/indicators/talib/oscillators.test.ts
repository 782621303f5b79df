import { describe, expect, it } from 'vitest';
import { IndicatorProblem } from '../problem';
import {
  cci,
  cciLookback,
  mfi,
  mfiLookback,
  mom,
  momLookback,
  roc,
  rocLookback,
  rsi,
  rsiLookback,
  stoch,
  stochf,
  stochfLookback,
  stochLookback,
  stochRsi,
  stochRsiLookback,
  trix,
  trixLookback,
  willr,
  willrLookback,
} from './oscillators';
import { constant, firstValue, mismatch, randomBars } from './testing';

const nanColumn = (n: number): Float64Array => new Float64Array(n).fill(NaN);

/** SMA (type 0) or EMA seeded with the SMA (type 1) of x from `from`; period 1 copies. */
function naiveMa(x: Float64Array, p: number, type: number, from: number): Float64Array {
  const out = nanColumn(x.length);
  if (p === 1) {
    for (let i = from; i < x.length; i++) out[i] = x[i]!;
    return out;
  }
  for (let i = from + p - 1; i < x.length; i++) {
    if (type === 0 || i === from + p - 1) {
      let s = 0;
      for (let j = i - p + 1; j <= i; j++) s += x[j]!;
      out[i] = s / p;
    } else {
      out[i] = out[i - 1]! + (2 / (p + 1)) * (x[i]! - out[i - 1]!);
    }
  }
  return out;
}

function naiveRsi(x: Float64Array, p: number): Float64Array {
  const out = nanColumn(x.length);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < x.length; i++) {
    const d = x[i]! - x[i - 1]!;
    const g = Math.max(d, 0);
    const l = Math.max(-d, 0);
    if (i <= p) {
      gain += g / p;
      loss += l / p;
    } else {
      gain = (gain * (p - 1) + g) / p;
      loss = (loss * (p - 1) + l) / p;
    }
    if (i >= p) out[i] = gain + loss < 1e-8 ? 0 : (100 * gain) / (gain + loss);
  }
  return out;
}

/** Fast %K from bar `from` on: 100·(c − lowest)/(highest − lowest) over p bars, 0 when flat. */
function naiveFastK(h: Float64Array, l: Float64Array, c: Float64Array, p: number, from = 0): Float64Array {
  const out = nanColumn(c.length);
  for (let i = from + p - 1; i < c.length; i++) {
    let hi = -Infinity;
    let lo = Infinity;
    for (let j = i - p + 1; j <= i; j++) {
      hi = Math.max(hi, h[j]!);
      lo = Math.min(lo, l[j]!);
    }
    out[i] = hi === lo ? 0 : (100 * (c[i]! - lo)) / (hi - lo);
  }
  return out;
}

function naiveWillr(h: Float64Array, l: Float64Array, c: Float64Array, p: number): Float64Array {
  const out = nanColumn(c.length);
  for (let i = p - 1; i < c.length; i++) {
    const hi = Math.max(...h.subarray(i - p + 1, i + 1));
    const lo = Math.min(...l.subarray(i - p + 1, i + 1));
    out[i] = hi === lo ? 0 : (-100 * (hi - c[i]!)) / (hi - lo);
  }
  return out;
}

function naiveCci(h: Float64Array, l: Float64Array, c: Float64Array, p: number): Float64Array {
  const tp = c.map((v, i) => (h[i]! + l[i]! + v) / 3);
  const out = nanColumn(c.length);
  for (let i = p - 1; i < c.length; i++) {
    const w = tp.subarray(i - p + 1, i + 1);
    const mean = w.reduce((a, b) => a + b, 0) / p;
    const md = w.reduce((a, b) => a + Math.abs(b - mean), 0) / p;
    const diff = tp[i]! - mean;
    out[i] = diff === 0 || md === 0 ? 0 : diff / (0.015 * md);
  }
  return out;
}

function naiveMfi(h: Float64Array, l: Float64Array, c: Float64Array, v: Float64Array, p: number): Float64Array {
  const tp = c.map((x, i) => (h[i]! + l[i]! + x) / 3);
  const out = nanColumn(c.length);
  for (let i = p; i < c.length; i++) {
    let pos = 0;
    let neg = 0;
    for (let j = i - p + 1; j <= i; j++) {
      if (tp[j]! > tp[j - 1]!) pos += tp[j]! * v[j]!;
      else if (tp[j]! < tp[j - 1]!) neg += tp[j]! * v[j]!;
    }
    out[i] = pos + neg < 1 ? 0 : (100 * pos) / (pos + neg);
  }
  return out;
}

function naiveTrix(x: Float64Array, p: number): Float64Array {
  const e1 = naiveMa(x, p, 1, 0);
  const e2 = naiveMa(e1, p, 1, p - 1);
  const e3 = naiveMa(e2, p, 1, 2 * (p - 1));
  const out = nanColumn(x.length);
  for (let i = 3 * (p - 1) + 1; i < x.length; i++) out[i] = 100 * (e3[i]! / e3[i - 1]! - 1);
  return out;
}

const { high, low, close, volume } = randomBars(400, 21);

describe('RSI', () => {
  it.each([2, 3, 14, 30])('RSI_%i matches Wilder’s definition, first value at bar period', (p) => {
    const out = rsi(close, p);
    expect(rsiLookback(p)).toBe(p);
    expect(firstValue(out)).toBe(p);
    expect(mismatch(out, naiveRsi(close, p))).toBeUndefined();
  });

  it('RSI_2 by hand', () => {
    // changes +1, +1, −2, +4: seed gain 1, loss 0 → 100; then gain 0.5, loss 1 → 33.3…; gain 2.25, loss 0.5.
    const out = rsi(Float64Array.of(1, 2, 3, 1, 5), 2);
    expect(out[2]).toBe(100);
    expect(out[3]).toBeCloseTo(100 / 3, 12);
    expect(out[4]).toBeCloseTo((100 * 2.25) / 2.75, 12);
  });

  it('is 0 on a constant series (no gain, no loss) and 100 on a rising one', () => {
    expect(Array.from(rsi(constant(20, 5), 14).subarray(14))).toEqual(Array(6).fill(0));
    const rising = Float64Array.from({ length: 20 }, (_, i) => i);
    expect(Array.from(rsi(rising, 14).subarray(14))).toEqual(Array(6).fill(100));
  });

  it('is all NaN up to the lookback, one value one bar longer', () => {
    expect(Array.from(rsi(close.subarray(0, 14), 14)).every(Number.isNaN)).toBe(true);
    const out = rsi(close.subarray(0, 15), 14);
    expect(firstValue(out)).toBe(14);
    expect(mismatch(out, naiveRsi(close.subarray(0, 15), 14))).toBeUndefined();
  });

  it.each([1, 0, 2.5, 100_001])('rejects period %s', (p) => {
    expect(() => rsi(close, p)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'period' }));
  });
});

describe('STOCH / STOCHF', () => {
  it.each([
    [9, 3, 0, 3, 0],
    [5, 3, 1, 3, 1],
    [14, 1, 0, 3, 0],
    [14, 3, 0, 1, 1],
    [1, 2, 0, 2, 0],
    [60, 5, 1, 4, 0],
  ])('STOCH %i/%i(%i)/%i(%i) matches the definition', (fk, sk, skt, sd, sdt) => {
    const out = stoch(high, low, close, fk, sk, skt, sd, sdt);
    const lookback = fk - 1 + (sk > 1 ? sk - 1 : 0) + (sd > 1 ? sd - 1 : 0);
    expect(stochLookback(fk, sk, skt, sd, sdt)).toBe(lookback);
    const k = naiveMa(naiveFastK(high, low, close, fk), sk, skt, fk - 1);
    const d = naiveMa(k, sd, sdt, fk - 1 + (sk > 1 ? sk - 1 : 0));
    k.fill(NaN, 0, lookback);
    expect(firstValue(out.k)).toBe(lookback);
    expect(firstValue(out.d)).toBe(lookback);
    expect(mismatch(out.k, k)).toBeUndefined();
    expect(mismatch(out.d, d)).toBeUndefined();
  });

  it.each([
    [5, 3, 0],
    [14, 3, 1],
    [3, 1, 0],
  ])('STOCHF %i/%i(%i) matches the definition', (fk, fd, fdt) => {
    const out = stochf(high, low, close, fk, fd, fdt);
    const lookback = fk - 1 + (fd > 1 ? fd - 1 : 0);
    expect(stochfLookback(fk, fd, fdt)).toBe(lookback);
    const k = naiveFastK(high, low, close, fk);
    const d = naiveMa(k, fd, fdt, fk - 1);
    k.fill(NaN, 0, lookback);
    expect(mismatch(out.k, k)).toBeUndefined();
    expect(mismatch(out.d, d)).toBeUndefined();
  });

  it('finds window extremes on long monotonic runs (where rescanning would be quadratic)', () => {
    const n = 3000;
    const down = Float64Array.from({ length: n }, (_, i) => 1000 - i * 0.25);
    const up = Float64Array.from({ length: n }, (_, i) => 10 + i * 0.25);
    for (const c of [down, up]) {
      const h = c.map((v) => v + 1);
      const l = c.map((v) => v - 1);
      const out = stochf(h, l, c, 500, 1, 0);
      expect(mismatch(out.k, naiveFastK(h, l, c, 500).fill(NaN, 0, 499))).toBeUndefined();
    }
  });

  it('gives 0 on a flat window', () => {
    const flat = constant(20, 4);
    expect(Array.from(stoch(flat, flat, flat, 5, 3, 0, 3, 0).k.subarray(8))).toEqual(Array(12).fill(0));
  });

  it('is all NaN up to the lookback', () => {
    const n = stochLookback(9, 3, 0, 3, 0);
    const out = stoch(high.subarray(0, n), low.subarray(0, n), close.subarray(0, n), 9, 3, 0, 3, 0);
    expect(Array.from(out.k).every(Number.isNaN) && Array.from(out.d).every(Number.isNaN)).toBe(true);
    const one = stoch(high.subarray(0, n + 1), low.subarray(0, n + 1), close.subarray(0, n + 1), 9, 3, 0, 3, 0);
    expect(firstValue(one.d)).toBe(n);
  });

  it('rejects bad periods and MA types other than SMA/EMA, and unequal columns', () => {
    expect(() => stoch(high, low, close, 0, 3, 0, 3, 0)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'fastKPeriod' }));
    expect(() => stoch(high, low, close, 5, 3, 2, 3, 0)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'slowKMaType' }));
    expect(() => stoch(high, low, close, 5, 3, 0, 3, 4)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'slowDMaType' }));
    expect(() => stochf(high, low, close, 5, 0, 0)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'fastDPeriod' }));
    expect(() => stoch(high, low.subarray(1), close, 5, 3, 0, 3, 0)).toThrow(expect.objectContaining({ kind: 'input', field: 'low' }));
  });
});

describe('STOCHRSI', () => {
  it.each([
    [14, 5, 3, 0],
    [14, 14, 3, 1],
    [2, 1, 1, 0],
    [6, 3, 2, 0],
  ])('STOCHRSI %i/%i/%i(%i) is STOCHF over the RSI', (p, fk, fd, fdt) => {
    const out = stochRsi(close, p, fk, fd, fdt);
    const lookback = p + fk - 1 + (fd > 1 ? fd - 1 : 0);
    expect(stochRsiLookback(p, fk, fd, fdt)).toBe(lookback);
    const r = naiveRsi(close, p);
    const k = naiveFastK(r, r, r, fk, p);
    const d = naiveMa(k, fd, fdt, p + fk - 1);
    k.fill(NaN, 0, lookback);
    expect(firstValue(out.k)).toBe(lookback);
    expect(firstValue(out.d)).toBe(lookback);
    expect(mismatch(out.k, k)).toBeUndefined();
    expect(mismatch(out.d, d)).toBeUndefined();
  });

  it('is all NaN up to the lookback and 0 on a constant series', () => {
    expect(Array.from(stochRsi(close.subarray(0, 20), 14, 5, 3, 0).k).every(Number.isNaN)).toBe(true);
    expect(firstValue(stochRsi(close.subarray(0, 21), 14, 5, 3, 0).d)).toBe(20);
    expect(Array.from(stochRsi(constant(30, 9), 14, 5, 3, 0).k.subarray(20))).toEqual(Array(10).fill(0));
  });

  it('rejects an RSI period below 2', () => {
    expect(() => stochRsi(close, 1, 5, 3, 0)).toThrow(expect.objectContaining({ kind: 'parameter', field: 'period' }));
    expect(() => stochRsiLookback(14, 5, 3, 5)).toThrow(IndicatorProblem);
  });
});

describe('CCI', () => {
  it.each([2, 5, 14, 20])('CCI_%i is (tp − mean)/(0.015 · mean deviation)', (p) => {
    const out = cci(high, low, close, p);
    expect(cciLookback(p)).toBe(p - 1);
    expect(firstValue(out)).toBe(p - 1);
    expect(mismatch(out, naiveCci(high, low, close, p), 1e-8)).toBeUndefined();
  });

  it('is 0 on a constant series and NaN-only when too short', () => {
    const flat = constant(20, 3);
    expect(Array.from(cci(flat, flat, flat, 14).subarray(13))).toEqual(Array(7).fill(0));
    expect(Array.from(cci(high.subarray(0, 13), low.subarray(0, 13), close.subarray(0, 13), 14)).every(Number.isNaN)).toBe(true);
    expect(firstValue(cci(high.subarray(0, 14), low.subarray(0, 14), close.subarray(0, 14), 14))).toBe(13);
  });

  it('rejects period 1', () => {
    expect(() => cci(high, low, close, 1)).toThrow(expect.objectContaining({ kind: 'parameter' }));
  });
});

describe('MFI', () => {
  it.each([2, 14, 30])('MFI_%i is 100 · positive/(positive + negative) money flow', (p) => {
    const out = mfi(high, low, close, volume, p);
    expect(mfiLookback(p)).toBe(p);
    expect(firstValue(out)).toBe(p);
    expect(mismatch(out, naiveMfi(high, low, close, volume, p))).toBeUndefined();
  });

  it('is 0 when the price never changes, and NaN-only when too short', () => {
    const flat = constant(20, 3);
    expect(Array.from(mfi(flat, flat, flat, volume.subarray(0, 20), 14).subarray(14))).toEqual(Array(6).fill(0));
    const n = 14;
    expect(Array.from(mfi(high.subarray(0, n), low.subarray(0, n), close.subarray(0, n), volume.subarray(0, n), 14)).every(Number.isNaN)).toBe(true);
  });

  it('rejects period 1 and a volume column of another length', () => {
    expect(() => mfi(high, low, close, volume, 1)).toThrow(expect.objectContaining({ kind: 'parameter' }));
    expect(() => mfi(high, low, close, volume.subarray(2), 14)).toThrow(expect.objectContaining({ kind: 'input', field: 'volume' }));
  });
});

describe('WILLR', () => {
  it.each([2, 14, 100])('WILLR_%i is −100 · (highest − close)/(highest − lowest)', (p) => {
    const out = willr(high, low, close, p);
    expect(willrLookback(p)).toBe(p - 1);
    expect(firstValue(out)).toBe(p - 1);
    expect(mismatch(out, naiveWillr(high, low, close, p))).toBeUndefined();
  });

  it('is 0 on a flat window', () => {
    const flat = constant(10, 2);
    expect(Array.from(willr(flat, flat, flat, 5).subarray(4))).toEqual(Array(6).fill(0));
  });

  it('rejects period 1', () => {
    expect(() => willrLookback(1)).toThrow(expect.objectContaining({ kind: 'parameter' }));
  });
});

describe('ROC / MOM', () => {
  it.each([1, 10, 25])('period %i', (p) => {
    const r = roc(close, p);
    const m = mom(close, p);
    expect(rocLookback(p)).toBe(p);
    expect(momLookback(p)).toBe(p);
    expect(firstValue(r)).toBe(p);
    expect(firstValue(m)).toBe(p);
    const er = nanColumn(close.length);
    const em = nanColumn(close.length);
    for (let i = p; i < close.length; i++) {
      er[i] = (100 * (close[i]! - close[i - p]!)) / close[i - p]!;
      em[i] = close[i]! - close[i - p]!;
    }
    expect(mismatch(r, er)).toBeUndefined();
    expect(mismatch(m, em)).toBeUndefined();
  });

  it('ROC is 0 after a zero price, both are 0 on a constant series', () => {
    const r = roc(Float64Array.of(0, 5, 6), 1);
    expect(r[1]).toBe(0);
    expect(r[2]).toBeCloseTo(20, 12);
    expect(Array.from(mom(constant(5, 2), 2).subarray(2))).toEqual([0, 0, 0]);
    expect(Array.from(roc(constant(5, 2), 2).subarray(2))).toEqual([0, 0, 0]);
  });

  it('is NaN-only when too short and rejects period 0', () => {
    expect(Array.from(roc(close.subarray(0, 10), 10)).every(Number.isNaN)).toBe(true);
    expect(firstValue(mom(close.subarray(0, 11), 10))).toBe(10);
    expect(() => roc(close, 0)).toThrow(expect.objectContaining({ kind: 'parameter' }));
    expect(() => mom(close, 0)).toThrow(expect.objectContaining({ kind: 'parameter' }));
  });
});

describe('TRIX', () => {
  it.each([1, 2, 5, 15, 30])('TRIX_%i is the one-bar ROC of a triple EMA', (p) => {
    const out = trix(close, p);
    const lookback = 3 * (p - 1) + 1;
    expect(trixLookback(p)).toBe(lookback);
    expect(firstValue(out)).toBe(lookback);
    expect(mismatch(out, naiveTrix(close, p), 1e-8)).toBeUndefined();
  });

  it('is 0 on a constant series and NaN-only when too short', () => {
    expect(Array.from(trix(constant(20, 4), 3).subarray(7))).toEqual(Array(13).fill(0));
    expect(Array.from(trix(close.subarray(0, 7), 3)).every(Number.isNaN)).toBe(true);
    expect(firstValue(trix(close.subarray(0, 8), 3))).toBe(7);
  });

  it('rejects period 0', () => {
    expect(() => trix(close, 0)).toThrow(expect.objectContaining({ kind: 'parameter' }));
  });
});
