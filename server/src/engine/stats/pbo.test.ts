import { describe, expect, it } from 'vitest';
import { averageRank, binomial, probabilityOfBacktestOverfitting } from './pbo';
import { mulberry32, randomNormal } from './random';

const meanOf = (rows: Float64Array): number => rows.reduce((a, b) => a + b, 0) / rows.length;

/** Columns (trials) from rows of the matrix as written in a table. */
function columns(rows: number[][]): Float64Array[] {
  return rows[0]!.map((_, j) => Float64Array.from(rows, (row) => row[j]!));
}

function noise(seed: number, n: number, t: number, sd = 0.01): Float64Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => Float64Array.from({ length: t }, () => sd * randomNormal(random)));
}

describe('PBO by CSCV: a worked example by hand (T = 4, S = 4, N = 3)', () => {
  // Each of the S = 4 blocks is one row. Trials A, B, C; the metric is the mean of the half's rows
  // (for two rows, half their sum: the sums below rank the same).
  //
  //          A    B    C
  //   row 0  4    1    2
  //   row 1 −1    2    0
  //   row 2  2    0    3
  //   row 3 −1    1    1
  //
  // The C(4, 2) = 6 in-sample halves in lexicographic order, the sums of A, B, C in and out of
  // sample, the chosen n* (best in sample, the first on a tie), its out-of-sample rank among the
  // three (ties share the average rank), ω̄ = rank/(N + 1) = rank/4 and λ = ln(ω̄/(1 − ω̄)):
  //
  //   IS     IS sums (A,B,C)  n*        OOS   OOS sums      rank of n*        ω̄      λ
  //   {0,1}  3, 3, 2          A (tie)   {2,3}  1, 1, 4      A ties B: 1.5     0.375  ln(0.6)
  //   {0,2}  6, 1, 5          A         {1,3} −2, 3, 1      1                 0.25   ln(1/3)
  //   {0,3}  3, 2, 3          A (tie)   {1,2}  1, 2, 3      1                 0.25   ln(1/3)
  //   {1,2}  1, 2, 3          C         {0,3}  3, 2, 3      C ties A: 2.5     0.625  ln(5/3)
  //   {1,3} −2, 3, 1          B         {0,2}  6, 1, 5      1                 0.25   ln(1/3)
  //   {2,3}  1, 1, 4          C         {0,1}  3, 3, 2      1                 0.25   ln(1/3)
  //
  // λ ≤ 0 in 5 of 6: PBO = 5/6. The chosen trial's out-of-sample mean is below 0 once ({0,2}: A,
  // −2/2): probability of loss 1/6. Degradation pairs (IS mean, OOS mean) = (1.5, 0.5), (3, −1),
  // (1.5, 0.5), (1.5, 1.5), (1.5, 0.5), (2, 1).
  const matrix = columns([
    [4, 1, 2],
    [-1, 2, 0],
    [2, 0, 3],
    [-1, 1, 1],
  ]);
  const result = probabilityOfBacktestOverfitting(matrix, { partitions: 4, metric: meanOf });

  it('chooses, ranks and takes the logit of each combination as enumerated', () => {
    expect(result.combinations).toBe(6);
    expect(result.blockSize).toBe(1);
    expect(result.droppedRows).toBe(0);
    expect([...result.selected]).toEqual([0, 0, 0, 2, 1, 2]);
    expect([...result.relativeRanks]).toEqual([0.375, 0.25, 0.25, 0.625, 0.25, 0.25]);
    const expected = [Math.log(0.6), Math.log(1 / 3), Math.log(1 / 3), Math.log(5 / 3), Math.log(1 / 3), Math.log(1 / 3)];
    result.logits.forEach((lambda, c) => expect(lambda).toBeCloseTo(expected[c]!, 14));
  });

  it('gives PBO 5/6, probability of loss 1/6 and the degradation pairs', () => {
    expect(result.pbo).toBe(5 / 6);
    expect(result.probabilityOfLoss).toBe(1 / 6);
    expect([...result.inSample]).toEqual([1.5, 3, 1.5, 1.5, 1.5, 2]);
    expect([...result.outOfSample]).toEqual([0.5, -1, 0.5, 1.5, 0.5, 1]);
    // Least squares of OOS on IS over the six pairs, computed here from the pairs.
    const xs = [1.5, 3, 1.5, 1.5, 1.5, 2];
    const ys = [0.5, -1, 0.5, 1.5, 0.5, 1];
    const mx = xs.reduce((a, b) => a + b) / 6;
    const my = ys.reduce((a, b) => a + b) / 6;
    const sxy = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0);
    const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
    expect(result.degradation.slope).toBeCloseTo(sxy / sxx, 12);
    expect(result.degradation.slope!).toBeLessThan(0); // the better in sample, the worse out of sample
    expect(result.degradation.intercept).toBeCloseTo(my - (sxy / sxx) * mx, 12);
  });
});

/** A straightforward CSCV: materialised halves, Sharpe by definition, ranks by sorting. */
function referencePbo(trials: Float64Array[], s: number): { selected: number[]; logits: number[]; pbo: number } {
  const t = trials[0]!.length;
  const m = Math.floor(t / s);
  const start = t - m * s;
  const combos: number[][] = [];
  const pick = (from: number, chosen: number[]) => {
    if (chosen.length === s / 2) return void combos.push([...chosen]);
    for (let b = from; b < s; b++) pick(b + 1, [...chosen, b]);
  };
  pick(0, []);
  const sharpe = (x: number[]) => {
    const mu = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, v) => a + (v - mu) ** 2, 0) / (x.length - 1));
    return mu / sd;
  };
  const rows = (col: Float64Array, blocks: number[]) => blocks.flatMap((b) => Array.from(col.subarray(start + b * m, start + (b + 1) * m)));
  const selected: number[] = [];
  const logits: number[] = [];
  for (const is of combos) {
    const oos = [...Array(s).keys()].filter((b) => !is.includes(b));
    const r = trials.map((col) => sharpe(rows(col, is)));
    const rBar = trials.map((col) => sharpe(rows(col, oos)));
    const best = r.indexOf(Math.max(...r));
    const sorted = [...rBar].sort((a, b) => a - b);
    const first = sorted.indexOf(rBar[best]!) + 1;
    const last = sorted.lastIndexOf(rBar[best]!) + 1;
    const omega = (first + last) / 2 / (trials.length + 1);
    selected.push(best);
    logits.push(Math.log(omega / (1 - omega)));
  }
  return { selected, logits, pbo: logits.filter((l) => l <= 0).length / combos.length };
}

describe('PBO by CSCV: the default Sharpe metric', () => {
  it('matches a brute-force CSCV (materialised halves, sorted ranks) on a seeded matrix', () => {
    const trials = noise(11, 12, 83); // 83 rows, S = 8: 10 rows a block, the 3 oldest dropped
    for (let j = 0; j < 12; j++) for (let i = 0; i < 83; i++) trials[j]![i]! += 0.0003 * j;
    const got = probabilityOfBacktestOverfitting(trials, { partitions: 8 });
    const want = referencePbo(trials, 8);
    expect(got.droppedRows).toBe(3);
    expect(got.blockSize).toBe(10);
    expect(got.combinations).toBe(70);
    expect([...got.selected]).toEqual(want.selected);
    got.logits.forEach((lambda, c) => expect(lambda).toBeCloseTo(want.logits[c]!, 10));
    expect(got.pbo).toBe(want.pbo);
  });

  it('agrees with the same Sharpe given as a custom metric', () => {
    const trials = noise(12, 8, 64);
    const sharpe = (x: Float64Array) => {
      const mu = meanOf(x);
      return mu / Math.sqrt(x.reduce((a, v) => a + (v - mu) ** 2, 0) / (x.length - 1));
    };
    const fast = probabilityOfBacktestOverfitting(trials, { partitions: 8 });
    const slow = probabilityOfBacktestOverfitting(trials, { partitions: 8, metric: sharpe });
    expect([...fast.selected]).toEqual([...slow.selected]);
    fast.inSample.forEach((v, c) => expect(v).toBeCloseTo(slow.inSample[c]!, 12));
    fast.outOfSample.forEach((v, c) => expect(v).toBeCloseTo(slow.outOfSample[c]!, 12));
    expect(fast.pbo).toBe(slow.pbo);
  });

  it('is about ½ for trials of pure noise (mean over 40 seeded matrices)', () => {
    // For skill-less trials the chosen one's out-of-sample rank is uniform: λ is symmetric about 0.
    // One matrix's PBO scatters widely (its combinations share data), so the test averages.
    let sum = 0;
    let lambdaSum = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const r = probabilityOfBacktestOverfitting(noise(100 + seed, 20, 160), { partitions: 8 });
      sum += r.pbo;
      lambdaSum += r.logits.reduce((a, b) => a + b, 0) / r.combinations;
    }
    expect(Math.abs(sum / 40 - 0.5)).toBeLessThan(0.08);
    expect(Math.abs(lambdaSum / 40)).toBeLessThan(0.3);
  });

  it('is about 0 when one trial has a real edge in every row', () => {
    // Trial 0 earns 0.2 % a day more (a daily Sharpe of 0.2) on 1,600 rows: chosen in sample and
    // the best out of sample in (nearly) every one of the C(16, 8) = 12,870 combinations.
    const trials = noise(5, 20, 1600);
    for (let i = 0; i < 1600; i++) trials[0]![i]! += 0.002;
    const r = probabilityOfBacktestOverfitting(trials);
    expect(r.combinations).toBe(12870);
    expect(r.pbo).toBeLessThan(0.01);
    expect(r.probabilityOfLoss).toBeLessThan(0.01);
    const chosen = r.selected.reduce((a, j) => a + (j === 0 ? 1 : 0), 0);
    expect(chosen / r.combinations).toBeGreaterThan(0.99);
  });

  it('ranks a trial without a Sharpe ratio (flat) last, and never chooses it over a number', () => {
    const trials = [new Float64Array(8), ...noise(3, 2, 8)]; // trial 0 never trades
    const r = probabilityOfBacktestOverfitting(trials, { partitions: 4 });
    expect(r.selected.every((j) => j !== 0)).toBe(true);
    expect(averageRank([Number.NaN, 1, 2], 0)).toBe(1);
    expect(averageRank([Number.NaN, Number.NaN, 2], 1)).toBe(1.5);
    expect(averageRank([Number.NaN, 2, 2, 3], 1)).toBe(2.5);
  });
});

describe('PBO by CSCV: arguments', () => {
  const ok = noise(1, 3, 32);
  it('refuses an odd, too large or non-integer S, S above T, fewer than 2 trials, ragged or non-finite input', () => {
    expect(() => probabilityOfBacktestOverfitting(ok, { partitions: 5 })).toThrow(new RangeError('partitions S must be an even integer from 2 to 24, got 5'));
    expect(() => probabilityOfBacktestOverfitting(ok, { partitions: 26 })).toThrow(/even integer from 2 to 24, got 26/);
    expect(() => probabilityOfBacktestOverfitting(ok, { partitions: 0 })).toThrow(RangeError);
    expect(() => probabilityOfBacktestOverfitting(noise(1, 3, 10))).toThrow(new RangeError('partitions S = 16 is more than the 10 rows: every partition needs at least one row'));
    expect(() => probabilityOfBacktestOverfitting([ok[0]!])).toThrow(new RangeError('PBO needs at least 2 trials (columns), got 1'));
    expect(() => probabilityOfBacktestOverfitting([])).toThrow(/at least 2 trials/);
    expect(() => probabilityOfBacktestOverfitting([ok[0]!, ok[1]!.subarray(1)], { partitions: 4 })).toThrow(/trial 1 has 31/);
    const bad = ok.map((c) => c.slice());
    bad[2]![7] = Number.NaN;
    expect(() => probabilityOfBacktestOverfitting(bad, { partitions: 4 })).toThrow(/trial 2 row 7 is not a finite number/);
  });

  it('counts combinations exactly', () => {
    expect([2, 4, 8, 16, 24].map((s) => binomial(s, s / 2))).toEqual([2, 6, 70, 12870, 2704156]);
  });
});
