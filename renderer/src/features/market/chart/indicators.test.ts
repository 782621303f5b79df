import { describe, expect, it } from 'vitest';
import { computeOverlays, movingAverage } from './indicators';

describe('movingAverage', () => {
  it('averages the last n values, NaN during the warm-up', () => {
    const ma = movingAverage(Float64Array.from([1, 2, 3, 4, 5, 6]), 3);
    expect(Number.isNaN(ma[0]!)).toBe(true);
    expect(Number.isNaN(ma[1]!)).toBe(true);
    expect(Array.from(ma.slice(2))).toEqual([2, 3, 4, 5]);
  });

  it('is all NaN when the series is shorter than n', () => {
    expect(Array.from(movingAverage(Float64Array.from([1, 2]), 5)).every(Number.isNaN)).toBe(true);
  });

  it('n = 1 is the series itself', () => {
    expect(Array.from(movingAverage(Float64Array.from([3, 1, 4]), 1))).toEqual([3, 1, 4]);
  });

  it('does not drift on a long series (matches a direct sum at the end)', () => {
    const n = 60;
    const values = Float64Array.from({ length: 240_000 }, (_, i) => 10 + Math.sin(i / 7) * 3 + (i % 13) * 0.01);
    const ma = movingAverage(values, n);
    for (const i of [n - 1, 4095, 4096, 100_000, 239_999]) {
      let sum = 0;
      for (let j = i - n + 1; j <= i; j++) sum += values[j]!;
      expect(ma[i]).toBeCloseTo(sum / n, 10);
    }
  });

  it('gives MA5/10/20/60 for the chart', () => {
    const overlays = computeOverlays(Float64Array.from({ length: 100 }, (_, i) => i));
    expect(overlays[5][99]).toBe(97);
    expect(overlays[10][99]).toBe(94.5);
    expect(overlays[20][99]).toBe(89.5);
    expect(overlays[60][99]).toBe(69.5);
    expect(Number.isNaN(overlays[60][58]!)).toBe(true);
  });
});
