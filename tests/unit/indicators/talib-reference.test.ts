/**
 * The TA-Lib-convention kernels against TA-Lib's own output (../shared/data/reference, relative to
 * the repo root): every case of talib-sh600000-daily.json. Table-driven: a case whose `fn` is in
 * KERNELS is checked whatever its parameters, so a case added to the file is tested automatically;
 * a case naming an unknown function fails rather than being skipped. For every output: the first
 * non-null index is the case's begIndex and our lookback and our first non-NaN index, null ⇔ NaN
 * at every bar, and values agree within 1e-9 relative (1e-9 absolute near zero).
 */
import { describe, expect, it } from 'vitest';
import * as ta from '../../../server/src/engine/indicators/talib';
import { referenceColumns, talibReference, type TalibCase } from '../../helpers/reference';
import { skipWithoutSharedData } from '../../helpers/shared-data';

const noData = skipWithoutSharedData('every TA-Lib case (talib-reference.test.ts)');
/** The reference, absent without ../shared/data (the suite below is then skipped). */
const reference = noData ? undefined : talibReference();
let inputColumns: Record<TalibCase['inputs'][number], Float64Array> | undefined;
/** The input columns by TA-Lib name, read on first use. */
function columns(): Record<TalibCase['inputs'][number], Float64Array> {
  if (!inputColumns) {
    const bars = referenceColumns();
    inputColumns = { inReal: bars.close, ...bars };
  }
  return inputColumns;
}

type Inputs = Float64Array[];
type Opt = Record<string, number>;

interface Kernel {
  /** Runs the kernel on the case's inputs (in TA-Lib's order) and optIn values. */
  run: (inputs: Inputs, o: Opt) => Float64Array | object;
  lookback: (o: Opt) => number;
  /** TA-Lib output name → our output key (undefined for single-output kernels). */
  outputs: Record<string, string | undefined>;
}

const single = { outReal: undefined };
const i0 = (x: Inputs): Float64Array => x[0]!;
const i1 = (x: Inputs): Float64Array => x[1]!;
const i2 = (x: Inputs): Float64Array => x[2]!;
const i3 = (x: Inputs): Float64Array => x[3]!;

/** TA-Lib function name → kernel; optIn values fall back to TA-Lib's defaults when a case omits them. */
const KERNELS: Record<string, Kernel> = {
  SMA: { run: (x, o) => ta.sma(i0(x), o.optInTimePeriod ?? 30), lookback: (o) => ta.smaLookback(o.optInTimePeriod ?? 30), outputs: single },
  EMA: { run: (x, o) => ta.ema(i0(x), o.optInTimePeriod ?? 30), lookback: (o) => ta.emaLookback(o.optInTimePeriod ?? 30), outputs: single },
  WMA: { run: (x, o) => ta.wma(i0(x), o.optInTimePeriod ?? 30), lookback: (o) => ta.wmaLookback(o.optInTimePeriod ?? 30), outputs: single },
  DEMA: { run: (x, o) => ta.dema(i0(x), o.optInTimePeriod ?? 30), lookback: (o) => ta.demaLookback(o.optInTimePeriod ?? 30), outputs: single },
  TEMA: { run: (x, o) => ta.tema(i0(x), o.optInTimePeriod ?? 30), lookback: (o) => ta.temaLookback(o.optInTimePeriod ?? 30), outputs: single },
  TRIMA: { run: (x, o) => ta.trima(i0(x), o.optInTimePeriod ?? 30), lookback: (o) => ta.trimaLookback(o.optInTimePeriod ?? 30), outputs: single },
  KAMA: { run: (x, o) => ta.kama(i0(x), o.optInTimePeriod ?? 30), lookback: (o) => ta.kamaLookback(o.optInTimePeriod ?? 30), outputs: single },
  MA: {
    run: (x, o) => ta.ma(i0(x), o.optInTimePeriod ?? 30, o.optInMAType ?? 0),
    lookback: (o) => ta.maLookback(o.optInTimePeriod ?? 30, o.optInMAType ?? 0),
    outputs: single,
  },
  MACD: {
    run: (x, o) => ta.macd(i0(x), o.optInFastPeriod ?? 12, o.optInSlowPeriod ?? 26, o.optInSignalPeriod ?? 9),
    lookback: (o) => ta.macdLookback(o.optInFastPeriod ?? 12, o.optInSlowPeriod ?? 26, o.optInSignalPeriod ?? 9),
    outputs: { outMACD: 'macd', outMACDSignal: 'signal', outMACDHist: 'hist' },
  },
  BBANDS: {
    run: (x, o) => ta.bbands(i0(x), o.optInTimePeriod ?? 5, o.optInNbDevUp ?? 2, o.optInNbDevDn ?? 2, o.optInMAType ?? 0),
    lookback: (o) => ta.bbandsLookback(o.optInTimePeriod ?? 5, o.optInNbDevUp ?? 2, o.optInNbDevDn ?? 2, o.optInMAType ?? 0),
    outputs: { outRealUpperBand: 'upper', outRealMiddleBand: 'middle', outRealLowerBand: 'lower' },
  },
  STDDEV: {
    run: (x, o) => ta.stddev(i0(x), o.optInTimePeriod ?? 5, o.optInNbDev ?? 1),
    lookback: (o) => ta.stddevLookback(o.optInTimePeriod ?? 5, o.optInNbDev ?? 1),
    outputs: single,
  },
  SAR: {
    run: (x, o) => ta.sar(i0(x), i1(x), o.optInAcceleration ?? 0.02, o.optInMaximum ?? 0.2),
    lookback: (o) => ta.sarLookback(o.optInAcceleration ?? 0.02, o.optInMaximum ?? 0.2),
    outputs: single,
  },
  ADX: { run: (x, o) => ta.adx(i0(x), i1(x), i2(x), o.optInTimePeriod ?? 14), lookback: (o) => ta.adxLookback(o.optInTimePeriod ?? 14), outputs: single },
  PLUS_DI: {
    run: (x, o) => ta.plusDi(i0(x), i1(x), i2(x), o.optInTimePeriod ?? 14),
    lookback: (o) => ta.plusDiLookback(o.optInTimePeriod ?? 14),
    outputs: single,
  },
  MINUS_DI: {
    run: (x, o) => ta.minusDi(i0(x), i1(x), i2(x), o.optInTimePeriod ?? 14),
    lookback: (o) => ta.minusDiLookback(o.optInTimePeriod ?? 14),
    outputs: single,
  },
  RSI: { run: (x, o) => ta.rsi(i0(x), o.optInTimePeriod ?? 14), lookback: (o) => ta.rsiLookback(o.optInTimePeriod ?? 14), outputs: single },
  STOCH: {
    run: (x, o) =>
      ta.stoch(
        i0(x),
        i1(x),
        i2(x),
        o.optInFastK_Period ?? 5,
        o.optInSlowK_Period ?? 3,
        o.optInSlowK_MAType ?? 0,
        o.optInSlowD_Period ?? 3,
        o.optInSlowD_MAType ?? 0,
      ),
    lookback: (o) =>
      ta.stochLookback(o.optInFastK_Period ?? 5, o.optInSlowK_Period ?? 3, o.optInSlowK_MAType ?? 0, o.optInSlowD_Period ?? 3, o.optInSlowD_MAType ?? 0),
    outputs: { outSlowK: 'k', outSlowD: 'd' },
  },
  STOCHF: {
    run: (x, o) => ta.stochf(i0(x), i1(x), i2(x), o.optInFastK_Period ?? 5, o.optInFastD_Period ?? 3, o.optInFastD_MAType ?? 0),
    lookback: (o) => ta.stochfLookback(o.optInFastK_Period ?? 5, o.optInFastD_Period ?? 3, o.optInFastD_MAType ?? 0),
    outputs: { outFastK: 'k', outFastD: 'd' },
  },
  STOCHRSI: {
    run: (x, o) => ta.stochRsi(i0(x), o.optInTimePeriod ?? 14, o.optInFastK_Period ?? 5, o.optInFastD_Period ?? 3, o.optInFastD_MAType ?? 0),
    lookback: (o) => ta.stochRsiLookback(o.optInTimePeriod ?? 14, o.optInFastK_Period ?? 5, o.optInFastD_Period ?? 3, o.optInFastD_MAType ?? 0),
    outputs: { outFastK: 'k', outFastD: 'd' },
  },
  CCI: { run: (x, o) => ta.cci(i0(x), i1(x), i2(x), o.optInTimePeriod ?? 14), lookback: (o) => ta.cciLookback(o.optInTimePeriod ?? 14), outputs: single },
  MFI: {
    run: (x, o) => ta.mfi(i0(x), i1(x), i2(x), i3(x), o.optInTimePeriod ?? 14),
    lookback: (o) => ta.mfiLookback(o.optInTimePeriod ?? 14),
    outputs: single,
  },
  WILLR: {
    run: (x, o) => ta.willr(i0(x), i1(x), i2(x), o.optInTimePeriod ?? 14),
    lookback: (o) => ta.willrLookback(o.optInTimePeriod ?? 14),
    outputs: single,
  },
  ROC: { run: (x, o) => ta.roc(i0(x), o.optInTimePeriod ?? 10), lookback: (o) => ta.rocLookback(o.optInTimePeriod ?? 10), outputs: single },
  MOM: { run: (x, o) => ta.mom(i0(x), o.optInTimePeriod ?? 10), lookback: (o) => ta.momLookback(o.optInTimePeriod ?? 10), outputs: single },
  TRIX: { run: (x, o) => ta.trix(i0(x), o.optInTimePeriod ?? 30), lookback: (o) => ta.trixLookback(o.optInTimePeriod ?? 30), outputs: single },
  ATR: { run: (x, o) => ta.atr(i0(x), i1(x), i2(x), o.optInTimePeriod ?? 14), lookback: (o) => ta.atrLookback(o.optInTimePeriod ?? 14), outputs: single },
  NATR: { run: (x, o) => ta.natr(i0(x), i1(x), i2(x), o.optInTimePeriod ?? 14), lookback: (o) => ta.natrLookback(o.optInTimePeriod ?? 14), outputs: single },
  TRANGE: { run: (x) => ta.trange(i0(x), i1(x), i2(x)), lookback: () => ta.trangeLookback(), outputs: single },
  OBV: { run: (x) => ta.obv(i0(x), i1(x)), lookback: () => ta.obvLookback(), outputs: single },
  AD: { run: (x) => ta.ad(i0(x), i1(x), i2(x), i3(x)), lookback: () => ta.adLookback(), outputs: single },
  ADOSC: {
    run: (x, o) => ta.adosc(i0(x), i1(x), i2(x), i3(x), o.optInFastPeriod ?? 3, o.optInSlowPeriod ?? 10),
    lookback: (o) => ta.adoscLookback(o.optInFastPeriod ?? 3, o.optInSlowPeriod ?? 10),
    outputs: single,
  },
};

function firstNonNull(values: ArrayLike<number | null>): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== null && v !== undefined && !Number.isNaN(v)) return i;
  }
  return -1;
}

/** Index and values of the first disagreement, or undefined; null ⇔ NaN, 1e-9 relative or absolute. */
function firstMismatch(actual: Float64Array, expected: (number | null)[]): string | undefined {
  if (actual.length !== expected.length) return `length ${actual.length} ≠ ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (e === null) {
      if (!Number.isNaN(a)) return `[${i}] expected null, got ${a}`;
      continue;
    }
    const err = Math.abs(a - e);
    if (!(err <= 1e-9 * Math.abs(e) || err <= 1e-9)) return `[${i}] expected ${e}, got ${a} (|diff| ${err})`;
  }
  return undefined;
}

describe.skipIf(noData)(`TA-Lib reference (${reference ? `${reference.engine}, ${reference.bars.close.length} bars of sh600000` : 'sh600000'})`, () => {
  it('has cases, each for a known function', () => {
    expect(reference!.cases.length).toBeGreaterThan(0);
    expect(reference!.cases.map((c) => c.fn).filter((fn) => !(fn in KERNELS))).toEqual([]);
  });

  for (const c of reference?.cases ?? []) {
    it(`${c.id}: ${c.fn}(${c.inputs.join(', ')}) ${JSON.stringify(c.optIn)}`, () => {
      const kernel = KERNELS[c.fn];
      expect(kernel, `no kernel for ${c.fn}`).toBeDefined();
      const inputs = c.inputs.map((name) => {
        const column = columns()[name];
        expect(column, `unknown input ${name}`).toBeDefined();
        return column;
      });
      expect(kernel!.lookback(c.optIn)).toBe(c.begIndex);
      const result = kernel!.run(inputs, c.optIn);
      expect(Object.keys(c.outputs).sort()).toEqual(Object.keys(kernel!.outputs).sort());
      for (const [name, expected] of Object.entries(c.outputs)) {
        const key = kernel!.outputs[name];
        const actual = key === undefined ? (result as Float64Array) : (result as Record<string, Float64Array>)[key]!;
        expect(actual, `${name}`).toBeInstanceOf(Float64Array);
        expect(firstNonNull(expected), `${name}: first non-null vs begIndex`).toBe(c.begIndex);
        expect(firstNonNull(actual), `${name}: first non-NaN vs begIndex`).toBe(c.begIndex);
        expect(firstMismatch(actual, expected), name).toBeUndefined();
      }
    });
  }
});
