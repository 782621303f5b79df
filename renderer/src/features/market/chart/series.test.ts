import { describe, expect, it } from 'vitest';
import { fromKline, prependSeries } from './series';

const page = (times: string[], base: number) =>
  fromKline({
    time: times,
    open: times.map((_, i) => base + i),
    high: times.map((_, i) => base + i + 1),
    low: times.map((_, i) => base + i - 1),
    close: times.map((_, i) => base + i + 0.5),
    volume: times.map(() => 100),
    amount: times.map(() => 1000),
  });

describe('prependSeries', () => {
  it('puts an older page in front, dropping the bar the inclusive `end` repeated', () => {
    const newer = page(['2024-01-03', '2024-01-04'], 10);
    const older = page(['2024-01-01', '2024-01-02', '2024-01-03'], 0);
    const all = prependSeries(older, newer);
    expect(all.length).toBe(4);
    expect(all.time).toEqual(['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04']);
    expect(Array.from(all.open)).toEqual([0, 1, 10, 11]);
    expect(all.close).toBeInstanceOf(Float64Array);
  });
});
