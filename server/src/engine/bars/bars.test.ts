import { describe, expect, it } from 'vitest';
import { aggregateDaily } from './aggregate';
import { adjustSeries } from './adjust';
import { allocateSeries, sliceSeries, type BarSeries } from './series';
import { dayStart, formatDate, formatTs, parseTimeString, tsOf } from './time';

function daily(rows: [string, number, number, number, number, number][]): BarSeries {
  const s = allocateSeries(rows.length);
  rows.forEach(([date, o, h, l, c, v], i) => {
    s.ts[i] = parseTimeString(date)!;
    s.open[i] = o;
    s.high[i] = h;
    s.low[i] = l;
    s.close[i] = c;
    s.volume[i] = v;
    s.amount[i] = v * c;
  });
  return sliceSeries(s, 0, rows.length);
}

describe('bar time', () => {
  it('reads and writes Beijing wall-clock time without time-zone arithmetic', () => {
    expect(parseTimeString('1999-11-10')).toBe(tsOf(1999, 11, 10));
    expect(formatDate(tsOf(1999, 11, 10))).toBe('1999-11-10');
    expect(formatTs(tsOf(2021, 6, 1, 9, 31), '1m')).toBe('2021-06-01 09:31');
    expect(formatTs(tsOf(2021, 6, 1, 9, 31), 'day')).toBe('2021-06-01');
    expect(dayStart(tsOf(2021, 6, 1, 13, 5))).toBe(tsOf(2021, 6, 1));
  });

  it('rejects malformed or impossible dates', () => {
    for (const bad of ['2024-02-30', '2023-13-01', '2024-1-1', '20240101', '2024-01-01 24:00', '2024-01-01T09:30']) {
      expect(parseTimeString(bad), bad).toBeUndefined();
    }
    expect(parseTimeString('2024-02-29')).toBeDefined();
  });
});

describe('aggregateDaily', () => {
  const days = daily([
    ['2024-01-02', 10, 11, 9.5, 10.5, 100], // Tue
    ['2024-01-03', 10.5, 12, 10, 11.5, 200],
    ['2024-01-05', 11.5, 11.8, 10.8, 11, 300], // Fri
    ['2024-01-08', 11, 11.2, 9, 9.8, 400], // Mon, new week
    ['2024-02-01', 9.8, 10, 9.7, 9.9, 500], // new month
  ]);

  it('builds weeks from Monday to Sunday, dated on their last trading day', () => {
    const w = aggregateDaily(days, 'week');
    expect(w.length).toBe(3);
    expect(Array.from(w.ts, formatDate)).toEqual(['2024-01-05', '2024-01-08', '2024-02-01']);
    expect([w.open[0], w.high[0], w.low[0], w.close[0], w.volume[0]]).toEqual([10, 12, 9.5, 11, 600]);
    expect(w.amount[0]).toBeCloseTo(100 * 10.5 + 200 * 11.5 + 300 * 11, 9);
  });

  it('builds calendar months', () => {
    const m = aggregateDaily(days, 'month');
    expect(Array.from(m.ts, formatDate)).toEqual(['2024-01-08', '2024-02-01']);
    expect([m.open[0], m.high[0], m.low[0], m.close[0], m.volume[0]]).toEqual([10, 12, 9, 9.8, 1000]);
  });

  it('handles an empty series', () => {
    expect(aggregateDaily(daily([]), 'week').length).toBe(0);
  });
});

describe('adjustSeries', () => {
  const bars = daily([
    ['2024-01-02', 10, 10, 10, 10, 1],
    ['2024-01-03', 10, 10, 10, 10, 1],
    ['2024-01-04', 5, 5, 5, 5, 2], // after a 2-for-1 split
  ]);
  const factors = { ts: Float64Array.of(parseTimeString('2020-01-01')!, parseTimeString('2024-01-04')!), factor: Float64Array.of(1, 2) };

  it('hfq multiplies by the factor in force', () => {
    expect(Array.from(adjustSeries(bars, factors, 'hfq').close)).toEqual([10, 10, 10]);
  });

  it('qfq keeps the newest prices as traded', () => {
    const q = adjustSeries(bars, factors, 'qfq');
    expect(Array.from(q.close)).toEqual([5, 5, 5]);
    expect(Array.from(q.volume)).toEqual([1, 1, 2]);
  });
});

describe('sliceSeries', () => {
  const bars = daily([
    ['2024-01-02', 1, 1, 1, 1, 1],
    ['2024-01-03', 2, 2, 2, 2, 2],
    ['2024-01-04', 3, 3, 3, 3, 3],
  ]);

  it('cuts every column to the same views, without copying', () => {
    const s = sliceSeries(bars, 1, 3);
    expect(s.length).toBe(2);
    for (const col of [s.ts, s.open, s.high, s.low, s.close, s.volume, s.amount]) expect(col.length).toBe(2);
    expect(Array.from(s.close)).toEqual([2, 3]);
    s.close[0] = 20;
    expect(bars.close[1]).toBe(20);
    bars.close[1] = 2;
  });

  it('clamps its bounds (an empty range, or the filled part of an allocated series)', () => {
    expect(sliceSeries(bars, 2, 1).length).toBe(0);
    expect(sliceSeries(bars, -5, 99).length).toBe(3);
    const allocated = allocateSeries(10);
    expect(sliceSeries(allocated, 0, 4).length).toBe(4);
    expect(sliceSeries(bars).length).toBe(3);
  });
});
