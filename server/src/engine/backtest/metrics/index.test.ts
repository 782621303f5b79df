import { describe, expect, it } from 'vitest';
import { computeMetrics, type MetricsInput } from './index';

/** |actual − expected| ≤ rel·|expected|. */
function expectRel(actual: number | null | undefined, expected: number, rel = 1e-10): void {
  expect(actual, 'a number').toEqual(expect.any(Number));
  expect(Math.abs(actual! - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));
}

// Twelve closes over a year end (equity in fen) and a benchmark with gaps: it starts a day early
// (2023-12-26), misses 2024-01-03 and 2024-01-09, and has an extra 2024-01-06.
const dates = [
  '2023-12-27', '2023-12-28', '2023-12-29', '2024-01-02', '2024-01-03', '2024-01-04',
  '2024-01-05', '2024-01-08', '2024-01-09', '2024-01-10', '2024-02-01', '2024-02-02',
];
const equity = [
  100_000_000, 101_000_000, 99_500_000, 100_200_000, 98_000_000, 97_000_000,
  99_000_000, 102_000_000, 101_500_000, 103_000_000, 100_800_000, 101_900_000,
];
const benchmark = {
  dates: ['2023-12-26', '2023-12-28', '2023-12-29', '2024-01-02', '2024-01-04', '2024-01-05', '2024-01-06', '2024-01-08', '2024-01-10', '2024-02-01', '2024-02-02'],
  close: [3390, 3420, 3431.11, 3386.35, 3288.2, 3268.3, 3275, 3245.6, 3233.9, 2822.5, 2770.7],
};
const trip = (pnl: number, holdingDays: number) => ({
  entryDate: '2024-01-02', exitDate: '2024-01-05', quantity: 1000, entryValue: 10_000_000, exitValue: 10_000_000 + pnl, pnl, holdingDays,
});
const input: MetricsInput = {
  dates,
  equity,
  benchmark,
  trades: [trip(30_000, 3), trip(-12_000, 5), trip(6_000, 2), trip(0, 1)],
  fills: [{ value: 50_000_000 }, { value: -51_000_000 }, { value: 20_000_000 }, { value: -20_500_000 }],
  exposure: [0, 0.5, 0.5, 0.5, 0, 0, 0.2, 0.2, 0.2, 0.2, 0, 0],
  riskFree: 0.02,
};

/*
 * Reference values: empyrical's definitions written out in numpy/scipy, once (not at test time):
 *
 *   E = np.array([...equity...], float); B = np.array([3390, 3420, 3431.11, 3386.35, 3386.35, 3288.2,
 *       3268.3, 3245.6, 3245.6, 3233.9, 2822.5, 2770.7])          # benchmark forward-filled by hand
 *   rf = (1 + 0.02) ** (1 / 252) - 1; r = E[1:] / E[:-1] - 1; b = B[1:] / B[:-1] - 1; n = len(r)
 *   tot = E[-1] / E[0] - 1; ann = (1 + tot) ** (252 / n) - 1          # likewise btot, bann
 *   x = r - rf; sharpe = x.mean() / x.std(ddof=1) * sqrt(252)
 *   dd = np.sqrt(np.mean(np.clip(x, None, 0) ** 2)) * sqrt(252); sortino = x.mean() * 252 / dd
 *   beta = np.cov(r, b, ddof=1)[0, 1] / np.var(b, ddof=1); alpha = (1 + np.mean(x - beta * (b - rf))) ** 252 - 1
 *   a = r - b; te = a.std(ddof=1) * sqrt(252); ir = a.mean() / a.std(ddof=1) * sqrt(252)
 *   mdd = (E / np.maximum.accumulate(E) - 1).min(); calmar = ann / abs(mdd)
 *   sr = x.mean() / x.std(ddof=1); g3 = stats.skew(r); g4 = stats.kurtosis(r, fisher=False)
 *   psr = 0.5 * erfc(-(sr * sqrt(n - 1) / sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr * sr)) / sqrt(2))
 *   var95 = np.percentile(r, 5)
 */
const reference = {
  totalReturn: 0.018999999999999906,
  annualReturn: 0.5390868391543284,
  benchmarkTotalReturn: -0.182684365781711,
  benchmarkAnnualReturn: -0.9901614723011443,
  excessReturn: 0.2467643555780128,
  annualExcessReturn: 155.43467053849236,
  alpha: 2.6091964361362048,
  beta: 0.18996957717751936,
  sharpe: 1.6044495086603399,
  sortino: 2.591450218651666,
  calmar: 13.611942688646781,
  informationRatio: 8.857111324598039,
  trackingError: 0.5495729894246724,
  volatility: 0.2785803616677088,
  benchmarkVolatility: 0.6016126586636932,
  downsideDeviation: 0.17247798980785864,
  var95: -0.021657655562661082,
  skewness: 0.009694933654962271,
  kurtosis: 1.7764477468969124,
  probabilisticSharpe: 0.6253087978860652,
};

describe('computeMetrics on a reference series', () => {
  const m = computeMetrics(input);

  it.each(Object.entries(reference))('%s matches the numpy reference', (key, expected) => {
    expectRel(m[key as keyof typeof reference], expected);
  });

  it('PSR against a target Sharpe of 1 (annualised; SR* = 1/√252 per day) → 0.5478966084223926', () => {
    expectRel(computeMetrics({ ...input, psrTargetSharpe: 1 }).probabilisticSharpe, 0.5478966084223926);
  });

  it('dates, periods, and the benchmark forward-filled and rebased', () => {
    expect(m).toMatchObject({ startDate: '2023-12-27', endDate: '2024-02-02', periods: 11, riskFree: 0.02 });
    // 12-27 ← 12-26 (3390); 01-03 ← 01-02; 01-08 ← 01-08 (the extra 01-06 superseded); 01-09 ← 01-08
    const closes = [3390, 3420, 3431.11, 3386.35, 3386.35, 3288.2, 3268.3, 3245.6, 3245.6, 3233.9, 2822.5, 2770.7];
    closes.forEach((c, i) => expectRel(m.series.benchmark![i], (100_000_000 * c) / 3390, 1e-14));
    expect(m.series.benchmarkReturns![3]).toBe(0); // 01-03 is a gap: no move
    expect(m.series.returns).toHaveLength(11);
    expect(m.series.equity).toHaveLength(12);
    expectRel(m.series.returns[0], 0.01, 1e-13); // 101/100 − 1
  });

  it('max drawdown: 101 → 97 (−3.96 %), recovered at 102 six trading days after the peak', () => {
    // 97/101 − 1 = −4/101
    expect(m.maxDrawdown).toMatchObject({ peakDate: '2023-12-28', troughDate: '2024-01-04', recoveryDate: '2024-01-08', durationDays: 6 });
    expectRel(m.maxDrawdown!.value, -4 / 101, 1e-14);
    expect(m.longestDrawdownDays).toBe(6);
    expectRel(m.series.drawdown[5], -4 / 101, 1e-14);
    expect(m.series.drawdown[7]).toBe(0);
  });

  it('trades, days, turnover, exposure', () => {
    // pnl 30000, −12000, 6000, 0 (fen): 2 wins of 4; payoff (36000/2)/12000 = 1.5; factor 36000/12000
    expect(m).toMatchObject({ tradeCount: 4, winRate: 0.5, payoffRatio: 1.5, profitFactor: 3, expectancy: 6000, avgHoldingDays: 2.75 });
    // 6 up days (12-28, 01-02, 01-05, 01-08, 01-10, 02-02) among 11 that moved
    expect(m.dayWinRate).toBe(6 / 11);
    // Σ|fill| = 141.5e6; mean equity = 1203.9e6/12 = 100.325e6; × 252/11
    expectRel(m.turnover, (141.5 / 100.325) * (252 / 11), 1e-13);
    expectRel(m.exposure, 2.3 / 12, 1e-14);
  });

  it('monthly table', () => {
    expect(m.monthly.map((r) => r.year)).toEqual([2023, 2024]);
    // 2023-12: 99.5/100 − 1 (the base close 12-27 is in December too)
    expectRel(m.monthly[0]!.months[11], -0.005, 1e-13);
    expectRel(m.monthly[0]!.total, -0.005, 1e-13);
    // 2024-01: 103/99.5 − 1; 2024-02: 101.9/103 − 1; year: 101.9/99.5 − 1
    expectRel(m.monthly[1]!.months[0], 103 / 99.5 - 1, 1e-12);
    expectRel(m.monthly[1]!.months[1], 101.9 / 103 - 1, 1e-12);
    expect(m.monthly[1]!.months.slice(2)).toEqual(new Array(10).fill(null));
    expectRel(m.monthly[1]!.total, 101.9 / 99.5 - 1, 1e-12);
  });

  it('is deterministic', () => {
    const a = computeMetrics(input);
    const b = computeMetrics(input);
    const plain = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (v instanceof Float64Array ? Array.from(v) : v));
    expect(plain(a)).toBe(plain(b));
  });
});

/** Every number in the result is finite or null. */
function expectNoNaN(value: unknown, path = 'metrics'): void {
  if (typeof value === 'number') expect(Number.isFinite(value), path).toBe(true);
  else if (value instanceof Float64Array) value.forEach((v, i) => expect(Number.isFinite(v), `${path}[${i}]`).toBe(true));
  else if (Array.isArray(value)) value.forEach((v, i) => expectNoNaN(v, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectNoNaN(v, `${path}.${k}`);
}

describe('edge cases', () => {
  it('flat equity: zero returns, zero volatility, no drawdown; ratios null', () => {
    const m = computeMetrics({ dates: dates.slice(0, 4), equity: [1e6, 1e6, 1e6, 1e6], benchmark: { dates: dates.slice(0, 4), close: [1, 1, 1, 1] } });
    expect(m).toMatchObject({
      totalReturn: 0, annualReturn: 0, volatility: 0, downsideDeviation: 0, sharpe: null, sortino: null, calmar: null,
      beta: null, alpha: null, trackingError: 0, informationRatio: null, dayWinRate: null, var95: 0,
      skewness: null, kurtosis: null, probabilisticSharpe: null, benchmarkTotalReturn: 0, excessReturn: 0,
    });
    expect(m.maxDrawdown).toMatchObject({ value: 0, durationDays: 0 });
    expectNoNaN(m);
  });

  it('flat equity with a risk-free rate: losing to cash every day, Sortino −√252, Sharpe still null', () => {
    const m = computeMetrics({ dates: dates.slice(0, 4), equity: [1e6, 1e6, 1e6, 1e6], riskFree: 0.03 });
    // r − rf = −rf each day: mean −rf, downside √(rf²)·√252 → −rf·252/(rf·√252) = −√252
    expectRel(m.sortino, -Math.sqrt(252), 1e-12);
    expect(m.sharpe).toBeNull();
  });

  it('no trades, no fills, no exposure, no benchmark', () => {
    const m = computeMetrics({ dates, equity });
    expect(m).toMatchObject({
      tradeCount: 0, winRate: null, payoffRatio: null, profitFactor: null, expectancy: null, avgHoldingDays: null,
      turnover: 0, exposure: null, benchmarkTotalReturn: null, benchmarkAnnualReturn: null, excessReturn: null,
      annualExcessReturn: null, alpha: null, beta: null, informationRatio: null, trackingError: null, benchmarkVolatility: null,
    });
    expect(m.series.benchmark).toBeNull();
    expect(m.series.benchmarkReturns).toBeNull();
    expectRel(m.sharpe, computeMetrics({ ...input, riskFree: 0 }).sharpe!, 1e-15);
    expectNoNaN(m);
  });

  it('a single day: nothing to annualise, all return statistics null', () => {
    const m = computeMetrics({ dates: ['2024-01-02'], equity: [1e6], benchmark, trades: [trip(5, 1)], fills: [{ value: 10 }], exposure: [0.3] });
    expect(m).toMatchObject({
      periods: 0, totalReturn: null, annualReturn: null, benchmarkTotalReturn: null, sharpe: null, sortino: null, volatility: null,
      downsideDeviation: null, calmar: null, var95: null, probabilisticSharpe: null, turnover: null, dayWinRate: null,
      alpha: null, beta: null, tradeCount: 1, winRate: 1, exposure: 0.3, monthly: [],
    });
    expect(m.maxDrawdown).toMatchObject({ value: 0, peakDate: '2024-01-02' });
    expectNoNaN(m);
  });

  it('two days: one return — total and annual return, but no standard deviation', () => {
    const m = computeMetrics({ dates: dates.slice(0, 2), equity: [100, 101] });
    expectRel(m.totalReturn, 0.01, 1e-13);
    expectRel(m.annualReturn, 1.01 ** 252 - 1, 1e-12);
    expect(m).toMatchObject({ volatility: null, sharpe: null, var95: null, probabilisticSharpe: null, dayWinRate: 1 });
  });

  it('a drawdown never recovered runs to the last date', () => {
    const m = computeMetrics({ dates: dates.slice(0, 6), equity: [100, 110, 100, 90, 95, 105] });
    // peak 110 (12-28, index 1), trough 90 (01-02, index 3): −2/11; never back to 110: duration 5 − 1 = 4
    expect(m.maxDrawdown).toMatchObject({ peakDate: '2023-12-28', troughDate: '2024-01-02', recoveryDate: null, durationDays: 4 });
    expectRel(m.maxDrawdown!.value, -2 / 11, 1e-14);
    expectRel(m.calmar, m.annualReturn! / (2 / 11), 1e-14);
  });

  it('a benchmark that starts late is flat until its first close', () => {
    const m = computeMetrics({ dates: dates.slice(0, 4), equity: [100, 101, 102, 103], benchmark: { dates: ['2023-12-29', '2024-01-02'], close: [50, 55] } });
    expect(Array.from(m.series.benchmark!)).toEqual([100, 100, 100, 110]);
    expectRel(m.benchmarkTotalReturn, 0.1, 1e-14);
  });

  it('never NaN or Infinity, even for a wild curve', () => {
    const n = 40;
    const d = Array.from({ length: n }, (_, i) => `2024-${String(1 + Math.floor(i / 20)).padStart(2, '0')}-${String(1 + (i % 20)).padStart(2, '0')}`);
    const e = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 1e6) * (1 + i));
    const m = computeMetrics({ dates: d, equity: e, benchmark: { dates: d, close: e.slice().reverse() } });
    expectNoNaN(m);
  });

  it('rejects malformed input', () => {
    expect(() => computeMetrics({ dates: [], equity: [] })).toThrow(/empty/);
    expect(() => computeMetrics({ dates, equity: equity.slice(1) })).toThrow(/11 values for 12 dates/);
    expect(() => computeMetrics({ dates: ['2024-01-03', '2024-01-02'], equity: [1, 1] })).toThrow(/strictly increasing/);
    expect(() => computeMetrics({ dates: dates.slice(0, 2), equity: [1, 0] })).toThrow(/equity\[1\]/);
    expect(() => computeMetrics({ dates: dates.slice(0, 2), equity: [1, 1], riskFree: Number.NaN })).toThrow(/riskFree/);
    expect(() => computeMetrics({ dates: dates.slice(0, 2), equity: [1, 1], psrTargetSharpe: Infinity })).toThrow(/psrTargetSharpe/);
    expect(() => computeMetrics({ dates: dates.slice(0, 2), equity: [1, 1], exposure: [1] })).toThrow(/exposure/);
    expect(() => computeMetrics({ dates: dates.slice(0, 2), equity: [1, 1], exposure: [1, Number.NaN] })).toThrow(/exposure\[1\]/);
    expect(() => computeMetrics({ dates: dates.slice(0, 2), equity: [1, 1], trades: [trip(Number.NaN, 1)] })).toThrow(/trades\.pnl/);
    expect(() => computeMetrics({ dates: dates.slice(0, 2), equity: [1, 1], trades: [trip(1, Infinity)] })).toThrow(/holdingDays/);
    expect(() => computeMetrics({ dates: dates.slice(0, 2), equity: [1, 1], fills: [{ value: -Infinity }] })).toThrow(/fills\.value/);
    expect(() => computeMetrics({ dates: dates.slice(0, 2), equity: [1, 1], benchmark: { dates: ['2024-01-02'], close: [1, 2] } })).toThrow(/benchmark/);
    expect(() => computeMetrics({ dates: dates.slice(0, 2), equity: [1, 1], benchmark: { dates: ['2024-01-02'], close: [-1] } })).toThrow(/benchmark\.close/);
  });
});
