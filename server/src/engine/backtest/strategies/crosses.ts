/**
 * Crosses as backtrader's CrossOver counts them: the sign of a − b on this bar against the last
 * non-zero sign of a − b before it, so a cross through a tie (a touch, then on through) counts once,
 * on the bar where the sign differs. A NaN before the last non-zero sign (warm-up) means no sign
 * yet, so the first bar with values never counts as a cross. `b` may be a constant (a level).
 * A line is an array (Float64Array, as ctx.indicator and ctx.bars give) or a live view
 * (ctx.indicatorView).
 */
import type { SeriesView } from '../strategy';

type Line = SeriesView;

/** Value j of a line: an array is indexed (its at() is a slow built-in), a live view asked. */
const value = (line: Line, j: number): number => (line instanceof Float64Array ? line[j]! : line.at(j)!);

/**
 * a − b on bar j (`b` a line or a level). The subtraction is done in each branch: a branch that
 * handed back `b` itself would make the compiler box every value read from a line.
 */
const diff = (a: Line, b: Line | number, j: number): number => (typeof b === 'number' ? value(a, j) - b : value(a, j) - value(b, j));

/** The last non-zero sign of a − b before bar i (0 when there is none, or a NaN comes first). */
export function signBefore(a: Line, b: Line | number, i: number): number {
  for (let j = i - 1; j >= 0; j--) {
    const d = diff(a, b, j);
    if (Number.isNaN(d)) return 0;
    if (d !== 0) return d > 0 ? 1 : -1;
  }
  return 0;
}

/** 1 when a crosses above b on bar i, −1 when it crosses below, else 0. */
export function crossAt(a: Line, b: Line | number, i: number): 1 | -1 | 0 {
  if (i < 1) return 0;
  const d = diff(a, b, i);
  if (!(d !== 0) || Number.isNaN(d)) return 0;
  const before = signBefore(a, b, i);
  if (d > 0 && before < 0) return 1;
  if (d < 0 && before > 0) return -1;
  return 0;
}

/** crossAt on the last bar (the current one of a strategy's views). */
export function crossNow(a: Line, b: Line | number): 1 | -1 | 0 {
  return crossAt(a, b, a.length - 1);
}
