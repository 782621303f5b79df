/** A trial's result through a job's JSON return value comes back bit for bit (remote/protocol.ts). */
import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../trial';
import { decodeResult, encodeResult, trialJobId } from './protocol';

describe('remote protocol', () => {
  it('keeps NaN, ±Infinity, -0, null and the Float64Array of block statistics through JSON', () => {
    const result = {
      index: 7,
      params: { fast: 5, slow: 20 },
      objective: -0,
      eligible: false,
      headline: { sharpe: NaN, calmar: Infinity, profitFactor: -Infinity, totalReturn: null, name: 'x' },
      digest: 'ab'.repeat(32),
      moments: { n: 3, mean: 0.1 + 0.2, std: 5e-324, skew: NaN, kurt: -1.7976931348623157e308 },
      blocks: Float64Array.from([1 / 3, -0, NaN, Infinity]),
    } as unknown as TrialResult;
    const text = encodeResult(result);
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    const back = decodeResult(text);
    expect(Object.is(back.objective, -0)).toBe(true);
    expect(back).toEqual(result);
    expect(back.blocks).toBeInstanceOf(Float64Array);
    expect(Array.from(back.blocks!)).toEqual([1 / 3, -0, NaN, Infinity]);
    expect(decodeResult(encodeResult({ ...result, blocks: null })).blocks).toBeNull();
  });

  it('names a trial job by optimization, dataset, index and walk-forward window', () => {
    const id = 'c'.repeat(64);
    expect(trialJobId('opt', id, { index: 3, params: {} })).toBe(`opt_${'c'.repeat(16)}_3`);
    expect(trialJobId('opt', id, { index: 3, params: {}, window: { start: '2021-01-04', end: '2021-06-30' } })).toBe(`opt_${'c'.repeat(16)}_3_2021-01-04_2021-06-30`);
    expect(trialJobId('opt', id, { index: 3, params: {}, window: { start: '2021-01-04', end: '2021-06-30', series: true } })).toMatch(/_s$/);
  });
});
