/**
 * The Probability of Backtest Overfitting by Combinatorially Symmetric Cross-Validation (CSCV):
 * D. H. Bailey, J. M. Borwein, M. López de Prado and Q. J. Zhu, "The Probability of Backtest
 * Overfitting", Journal of Computational Finance 20(4), 2017, 39–69 (SSRN 2326253, 2013/2015).
 *
 * Input: the performance matrix M, T rows (time slices, oldest first) × N columns (trials, e.g. one
 * parameter set each), given as N columns of T daily returns. CSCV:
 *   1. M is cut into S row blocks of T/S consecutive rows (the T mod S oldest rows are dropped, so
 *      every block has the same size; `droppedRows` says how many).
 *   2. For each of the C(S, S/2) ways c to pick S/2 blocks as the in-sample half J (in time order;
 *      its complement J̄ is the out-of-sample half), in lexicographic order of the block indices
 *      ({0,1,…,S/2−1} first):
 *      - the metric of every trial on J gives R, on J̄ gives R̄;
 *      - n* = the trial with the best R (the in-sample choice; the first trial on a tie);
 *      - ω̄_c = rank of R̄_{n*} among R̄ / (N + 1), ranks ascending from 1 (worst) to N (best);
 *      - λ_c = ln(ω̄_c / (1 − ω̄_c)), the logit: 0 at the out-of-sample median, > 0 above it.
 *   3. PBO = #{c : λ_c ≤ 0} / C(S, S/2): how often the in-sample best is at or below the median
 *      out of sample.
 * Also: the degradation pairs (R_{n*}, R̄_{n*}) with the least-squares line of R̄ on R, and the
 * probability of loss #{c : R̄_{n*} < threshold}/C (threshold 0: the chosen trial loses out of
 * sample).
 *
 * Ranks: the paper divides by N + 1 (so ω̄ ∈ (0, 1) and λ stays finite) and does not say how to rank
 * ties; here tied values share the average of their ranks (scipy.stats.rankdata's default, as the
 * Python reference implementation pypbo does), i.e. rank = 1 + #{R̄ < x} + (#{R̄ = x} − 1)/2. A
 * metric value that is NaN (a trial without a Sharpe ratio on that half, e.g. one that never
 * traded) ranks below every number and is never chosen in sample unless all are NaN.
 *
 * Memory: nothing per combination is kept but its results (C numbers a series). The default Sharpe
 * metric reads the matrix once into per-block means and centred sums of squares (2·S·N numbers) and
 * combines S/2 of them per trial and combination — O(C·S·N) time however long T is. A custom metric
 * (a function of one trial's rows) is given each half's rows in a reused buffer: O(C·T·N) time.
 * Definitions and worked examples: docs/OVERFITTING.md.
 */
import { betaCorrelation } from './comoments';
import { mean, ZERO_STD } from './distribution';

/**
 * How a trial's performance on a half is measured: 'sharpe' (default), the daily Sharpe ratio
 * mean/std (sample std, n − 1; no risk-free rate, not annualised — ranks do not care, the
 * degradation pairs and the probability of loss are in these units; NaN when the std is at or below
 * ZERO_STD), or a function of the half's rows of one trial in time order (the array is reused
 * between calls: read it, do not keep it). Larger is better.
 */
export type PboMetric = 'sharpe' | ((rows: Float64Array) => number);

export interface PboOptions {
  /** S, the number of row blocks: an even integer from 2 to 24 (C(24, 12) = 2,704,156 combinations). Default 16. */
  partitions?: number;
  metric?: PboMetric;
  /** The probability of loss counts R̄_{n*} below this (default 0). */
  lossThreshold?: number;
}

export interface PboResult {
  /** The share of combinations with λ ≤ 0. */
  pbo: number;
  /** C(S, S/2). */
  combinations: number;
  partitions: number;
  /** Rows per block, ⌊T/S⌋. */
  blockSize: number;
  /** T mod S, the oldest rows left out. */
  droppedRows: number;
  /** Per combination, in lexicographic order of the in-sample blocks: n*, ω̄, λ, R_{n*}, R̄_{n*}. */
  selected: Int32Array;
  relativeRanks: Float64Array;
  logits: Float64Array;
  inSample: Float64Array;
  outOfSample: Float64Array;
  /** Least squares R̄_{n*} = slope·R_{n*} + intercept over the combinations where both are numbers; null when R_{n*} does not vary. */
  degradation: { slope: number | null; intercept: number | null; correlation: number | null };
  /** The share of combinations with R̄_{n*} < lossThreshold. */
  probabilityOfLoss: number;
}

const MAX_PARTITIONS = 24;
/** ZERO_STD read once: an imported binding read in the inner loop costs a getter call per read under some loaders. */
const FLAT = ZERO_STD;

/** C(n, k) for the small n here (exact in doubles). */
export function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** Checks the matrix and options; throws a RangeError naming what is wrong. */
function check(trials: readonly ArrayLike<number>[], partitions: number): number {
  const n = trials.length;
  if (n < 2) throw new RangeError(`PBO needs at least 2 trials (columns), got ${n}`);
  const t = trials[0]!.length;
  for (let j = 0; j < n; j++) {
    const col = trials[j]!;
    if (col.length !== t) throw new RangeError(`every trial needs the same number of rows: trial 0 has ${t}, trial ${j} has ${col.length}`);
    for (let i = 0; i < t; i++) {
      if (!Number.isFinite(col[i]!)) throw new RangeError(`trial ${j} row ${i} is not a finite number (${col[i]})`);
    }
  }
  if (!(Number.isInteger(partitions) && partitions >= 2 && partitions % 2 === 0 && partitions <= MAX_PARTITIONS)) {
    throw new RangeError(`partitions S must be an even integer from 2 to ${MAX_PARTITIONS}, got ${partitions}`);
  }
  if (partitions > t) throw new RangeError(`partitions S = ${partitions} is more than the ${t} rows: every partition needs at least one row`);
  return t;
}

/** Fills `out` with each trial's metric on the blocks marked `want` in `inSample` (1 = in sample). */
type HalfMetric = (inSample: Uint8Array, want: 0 | 1, out: Float64Array) => void;

/** The Sharpe metric from per-block means and centred sums of squares (equal block sizes). */
function sharpeHalf(trials: readonly ArrayLike<number>[], s: number, m: number, start: number): HalfMetric {
  const n = trials.length;
  const means = new Float64Array(s * n); // [trial·S + block]: one trial's blocks side by side
  const m2s = new Float64Array(s * n);
  for (let j = 0; j < n; j++) {
    const col = trials[j]!;
    for (let b = 0; b < s; b++) {
      const from = start + b * m;
      let sum = 0;
      for (let i = from; i < from + m; i++) sum += col[i]!;
      const mu = sum / m;
      let ss = 0;
      for (let i = from; i < from + m; i++) {
        const d = col[i]! - mu;
        ss += d * d;
      }
      means[j * s + b] = mu;
      m2s[j * s + b] = ss;
    }
  }
  const half = s / 2;
  const count = half * m;
  const blocks = new Int32Array(half);
  return (inSample, want, out) => {
    let k = 0;
    for (let b = 0; b < s; b++) if (inSample[b] === want) blocks[k++] = b;
    for (let j = 0; j < n; j++) {
      const row = j * s;
      let sum = 0;
      for (let q = 0; q < half; q++) sum += means[row + blocks[q]!]!;
      const mu = sum / half; // equal block sizes: the mean of the block means
      let ss = 0;
      for (let q = 0; q < half; q++) {
        const b = row + blocks[q]!;
        const d = means[b]! - mu;
        ss += m2s[b]! + m * d * d; // Chan et al.'s pairwise combination of centred sums
      }
      const std = count > 1 ? Math.sqrt(ss / (count - 1)) : Number.NaN;
      out[j] = std > FLAT ? mu / std : Number.NaN;
    }
  };
}

/** A custom metric on each trial's half, its rows copied into one reused buffer in time order. */
function customHalf(trials: readonly ArrayLike<number>[], s: number, m: number, start: number, metric: (rows: Float64Array) => number): HalfMetric {
  const buffer = new Float64Array((s / 2) * m);
  return (inSample, want, out) => {
    for (let j = 0; j < trials.length; j++) {
      const col = trials[j]!;
      let k = 0;
      for (let b = 0; b < s; b++) {
        if (inSample[b] !== want) continue;
        for (let i = start + b * m; i < start + (b + 1) * m; i++) buffer[k++] = col[i]!;
      }
      out[j] = metric(buffer);
    }
  };
}

/** The first index of the largest value, NaN below every number (index 0 when all are NaN). */
export function argmax(values: Float64Array): number {
  let best = 0;
  let bestValue = values[0]!;
  for (let j = 1; j < values.length; j++) {
    const v = values[j]!;
    if (v > bestValue || (Number.isNaN(bestValue) && !Number.isNaN(v))) {
      best = j;
      bestValue = v;
    }
  }
  return best;
}

/** The average rank (1 = lowest) of values[index] among values, NaN below every number. */
export function averageRank(values: ArrayLike<number>, index: number): number {
  const x = values[index]!;
  let less = 0;
  let equal = 0;
  for (let j = 0; j < values.length; j++) {
    const v = values[j]!;
    if (Number.isNaN(x)) {
      if (Number.isNaN(v)) equal++;
    } else if (Number.isNaN(v) || v < x) less++;
    else if (v === x) equal++;
  }
  return less + (equal + 1) / 2;
}

/**
 * PBO by CSCV of the T × N matrix given as N trials' columns of T returns (oldest first). Throws a
 * RangeError for fewer than 2 trials, columns of different lengths, a non-finite value, S not an
 * even integer from 2 to 24, or S above T.
 */
export function probabilityOfBacktestOverfitting(trials: readonly ArrayLike<number>[], options: PboOptions = {}): PboResult {
  const s = options.partitions ?? 16;
  const t = check(trials, s);
  const n = trials.length;
  const m = Math.floor(t / s);
  const start = t - m * s; // the oldest T mod S rows are left out
  const metric = options.metric ?? 'sharpe';
  const half = metric === 'sharpe' ? sharpeHalf(trials, s, m, start) : customHalf(trials, s, m, start, metric);
  const threshold = options.lossThreshold ?? 0;

  const total = binomial(s, s / 2);
  const selected = new Int32Array(total);
  const relativeRanks = new Float64Array(total);
  const logits = new Float64Array(total);
  const inSample = new Float64Array(total);
  const outOfSample = new Float64Array(total);
  const r = new Float64Array(n);
  const rBar = new Float64Array(n);
  const mask = new Uint8Array(s);
  const combo = Int32Array.from({ length: s / 2 }, (_, i) => i);
  let overfit = 0;
  let losses = 0;

  for (let c = 0; c < total; c++) {
    mask.fill(0);
    for (const b of combo) mask[b] = 1;
    half(mask, 1, r);
    half(mask, 0, rBar);
    const best = argmax(r);
    const omega = averageRank(rBar, best) / (n + 1);
    const lambda = Math.log(omega / (1 - omega));
    selected[c] = best;
    relativeRanks[c] = omega;
    logits[c] = lambda;
    inSample[c] = r[best]!;
    outOfSample[c] = rBar[best]!;
    if (lambda <= 0) overfit++;
    if (rBar[best]! < threshold) losses++;
    // The next combination in lexicographic order: the rightmost index that can move moves up by
    // one and the ones after it follow it.
    let i = combo.length - 1;
    while (i >= 0 && combo[i] === s - combo.length + i) i--;
    if (i < 0) break;
    combo[i] = combo[i]! + 1;
    for (let k = i + 1; k < combo.length; k++) combo[k] = combo[k - 1]! + 1;
  }

  const xs: number[] = [];
  const ys: number[] = [];
  for (let c = 0; c < total; c++) {
    if (Number.isFinite(inSample[c]!) && Number.isFinite(outOfSample[c]!)) {
      xs.push(inSample[c]!);
      ys.push(outOfSample[c]!);
    }
  }
  const { beta, correlation } = betaCorrelation(ys, xs);
  return {
    pbo: overfit / total,
    combinations: total,
    partitions: s,
    blockSize: m,
    droppedRows: start,
    selected,
    relativeRanks,
    logits,
    inSample,
    outOfSample,
    degradation: { slope: beta, intercept: beta === null ? null : mean(ys)! - beta * mean(xs)!, correlation },
    probabilityOfLoss: losses / total,
  };
}
