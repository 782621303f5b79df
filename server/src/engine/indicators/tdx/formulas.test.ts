/**
 * The kernels against slow, literal transcriptions of their TDX formulas: every primitive below is
 * the textbook definition over (number | null)[] (null = no value, as in the formula language), with
 * no running sums, deques or shortcuts, so agreement says the fast kernels compute the formula.
 * The zero-division rules are written in where the formula divides, as each kernel documents them.
 */
import { describe, expect, it } from 'vitest';
import { asi, bias, boll, cci, dma, ema, kdj, ma, macd, obv, psy, rsi, sma, trix, vr, wr } from './index';

type Series = (number | null)[];

interface Bars {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

// ——— data ———

/** mulberry32: a small deterministic PRNG, so every run tests the same bars. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

function toBars(rows: [number, number, number, number, number][]): Bars {
  return {
    open: Float64Array.from(rows, (r) => r[0]),
    high: Float64Array.from(rows, (r) => r[1]),
    low: Float64Array.from(rows, (r) => r[2]),
    close: Float64Array.from(rows, (r) => r[3]),
    volume: Float64Array.from(rows, (r) => r[4]),
  };
}

/** Daily-like bars: a random walk in cents with real OHLC ranges. */
function dailyBars(length: number, seed: number, from = 10): Bars {
  const next = random(seed);
  const rows: [number, number, number, number, number][] = [];
  let close = from;
  for (let i = 0; i < length; i++) {
    const open = round2(close * (1 + (next() - 0.5) * 0.02));
    close = round2(Math.max(0.5, open * (1 + (next() - 0.5) * 0.06)));
    const high = round2(Math.max(open, close) * (1 + next() * 0.02));
    const low = round2(Math.min(open, close) * (1 - next() * 0.02));
    rows.push([open, high, low, close, Math.round(1e5 + next() * 1e7)]);
  }
  return toBars(rows);
}

/**
 * A price jump (a resumption after news, ×3) followed by a fully flat stretch (suspension-filled
 * bars: O = H = L = C, no volume) and trading again: windows that straddle the jump and then lose it.
 */
function gapBars(): Bars {
  const a = dailyBars(200, 7, 10);
  const b = dailyBars(60, 8, 31);
  const rows: [number, number, number, number, number][] = [];
  for (let i = 0; i < 200; i++) rows.push([a.open[i]!, a.high[i]!, a.low[i]!, a.close[i]!, a.volume[i]!]);
  for (let i = 0; i < 60; i++) rows.push([b.open[i]!, b.high[i]!, b.low[i]!, b.close[i]!, b.volume[i]!]);
  const flat = b.close[59]!;
  for (let i = 0; i < 70; i++) rows.push([flat, flat, flat, flat, 0]);
  const c = dailyBars(100, 9, flat);
  for (let i = 0; i < 100; i++) rows.push([c.open[i]!, c.high[i]!, c.low[i]!, c.close[i]!, c.volume[i]!]);
  return toBars(rows);
}

/**
 * Minute-like bars of an illiquid stock: prices on the 0.01 tick, most minutes unchanged, one in
 * five with no trade at all (O = H = L = C = previous close, volume 0), so flat windows, zero
 * ranges and zero volumes all occur.
 */
function minuteBars(length: number, seed: number): Bars {
  const next = random(seed);
  const rows: [number, number, number, number, number][] = [];
  let ticks = 1234;
  for (let i = 0; i < length; i++) {
    if (next() < 0.2) {
      const p = ticks / 100;
      rows.push([p, p, p, p, 0]);
      continue;
    }
    const open = ticks;
    const r = next();
    ticks += r < 0.2 ? -1 : r > 0.8 ? 1 : 0;
    const high = Math.max(open, ticks) + (next() < 0.3 ? 1 : 0);
    const low = Math.min(open, ticks) - (next() < 0.3 ? 1 : 0);
    rows.push([open / 100, high / 100, low / 100, ticks / 100, 100 * Math.ceil(next() * 50)]);
  }
  return toBars(rows);
}

// ——— the formula language, literally ———

const arr = (x: Float64Array): Series => Array.from(x);
const map = (a: Series, f: (x: number, i: number) => number): Series => a.map((x, i) => (x === null ? null : f(x, i)));
const map2 = (a: Series, b: Series, f: (x: number, y: number) => number): Series =>
  a.map((x, i) => (x === null || b[i] === null ? null : f(x, b[i]!)));

function window(x: Series, n: number, i: number): number[] | null {
  if (i < n - 1) return null;
  const w = x.slice(i - n + 1, i + 1);
  return w.some((v) => v === null) ? null : (w as number[]);
}
const windowed = (x: Series, n: number, f: (w: number[]) => number): Series =>
  x.map((_, i) => {
    const w = window(x, n, i);
    return w === null ? null : f(w);
  });
const total = (w: number[]): number => w.reduce((s, v) => s + v, 0);
/**
 * Flat, as the kernels define it: a spread of at most 8 ulps. TYP = (H + L + C) / 3 of the same
 * prices in another order can differ in the last bit; exact equality would make that noise a
 * ±66.67 CCI (it does in a literal transcription too, which is why the kernels do not use it).
 */
function flat(w: number[]): boolean {
  const hi = Math.max(...w);
  const lo = Math.min(...w);
  return hi - lo <= 8 * Number.EPSILON * Math.max(Math.abs(hi), Math.abs(lo));
}

const REF = (x: Series, k: number): Series => x.map((_, i) => (i < k ? null : x[i - k]!));
const MA = (x: Series, n: number): Series => windowed(x, n, (w) => total(w) / n);
const HHV = (x: Series, n: number): Series => windowed(x, n, (w) => Math.max(...w));
const LLV = (x: Series, n: number): Series => windowed(x, n, (w) => Math.min(...w));
/** SUM(X,0) is the running total from X's first value. */
function SUM(x: Series, n: number): Series {
  if (n > 0) return windowed(x, n, total);
  let s: number | null = null;
  return x.map((v) => (v === null ? null : (s = (s ?? 0) + v)));
}
const COUNT = (cond: Series, n: number): Series => SUM(cond, n);
/** Sample deviation; a flat window is exactly 0 (its mean is its value). */
const STD = (x: Series, n: number): Series =>
  windowed(x, n, (w) => {
    if (flat(w)) return 0;
    const m = total(w) / n;
    return Math.sqrt(total(w.map((v) => (v - m) ** 2)) / (n - 1));
  });
const AVEDEV = (x: Series, n: number): Series =>
  windowed(x, n, (w) => {
    if (flat(w)) return 0;
    const m = total(w) / n;
    return total(w.map((v) => Math.abs(v - m))) / n;
  });
function recursive(x: Series, f: (v: number, y: number) => number): Series {
  let y: number | null = null;
  return x.map((v) => (v === null ? null : (y = y === null ? v : f(v, y))));
}
const EMA = (x: Series, n: number): Series => recursive(x, (v, y) => (2 * v + (n - 1) * y) / (n + 1));
const SMA = (x: Series, n: number, m: number): Series => recursive(x, (v, y) => (m * v + (n - m) * y) / n);

// ——— the indicators, transcribed from their TDX text ———

const slow = {
  kdj(b: Bars, n: number, m1: number, m2: number) {
    const [h, l, c] = [arr(b.high), arr(b.low), arr(b.close)];
    const hh = HHV(h, n);
    const ll = LLV(l, n);
    const rsv = c.map((v, i) => {
      if (hh[i] === null || ll[i] === null) return null;
      return hh[i] === ll[i] ? 50 : ((v! - ll[i]!) / (hh[i]! - ll[i]!)) * 100;
    });
    const k = SMA(rsv, m1, 1);
    const d = SMA(k, m2, 1);
    return { k, d, j: map2(k, d, (x, y) => 3 * x - 2 * y) };
  },
  rsi(b: Bars, n: number) {
    const c = arr(b.close);
    const lc = REF(c, 1);
    const up = SMA(map2(c, lc, (x, y) => Math.max(x - y, 0)), n, 1);
    const all = SMA(map2(c, lc, (x, y) => Math.abs(x - y)), n, 1);
    return map2(up, all, (u, a) => (a === 0 ? 50 : (u / a) * 100));
  },
  wr(b: Bars, n: number) {
    const hh = HHV(arr(b.high), n);
    const ll = LLV(arr(b.low), n);
    return arr(b.close).map((c, i) => (hh[i] === null ? null : hh[i] === ll[i] ? 50 : (100 * (hh[i]! - c!)) / (hh[i]! - ll[i]!)));
  },
  bias(b: Bars, n: number) {
    const m = MA(arr(b.close), n);
    return map2(arr(b.close), m, (c, a) => (a === 0 ? 0 : ((c - a) / a) * 100));
  },
  cci(b: Bars, n: number) {
    const typ = arr(b.high).map((h, i) => (h! + b.low[i]! + b.close[i]!) / 3);
    const dev = AVEDEV(typ, n);
    return map2(map2(typ, MA(typ, n), (t, m) => t - m), dev, (d, a) => (a === 0 ? 0 : d / (0.015 * a)));
  },
  psy(b: Bars, n: number, m: number) {
    const c = arr(b.close);
    const p = map(COUNT(map2(c, REF(c, 1), (x, y) => (x > y ? 1 : 0)), n), (v) => (v / n) * 100);
    return { psy: p, psyma: MA(p, m) };
  },
  boll(b: Bars, n: number, k: number) {
    const c = arr(b.close);
    const mid = MA(c, n);
    const sd = STD(c, n);
    return { mid, upper: map2(mid, sd, (m, s) => m + k * s), lower: map2(mid, sd, (m, s) => m - k * s) };
  },
  macd(b: Bars, fast: number, slowN: number, signal: number) {
    const c = arr(b.close);
    const dif = map2(EMA(c, fast), EMA(c, slowN), (x, y) => x - y);
    const dea = EMA(dif, signal);
    return { dif, dea, macd: map2(dif, dea, (x, y) => 2 * (x - y)) };
  },
  dma(b: Bars, n1: number, n2: number, m: number) {
    const c = arr(b.close);
    const ddd = map2(MA(c, n1), MA(c, n2), (x, y) => x - y);
    return { ddd, ama: MA(ddd, m) };
  },
  trix(b: Bars, n: number, m: number) {
    const mtr = EMA(EMA(EMA(arr(b.close), n), n), n);
    const t = map2(mtr, REF(mtr, 1), (x, y) => (y === 0 ? 0 : ((x - y) / y) * 100));
    return { trix: t, matrix: MA(t, m) };
  },
  asi(b: Bars, m1: number, m2: number) {
    const [o, h, l, c] = [arr(b.open), arr(b.high), arr(b.low), arr(b.close)];
    const lc = REF(c, 1);
    const si = c.map((close, i) => {
      if (lc[i] === null) return null;
      const aa = Math.abs(h[i]! - lc[i]!);
      const bb = Math.abs(l[i]! - lc[i]!);
      const cc = Math.abs(h[i]! - l[i - 1]!);
      const dd = Math.abs(lc[i]! - o[i - 1]!);
      let r: number;
      if (aa > bb && aa > cc) r = aa + bb / 2 + dd / 4;
      else if (bb > cc && bb > aa) r = bb + aa / 2 + dd / 4;
      else r = cc + dd / 4;
      const x = close! - lc[i]! + (close! - o[i]!) / 2 + lc[i]! - o[i - 1]!;
      return r === 0 ? 0 : ((16 * x) / r) * Math.max(aa, bb);
    });
    const a = SUM(si, m1);
    return { asi: a, asit: MA(a, m2) };
  },
  obv(b: Bars, m: number) {
    const c = arr(b.close);
    const lc = REF(c, 1);
    const signed = c.map((v, i) => (lc[i] === null ? null : v! > lc[i]! ? b.volume[i]! : v! < lc[i]! ? -b.volume[i]! : 0));
    const o = SUM(signed, 0);
    return { obv: o, maobv: MA(o, m) };
  },
  vr(b: Bars, n: number, m: number) {
    const c = arr(b.close);
    const lc = REF(c, 1);
    const pick = (test: (x: number, y: number) => boolean): Series =>
      SUM(map2(c, lc, (x, y) => (test(x, y) ? 1 : 0)).map((f, i) => (f === null ? null : f * b.volume[i]!)), n);
    const th = pick((x, y) => x > y);
    const tl = pick((x, y) => x < y);
    const tq = pick((x, y) => x === y);
    const v = th.map((h, i) => {
      if (h === null) return null;
      const num = h * 2 + tq[i]!;
      const den = tl[i]! * 2 + tq[i]!;
      return den !== 0 ? (100 * num) / den : num === 0 ? 100 : null;
    });
    return { vr: v, mavr: MA(v, m) };
  },
};

// ——— comparison ———

function expectSeries(actual: Float64Array, expected: Series, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  const problems: string[] = [];
  for (let i = 0; i < expected.length && problems.length < 5; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (e === null) {
      if (!Number.isNaN(a)) problems.push(`[${i}] ${a}, expected no value`);
    } else if (!Number.isFinite(a)) problems.push(`[${i}] ${a}, expected ${e}`);
    else {
      const d = Math.abs(a - e);
      if (!(d <= 1e-9 * Math.abs(e) || d <= 1e-9)) problems.push(`[${i}] ${a}, expected ${e}`);
    }
  }
  expect(problems, label).toEqual([]);
}

function expectAll(actual: Record<string, Float64Array>, expected: Record<string, Series>, label: string): void {
  for (const [name, series] of Object.entries(expected)) expectSeries(actual[name]!, series, `${label} ${name}`);
}

const datasets: [string, Bars][] = [
  ['daily', dailyBars(800, 1)],
  ['gap + flat stretch', gapBars()],
  ['minute, illiquid', minuteBars(2400, 3)],
];

describe.each(datasets)('TDX kernels = their formulas, %s bars', (_name, b) => {
  it('MA, EMA, SMA at several parameters', () => {
    const c = arr(b.close);
    for (const n of [1, 2, 5, 60]) {
      expectSeries(ma(b.close, n), MA(c, n), `MA ${n}`);
      expectSeries(ema(b.close, n), EMA(c, n), `EMA ${n}`);
    }
    for (const [n, m] of [[1, 1], [3, 1], [5, 2], [7, 7], [20, 3]] as const) {
      expectSeries(sma(b.close, n, m), SMA(c, n, m), `SMA ${n},${m}`);
    }
  });

  it('MACD (TDX seeding) beyond the reference parameters', () => {
    for (const [f, s, g] of [[12, 26, 9], [5, 35, 5], [26, 12, 1]] as const) {
      expectAll({ ...macd(b.close, f, s, g) }, slow.macd(b, f, s, g), `MACD ${f},${s},${g}`);
    }
  });

  it('KDJ, RSI, WR, BIAS beyond the reference parameters', () => {
    for (const [n, m1, m2] of [[9, 3, 3], [5, 2, 4], [1, 1, 1], [34, 5, 5]] as const) {
      expectAll({ ...kdj(b.high, b.low, b.close, n, m1, m2) }, slow.kdj(b, n, m1, m2), `KDJ ${n},${m1},${m2}`);
    }
    for (const n of [1, 6, 24]) expectSeries(rsi(b.close, n), slow.rsi(b, n), `RSI ${n}`);
    for (const n of [1, 6, 14]) expectSeries(wr(b.high, b.low, b.close, n), slow.wr(b, n), `WR ${n}`);
    for (const n of [1, 12, 24]) expectSeries(bias(b.close, n), slow.bias(b, n), `BIAS ${n}`);
  });

  it('BOLL with sample STD beyond the reference parameters', () => {
    for (const [n, k] of [[20, 2], [2, 1], [26, 2.5], [99, 0.5]] as const) {
      expectAll({ ...boll(b.close, n, k) }, slow.boll(b, n, k), `BOLL ${n},${k}`);
    }
  });

  it('CCI', () => {
    for (const n of [2, 14, 30]) expectSeries(cci(b.high, b.low, b.close, n), slow.cci(b, n), `CCI ${n}`);
  });

  it('PSY', () => {
    for (const [n, m] of [[12, 6], [1, 1], [24, 12]] as const) expectAll({ ...psy(b.close, n, m) }, slow.psy(b, n, m), `PSY ${n},${m}`);
  });

  it('DMA', () => {
    for (const [n1, n2, m] of [[10, 50, 10], [50, 10, 1], [5, 5, 3]] as const) {
      expectAll({ ...dma(b.close, n1, n2, m) }, slow.dma(b, n1, n2, m), `DMA ${n1},${n2},${m}`);
    }
  });

  it('TRIX', () => {
    for (const [n, m] of [[12, 9], [1, 1], [30, 20]] as const) expectAll({ ...trix(b.close, n, m) }, slow.trix(b, n, m), `TRIX ${n},${m}`);
  });

  it('ASI, windowed and cumulative', () => {
    for (const [m1, m2] of [[26, 10], [0, 6], [1, 1]] as const) {
      expectAll({ ...asi(b.open, b.high, b.low, b.close, m1, m2) }, slow.asi(b, m1, m2), `ASI ${m1},${m2}`);
    }
  });

  it('OBV', () => {
    for (const m of [30, 1]) expectAll({ ...obv(b.close, b.volume, m) }, slow.obv(b, m), `OBV ${m}`);
  });

  it('VR', () => {
    for (const [n, m] of [[26, 6], [1, 1], [5, 3]] as const) {
      expectAll({ ...vr(b.close, b.volume, n, m) }, slow.vr(b, n, m), `VR ${n},${m}`);
    }
  });
});

describe('long series (no drift of running sums)', () => {
  const b = minuteBars(60_000, 11);
  // Far from bar 0, where a drifting running sum would have accumulated its error.
  const tail = <T extends Series>(s: T): T => s.map((v, i) => (i < 55_000 ? null : v)) as T;
  const tailOf = (x: Float64Array): Float64Array => x.map((v, i) => (i < 55_000 ? NaN : v));

  it('MA, BOLL, CCI, ASI and VR still match their formulas 55,000 bars in', () => {
    expectSeries(tailOf(ma(b.close, 20)), tail(MA(arr(b.close), 20)), 'MA');
    const bb = boll(b.close, 20, 2);
    const sb = slow.boll(b, 20, 2);
    expectSeries(tailOf(bb.upper), tail(sb.upper), 'BOLL upper');
    expectSeries(tailOf(cci(b.high, b.low, b.close, 14)), tail(slow.cci(b, 14)), 'CCI');
    expectSeries(tailOf(asi(b.open, b.high, b.low, b.close, 26, 10).asi), tail(slow.asi(b, 26, 10).asi), 'ASI');
    expectSeries(tailOf(vr(b.close, b.volume, 26, 6).vr), tail(slow.vr(b, 26, 6).vr), 'VR');
  });
});

describe('the datasets exercise what they are meant to', () => {
  it('gap bars: a flat window after the jump has BOLL bands on MID and CCI 0, with no NaN', () => {
    const b = gapBars();
    const { mid, upper, lower } = boll(b.close, 20, 2);
    const c = cci(b.high, b.low, b.close, 14);
    // Bars 260..329 are flat; from 279 the 20-bar window holds flat bars only.
    for (let i = 279; i < 330; i++) {
      expect(upper[i]).toBe(mid[i]);
      expect(lower[i]).toBe(mid[i]);
      expect(c[i]).toBe(0);
    }
    for (const s of [mid, upper, lower, c]) expect(s.slice(19).every(Number.isFinite)).toBe(true);
  });

  it('minute bars: zero-range windows occur, and KDJ, WR, CCI stay finite through them', () => {
    const b = minuteBars(2400, 3);
    const w = wr(b.high, b.low, b.close, 3);
    const flatWindows = Array.from(w).filter((v) => v === 50).length;
    expect(flatWindows).toBeGreaterThan(0);
    const { k, d, j } = kdj(b.high, b.low, b.close, 3, 3, 3);
    for (const s of [w, k, d, j, cci(b.high, b.low, b.close, 3)]) expect(s.slice(2).every(Number.isFinite)).toBe(true);
  });
});
