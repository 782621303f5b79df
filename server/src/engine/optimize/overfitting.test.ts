/**
 * PBO from the block statistics trials store against engine/stats/pbo.ts on the full matrix, with
 * the Sharpe ratio given as a custom metric written out here (every half's rows materialised), the
 * block statistics themselves, a trial's PSR sample from its moments, the trial order and the
 * choice of S.
 */
import { describe, expect, it } from 'vitest';
import { sharpeSample } from '../backtest/metrics/ratios';
import { binomial, blockStats, probabilityOfBacktestOverfitting, sharpeCscv } from '../stats/pbo';
import { mulberry32, randomNormal } from '../stats/random';
import { compareTrials, isEligible, objectiveValue, returnMoments } from './objective';
import { choosePartitions, CSCV_BUDGET, dailySharpe, sharpeSampleOf } from './overfitting';

function matrix(trials: number, rows: number, seed: number): Float64Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: trials }, (_, j) => Float64Array.from({ length: rows }, () => 0.0002 * (j % 3) + 0.01 * randomNormal(random)));
}

describe('PBO from block statistics', () => {
  /** The daily Sharpe ratio of a half's rows, two passes over them. */
  const sharpe = (x: Float64Array) => {
    let sum = 0;
    for (const v of x) sum += v;
    const mu = sum / x.length;
    let ss = 0;
    for (const v of x) ss += (v - mu) ** 2;
    return mu / Math.sqrt(ss / (x.length - 1));
  };
  for (const [trials, rows, s] of [[5, 103, 16], [12, 250, 10], [30, 64, 8], [2, 9, 4]] as const) {
    it(`equals CSCV on the full matrix (${trials} trials × ${rows} rows, S = ${s})`, () => {
      const columns = matrix(trials, rows, trials * 1000 + rows);
      const full = probabilityOfBacktestOverfitting(columns, { partitions: s, metric: sharpe });
      const blocks = new Float64Array(trials * 2 * s);
      columns.forEach((c, j) => blocks.set(blockStats(c, s)!, j * 2 * s));
      const mine = sharpeCscv(blocks, trials, s, Math.floor(rows / s));
      // Every combination chooses the same trial, in the same (lexicographic) order.
      expect([...mine.selected]).toEqual([...full.selected]);
      mine.outOfSample.forEach((v, c) => expect(v).toBeCloseTo(full.outOfSample[c]!, 12));
      expect(mine.pbo).toBe(full.pbo);
      expect(mine.combinations).toBe(full.combinations);
      expect(mine.probabilityOfLoss).toBe(full.probabilityOfLoss);
      expect(mine.degradation.slope!).toBeCloseTo(full.degradation.slope!, 9);
      expect(mine.degradation.correlation!).toBeCloseTo(full.degradation.correlation!, 9);
    });
  }

  it('cuts blocks as pbo.ts does: the T mod S oldest returns left out, mean and centred sum of squares per block', () => {
    const r = [9, 1, 2, 3, 5, 7, 11];
    expect(Array.from(blockStats(r, 3)!)).toEqual([1.5, 0.5, 4, 2, 9, 8]);
    expect(blockStats([1, 2], 4)).toBeNull();
  });

  it('refuses fewer than 2 trials, an odd S or blocks of the wrong size', () => {
    expect(() => sharpeCscv(new Float64Array(8), 1, 4, 2)).toThrow(RangeError);
    expect(() => sharpeCscv(new Float64Array(12), 2, 3, 2)).toThrow(RangeError);
    expect(() => sharpeCscv(new Float64Array(10), 2, 4, 2)).toThrow(RangeError);
  });

  it('takes a trial’s PSR sample from its stored moments as sharpeSample does from its returns', () => {
    const [r] = matrix(1, 500, 42);
    const rf = 0.00008;
    const fromMoments = sharpeSampleOf(returnMoments(r!), rf)!;
    const fromReturns = sharpeSample(r!, rf)!;
    expect(fromMoments.n).toBe(fromReturns.n);
    expect(fromMoments.sharpe).toBeCloseTo(fromReturns.sharpe, 14);
    expect(fromMoments.skewness).toBe(fromReturns.skewness);
    expect(fromMoments.kurtosis).toBe(fromReturns.kurtosis);
    expect(sharpeSampleOf(returnMoments(new Float64Array(30)), rf)).toBeNull(); // flat: no Sharpe ratio
  });

  it('picks S = 16 for small searches and fewer as C(S, S/2)·S·N outgrows the budget', () => {
    expect(choosePartitions(100)).toBe(16);
    expect(choosePartitions(1_000)).toBe(14);
    expect(choosePartitions(10_000)).toBe(10);
    expect(choosePartitions(1_000_000)).toBe(4);
    for (const n of [1, 100, 485, 486, 2_000, 50_000, 200_000]) {
      const s = choosePartitions(n);
      expect(s === 4 || binomial(s, s / 2) * s * n <= CSCV_BUDGET).toBe(true);
      if (s < 16) expect(binomial(s + 2, s / 2 + 1) * (s + 2) * n).toBeGreaterThan(CSCV_BUDGET);
    }
  });
});

describe('trial ranking', () => {
  it('puts eligible trials first, then the larger objective, then the smaller index', () => {
    const trials = [
      { index: 0, objective: 1, eligible: false },
      { index: 1, objective: 0.5, eligible: true },
      { index: 2, objective: null, eligible: false },
      { index: 3, objective: 0.5, eligible: true },
      { index: 4, objective: 2, eligible: true },
    ];
    expect([...trials].sort(compareTrials).map((t) => t.index)).toEqual([4, 1, 3, 0, 2]);
  });

  it('reads the objective from the metrics (null when undefined) and eligibility from the trade count', () => {
    const metrics = { sharpe: 1.2, sortino: null, annualReturn: 0.1, totalReturn: 0.3, calmar: Number.NaN, profitFactor: 2, probabilisticSharpe: 0.9 };
    expect(objectiveValue(metrics, 'sharpe')).toBe(1.2);
    expect(objectiveValue(metrics, 'sortino')).toBeNull();
    expect(objectiveValue(metrics, 'calmar')).toBeNull();
    expect(isEligible(1, 5, 5)).toBe(true);
    expect(isEligible(1, 4, 5)).toBe(false);
    expect(isEligible(null, 50, 0)).toBe(false);
    expect(dailySharpe({ mean: 0.002, std: 0.01 }, 0.001)).toBeCloseTo(0.1, 15);
    expect(dailySharpe({ mean: 0.002, std: 0 }, 0)).toBeNaN();
  });
});
