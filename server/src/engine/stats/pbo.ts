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
 * metric reads the matrix once into per-block means and centred sums of squares (blockStats, 2·S·N
 * numbers) and combines S/2 of them per trial and pair of complementary combinations (sharpeCscv) —
 * O(C·S·N/2) time however long T is. A custom metric
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

/**
 * Per-block statistics of T returns with S blocks, cut as CSCV cuts its matrix: blocks of
 * m = ⌊T/S⌋ consecutive returns, the T mod S oldest left out. Out: 2·S numbers, block b's mean at
 * 2b and its centred sum of squares Σ(r − mean)² at 2b + 1 — the two numbers from which the Sharpe
 * ratio of any union of blocks is exact (Chan et al.'s pairwise combination). Mean and centred sum
 * rather than sum and sum of squares: the same information without the cancellation of
 * Σr² − (Σr)²/m on returns of 1e-3. Null when T < S (no block could be made).
 */
export function blockStats(returns: ArrayLike<number>, partitions: number): Float64Array | null {
  const t = returns.length;
  const m = Math.floor(t / partitions);
  if (m < 1) return null;
  const start = t - m * partitions;
  const out = new Float64Array(2 * partitions);
  for (let b = 0; b < partitions; b++) {
    const from = start + b * m;
    let sum = 0;
    for (let i = from; i < from + m; i++) sum += returns[i]!;
    const mu = sum / m;
    let ss = 0;
    for (let i = from; i < from + m; i++) {
      const d = returns[i]! - mu;
      ss += d * d;
    }
    out[2 * b] = mu;
    out[2 * b + 1] = ss;
  }
  return out;
}

/** What CSCV gives whatever the rows were: PboResult without the cut of T. */
export type CscvResult = Omit<PboResult, 'blockSize' | 'droppedRows'>;

/** Step 2 for one combination at a time, and step 3 and the degradation line at the end. */
class Tally {
  readonly selected: Int32Array;
  readonly relativeRanks: Float64Array;
  readonly logits: Float64Array;
  readonly inSample: Float64Array;
  readonly outOfSample: Float64Array;
  private overfit = 0;
  private losses = 0;

  constructor(
    readonly total: number,
    private readonly threshold: number,
  ) {
    this.selected = new Int32Array(total);
    this.relativeRanks = new Float64Array(total);
    this.logits = new Float64Array(total);
    this.inSample = new Float64Array(total);
    this.outOfSample = new Float64Array(total);
  }

  /** Combination c (its lexicographic index) with every trial's metric in sample (r) and out of sample (rBar). */
  add(c: number, r: Float64Array, rBar: Float64Array): void {
    const best = argmax(r);
    const omega = averageRank(rBar, best) / (r.length + 1);
    const lambda = Math.log(omega / (1 - omega));
    this.selected[c] = best;
    this.relativeRanks[c] = omega;
    this.logits[c] = lambda;
    this.inSample[c] = r[best]!;
    this.outOfSample[c] = rBar[best]!;
    if (lambda <= 0) this.overfit++;
    if (rBar[best]! < this.threshold) this.losses++;
  }

  result(partitions: number): CscvResult {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let c = 0; c < this.total; c++) {
      if (Number.isFinite(this.inSample[c]!) && Number.isFinite(this.outOfSample[c]!)) {
        xs.push(this.inSample[c]!);
        ys.push(this.outOfSample[c]!);
      }
    }
    const { beta, correlation } = betaCorrelation(ys, xs);
    return {
      pbo: this.overfit / this.total,
      combinations: this.total,
      partitions,
      selected: this.selected,
      relativeRanks: this.relativeRanks,
      logits: this.logits,
      inSample: this.inSample,
      outOfSample: this.outOfSample,
      degradation: { slope: beta, intercept: beta === null ? null : mean(ys)! - beta * mean(xs)!, correlation },
      probabilityOfLoss: this.losses / this.total,
    };
  }
}

/**
 * The next combination in lexicographic order, in place: the rightmost index that can move moves up
 * by one and the ones after it follow. Answers the first position that changed, −1 after the last.
 */
function nextCombination(combo: Int32Array, s: number): number {
  let i = combo.length - 1;
  while (i >= 0 && combo[i] === s - combo.length + i) i--;
  if (i < 0) return -1;
  combo[i] = combo[i]! + 1;
  for (let k = i + 1; k < combo.length; k++) combo[k] = combo[k - 1]! + 1;
  return i;
}

/**
 * CSCV with the Sharpe metric, from block statistics: `blocks` holds trial j's 2·S numbers
 * (blockStats) at j·2S, every block `blockSize` returns. Trials in a fixed order (a tie in sample
 * goes to the first). RangeError for fewer than 2 trials, an odd S or a wrong length.
 *
 * The half's Sharpe ratio of a trial: mean μ = the mean of its S/2 block means (equal blocks), and
 * Σ(r − μ)² = Σ SS_b + m·(Σ mean_b² − (S/2)·μ²) — the pairwise combination of the blocks' centred
 * sums, its spread of block means taken around their own mean (no cancellation against Σr²).
 *
 * Two facts halve the work. The complement of a half is the other half, so one pass gives both
 * halves' sums (the other half's = the trial's totals − this half's). And complementing reverses
 * the lexicographic order (A precedes B iff the first block in exactly one of them is A's, i.e.
 * B̄'s), so the combinations holding block 0 are the first C/2 and the complement of combination c
 * is combination C − 1 − c: each pair is evaluated twice, once each way round, and each evaluation
 * stored at its own index, so the results are in lexicographic order as the paper enumerates them.
 */
export function sharpeCscv(blocks: Float64Array, trials: number, partitions: number, blockSize: number, lossThreshold = 0): CscvResult {
  const s = partitions;
  const n = trials;
  if (n < 2) throw new RangeError(`PBO needs at least 2 trials, got ${n}`);
  if (!(Number.isInteger(s) && s >= 2 && s % 2 === 0)) throw new RangeError(`partitions must be an even integer ≥ 2, got ${s}`);
  if (blocks.length !== 2 * s * n) throw new RangeError(`blocks must hold 2·S·N = ${2 * s * n} numbers, got ${blocks.length}`);
  const m = blockSize;
  const half = s / 2;
  const count = half * m;
  // Per block and trial (b·N + j, so a block's numbers are contiguous): the block's mean, centred
  // sum of squares and squared mean; and each trial's totals of each.
  const means = new Float64Array(s * n);
  const sums = new Float64Array(s * n);
  const squares = new Float64Array(s * n);
  const totalMean = new Float64Array(n);
  const totalSs = new Float64Array(n);
  const totalSquare = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    for (let b = 0; b < s; b++) {
      const mu = blocks[j * 2 * s + 2 * b]!;
      const ss = blocks[j * 2 * s + 2 * b + 1]!;
      means[b * n + j] = mu;
      sums[b * n + j] = ss;
      squares[b * n + j] = mu * mu;
      totalMean[j] = totalMean[j]! + mu;
      totalSs[j] = totalSs[j]! + ss;
      totalSquare[j] = totalSquare[j]! + mu * mu;
    }
  }
  const total = binomial(s, half);
  const tally = new Tally(total, lossThreshold);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const combo = Int32Array.from({ length: half }, (_, i) => i);
  const scale = 1 / (count - 1);
  // Row q (q·N + j): trial j's sums over the combination's first q blocks. Lexicographic order
  // mostly moves the last block, so only the rows from the first position that changed are redone:
  // about one row a combination instead of S/2 — the same additions in the same order, so the same
  // bits as summing each half afresh.
  const prefixMean = new Float64Array((half + 1) * n);
  const prefixSs = new Float64Array((half + 1) * n);
  const prefixSquare = new Float64Array((half + 1) * n);
  const last = half * n;
  let changed = 0;
  for (let c = 0; c < total / 2; c++) {
    for (let q = changed; q < half; q++) {
      const from = q * n;
      const to = from + n;
      const block = combo[q]! * n;
      for (let j = 0; j < n; j++) {
        prefixMean[to + j] = prefixMean[from + j]! + means[block + j]!;
        prefixSs[to + j] = prefixSs[from + j]! + sums[block + j]!;
        prefixSquare[to + j] = prefixSquare[from + j]! + squares[block + j]!;
      }
    }
    for (let j = 0; j < n; j++) {
      const mean = prefixMean[last + j]!;
      const ss = prefixSs[last + j]!;
      const square = prefixSquare[last + j]!;
      a[j] = halfSharpe(mean, ss, square, half, m, scale);
      b[j] = halfSharpe(totalMean[j]! - mean, totalSs[j]! - ss, totalSquare[j]! - square, half, m, scale);
    }
    tally.add(c, a, b);
    tally.add(total - 1 - c, b, a);
    changed = nextCombination(combo, s);
  }
  return tally.result(s);
}

/** The Sharpe ratio of a half from its blocks' summed means, centred sums of squares and squared means (`scale` = 1/(count − 1)). */
function halfSharpe(sumMean: number, sumSs: number, sumSquare: number, half: number, m: number, scale: number): number {
  const mu = sumMean / half;
  const ss = sumSs + m * (sumSquare - half * mu * mu);
  const std = ss > 0 ? Math.sqrt(ss * scale) : Number.NaN;
  return std > FLAT ? mu / std : Number.NaN;
}

/** Every trial's custom metric on each half, its rows copied into one reused buffer in time order, combination by combination. */
function customCscv(trials: readonly ArrayLike<number>[], s: number, m: number, start: number, metric: (rows: Float64Array) => number, lossThreshold: number): CscvResult {
  const n = trials.length;
  const buffer = new Float64Array((s / 2) * m);
  const fill = (mask: Uint8Array, want: 0 | 1, out: Float64Array): void => {
    for (let j = 0; j < n; j++) {
      const col = trials[j]!;
      let k = 0;
      for (let b = 0; b < s; b++) {
        if (mask[b] !== want) continue;
        for (let i = start + b * m; i < start + (b + 1) * m; i++) buffer[k++] = col[i]!;
      }
      out[j] = metric(buffer);
    }
  };
  const tally = new Tally(binomial(s, s / 2), lossThreshold);
  const r = new Float64Array(n);
  const rBar = new Float64Array(n);
  const mask = new Uint8Array(s);
  const combo = Int32Array.from({ length: s / 2 }, (_, i) => i);
  let c = 0;
  do {
    mask.fill(0);
    for (const b of combo) mask[b] = 1;
    fill(mask, 1, r);
    fill(mask, 0, rBar);
    tally.add(c++, r, rBar);
  } while (nextCombination(combo, s) >= 0);
  return tally.result(s);
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
  const threshold = options.lossThreshold ?? 0;
  let result: CscvResult;
  if (metric === 'sharpe') {
    const blocks = new Float64Array(2 * s * n);
    trials.forEach((col, j) => blocks.set(blockStats(col, s)!, j * 2 * s));
    result = sharpeCscv(blocks, n, s, m, threshold);
  } else {
    result = customCscv(trials, s, m, start, metric, threshold);
  }
  return { ...result, blockSize: m, droppedRows: start };
}
