/**
 * The TDX formula kernels against the reference data (../shared/data/reference, relative to the
 * repo root): every case of tdx-formula-sh600000-daily.json, on the bars of
 * talib-sh600000-daily.json (the TDX file does not carry its own). The reference decides warm-up
 * and seeding: null there ⇔ NaN here at every index, values within 1e-9 relative or absolute.
 */
import { describe, expect, it } from 'vitest';
import {
  bias,
  biasStart,
  boll,
  bollStart,
  ema,
  emaStart,
  kdj,
  kdjStart,
  ma,
  macd,
  macdStart,
  maStart,
  rsi,
  rsiStart,
  wr,
  wrStart,
} from '../../../server/src/engine/indicators/tdx';
import { referenceBars, referenceColumns, tdxParams, tdxReference, type BarColumn, type TdxCase } from '../../helpers/reference';
import { skipWithoutSharedData } from '../../helpers/shared-data';

const noData = skipWithoutSharedData('every TDX formula case (tdx-reference.test.ts)');
/** The cases, none without ../shared/data (the suite below is then skipped). */
const cases = noData ? [] : tdxReference().cases;

/** A case's parameter by name; a missing one fails rather than letting the kernel's default stand in. */
type Param = (name: string) => number;
type Run = (p: Param, bars: Record<BarColumn, Float64Array>) => { outputs: Record<string, Float64Array>; start: number };

/** Case id without its parameter suffix (EMA_CN_12 → EMA_CN) → kernel, mapped onto the reference's output names. */
const kernels: Record<string, Run> = {
  MA_CN: (p, bars) => ({ outputs: { ma: ma(bars.close, p('period')) }, start: maStart(p('period')) }),
  EMA_CN: (p, bars) => ({ outputs: { ema: ema(bars.close, p('period')) }, start: emaStart(p('period')) }),
  MACD_CN: (p, bars) => ({
    outputs: { ...macd(bars.close, p('fast'), p('slow'), p('signal')) },
    start: macdStart(p('fast'), p('slow'), p('signal')),
  }),
  KDJ: (p, bars) => ({
    outputs: { ...kdj(bars.high, bars.low, bars.close, p('n'), p('m1'), p('m2')) },
    start: kdjStart(p('n'), p('m1'), p('m2')),
  }),
  RSI_CN: (p, bars) => ({ outputs: { rsi: rsi(bars.close, p('period')) }, start: rsiStart(p('period')) }),
  BOLL_CN: (p, bars) => ({ outputs: { ...boll(bars.close, p('period'), p('k')) }, start: bollStart(p('period'), p('k')) }),
  WR_CN: (p, bars) => ({ outputs: { wr: wr(bars.high, bars.low, bars.close, p('period')) }, start: wrStart(p('period')) }),
  BIAS: (p, bars) => ({ outputs: { bias: bias(bars.close, p('period')) }, start: biasStart(p('period')) }),
};

function paramsOf(c: TdxCase): Param {
  const params = tdxParams(c);
  return (name) => {
    const value = params[name];
    if (typeof value !== 'number') throw new Error(`${c.id}: no parameter ${name} in ${JSON.stringify(params)}`);
    return value;
  };
}

function close(actual: number, expected: number): boolean {
  const diff = Math.abs(actual - expected);
  return diff <= 1e-9 * Math.abs(expected) || diff <= 1e-9;
}

describe.skipIf(noData)('TDX reference data', () => {
  it('has the bars for every case, all columns the same length', () => {
    const length = referenceBars().close.length;
    expect(length).toBeGreaterThan(1000);
    for (const column of Object.values(referenceBars())) expect(column).toHaveLength(length);
    for (const c of cases) {
      for (const values of Object.values(c.outputs)) expect(values).toHaveLength(length);
    }
  });

  it('maps every case to a kernel', () => {
    const unmapped = cases.map((c) => c.id.replace(/(_\d+)+$/, '')).filter((prefix) => !(prefix in kernels));
    expect(unmapped).toEqual([]);
  });
});

describe.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
  const { outputs, start } = kernels[c.id.replace(/(_\d+)+$/, '')]!(paramsOf(c), referenceColumns());

  it.each(Object.keys(c.outputs))('%s: NaN exactly where the reference is null, values within 1e-9', (name) => {
    const expected = c.outputs[name]!;
    const actual = outputs[name];
    expect(actual, `kernel has no output ${name}`).toBeDefined();
    expect(actual).toHaveLength(expected.length);
    const nullMismatches: number[] = [];
    const valueMismatches: string[] = [];
    for (let i = 0; i < expected.length; i++) {
      const e = expected[i]!;
      const a = actual![i]!;
      if ((e === null) !== Number.isNaN(a)) nullMismatches.push(i);
      else if (e !== null && !close(a, e)) valueMismatches.push(`[${i}] ${a} vs ${e}`);
    }
    expect(nullMismatches.slice(0, 10)).toEqual([]);
    expect(valueMismatches.slice(0, 10)).toEqual([]);
  });

  it('start helper names the first non-null bar', () => {
    for (const values of Object.values(c.outputs)) expect(values.findIndex((v) => v !== null)).toBe(start);
  });
});
