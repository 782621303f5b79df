/**
 * The registry as the API uses it (names, parameter names and defaults, output names) against both
 * reference files, so a wrong parameter mapping in a definition cannot hide behind correct kernels.
 * Then every definition, in both conventions, on the real bars and on too-short series.
 */
import { describe, expect, it } from 'vitest';
import { INDICATORS } from '../../../server/src/engine/indicators';
import { IndicatorProblem } from '../../../server/src/engine/indicators/problem';
import { calculate, type Columns } from '../../../server/src/engine/indicators/registry';
import { referenceBars, referenceColumns, talibReference, tdxParams, tdxReference } from '../../helpers/reference';
import { skipWithoutSharedData } from '../../helpers/shared-data';

const noData = skipWithoutSharedData('the registry against both references, and every definition on the real bars (registry.test.ts)');
/** The reference cases, none without ../shared/data (the suites below are then skipped). */
const talibCases = noData ? [] : talibReference().cases;
const tdxCases = noData ? [] : tdxReference().cases;
let real: { columns: Columns; length: number } | undefined;
/** The real bars, read on first use. */
const bars = () => (real ??= { columns: referenceColumns(), length: referenceBars().close.length });

/** TA-Lib reference case → registry name, parameters and output names. */
const TALIB: Record<string, { name: string; params: (o: Record<string, number>) => Record<string, number>; outputs: Record<string, string> }> = {
  SMA: { name: 'SMA', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'sma' } },
  EMA: { name: 'EMA', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'ema' } },
  WMA: { name: 'WMA', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'wma' } },
  MACD: {
    name: 'MACD',
    params: (o) => ({ fast: o.optInFastPeriod!, slow: o.optInSlowPeriod!, signal: o.optInSignalPeriod! }),
    outputs: { outMACD: 'macd', outMACDSignal: 'signal', outMACDHist: 'hist' },
  },
  BBANDS: {
    name: 'BBANDS',
    params: (o) => ({ period: o.optInTimePeriod!, nbDevUp: o.optInNbDevUp!, nbDevDn: o.optInNbDevDn! }),
    outputs: { outRealUpperBand: 'upper', outRealMiddleBand: 'middle', outRealLowerBand: 'lower' },
  },
  RSI: { name: 'RSI', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'rsi' } },
  STOCH: {
    name: 'STOCH',
    params: (o) => ({ fastK: o.optInFastK_Period!, slowK: o.optInSlowK_Period!, slowD: o.optInSlowD_Period! }),
    outputs: { outSlowK: 'k', outSlowD: 'd' },
  },
  CCI: { name: 'CCI', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'cci' } },
  WILLR: { name: 'WILLR', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'willr' } },
  ATR: { name: 'ATR', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'atr' } },
  NATR: { name: 'NATR', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'natr' } },
  TRANGE: { name: 'TRANGE', params: () => ({}), outputs: { outReal: 'trange' } },
  OBV: { name: 'OBV', params: () => ({}), outputs: { outReal: 'obv' } },
  AD: { name: 'AD', params: () => ({}), outputs: { outReal: 'ad' } },
  ADOSC: { name: 'ADOSC', params: (o) => ({ fast: o.optInFastPeriod!, slow: o.optInSlowPeriod! }), outputs: { outReal: 'adosc' } },
  ADX: { name: 'ADX', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'adx' } },
  PLUS_DI: { name: 'PLUS_DI', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'plus_di' } },
  MINUS_DI: { name: 'MINUS_DI', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'minus_di' } },
  SAR: { name: 'SAR', params: (o) => ({ acceleration: o.optInAcceleration!, maximum: o.optInMaximum! }), outputs: { outReal: 'sar' } },
  ROC: { name: 'ROC', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'roc' } },
  MOM: { name: 'MOM', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'mom' } },
  MFI: { name: 'MFI', params: (o) => ({ period: o.optInTimePeriod! }), outputs: { outReal: 'mfi' } },
  STDDEV: { name: 'STDDEV', params: (o) => ({ period: o.optInTimePeriod!, nbDev: o.optInNbDev! }), outputs: { outReal: 'stddev' } },
};

/** TDX reference case id prefix → registry name and parameters (the case's own names). */
const TDX: Record<string, { name: string; params: (p: Record<string, number>) => Record<string, number> }> = {
  EMA_CN: { name: 'EMA', params: (p) => ({ period: p.period! }) },
  MACD_CN: { name: 'MACD', params: (p) => ({ fast: p.fast!, slow: p.slow!, signal: p.signal! }) },
  KDJ: { name: 'KDJ', params: (p) => ({ n: p.n!, m1: p.m1!, m2: p.m2! }) },
  RSI_CN: { name: 'RSI', params: (p) => ({ period: p.period! }) },
  BOLL_CN: { name: 'BOLL', params: (p) => ({ period: p.period!, k: p.k! }) },
  WR_CN: { name: 'WR', params: (p) => ({ period: p.period! }) },
  BIAS: { name: 'BIAS', params: (p) => ({ period: p.period! }) },
  MA_CN: { name: 'MA', params: (p) => ({ period: p.period! }) },
};

function expectSame(actual: Float64Array, expected: (number | null)[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (e === null) {
      if (!Number.isNaN(a)) expect.fail(`${label}[${i}]: expected warm-up (null), got ${a}`);
    } else if (!(Math.abs(a - e) <= 1e-9 * Math.abs(e) || Math.abs(a - e) <= 1e-9)) {
      expect.fail(`${label}[${i}]: expected ${e}, got ${a}`);
    }
  }
}

describe.skipIf(noData)('registry against the references', () => {
  it.each(talibCases.map((c) => [c.id, c] as const))('TA-Lib %s', (_id, c) => {
    const { columns, length } = bars();
    const map = TALIB[c.fn];
    expect(map, `no registry mapping for ${c.fn}`).toBeDefined();
    const r = calculate(INDICATORS.get(map!.name, 'talib'), columns, length, map!.params(c.optIn));
    for (const [refName, ours] of Object.entries(map!.outputs)) expectSame(r.outputs[ours]!, c.outputs[refName]!, `${c.id}.${ours}`);
    expect(r.start).toBe(c.outputs[Object.keys(map!.outputs)[0]!]!.findIndex((v) => v !== null));
  });

  it.each(tdxCases.map((c) => [c.id, c] as const))('TDX %s', (id, c) => {
    const { columns, length } = bars();
    const map = TDX[Object.keys(TDX).find((prefix) => id.startsWith(`${prefix}_`))!];
    expect(map, `no registry mapping for ${id}`).toBeDefined();
    const r = calculate(INDICATORS.get(map!.name, 'tdx'), columns, length, map!.params(tdxParams(c)));
    for (const [name, expected] of Object.entries(c.outputs)) expectSame(r.outputs[name]!, expected, `${id}.${name}`);
    expect(r.start).toBe(Math.min(...Object.values(c.outputs).map((o) => o.findIndex((v) => v !== null))));
  });
});

describe.skipIf(noData)('every definition', () => {
  it.each(INDICATORS.defs.map((d) => [`${d.convention}:${d.name}`, d] as const))('%s computes its declared outputs from its start on', (_key, def) => {
    const { columns, length } = bars();
    const r = calculate(def, columns, length);
    expect(Object.keys(r.outputs).sort()).toEqual(def.outputs.map((o) => o.name).sort());
    const firsts = Object.values(r.outputs).map((o) => o.findIndex((v) => !Number.isNaN(v)));
    expect(Math.min(...firsts)).toBe(r.start);
    for (const p of def.params) expect(p.default >= p.min && p.default <= p.max, `${def.name}.${p.name} default in range`).toBe(true);

    let problem: unknown;
    try {
      const short = Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.subarray(0, r.start)]));
      calculate(def, short, r.start);
    } catch (err) {
      problem = err;
    }
    expect(problem).toBeInstanceOf(IndicatorProblem);
    expect((problem as IndicatorProblem).kind).toBe('insufficient');
  });
});
