import { describe, expect, it } from 'vitest';
import { fromKline, type BarSeries } from './series';
import { bucketSizeFor, bucketStart, buildWindow } from './window';

/** `n` bars with distinct, checkable values: bar i opens at 100 + i, spans ±(1 + i % 7). */
function bars(n: number): BarSeries {
  const time = Array.from({ length: n }, (_, i) => `2024-01-01 ${String(i).padStart(6, '0')}`);
  const open = time.map((_, i) => 100 + i);
  const close = open.map((o, i) => o + (i % 2 === 0 ? 0.5 : -0.5));
  const high = open.map((o, i) => o + 1 + (i % 7));
  const low = open.map((o, i) => o - 1 - (i % 5));
  const volume = time.map((_, i) => 1000 + i);
  const amount = volume.map((v) => v * 10);
  return fromKline({ time, open, high, low, close, volume, amount });
}

describe('bucketSizeFor', () => {
  it('is 1 while the bars fit, then the smallest power of two that makes them fit', () => {
    expect(bucketSizeFor(500, 600)).toBe(1);
    expect(bucketSizeFor(600, 600)).toBe(1);
    expect(bucketSizeFor(601, 600)).toBe(2);
    expect(bucketSizeFor(1200, 600)).toBe(2);
    expect(bucketSizeFor(1201, 600)).toBe(4);
    expect(bucketSizeFor(240_000, 600)).toBe(512); // ⌈240000/512⌉ = 469 candles
  });
});

describe('bucketStart', () => {
  it('aligns buckets to the end of the series; the oldest one takes the remainder', () => {
    // 10 bars, size 4: [0,1] [2..5] [6..9]
    expect([0, 1, 2, 5, 6, 9].map((i) => bucketStart(i, 10, 4))).toEqual([0, 0, 2, 2, 6, 6]);
    expect([0, 3, 4, 7].map((i) => bucketStart(i, 8, 4))).toEqual([0, 0, 4, 4]);
  });
});

describe('buildWindow', () => {
  it('hands over only the bars in view, raw, when they fit', () => {
    const s = bars(1000);
    const w = buildWindow(s, 900, 1000, 600);
    expect(w.bucket).toBe(1);
    expect(w.length).toBe(100);
    expect(w.first[0]).toBe(900);
    expect(w.last[99]).toBe(999);
    expect(w.open[0]).toBe(s.open[900]);
    expect(w.close[99]).toBe(s.close[999]);
    expect(w.high[5]).toBe(s.high[905]);
  });

  it('buckets preserve open, high, low, close and sum volume and amount', () => {
    const s = bars(1000);
    const w = buildWindow(s, 0, 1000, 300); // size 4: 250 buckets of 4 (1000 % 4 = 0)
    expect(w.bucket).toBe(4);
    expect(w.length).toBe(250);
    for (let b = 0; b < w.length; b++) {
      const first = w.first[b]!;
      const last = w.last[b]!;
      expect(last - first).toBe(3);
      expect(w.open[b]).toBe(s.open[first]);
      expect(w.close[b]).toBe(s.close[last]);
      let hi = -Infinity;
      let lo = Infinity;
      let vol = 0;
      let amt = 0;
      for (let i = first; i <= last; i++) {
        hi = Math.max(hi, s.high[i]!);
        lo = Math.min(lo, s.low[i]!);
        vol += s.volume[i]!;
        amt += s.amount[i]!;
      }
      expect(w.high[b]).toBe(hi);
      expect(w.low[b]).toBe(lo);
      expect(w.volume[b]).toBe(vol);
      expect(w.amount[b]).toBe(amt);
    }
    // Nothing lost: the extremes and totals of the whole range survive bucketing.
    expect(Math.max(...w.high)).toBe(Math.max(...s.high));
    expect(Math.min(...w.low)).toBe(Math.min(...s.low));
    expect(w.volume.reduce((a, b) => a + b, 0)).toBe(s.volume.reduce((a, b) => a + b, 0));
  });

  it('uses whole end-aligned buckets at the edges of the view, the oldest possibly short', () => {
    const s = bars(1003); // size 4 → offset 3: [0..2] [3..6] … [999..1002]
    const all = buildWindow(s, 0, 1003, 300);
    expect(all.bucket).toBe(4);
    expect([all.first[0], all.last[0]]).toEqual([0, 2]);
    expect([all.first[1], all.last[1]]).toEqual([3, 6]);
    expect(all.last[all.length - 1]).toBe(1002);
    expect(all.length).toBe(1 + 250);

    // A view starting inside a bucket starts at that bucket's first bar; the same bars, same buckets.
    const part = buildWindow(s, 5, 1003, 300);
    expect(part.first[0]).toBe(3);
    expect(part.open[0]).toBe(all.open[1]);
    expect(part.high[0]).toBe(all.high[1]);
    // Panning by less than a bucket gives the same candles (no shimmer).
    // 600 bars in view, 300 candles → buckets of 2: [1,2] … [401,402] …
    const a = buildWindow(s, 401, 1001, 300);
    const b = buildWindow(s, 402, 1002, 300);
    expect(a.bucket).toBe(2);
    expect(b.first[0]).toBe(a.first[0]);
    expect(Array.from(b.close.slice(0, 100))).toEqual(Array.from(a.close.slice(0, 100)));
  });

  it('keeps 240,000 bars down to a few hundred candles, quickly', () => {
    const s = bars(240_000);
    const t0 = performance.now();
    const w = buildWindow(s, 0, 240_000, 600);
    const ms = performance.now() - t0;
    expect(w.length).toBeLessThanOrEqual(600);
    expect(w.length).toBeGreaterThan(300);
    expect(w.last[w.length - 1]).toBe(239_999);
    expect(ms).toBeLessThan(200); // typically ~2 ms; generous for slow CI machines
  });

  it('copes with an empty series and an empty range', () => {
    expect(buildWindow(bars(0), 0, 0, 600).length).toBe(0);
    expect(buildWindow(bars(10), 5, 5, 600).length).toBe(0);
  });
});
