import { describe, expect, it } from 'vitest';
import { computeOverlays } from './indicators';
import { readoutAt } from './readout';
import { fromKline } from './series';
import { buildWindow } from './window';

const series = fromKline({
  time: ['2025-08-01', '2025-08-04', '2025-08-05'],
  open: [12.82, 12.9, 13.15],
  high: [12.98, 13.45, 13.78],
  low: [12.58, 12.9, 13.14],
  close: [12.92, 13.13, 13.75],
  volume: [79386104, 99782728, 133646594],
  amount: [1018578944, 1321632128, 1812400000],
});

describe('readoutAt', () => {
  it('gives the bar and its change against the previous close', () => {
    const w = buildWindow(series, 0, 3, 100);
    const r = readoutAt(series, w, 2, null)!;
    expect(r).toMatchObject({ time: '2025-08-05', timeTo: null, bars: 1, open: 13.15, high: 13.78, low: 13.14, close: 13.75, prevClose: 13.13 });
    expect(r.change).toBeCloseTo(0.62, 10);
    expect(r.changePercent).toBeCloseTo(4.722, 3);
    expect(r.amplitude).toBeCloseTo(((13.78 - 13.14) / 13.13) * 100, 10);
  });

  it('has no change for the first bar of the series, and nothing outside the window', () => {
    const w = buildWindow(series, 0, 3, 100);
    expect(readoutAt(series, w, 0, null)).toMatchObject({ prevClose: null, change: null, changePercent: null });
    expect(readoutAt(series, w, 3, null)).toBeNull();
    expect(readoutAt(series, w, -1, null)).toBeNull();
  });

  it('describes a bucket by its time range and the bar count, with the MA at its last bar', () => {
    const w = buildWindow(series, 0, 3, 2); // buckets of 2, end-aligned: [0] [1, 2]
    const r = readoutAt(series, w, 1, computeOverlays(series.close))!;
    expect(r).toMatchObject({ time: '2025-08-04', timeTo: '2025-08-05', bars: 2, open: 12.9, close: 13.75, high: 13.78, low: 12.9, prevClose: 12.92 });
    expect(r.volume).toBe(99782728 + 133646594);
    expect(r.ma).toEqual({}); // fewer than 5 bars: no MA5 yet
  });
});
