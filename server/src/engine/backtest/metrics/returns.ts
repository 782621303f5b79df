/**
 * Input checks, daily returns, the benchmark aligned on the strategy's dates, and compounding.
 */

/** Trading days per year, for every annualisation. */
export const TRADING_DAYS = 252;

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Throws a RangeError naming the field unless dates are YYYY-MM-DD and strictly increasing. */
export function checkDates(field: string, dates: readonly string[]): void {
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i]!;
    if (!DATE.test(d)) throw new RangeError(`${field}[${i}] is not a YYYY-MM-DD date: ${d}`);
    if (i > 0 && !(d > dates[i - 1]!)) throw new RangeError(`${field} must be strictly increasing at ${i}: ${d}`);
  }
}

/** Throws a RangeError unless every value is finite and > 0. */
export function checkPositive(field: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isFinite(v) && v > 0)) throw new RangeError(`${field}[${i}] must be a finite number > 0, got ${v}`);
  }
}

/** Throws a RangeError unless every value is finite. */
export function checkFinite(field: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new RangeError(`${field}[${i}] must be a finite number, got ${values[i]}`);
  }
}

/** Simple returns v[i + 1]/v[i] − 1 (length n − 1). */
export function simpleReturns(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const out = new Float64Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) out[i - 1] = values[i]! / values[i - 1]! - 1;
  return out;
}

/**
 * Benchmark closes forward-filled onto the strategy's dates: each date takes the last close on or
 * before it. Dates before the benchmark's first close take that first close (the benchmark is flat
 * until it starts). Null when the benchmark has no close. Both date lists must be sorted; O(n + m).
 */
export function alignBenchmark(
  dates: readonly string[],
  benchDates: readonly string[],
  benchClose: ArrayLike<number>,
): Float64Array | null {
  const m = benchDates.length;
  if (m === 0) return null;
  const out = new Float64Array(dates.length);
  let j = -1;
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i]!;
    while (j + 1 < m && benchDates[j + 1]! <= d) j++;
    out[i] = benchClose[Math.max(j, 0)]!;
  }
  return out;
}

/** values × base/values[0]: a series rebased to start at `base`. */
export function rebase(values: Float64Array, base: number): Float64Array {
  const out = new Float64Array(values.length);
  const k = base / values[0]!;
  for (let i = 0; i < values.length; i++) out[i] = values[i]! * k;
  return out;
}

/** last/first − 1; null for fewer than 2 values. */
export function totalReturn(values: ArrayLike<number>): number | null {
  const n = values.length;
  return n < 2 ? null : values[n - 1]! / values[0]! - 1;
}

/** CAGR over trading days: (1 + total)^(252/periods) − 1; null without a period. */
export function annualReturn(total: number | null, periods: number): number | null {
  if (total === null || periods < 1) return null;
  const r = (1 + total) ** (TRADING_DAYS / periods) - 1;
  return Number.isFinite(r) ? r : null;
}

/** Daily rate equivalent to an annual rate over 252 trading days: (1 + rf)^(1/252) − 1. */
export function dailyRate(annual: number): number {
  return (1 + annual) ** (1 / TRADING_DAYS) - 1;
}
