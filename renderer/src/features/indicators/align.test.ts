import { describe, expect, it } from 'vitest';
import { alignPages, lowerBound } from './align';

const nan = Number.NaN;

describe('lowerBound', () => {
  it('finds the first time at or after t', () => {
    const times = ['2025-01-02', '2025-01-03', '2025-01-06'];
    expect(lowerBound(times, '2025-01-01')).toBe(0);
    expect(lowerBound(times, '2025-01-03')).toBe(1);
    expect(lowerBound(times, '2025-01-04')).toBe(2);
    expect(lowerBound(times, '2025-02-01')).toBe(3);
  });
});

describe('alignPages', () => {
  const times = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'];

  it('places one page answered for the whole series as is, null → NaN', () => {
    const out = alignPages(times, [{ time: times, outputs: { ma: [null, null, 3, 4, 5, 6] } }], ['ma']);
    expect(Array.from(out.ma!)).toEqual([nan, nan, 3, 4, 5, 6]);
  });

  it('places pages by time: an older page in front, overlapping by one bar; unanswered bars stay NaN', () => {
    const newer = { time: ['d4', 'd5', 'd6'], outputs: { dif: [4, 5, 6], dea: [40, 50, 60] } };
    const older = { time: ['d2', 'd3', 'd4'], outputs: { dif: [2, 3, 4], dea: [20, 30, 40] } };
    const out = alignPages(times, [older, newer], ['dif', 'dea']);
    expect(Array.from(out.dif!)).toEqual([nan, 2, 3, 4, 5, 6]);
    expect(Array.from(out.dea!)).toEqual([nan, 20, 30, 40, 50, 60]);
  });

  it('skips times the series does not hold and outputs the answer lacks', () => {
    const out = alignPages(['d1', 'd3', 'd5'], [{ time: ['d1', 'd2', 'd3', 'd4', 'd5', 'd9'], outputs: { k: [1, 2, 3, 4, 5, 9] } }], ['k', 'j']);
    expect(Array.from(out.k!)).toEqual([1, 3, 5]);
    expect(Array.from(out.j!)).toEqual([nan, nan, nan]);
  });

  it('lines up 240,000 bars in one pass', () => {
    const long = Array.from({ length: 240_000 }, (_, i) => `t${String(i).padStart(7, '0')}`);
    const values = long.map((_, i) => i);
    const t0 = performance.now();
    const out = alignPages(long, [{ time: long.slice(20_000), outputs: { v: values.slice(20_000) } }, { time: long.slice(0, 20_001), outputs: { v: values.slice(0, 20_001) } }], ['v']);
    expect(performance.now() - t0).toBeLessThan(500);
    expect(out.v![0]).toBe(0);
    expect(out.v![20_000]).toBe(20_000);
    expect(out.v![239_999]).toBe(239_999);
  });
});
