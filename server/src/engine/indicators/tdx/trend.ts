/**
 * Trend indicators in the TDX (通达信) formula language: MACD, DMA, TRIX, ASI.
 */
import { intParam, output } from '../problem';
import { barCount, maOf, rollingSumInto, RunningSum } from './primitives';

export interface Macd {
  dif: Float64Array;
  dea: Float64Array;
  macd: Float64Array;
}

/**
 * MACD(SHORT, LONG, MID):
 * ```
 * DIF:EMA(CLOSE,SHORT)-EMA(CLOSE,LONG);
 * DEA:EMA(DIF,MID);
 * MACD:(DIF-DEA)*2,COLORSTICK;
 * ```
 * Warm-up: none. Every EMA is seeded with its input's first value, so DIF = DEA = MACD = 0 at bar 0
 * (TA-Lib instead starts at LONG + MID − 2 with mean-seeded EMAs; the values differ for a long time).
 * No division by a data value.
 * Params: fast, slow, signal ≥ 1. fast < slow is the meaningful setting but is not enforced:
 * swapping them only flips the sign, as it does in TDX.
 */
export function macd(close: Float64Array, fast = 12, slow = 26, signal = 9): Macd {
  macdStart(fast, slow, signal);
  const length = close.length;
  const dif = output(length);
  const dea = output(length);
  const bar = output(length);
  // One pass: the three EMAs are carried as scalars, evaluated in the formula's order.
  let f = 0;
  let s = 0;
  let e = 0;
  for (let i = 0; i < length; i++) {
    const c = close[i]!;
    if (i === 0) {
      f = c;
      s = c;
    } else {
      f = (2 * c + (fast - 1) * f) / (fast + 1);
      s = (2 * c + (slow - 1) * s) / (slow + 1);
    }
    const d = f - s;
    e = i === 0 ? d : (2 * d + (signal - 1) * e) / (signal + 1);
    dif[i] = d;
    dea[i] = e;
    bar[i] = 2 * (d - e);
  }
  return { dif, dea, macd: bar };
}

/** First bar with DIF, DEA and MACD: 0. */
export function macdStart(fast = 12, slow = 26, signal = 9): number {
  intParam('fast', fast, 1);
  intParam('slow', slow, 1);
  intParam('signal', signal, 1);
  return 0;
}

export interface Dma {
  ddd: Float64Array;
  ama: Float64Array;
}

/**
 * DMA(N1, N2, M), 平行线差 (TDX names the lines DIF and DIFMA; 同花顺 DDD and AMA):
 * ```
 * DDD:MA(CLOSE,N1)-MA(CLOSE,N2);
 * AMA:MA(DDD,M);
 * ```
 * Warm-up: DDD starts at bar max(N1, N2) − 1, AMA at max(N1, N2) + M − 2.
 * No division by a data value. Params: n1, n2, m ≥ 1 (no order between N1 and N2 is enforced).
 */
export function dma(close: Float64Array, n1 = 10, n2 = 50, m = 10): Dma {
  dmaStart(n1, n2, m);
  const ddd = maOf(close, n1);
  const slow = maOf(close, n2);
  // NaN − x is NaN, so DDD's warm-up is the longer of the two.
  for (let i = 0; i < close.length; i++) ddd[i] = ddd[i]! - slow[i]!;
  return { ddd, ama: maOf(ddd, m) };
}

/** First bars with DDD and AMA. */
export function dmaStart(n1 = 10, n2 = 50, m = 10): { ddd: number; ama: number } {
  intParam('n1', n1, 1);
  intParam('n2', n2, 1);
  intParam('m', m, 1);
  const ddd = Math.max(n1, n2) - 1;
  return { ddd, ama: ddd + m - 1 };
}

export interface Trix {
  trix: Float64Array;
  matrix: Float64Array;
}

/**
 * TRIX(N, M), 三重指数平滑平均线:
 * ```
 * MTR:=EMA(EMA(EMA(CLOSE,N),N),N);
 * TRIX:(MTR-REF(MTR,1))/REF(MTR,1)*100;
 * MATRIX:MA(TRIX,M);
 * ```
 * Warm-up: MTR has a value from bar 0 (first-value seeding), TRIX from bar 1 (REF), MATRIX from M.
 * Zero division: REF(MTR,1) = 0 gives TRIX = 0 (only zero prices smooth to zero).
 * Params: n ≥ 1, m ≥ 1.
 */
export function trix(close: Float64Array, n = 12, m = 9): Trix {
  trixStart(n, m);
  const out = output(close.length);
  let e1 = 0;
  let e2 = 0;
  let e3 = 0;
  for (let i = 0; i < close.length; i++) {
    const c = close[i]!;
    if (i === 0) {
      e1 = e2 = e3 = c;
      continue;
    }
    const previous = e3;
    e1 = (2 * c + (n - 1) * e1) / (n + 1);
    e2 = (2 * e1 + (n - 1) * e2) / (n + 1);
    e3 = (2 * e2 + (n - 1) * e3) / (n + 1);
    out[i] = previous === 0 ? 0 : ((e3 - previous) / previous) * 100;
  }
  return { trix: out, matrix: maOf(out, m) };
}

/** First bars with TRIX and MATRIX. */
export function trixStart(n = 12, m = 9): { trix: number; matrix: number } {
  intParam('n', n, 1);
  intParam('m', m, 1);
  return { trix: 1, matrix: m };
}

export interface Asi {
  asi: Float64Array;
  asit: Float64Array;
}

/**
 * ASI(M1, M2), 振动升降指标, as TDX ships it (not Wilder's original, which scales by a limit move
 * and weights REF(C,1) − REF(O,1) by ¼):
 * ```
 * LC:=REF(CLOSE,1);
 * AA:=ABS(HIGH-LC);
 * BB:=ABS(LOW-LC);
 * CC:=ABS(HIGH-REF(LOW,1));
 * DD:=ABS(LC-REF(OPEN,1));
 * R:=IF(AA>BB AND AA>CC,AA+BB/2+DD/4,IF(BB>CC AND BB>AA,BB+AA/2+DD/4,CC+DD/4));
 * X:=(CLOSE-LC+(CLOSE-OPEN)/2+LC-REF(OPEN,1));
 * SI:=16*X/R*MAX(AA,BB);
 * ASI:SUM(SI,M1);
 * ASIT:MA(ASI,M2);
 * ```
 * Warm-up: SI needs the previous bar, so it exists from bar 1; ASI starts at bar M1 (a full window
 * of SI), or at bar 1 when M1 = 0, TDX's SUM(X,0) = the running total from the first value; ASIT
 * starts M2 − 1 bars after ASI.
 * Zero division: R = 0 gives SI = 0. R is 0 only on a bar with no range that sits on the previous
 * low after a previous bar that closed at its open; there AA = BB can still be > 0, so the formula
 * would give ±Infinity, and such a bar has no swing worth counting.
 * Params: m1 ≥ 0 (0 = cumulative), m2 ≥ 1.
 */
export function asi(
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  m1 = 26,
  m2 = 10,
): Asi {
  asiStart(m1, m2);
  const length = barCount({ open, high, low, close });
  const si = output(length);
  for (let i = 1; i < length; i++) {
    const lc = close[i - 1]!;
    const aa = Math.abs(high[i]! - lc);
    const bb = Math.abs(low[i]! - lc);
    const cc = Math.abs(high[i]! - low[i - 1]!);
    const dd = Math.abs(lc - open[i - 1]!);
    const r = aa > bb && aa > cc ? aa + bb / 2 + dd / 4 : bb > cc && bb > aa ? bb + aa / 2 + dd / 4 : cc + dd / 4;
    const x = close[i]! - lc + (close[i]! - open[i]!) / 2 + lc - open[i - 1]!;
    si[i] = r === 0 ? 0 : ((16 * x) / r) * Math.max(aa, bb);
  }
  let total: Float64Array;
  if (m1 === 0) {
    total = si;
    const sum = new RunningSum();
    for (let i = 1; i < length; i++) {
      sum.add(si[i]!);
      total[i] = sum.value;
    }
  } else {
    total = rollingSumInto(si, m1, 1, output(length));
  }
  return { asi: total, asit: maOf(total, m2) };
}

/** First bars with ASI and ASIT. */
export function asiStart(m1 = 26, m2 = 10): { asi: number; asit: number } {
  intParam('m1', m1, 0);
  intParam('m2', m2, 1);
  const start = Math.max(m1, 1);
  return { asi: start, asit: start + m2 - 1 };
}
