/**
 * The edges of the TDX kernels: warm-up on short input, the documented zero-division rules on
 * constant and degenerate series, the start helpers, and parameter validation.
 */
import { describe, expect, it } from 'vitest';
import { IndicatorProblem } from '../problem';
import {
  asi,
  asiStart,
  bias,
  biasStart,
  boll,
  bollStart,
  cci,
  cciStart,
  dma,
  dmaStart,
  ema,
  emaStart,
  kdj,
  kdjStart,
  ma,
  macd,
  macdStart,
  maStart,
  obv,
  obvStart,
  psy,
  psyStart,
  rsi,
  rsiStart,
  sma,
  smaStart,
  trix,
  trixStart,
  vr,
  vrStart,
  wr,
  wrStart,
} from './index';

const col = (values: number[]): Float64Array => Float64Array.from(values);
const constant = (length: number, value: number): Float64Array => new Float64Array(length).fill(value);
const nanUntil = (s: Float64Array, start: number): boolean =>
  s.slice(0, start).every(Number.isNaN) && s.slice(start).every(Number.isFinite);

/** Every output of every indicator on OHLCV columns of one length, with its first valid bar. */
function everything(o: Float64Array, h: Float64Array, l: Float64Array, c: Float64Array, v: Float64Array): [string, Float64Array, number][] {
  const rows: [string, Float64Array, number][] = [
    ['MA', ma(c, 5), maStart(5)],
    ['EMA', ema(c, 12), emaStart(12)],
    ['SMA', sma(c, 3, 1), smaStart(3, 1)],
    ['RSI', rsi(c, 6), rsiStart(6)],
    ['WR', wr(h, l, c, 10), wrStart(10)],
    ['BIAS', bias(c, 6), biasStart(6)],
    ['CCI', cci(h, l, c, 14), cciStart(14)],
  ];
  const multi = <T extends object>(name: string, out: T, start: number | Record<string, number>): void => {
    for (const [key, series] of Object.entries(out) as [string, Float64Array][]) {
      rows.push([`${name}.${key}`, series, typeof start === 'number' ? start : start[key]!]);
    }
  };
  multi('MACD', macd(c), macdStart());
  multi('KDJ', kdj(h, l, c), kdjStart());
  multi('BOLL', boll(c), bollStart());
  multi('PSY', psy(c), psyStart());
  multi('DMA', dma(c), dmaStart());
  multi('TRIX', trix(c), trixStart());
  multi('ASI', asi(o, h, l, c), asiStart());
  multi('OBV', obv(c, v), obvStart());
  multi('VR', vr(c, v), vrStart());
  return rows;
}

describe('warm-up and short input', () => {
  it('start helpers give the documented first bars at the default parameters', () => {
    expect([maStart(5), emaStart(12), smaStart(3, 1), macdStart(), kdjStart(), rsiStart(6), rsiStart(24)]).toEqual([4, 0, 0, 0, 8, 1, 1]);
    expect([bollStart(), wrStart(10), biasStart(6), cciStart(14)]).toEqual([19, 9, 5, 13]);
    expect(dmaStart()).toEqual({ ddd: 49, ama: 58 });
    expect(trixStart()).toEqual({ trix: 1, matrix: 9 });
    expect(psyStart()).toEqual({ psy: 12, psyma: 17 });
    expect(obvStart()).toEqual({ obv: 1, maobv: 30 });
    expect(vrStart()).toEqual({ vr: 26, mavr: 31 });
    expect(asiStart()).toEqual({ asi: 26, asit: 35 });
    expect(asiStart(0, 6)).toEqual({ asi: 1, asit: 6 });
  });

  it.each([0, 1, 5, 30, 59])('%i bars: same-length outputs, NaN exactly before each start', (length) => {
    const c = Float64Array.from({ length }, (_, i) => 10 + Math.sin(i) + i * 0.01);
    const h = c.map((x) => x + 0.2);
    const l = c.map((x) => x - 0.3);
    const v = c.map((_, i) => 1000 + i);
    for (const [name, series, start] of everything(c, h, l, c, v)) {
      expect(series.length, name).toBe(length);
      expect(nanUntil(series, start), `${name} from ${start}`).toBe(true);
    }
  });

  it('input one bar shorter than the start is all NaN; one more gives exactly the last value', () => {
    const c = Float64Array.from({ length: 30 }, (_, i) => 10 + (i % 7) * 0.1);
    expect(Array.from(ma(c.slice(0, 19), 20)).every(Number.isNaN)).toBe(true);
    expect(Array.from(boll(c.slice(0, 20), 20).mid).filter(Number.isFinite)).toHaveLength(1);
    expect(Array.from(kdj(c.slice(0, 8), c.slice(0, 8), c.slice(0, 8)).k).every(Number.isNaN)).toBe(true);
    expect(Array.from(rsi(c.slice(0, 1), 6)).every(Number.isNaN)).toBe(true);
    expect(Array.from(rsi(c.slice(0, 2), 6)).filter(Number.isFinite)).toHaveLength(1);
  });
});

describe('constant series: the documented values, no NaN or Infinity after warm-up', () => {
  const length = 120;
  const p = constant(length, 12.34);
  const v = constant(length, 5000);
  const outputs = everything(p, p, p, p, v);

  it('every output is finite from its start', () => {
    for (const [name, series, start] of outputs) expect(nanUntil(series, start), name).toBe(true);
  });

  it('KDJ (HHV = LLV) is 50, RSI (no change) 50, WR (no range) 50, CCI (AVEDEV = 0) 0', () => {
    const { k, d, j } = kdj(p, p, p);
    for (const s of [k, d, j, rsi(p, 6), rsi(p, 12), wr(p, p, p, 10)]) {
      expect(new Set(Array.from(s).filter(Number.isFinite))).toEqual(new Set([50]));
    }
    expect(new Set(Array.from(cci(p, p, p, 14)).filter(Number.isFinite))).toEqual(new Set([0]));
  });

  it('BOLL bands sit on MID, PSY is 0, VR is 100, OBV and ASI are 0', () => {
    const b = boll(p, 20, 2);
    for (let i = 19; i < length; i++) {
      expect(b.upper[i]).toBe(b.mid[i]);
      expect(b.lower[i]).toBe(b.mid[i]);
      expect(b.mid[i]).toBeCloseTo(12.34, 12);
    }
    const zeroOr = (s: Float64Array, value: number): boolean => Array.from(s).every((x) => Number.isNaN(x) || x === value);
    expect(zeroOr(psy(p).psy, 0)).toBe(true);
    expect(zeroOr(vr(p, v).vr, 100)).toBe(true);
    expect(zeroOr(obv(p, v).obv, 0)).toBe(true);
    expect(zeroOr(asi(p, p, p, p, 0).asi, 0)).toBe(true);
  });

  it('MACD, DMA, TRIX and BIAS are 0 to rounding', () => {
    const m = macd(p);
    for (const s of [m.dif, m.dea, m.macd, dma(p).ddd, trix(p).trix, bias(p, 6)]) {
      for (const x of s) if (Number.isFinite(x)) expect(Math.abs(x)).toBeLessThan(1e-12);
    }
  });

  it('zero volume everywhere: VR is 100 (no up, down or flat volume), OBV 0', () => {
    const c = Float64Array.from({ length: 60 }, (_, i) => 10 + (i % 5));
    const none = constant(60, 0);
    expect(Array.from(vr(c, none).vr).slice(26).every((x) => x === 100)).toBe(true);
    expect(Array.from(obv(c, none).obv).slice(1).every((x) => x === 0)).toBe(true);
  });

  it('zero prices: BIAS (MA = 0) and TRIX (REF(MTR,1) = 0) are 0', () => {
    const z = constant(40, 0);
    expect(Array.from(bias(z, 6)).slice(5).every((x) => x === 0)).toBe(true);
    expect(Array.from(trix(z).trix).slice(1).every((x) => x === 0)).toBe(true);
  });
});

describe('degenerate bars', () => {
  it('RSI after a move, then a flat stretch, holds 100: both SMAs decay alike', () => {
    const c = col([10, 11, ...Array<number>(50).fill(11)]);
    const r = rsi(c, 6);
    expect(r[1]).toBe(100);
    expect(r[51]).toBe(100);
  });

  it('RSI holds its value through 20,000 unchanged closes (no underflow into noise or 0/0), then moves on', () => {
    const c = col([10, 11, 10.5, 11.2, ...Array<number>(20_000).fill(11.2), 11.3]);
    for (const period of [6, 24]) {
      const r = rsi(c, period);
      const held = r[3]!;
      for (let i = 4; i < c.length - 1; i++) expect(Math.abs(r[i]! - held)).toBeLessThan(1e-9 * held);
      // The old states are negligible after so long: the last bar is a pure up move.
      expect(r[c.length - 1]).toBe(100);
    }
  });

  it('ASI: R = 0 while MAX(AA,BB) > 0 (flat bar on the previous low after an open = close bar) counts SI as 0', () => {
    // Bar 1 opens and closes at 10 with a low of 9.5; bar 2 is flat at 9.5: AA = BB = 0.5, CC = DD = 0.
    const o = col([10, 10, 9.5]);
    const h = col([10.2, 10.2, 9.5]);
    const l = col([9.8, 9.5, 9.5]);
    const c = col([10, 10, 9.5]);
    const { asi: total } = asi(o, h, l, c, 0, 1);
    expect(Number.isFinite(total[2]!)).toBe(true);
    expect(total[2]).toBe(total[1]);
  });

  it('VR: a run of N rising bars (up volume only) is NaN, and MAVR is NaN while it is in the window', () => {
    const zigzag = Array.from({ length: 10 }, (_, i) => 10 + (i % 2));
    const rising = Array.from({ length: 8 }, (_, i) => 12 + i);
    const c = col([...zigzag, ...rising, 19, 18, 19, 18, 19, 18, 19]);
    const volume = constant(c.length, 100);
    const { vr: ratio, mavr } = vr(c, volume, 5, 2);
    // Bars 9..17 rise (11 > 10, then 12 … 19) and bar 18 is unchanged: windows ending at 13..17 hold rises only.
    expect([13, 14, 15, 16, 17].map((i) => Number.isNaN(ratio[i]!))).toEqual([true, true, true, true, true]);
    expect(Number.isFinite(ratio[12]!)).toBe(true);
    expect(Number.isFinite(ratio[18]!)).toBe(true);
    expect([13, 14, 15, 16, 17, 18].map((i) => Number.isNaN(mavr[i]!))).toEqual([true, true, true, true, true, true]);
    expect(Number.isFinite(mavr[19]!)).toBe(true);
  });

  it('columns of different lengths are an input problem', () => {
    const a = constant(10, 1);
    const b = constant(9, 1);
    const problem = (() => {
      try {
        kdj(a, b, a);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(problem).toBeInstanceOf(IndicatorProblem);
    expect((problem as IndicatorProblem).kind).toBe('input');
    expect((problem as IndicatorProblem).field).toBe('low');
  });
});

describe('parameter validation', () => {
  const x = Float64Array.from({ length: 50 }, (_, i) => 10 + i);
  const cases: [string, () => unknown, string][] = [
    ['MA period 0', () => ma(x, 0), 'period'],
    ['MA period 2.5', () => ma(x, 2.5), 'period'],
    ['MA period NaN', () => ma(x, NaN), 'period'],
    ['EMA period 0', () => ema(x, 0), 'period'],
    ['SMA m > n', () => sma(x, 3, 4), 'm'],
    ['SMA m 0', () => sma(x, 3, 0), 'm'],
    ['SMA n 0', () => sma(x, 0, 1), 'n'],
    ['MACD fast 0', () => macd(x, 0, 26, 9), 'fast'],
    ['MACD slow -1', () => macd(x, 12, -1, 9), 'slow'],
    ['MACD signal 1.5', () => macd(x, 12, 26, 1.5), 'signal'],
    ['KDJ n 0', () => kdj(x, x, x, 0), 'n'],
    ['KDJ m1 0', () => kdj(x, x, x, 9, 0, 3), 'm1'],
    ['KDJ m2 0', () => kdj(x, x, x, 9, 3, 0), 'm2'],
    ['RSI period 0', () => rsi(x, 0), 'period'],
    ['BOLL period 1', () => boll(x, 1, 2), 'period'],
    ['BOLL k 0', () => boll(x, 20, 0), 'k'],
    ['BOLL k -2', () => boll(x, 20, -2), 'k'],
    ['BOLL k 10.5', () => boll(x, 20, 10.5), 'k'],
    ['BOLL k Infinity', () => boll(x, 20, Infinity), 'k'],
    ['WR period 0', () => wr(x, x, x, 0), 'period'],
    ['BIAS period 0', () => bias(x, 0), 'period'],
    ['CCI period 1', () => cci(x, x, x, 1), 'period'],
    ['PSY m 0', () => psy(x, 12, 0), 'm'],
    ['DMA n2 0', () => dma(x, 10, 0, 10), 'n2'],
    ['TRIX n 0', () => trix(x, 0, 9), 'n'],
    ['OBV m 0', () => obv(x, x, 0), 'm'],
    ['VR n 0', () => vr(x, x, 0, 6), 'n'],
    ['ASI m1 -1', () => asi(x, x, x, x, -1, 10), 'm1'],
    ['ASI m2 0', () => asi(x, x, x, x, 26, 0), 'm2'],
    ['start helper too', () => bollStart(20, 0), 'k'],
    ['above the integer range', () => ma(x, 100_001), 'period'],
  ];

  it.each(cases)('%s throws a parameter problem', (_name, call, field) => {
    let thrown: unknown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(IndicatorProblem);
    expect((thrown as IndicatorProblem).kind).toBe('parameter');
    expect((thrown as IndicatorProblem).field).toBe(field);
  });

  it('accepts the edges of the ranges', () => {
    expect(() => sma(x, 3, 3)).not.toThrow();
    expect(() => boll(x, 2, 10)).not.toThrow();
    expect(() => boll(x, 20, 1e-9)).not.toThrow();
    expect(() => asi(x, x, x, x, 0, 1)).not.toThrow();
    expect(() => macd(x, 26, 12, 1)).not.toThrow();
  });
});
