import { describe, expect, it } from 'vitest';
import { computeRisk, type RiskInput, type RiskReport } from './index';

/** |actual − expected| ≤ rel·|expected|. */
function expectRel(actual: number | null | undefined, expected: number, rel = 1e-12): void {
  expect(actual, 'a number').toEqual(expect.any(Number));
  expect(Math.abs(actual! - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));
}

/** Every number anywhere in the report is finite (null where undefined, never NaN or ±Infinity). */
function expectNoNaN(report: RiskReport): void {
  const walk = (v: unknown, path: string): void => {
    if (typeof v === 'number') expect(Number.isFinite(v), path).toBe(true);
    else if (ArrayBuffer.isView(v)) (v as Float64Array).forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (v !== null && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, `${path}.${k}`));
  };
  walk(report, 'report');
}

// Three positions over twelve days: A is suspended on 03-07 (null), C's cached bars start on 03-05,
// C has no industry, and the index has no close on 03-08. Values: A 100 × 1,680.00, B 2,000 × 11.50,
// C 300 × 200.00 yuan = 16,800,000 + 2,300,000 + 6,000,000 = 25,100,000 fen.
const dates = [
  '2024-03-01', '2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08',
  '2024-03-11', '2024-03-12', '2024-03-13', '2024-03-14', '2024-03-15', '2024-03-18',
];
const input: RiskInput = {
  dates,
  positions: [
    { symbol: '600519.SH', quantity: 100, lastPrice: 168_000, industry: '食品饮料',
      closes: [1700.0, 1712.5, 1690.0, 1668.3, null, 1702.0, 1721.9, 1699.0, 1650.2, 1663.0, 1688.8, 1680.0] },
    { symbol: '000001.SZ', quantity: 2_000, lastPrice: 1_150, industry: '银行',
      closes: [10.82, 10.95, 11.02, 10.88, 10.91, 11.2, 11.05, 11.31, 11.18, 11.42, 11.37, 11.5] },
    { symbol: '300750.SZ', quantity: 300, lastPrice: 20_000,
      closes: [null, null, 188.0, 192.5, 185.1, 190.3, 199.0, 196.4, 201.8, 197.2, 203.5, 200.0] },
  ],
  index: [3027.0, 3039.9, 3047.8, 3039.9, 3027.4, Number.NaN, 3055.9, 3050.9, 3043.8, 3038.2, 3054.6, 3084.9],
};

// Expected values computed once with numpy/scipy from the standard definitions (not run by the tests):
//   fill = forward-fill, then the leading gap takes the first close; pct(x) = x[1:]/x[:-1] − 1
//   r = column_stack([pct(fill(c)) for c in closes]); b = pct(fill(index))
//   w = values/values.sum(); R = r @ w
//   VaR = np.percentile(R, 100·c); CVaR: k = int((len(R) − 1)·c); np.mean(np.partition(R, k)[:k + 1])
//   parametric: z = scipy.stats.norm.ppf(c); μ + σz and μ − σ·norm.pdf(z)/c with σ = R.std(ddof=1)
//   vol = R.std(ddof=1)·√252; nav = cumprod(1 + R) from 1; drawdown = nav/maximum.accumulate(nav) − 1
//   beta = np.cov(R, b)[0, 1]/np.var(b, ddof=1); corr = np.corrcoef(R, b)[0, 1]; HHI = (w**2).sum()
describe('computeRisk on a worked book', () => {
  const report = computeRisk(input);

  it('values the book and weights it', () => {
    expect(report.asOf).toBe('2024-03-18');
    expect(report.value).toBe(25_100_000);
    expect(report.positions.map((p) => [p.symbol, p.value, p.industry, p.filledDays])).toEqual([
      ['600519.SH', 16_800_000, '食品饮料', 1],
      ['000001.SZ', 2_300_000, '银行', 0],
      ['300750.SZ', 6_000_000, 'unknown', 2],
    ]);
    expectRel(report.positions[0]!.weight, 0.6693227091633466, 1e-15);
    expectRel(report.positions[1]!.weight, 0.09163346613545817, 1e-15);
    expectRel(report.positions[2]!.weight, 0.23904382470119523, 1e-15);
  });

  it('simulates the daily returns with fixed weights', () => {
    const R = [
      0.006022447125708289, -0.008208236281285582, -0.00403659584783735, -0.008936551349985868, 0.022671614831224922,
      0.017527007633564337, -0.009868602461223152, -0.013705577835356844, 0.0017098119933608704, 0.017619558554794322,
      -0.006551325865229215,
    ];
    expect(report.series.returns).toHaveLength(11);
    R.forEach((x, i) => expectRel(report.series.returns[i], x, 1e-12));
    expect(report.series.valueIndex).toHaveLength(12);
    expectRel(report.series.valueIndex[11], 1.0135084481098195, 1e-13);
  });

  it('VaR and CVaR at 95 % and 99 %, historical and normal, as returns and fen', () => {
    const [p95, p99] = report.var;
    expect(p95!.confidence).toBe(0.95);
    expectRel(p95!.historical.var, -0.011787090148289998);
    expectRel(p95!.historical.cvar, -0.013705577835356844);
    expectRel(p95!.parametric.var, -0.019795721893017752);
    expectRel(p95!.parametric.cvar, -0.025153582653767378);
    expect(p95!.historical).toMatchObject({ varLossFen: 295_856, cvarLossFen: 344_010 });
    expect(p95!.parametric).toMatchObject({ varLossFen: 496_873, cvarLossFen: 631_355 });
    expect(p99!.confidence).toBe(0.99);
    expectRel(p99!.historical.var, -0.013321880297943475);
    expectRel(p99!.historical.cvar, -0.013705577835356844);
    expectRel(p99!.parametric.var, -0.028533955860496195);
    expectRel(p99!.parametric.cvar, -0.03287895720183411);
    expect(p99!.historical).toMatchObject({ varLossFen: 334_379, cvarLossFen: 344_010 });
    expect(p99!.parametric).toMatchObject({ varLossFen: 716_202, cvarLossFen: 825_262 });
  });

  it('volatility, max drawdown, beta and correlation of the book and of each position', () => {
    expectRel(report.volatility, 0.20354561237679966);
    expectRel(report.maxDrawdown!.value, -0.023438925397421317, 1e-11);
    expect(report.maxDrawdown).toMatchObject({ peakDate: '2024-03-11', troughDate: '2024-03-13', recoveryDate: null });
    expectRel(report.beta, 1.0978568119271916);
    expectRel(report.correlation, 0.42213003820770895);
    const [a, b, c] = report.positions;
    expectRel(a!.beta, 1.092248884787039);
    expectRel(a!.correlation, 0.3585371780074634);
    expectRel(a!.volatility, 0.23842386034112312);
    expectRel(b!.beta, -0.43634977661048235);
    expectRel(b!.correlation, -0.14554164803365874);
    expectRel(b!.volatility, 0.23464417152852493);
    expectRel(c!.beta, 1.7016715335257255);
    expectRel(c!.correlation, 0.310501484013934);
    expectRel(c!.volatility, 0.42891808167674494);
  });

  it('concentration and industries', () => {
    expectRel(report.concentration.hhi, 0.5135315312455357);
    expectRel(report.concentration.effectiveN, 1.9473000958180078);
    expect(report.concentration.maxWeightSymbol).toBe('600519.SH');
    expect(report.industries.map((g) => [g.industry, g.value, g.symbols])).toEqual([
      ['食品饮料', 16_800_000, ['600519.SH']],
      ['unknown', 6_000_000, ['300750.SZ']],
      ['银行', 2_300_000, ['000001.SZ']],
    ]);
    expectNoNaN(report);
  });
});

describe('computeRisk edge cases', () => {
  const closes = [10, 10.5, 10.2, 10.8, 11];
  const d5 = dates.slice(0, 5);

  it('a single position is the whole book: its returns, its beta, HHI 1', () => {
    const index = [100, 101, 100.5, 102, 103];
    const r = computeRisk({ dates: d5, positions: [{ symbol: 'X', quantity: 100, lastPrice: 1_100, closes }], index });
    expect(r.concentration).toEqual({ maxWeight: 1, maxWeightSymbol: 'X', hhi: 1, effectiveN: 1 });
    // returns 0.05, 10.2/10.5 − 1, 10.8/10.2 − 1, 11/10.8 − 1
    [0.05, 10.2 / 10.5 - 1, 10.8 / 10.2 - 1, 11 / 10.8 - 1].forEach((x, i) => expect(r.series.returns[i]).toBeCloseTo(x, 15));
    expect(r.beta).toBe(r.positions[0]!.beta);
    expect(r.correlation).toBe(r.positions[0]!.correlation);
    expect(r.industries).toEqual([{ industry: 'unknown', value: 110_000, weight: 1, symbols: ['X'] }]);
    expectNoNaN(r);
  });

  it('without an index there is no beta or correlation', () => {
    const r = computeRisk({ dates: d5, positions: [{ symbol: 'X', quantity: 100, lastPrice: 1_100, closes }] });
    expect([r.beta, r.correlation, r.positions[0]!.beta, r.positions[0]!.correlation]).toEqual([null, null, null, null]);
    // a flat index: beta undefined too
    const flat = computeRisk({ dates: d5, positions: [{ symbol: 'X', quantity: 100, lastPrice: 1_100, closes }], index: [5, 5, 5, 5, 5] });
    expect([flat.beta, flat.correlation]).toEqual([null, null]);
  });

  it('constant closes: zero volatility and drawdown, VaR 0 — numbers, not NaN', () => {
    const r = computeRisk({ dates: d5, positions: [{ symbol: 'X', quantity: 100, lastPrice: 1_000, closes: [10, 10, 10, 10, 10] }], index: [1, 2, 3, 2, 1] });
    expect(r.volatility).toBe(0);
    expect(r.maxDrawdown!.value).toBe(0);
    expect(r.var[0]!.historical).toEqual({ var: 0, cvar: 0, varLossFen: 0, cvarLossFen: 0 });
    expect(r.var[0]!.parametric.var).toBe(0);
    expect(r.beta).toBe(0); // the book does not move with the index (slope 0) …
    expect(r.correlation).toBeNull(); // … and has no correlation, having no variance
    expectNoNaN(r);
  });

  it('a symbol with no cached close is flat and flagged', () => {
    const r = computeRisk({
      dates: d5,
      positions: [
        { symbol: 'X', quantity: 100, lastPrice: 1_000, closes },
        { symbol: 'NEW', quantity: 100, lastPrice: 1_000, closes: [null, null, null, null, null] },
      ],
    });
    expect(r.positions[1]).toMatchObject({ filledDays: 5, volatility: 0 });
    expect(r.series.returns[0]).toBeCloseTo(0.5 * 0.05, 15); // half the book moved 5 %, half did not
  });

  it('no positions, zero quantities, no dates, one date', () => {
    const none = computeRisk({ dates: d5, positions: [] });
    expect(none).toMatchObject({ value: 0, positions: [], industries: [], volatility: null, maxDrawdown: null, beta: null });
    expect(none.concentration.hhi).toBeNull();
    expect(none.series.returns).toHaveLength(0);
    expect(none.var[0]!.historical).toEqual({ var: null, cvar: null, varLossFen: null, cvarLossFen: null });
    expectNoNaN(none);

    const zero = computeRisk({ dates: d5, positions: [{ symbol: 'X', quantity: 0, lastPrice: 1_000, closes }] });
    expect(zero.positions[0]!.weight).toBeNull();
    expect(zero.volatility).toBeNull();
    expect(zero.positions[0]!.volatility).not.toBeNull(); // the symbol's own history still has one
    expectNoNaN(zero);

    const noDates = computeRisk({ dates: [], positions: [{ symbol: 'X', quantity: 100, lastPrice: 1_000, closes: [] }] });
    expect(noDates).toMatchObject({ asOf: null, value: 100_000, volatility: null, maxDrawdown: null });
    expect(noDates.concentration.hhi).toBe(1); // concentration needs no history
    expectNoNaN(noDates);

    const oneDate = computeRisk({ dates: ['2024-03-01'], positions: [{ symbol: 'X', quantity: 100, lastPrice: 1_000, closes: [10] }] });
    expect(oneDate.series.valueIndex).toEqual(Float64Array.from([1]));
    expect(oneDate.maxDrawdown!.value).toBe(0);
    expect(oneDate.var[1]!.parametric.var).toBeNull();
    expectNoNaN(oneDate);
  });

  it('rejects malformed input', () => {
    const ok = { symbol: 'X', quantity: 100, lastPrice: 1_000, closes };
    const bad: [string, RiskInput][] = [
      ['dates order', { dates: ['2024-03-04', '2024-03-01'], positions: [] }],
      ['duplicate symbol', { dates: d5, positions: [ok, ok] }],
      ['empty symbol', { dates: d5, positions: [{ ...ok, symbol: '' }] }],
      ['fractional quantity', { dates: d5, positions: [{ ...ok, quantity: 1.5 }] }],
      ['negative quantity', { dates: d5, positions: [{ ...ok, quantity: -100 }] }],
      ['price in yuan', { dates: d5, positions: [{ ...ok, lastPrice: 10.5 }] }],
      ['zero price', { dates: d5, positions: [{ ...ok, lastPrice: 0 }] }],
      ['short closes', { dates: d5, positions: [{ ...ok, closes: [1, 2] }] }],
      ['negative close', { dates: d5, positions: [{ ...ok, closes: [1, 2, -3, 4, 5] }] }],
      ['short index', { dates: d5, positions: [ok], index: [1, 2, 3] }],
      ['book over 2^53 fen', { dates: d5, positions: [{ ...ok, quantity: 2 ** 40, lastPrice: 2 ** 13 }] }],
    ];
    for (const [what, i] of bad) expect(() => computeRisk(i), what).toThrow(RangeError);
  });
});
