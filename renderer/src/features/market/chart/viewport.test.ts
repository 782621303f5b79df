import { describe, expect, it } from 'vitest';
import { clampViewport, latestViewport, MIN_SPAN, pan, shiftForPrepend, zoom } from './viewport';

describe('viewport', () => {
  it('opens on the newest bars', () => {
    expect(latestViewport(1000, 160)).toEqual({ start: 840, end: 1000 });
    expect(latestViewport(50, 160)).toEqual({ start: 0, end: 50 });
  });

  it('pans within the series', () => {
    const v = latestViewport(1000, 100);
    expect(pan(v, -10, 1000)).toEqual({ start: 890, end: 990 });
    expect(pan(v, 10, 1000)).toEqual(v); // already at the newest bar
    expect(pan(v, -5000, 1000)).toEqual({ start: 0, end: 100 });
  });

  it('zooms around the anchor and stops at the limits', () => {
    const v = { start: 400, end: 600 };
    expect(zoom(v, 0.5, 1000, 0.5)).toEqual({ start: 450, end: 550 });
    expect(zoom(v, 2, 1000, 0)).toEqual({ start: 400, end: 800 });
    expect(zoom(latestViewport(1000, 200), 0.5, 1000, 1)).toEqual({ start: 900, end: 1000 });
    expect(zoom({ start: 0, end: 20 }, 0.1, 1000, 0.5).end - zoom({ start: 0, end: 20 }, 0.1, 1000, 0.5).start).toBe(MIN_SPAN);
    expect(zoom(v, 100, 1000, 0.5)).toEqual({ start: 0, end: 1000 });
    // A factor too small to change a small span still moves one bar.
    expect(zoom({ start: 0, end: 14 }, 1.05, 1000, 0)).toEqual({ start: 0, end: 15 });
  });

  it('clamps to whole bars inside the series', () => {
    expect(clampViewport({ start: -3.4, end: 50.2 }, 100)).toEqual({ start: 0, end: 54 });
    expect(clampViewport({ start: 10, end: 20 }, 0)).toEqual({ start: 0, end: 0 });
    expect(clampViewport({ start: 0, end: 5 }, 8)).toEqual({ start: 0, end: 8 });
  });

  it('keeps the same bars in view when older ones are prepended', () => {
    expect(shiftForPrepend({ start: 0, end: 100 }, 500)).toEqual({ start: 500, end: 600 });
  });
});
