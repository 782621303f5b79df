/**
 * N-day new highs and lows (创N日新高/新低): a bar whose high (low) goes strictly beyond every one of
 * the previous N bars. One pass with a monotonic queue of candidate bars (O(length) whatever N).
 */
import { intParam } from '../indicators/problem';

export type ExtremeKind = 'new_high' | 'new_low';

/** A new N-bar extreme at bar `index`: its high (low) and the previous N bars' highest (lowest). */
export interface NewExtreme {
  index: number;
  kind: ExtremeKind;
  value: number;
  prior: number;
}

/**
 * Bars whose high is strictly greater than the highest high of the previous n bars
 * (HIGH > REF(HHV(HIGH,N),1)). A bar needs n previous bars, so the first candidate is bar n; an
 * equal high is not new. NaN: a bar with a NaN high, or with a NaN among its previous n, gives no
 * event.
 */
export function newHighs(high: Float64Array, n = 20): NewExtreme[] {
  return extremes(high, n, 1, 'new_high');
}

/** Bars whose low is strictly below the lowest low of the previous n bars; as `newHighs`. */
export function newLows(low: Float64Array, n = 20): NewExtreme[] {
  return extremes(low, n, -1, 'new_low');
}

function extremes(x: Float64Array, n: number, sign: 1 | -1, kind: ExtremeKind): NewExtreme[] {
  intParam('n', n, 1);
  const events: NewExtreme[] = [];
  // queue[head … tail−1]: bars of the current window whose values decrease (sign-adjusted), so
  // the front is the window's extreme. Each bar enters once, so one array of `length` suffices.
  const queue = new Int32Array(x.length);
  let head = 0;
  let tail = 0;
  let lastNaN = -1;
  for (let i = 0; i < x.length; i++) {
    while (head < tail && queue[head]! < i - n) head++;
    const v = x[i]!;
    if (Number.isNaN(v)) {
      lastNaN = i;
      head = tail = 0;
      continue;
    }
    if (i >= n && lastNaN < i - n && head < tail) {
      const prior = x[queue[head]!]!;
      if (sign * v > sign * prior) events.push({ index: i, kind, value: v, prior });
    }
    while (head < tail && sign * x[queue[tail - 1]!]! <= sign * v) tail--;
    queue[tail++] = i;
  }
  return events;
}
