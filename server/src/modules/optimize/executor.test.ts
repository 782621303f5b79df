/** The trial threads' heap cap: a base, room in proportion to the bars, powers of two, a ceiling. */
import { describe, expect, it } from 'vitest';
import { trialHeapMb } from './executor';

describe('trialHeapMb', () => {
  it('gives one stock’s ten years 64 MB and the 37-stock portfolio 256 MB', () => {
    expect(trialHeapMb(0)).toBe(64);
    expect(trialHeapMb(2_600 * 7 * 8)).toBe(64); // 2,600 days × 7 Float64 columns
    expect(trialHeapMb(37 * 1_400 * 7 * 8)).toBe(256); // 48 + 32 × 2.9 MB = 141 → 256
  });

  it('rounds up to a power of two, so datasets of similar size share a pool, and stops at 8 GB', () => {
    const sizes = [1e5, 5e5, 1e6, 3e6, 1e7, 5e7, 1e8, 1e9].map(trialHeapMb);
    for (const mb of sizes) expect(Math.log2(mb) % 1).toBe(0);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]!).toBeGreaterThanOrEqual(sizes[i - 1]!);
    expect(trialHeapMb(1e12)).toBe(8192);
  });
});
