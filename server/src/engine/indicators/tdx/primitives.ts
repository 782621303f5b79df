/**
 * The TDX (通达信) formula-language primitives the indicator kernels are built from. Internal: the
 * public API is the indicators in the sibling files. Conventions, as the TDX reference data shows them:
 *
 * - A series is NaN where the formula language would have no value (warm-up).
 * - A windowed function (MA, SUM, HHV, LLV, STD, AVEDEV, COUNT) over N bars has a value once N
 *   consecutive inputs have one: on a series that starts at bar s, from bar s + N − 1.
 * - A recursive function (EMA, SMA) is seeded with its input's first value and has a value from there.
 * - REF(X, 1) has no value at bar 0, so anything built on the previous close starts at bar 1.
 *
 * Inputs are finite (the caller runs `assertFinite`); only intermediate series carry NaN.
 */
import { IndicatorProblem, output } from '../problem';

/** The number of bars all input columns share; a length mismatch is a caller bug reported as an input problem. */
export function barCount(columns: Readonly<Record<string, Float64Array>>): number {
  let length = -1;
  for (const [name, column] of Object.entries(columns)) {
    if (length < 0) length = column.length;
    else if (column.length !== length) {
      throw new IndicatorProblem('input', `${name} has ${column.length} values, the other columns ${length}`, name);
    }
  }
  return Math.max(length, 0);
}

/**
 * A sum that stays exact to the last bit or two however many values go in and out (Neumaier's
 * compensated summation): a plain running sum over thousands of bars drifts by many ulps.
 */
export class RunningSum {
  private sum = 0;
  private compensation = 0;

  add(value: number): void {
    const t = this.sum + value;
    if (Math.abs(this.sum) >= Math.abs(value)) this.compensation += this.sum - t + value;
    else this.compensation += value - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}

/**
 * SUM(X, N) / divisor into `out`; divisor N makes it MA (dividing rather than multiplying by 1/N
 * keeps MA bit-identical to the formula's SUM/N in most windows). NaN wherever the window holds a
 * NaN: NaNs are counted rather than added, so one NaN leaving the window does not poison the sum.
 */
export function rollingSumInto(x: Float64Array, n: number, divisor: number, out: Float64Array): Float64Array {
  const sum = new RunningSum();
  let missing = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) missing++;
    else sum.add(v);
    if (i >= n) {
      const old = x[i - n]!;
      if (Number.isNaN(old)) missing--;
      else sum.add(-old);
    }
    out[i] = i >= n - 1 && missing === 0 ? sum.value / divisor : NaN;
  }
  return out;
}

/** MA(X, N): the mean of the last N values. */
export function maOf(x: Float64Array, n: number): Float64Array {
  return rollingSumInto(x, n, n, output(x.length));
}

/**
 * EMA(X, N): Y = (2·X + (N − 1)·Y′) / (N + 1), seeded with the first value. The expression is
 * evaluated in exactly this order because that is what the reference does, bit for bit.
 */
export function emaOf(x: Float64Array, n: number): Float64Array {
  return recursiveInto(x, 2, n - 1, n + 1, output(x.length));
}

/** SMA(X, N, M): Y = (M·X + (N − M)·Y′) / N, seeded with the first value. */
export function smaOf(x: Float64Array, n: number, m: number): Float64Array {
  return recursiveInto(x, m, n - m, n, output(x.length));
}

/**
 * Y = (a·X + b·Y′) / c from X's first value on. A NaN inside the series (none of the kernels feed
 * one, but the primitive must not turn it into a NaN forever) leaves the state alone.
 */
function recursiveInto(x: Float64Array, a: number, b: number, c: number, out: Float64Array): Float64Array {
  let y = NaN;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) continue;
    y = Number.isNaN(y) ? v : (a * v + b * y) / c;
    out[i] = y;
  }
  return out;
}

/**
 * HHV / LLV over a sliding window with a monotonic deque of indices (amortised O(1) per bar): the
 * front is the extreme of the window, and each index enters and leaves at most once. The ring holds
 * at most N live indices, so it is allocated once at N.
 */
export class WindowExtreme {
  private readonly ring: Int32Array;
  private head = 0;
  private size = 0;

  constructor(
    private readonly values: Float64Array,
    private readonly n: number,
    private readonly highest: boolean,
  ) {
    this.ring = new Int32Array(n);
  }

  /** Takes bar i in (bars must come in order) and returns the extreme of bars i − N + 1 … i. */
  push(i: number): number {
    const { ring, values, n } = this;
    const v = values[i]!;
    // Older values that cannot beat the new one can never be the extreme again.
    while (this.size > 0) {
      const back = ring[(this.head + this.size - 1) % n]!;
      if (this.highest ? values[back]! > v : values[back]! < v) break;
      this.size--;
    }
    if (this.size > 0 && ring[this.head]! <= i - n) {
      this.head = (this.head + 1) % n;
      this.size--;
    }
    ring[(this.head + this.size) % n] = i;
    this.size++;
    return values[ring[this.head]!]!;
  }
}

/**
 * Fills `dispersion` (and `meanOffset`, when given) for every full window of x, N ≥ 2, where the
 * dispersion is STD(X, N) (sample, N − 1) or AVEDEV(X, N) (mean absolute deviation).
 *
 * Exact per window in O(N) rather than from running sums of squares, on purpose: those drift over
 * thousands of bars and, worse, cancel badly in a flat window after a price jump, where the true
 * value is 0 and √(drift) would be visible noise. Values are taken relative to the window's last
 * value, so the sums stay small and the mean is that value plus `meanOffset`.
 *
 * A window whose values lie within a few ulps of each other counts as flat: dispersion and offset
 * exactly 0. In a derived series such as TYP = (H + L + C) / 3 the same three prices added in
 * another order can differ in the last bit, and dividing by a dispersion made of that noise would
 * give CCI ±66.67 or more on a window that did not move. The zero-division rules rely on this 0.
 */
export function dispersionInto(
  x: Float64Array,
  n: number,
  kind: 'std' | 'avedev',
  dispersion: Float64Array,
  meanOffset?: Float64Array,
): void {
  for (let i = n - 1; i < x.length; i++) {
    const anchor = x[i]!;
    let shifted = 0;
    let lo = anchor;
    let hi = anchor;
    for (let j = i - n + 1; j <= i; j++) {
      const v = x[j]!;
      shifted += v - anchor;
      if (v < lo) lo = v;
      else if (v > hi) hi = v;
    }
    if (hi - lo <= FLAT_ULPS * Number.EPSILON * Math.max(Math.abs(hi), Math.abs(lo))) {
      dispersion[i] = 0;
      if (meanOffset) meanOffset[i] = 0;
      continue;
    }
    const offset = shifted / n;
    let acc = 0;
    if (kind === 'std') {
      for (let j = i - n + 1; j <= i; j++) {
        const d = x[j]! - anchor - offset;
        acc += d * d;
      }
      dispersion[i] = Math.sqrt(acc / (n - 1));
    } else {
      for (let j = i - n + 1; j <= i; j++) acc += Math.abs(x[j]! - anchor - offset);
      dispersion[i] = acc / n;
    }
    // The window mean is anchor + offset; X − mean at the window's last bar is therefore −offset.
    if (meanOffset) meanOffset[i] = offset;
  }
}

/** How many ulps of spread still count as a flat window (see `dispersionInto`). */
const FLAT_ULPS = 8;
