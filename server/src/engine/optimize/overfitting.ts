/**
 * Overfitting statistics of an optimization from what its trials stored (objective.ts): PBO by
 * CSCV from per-block statistics, and the number of CSCV blocks an optimization uses.
 *
 * engine/stats/pbo.ts defines CSCV on the T × N matrix of returns. An optimization cannot keep T
 * returns for each of up to 10⁶ trials, but pbo.ts's Sharpe metric only ever reads per-block means
 * and centred sums of squares: `pboFromBlocks` is the same procedure on those (2·S numbers per
 * trial), so it gives exactly what probabilityOfBacktestOverfitting gives on the full matrix (the
 * test compares them). Everything else — the binomial count, the average-rank rule for ties and
 * NaN, the logit, the lexicographic order of the combinations, the degradation line — is pbo.ts's.
 */
import { betaCorrelation } from '../stats/comoments';
import { mean, ZERO_STD } from '../stats/distribution';
import { argmax, averageRank, binomial } from '../stats/pbo';

/**
 * The work budget of CSCV: C(S, S/2) combinations × S blocks × N trials multiply-adds (about a
 * second on one core at 10⁸).
 */
export const CSCV_BUDGET = 1e8;

/**
 * S for N trials: 16 (the paper's choice) when C(16, 8)·16·N fits the budget (N ≤ ~485), else the
 * largest even S below it that fits (14 up to ~2,080 trials, 12 to ~9,000, 10 to ~40,000, 8 to
 * ~180,000, 6 to ~830,000, then 4), never fewer than 4 (2 blocks give one combination, no
 * distribution) unless that is all there is.
 */
export function choosePartitions(trials: number): number {
  for (let s = 16; s > 4; s -= 2) if (binomial(s, s / 2) * s * Math.max(1, trials) <= CSCV_BUDGET) return s;
  return 4;
}

export interface BlockPbo {
  pbo: number;
  combinations: number;
  partitions: number;
  probabilityOfLoss: number;
  degradation: { slope: number | null; intercept: number | null; correlation: number | null };
}

/**
 * PBO by CSCV of N trials from their block statistics: `blocks` holds trial j's 2·S numbers
 * (blockStats: mean, centred sum of squares per block) at j·2S, every block `blockSize` returns.
 * Trials in a fixed order (by index), since a tie in sample goes to the first. RangeError for
 * fewer than 2 trials or an odd S.
 */
export function pboFromBlocks(blocks: Float64Array, trials: number, partitions: number, blockSize: number, lossThreshold = 0): BlockPbo {
  const s = partitions;
  const n = trials;
  if (n < 2) throw new RangeError(`PBO needs at least 2 trials, got ${n}`);
  if (!(Number.isInteger(s) && s >= 2 && s % 2 === 0)) throw new RangeError(`partitions must be an even integer ≥ 2, got ${s}`);
  if (blocks.length !== 2 * s * n) throw new RangeError(`blocks must hold 2·S·N = ${2 * s * n} numbers, got ${blocks.length}`);
  const m = blockSize;
  const half = s / 2;
  const count = half * m;
  const picked = new Int32Array(half);
  const metric = (mask: Uint8Array, want: 0 | 1, out: Float64Array): void => {
    let k = 0;
    for (let b = 0; b < s; b++) if (mask[b] === want) picked[k++] = b;
    for (let j = 0; j < n; j++) {
      const row = j * 2 * s;
      let sum = 0;
      for (let q = 0; q < half; q++) sum += blocks[row + 2 * picked[q]!]!;
      const mu = sum / half;
      let ss = 0;
      for (let q = 0; q < half; q++) {
        const at = row + 2 * picked[q]!;
        const d = blocks[at]! - mu;
        ss += blocks[at + 1]! + m * d * d;
      }
      const std = count > 1 ? Math.sqrt(ss / (count - 1)) : Number.NaN;
      out[j] = std > ZERO_STD ? mu / std : Number.NaN;
    }
  };

  const total = binomial(s, half);
  const r = new Float64Array(n);
  const rBar = new Float64Array(n);
  const mask = new Uint8Array(s);
  const combo = Int32Array.from({ length: half }, (_, i) => i);
  const xs: number[] = [];
  const ys: number[] = [];
  let overfit = 0;
  let losses = 0;
  for (let c = 0; c < total; c++) {
    mask.fill(0);
    for (const b of combo) mask[b] = 1;
    metric(mask, 1, r);
    metric(mask, 0, rBar);
    const best = argmax(r);
    const omega = averageRank(rBar, best) / (n + 1);
    if (Math.log(omega / (1 - omega)) <= 0) overfit++;
    if (rBar[best]! < lossThreshold) losses++;
    if (Number.isFinite(r[best]!) && Number.isFinite(rBar[best]!)) {
      xs.push(r[best]!);
      ys.push(rBar[best]!);
    }
    let i = half - 1;
    while (i >= 0 && combo[i] === s - half + i) i--;
    if (i < 0) break;
    combo[i] = combo[i]! + 1;
    for (let k = i + 1; k < half; k++) combo[k] = combo[k - 1]! + 1;
  }
  const { beta, correlation } = betaCorrelation(ys, xs);
  return {
    pbo: overfit / total,
    combinations: total,
    partitions: s,
    probabilityOfLoss: losses / total,
    degradation: { slope: beta, intercept: beta === null ? null : mean(ys)! - beta * mean(xs)!, correlation },
  };
}

/** A trial's daily Sharpe ratio from its return moments (excess over the daily rate rf); NaN where undefined. */
export function dailySharpe(m: { mean: number | null; std: number | null }, rf: number): number {
  return m.mean !== null && m.std !== null && m.std > ZERO_STD ? (m.mean - rf) / m.std : Number.NaN;
}
