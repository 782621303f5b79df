/** A batch's results through a job's JSON return value come back bit for bit; batches are named by what they hold (remote/protocol.ts). */
import { describe, expect, it } from 'vitest';
import type { TrialResult } from '../trial';
import { decodeResults, encodeResults, trialJobId } from './protocol';

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
    const text = encodeResults([result, { ...result, index: 8, blocks: null }]);
    expect(() => JSON.parse(text) as unknown).not.toThrow();
    const [back, second] = decodeResults(text);
    expect(Object.is(back!.objective, -0)).toBe(true);
    expect(back).toEqual(result);
    expect(back!.blocks).toBeInstanceOf(Float64Array);
    expect(Array.from(back!.blocks!)).toEqual([1 / 3, -0, NaN, Infinity]);
    expect(second!.index).toBe(8);
    expect(second!.blocks).toBeNull();
  });

  it('names a batch job by optimization, dataset, first index, size, every index and walk-forward window', () => {
    const id = 'c'.repeat(64);
    const trial = (index: number, window?: { start: string; end: string; series?: boolean }) => ({ index, params: {}, ...(window ? { window } : {}) });
    const one = trialJobId('opt', id, [trial(3)]);
    expect(one).toMatch(new RegExp(`^opt_${'c'.repeat(16)}_3x1_[0-9a-f]{12}$`));
    expect(trialJobId('opt', id, [trial(3)])).toBe(one);
    // Same first index and size, other members (a resumed run batches what is left differently): another job.
    expect(trialJobId('opt', id, [trial(3), trial(4), trial(6)])).not.toBe(trialJobId('opt', id, [trial(3), trial(5), trial(6)]));
    expect(trialJobId('opt', id, [trial(3, { start: '2021-01-04', end: '2021-06-30' })])).toMatch(/_3x1_[0-9a-f]{12}_2021-01-04_2021-06-30$/);
    expect(trialJobId('opt', id, [trial(3, { start: '2021-01-04', end: '2021-06-30', series: true })])).toMatch(/_s$/);
    expect(trialJobId('opt', id, [trial(3)])).not.toContain(':');
  });
});
