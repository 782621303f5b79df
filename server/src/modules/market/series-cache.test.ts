import { describe, expect, it } from 'vitest';
import { allocateSeries, sliceSeries, type BarSeries } from '../../engine/bars/series';
import type { MarketRepository, SeriesInfo } from './repository';
import { SeriesCache } from './series-cache';

function bars(n: number, first = 1000): BarSeries {
  const s = allocateSeries(n);
  for (let i = 0; i < n; i++) {
    s.ts[i] = first + i * 60;
    s.close[i] = i;
  }
  return sliceSeries(s, 0, n);
}

/** A repository double that counts reads. */
function repo(data: Map<number, BarSeries>) {
  const reads: number[] = [];
  const fake = { readBars: (s: SeriesInfo) => (reads.push(s.id), data.get(s.id)!) } as unknown as MarketRepository;
  return { fake, reads };
}

const info = (id: number, n: number, updatedAt = 't1'): SeriesInfo => ({ id, instrumentId: id, period: '1m', adjust: 'none', firstTs: 1000, lastTs: 1000 + (n - 1) * 60, bars: n, updatedAt });

describe('SeriesCache', () => {
  it('slices ranges and limits without reading again', () => {
    const { fake, reads } = repo(new Map([[1, bars(10)]]));
    const cache = new SeriesCache(fake);
    const r = cache.range(info(1, 10), 1060, 1240);
    expect(Array.from(r.bars.close)).toEqual([1, 2, 3, 4]);
    expect(r.offset).toBe(1);
    expect(Array.from(cache.range(info(1, 10), undefined, 1240, 2).bars.close)).toEqual([3, 4]);
    expect(cache.times(info(1, 10), '1m', r)).toHaveLength(4);
    expect(cache.columns(info(1, 10), r).close).toEqual([1, 2, 3, 4]);
    expect(reads).toEqual([1]);
  });

  it('reads again when the series row changed (e.g. an import in the worker)', () => {
    const data = new Map([[1, bars(10)]]);
    const { fake, reads } = repo(data);
    const cache = new SeriesCache(fake);
    cache.range(info(1, 10));
    data.set(1, bars(11));
    expect(cache.range(info(1, 11, 't2')).bars.length).toBe(11);
    expect(reads).toEqual([1, 1]);
  });

  it('evicts the least recently used series beyond its bar budget', () => {
    const { fake, reads } = repo(new Map([[1, bars(10)], [2, bars(10)], [3, bars(10)]]));
    const cache = new SeriesCache(fake, 25);
    cache.range(info(1, 10));
    cache.range(info(2, 10));
    cache.range(info(1, 10)); // 1 is now the most recent
    cache.range(info(3, 10)); // evicts 2
    cache.range(info(1, 10));
    cache.range(info(2, 10));
    expect(reads).toEqual([1, 2, 3, 2]);
  });

  it('keeps a series longer than the whole budget on its own rather than reading it on every request', () => {
    const { fake, reads } = repo(new Map([[1, bars(10)], [2, bars(30)]]));
    const cache = new SeriesCache(fake, 25);
    cache.range(info(1, 10));
    cache.range(info(2, 30));
    cache.range(info(2, 30));
    cache.range(info(1, 10)); // evicted by the long one
    expect(reads).toEqual([1, 2, 1]);
  });
});
