/**
 * Test support for the kernel tests (no vitest here, so production code may never pull it in):
 * deterministic bars and a comparison that reports the first disagreement.
 */

export interface TestBars {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  amount: Float64Array;
}

/**
 * A seeded random walk of `n` daily bars, prices rounded to 0.01 like A-share quotes so that
 * windows have ties (equal highs/lows, unchanged closes), volume in whole shares.
 */
export function randomBars(n: number, seed = 1): TestBars {
  let state = seed >>> 0 || 1;
  const rand = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const round = (x: number): number => Math.round(x * 100) / 100;
  const bars: TestBars = {
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    amount: new Float64Array(n),
  };
  let last = 10;
  for (let i = 0; i < n; i++) {
    const open = round(last * (1 + (rand() - 0.5) * 0.02));
    const close = round(Math.max(0.5, open * (1 + (rand() - 0.5) * 0.06)));
    const high = round(Math.max(open, close) * (1 + rand() * 0.02));
    const low = round(Math.min(open, close) * (1 - rand() * 0.02));
    const volume = Math.round(1e5 + rand() * 9e5);
    bars.open[i] = open;
    bars.high[i] = high;
    bars.low[i] = low;
    bars.close[i] = close;
    bars.volume[i] = volume;
    bars.amount[i] = Math.round(((high + low + close) / 3) * volume * (0.99 + rand() * 0.02));
    last = close;
  }
  return bars;
}

/** Index of the first non-NaN value, -1 if none. */
export function firstValue(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) return i;
  return -1;
}

/**
 * The first disagreement between two columns, or undefined: NaN must meet NaN, and values agree
 * within `tol` relative to the expected value or `tol` absolute.
 */
export function mismatch(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-9): string | undefined {
  if (actual.length !== expected.length) return `length ${actual.length} ≠ ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) || Number.isNaN(a)) {
      if (Number.isNaN(e) !== Number.isNaN(a)) return `[${i}] expected ${e}, got ${a}`;
      continue;
    }
    const err = Math.abs(a - e);
    if (!(err <= tol * Math.abs(e) || err <= tol)) return `[${i}] expected ${e}, got ${a}`;
  }
  return undefined;
}

/** A column of `n` copies of `value`. */
export function constant(n: number, value: number): Float64Array {
  return new Float64Array(n).fill(value);
}
