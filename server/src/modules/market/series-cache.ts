/**
 * Decoded bar series kept in memory, least recently used first out, bounded by bar count. Reading
 * 2,400 rows back out of SQLite costs milliseconds per request; a slice of cached typed arrays
 * costs microseconds. An entry is valid while its series row is unchanged (bars, last bar,
 * updated_at): imports running in the worker thread update that row too, so no signal between
 * threads is needed.
 */
import { LRUCache } from 'lru-cache';
import type { components } from '../../../../contracts/gen/api';
import { sliceSeries, type BarSeries } from '../../engine/bars/series';
import { formatTs, type Period } from '../../engine/bars/time';
import type { MarketRepository, SeriesInfo } from './repository';

interface Entry {
  version: string;
  bars: BarSeries;
  /** Formatted bar times, made on first use. */
  times?: string[];
  /** Plain-array copies of the columns for JSON responses, made on first use. */
  columns?: Columns;
}

/** The K-line response's price and volume columns. */
export type Columns = Pick<components['schemas']['Kline'], 'open' | 'high' | 'low' | 'close' | 'volume' | 'amount'>;

export interface CachedRange {
  bars: BarSeries;
  /** Index of the first bar of the range in the whole series. */
  offset: number;
}

const versionOf = (s: SeriesInfo) => `${s.bars}:${s.firstTs}:${s.lastTs}:${s.updatedAt}`;

/** First index with ts ≥ value (ts ascending). */
function lowerBound(ts: Float64Array, value: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class SeriesCache {
  private readonly entries: LRUCache<number, Entry>;

  constructor(
    private readonly repo: MarketRepository,
    maxBars = 1_000_000,
  ) {
    // Sized by bars: typed columns plus, once used, plain columns and times, about 2 × 7 × 8 bytes
    // per bar. A series longer than the whole budget counts as the budget: kept alone rather than
    // read again on every request.
    this.entries = new LRUCache({ maxSize: maxBars, sizeCalculation: (entry) => Math.min(maxBars, Math.max(1, entry.bars.length)) });
  }

  /** Bars with from ≤ ts ≤ to (views, no copy); with `limit`, the newest `limit` of them. */
  range(series: SeriesInfo, from = -Infinity, to = Infinity, limit?: number): CachedRange {
    const bars = this.entry(series).bars;
    const start = Number.isFinite(from) ? lowerBound(bars.ts, from) : 0;
    const end = Number.isFinite(to) ? lowerBound(bars.ts, to + 1e-6) : bars.length;
    const first = limit !== undefined ? Math.max(start, end - limit) : start;
    return { bars: sliceSeries(bars, first, end), offset: first };
  }

  /** Formatted times of `range(...)`'s bars, from a per-series table made once. */
  times(series: SeriesInfo, period: Period, range: CachedRange): string[] {
    const entry = this.entry(series);
    if (!entry.times) {
      entry.times = new Array<string>(entry.bars.length);
      for (let i = 0; i < entry.bars.length; i++) entry.times[i] = formatTs(entry.bars.ts[i]!, period);
    }
    return entry.times.slice(range.offset, range.offset + range.bars.length);
  }

  /** Plain arrays of `range(...)`'s bars (JSON serializes them natively; typed arrays it cannot). */
  columns(series: SeriesInfo, range: CachedRange): Columns {
    const entry = this.entry(series);
    if (!entry.columns) {
      const b = entry.bars;
      entry.columns = {
        open: Array.from(b.open),
        high: Array.from(b.high),
        low: Array.from(b.low),
        close: Array.from(b.close),
        volume: Array.from(b.volume),
        amount: Array.from(b.amount),
      };
    }
    const a = range.offset;
    const z = a + range.bars.length;
    const c = entry.columns;
    return {
      open: c.open.slice(a, z),
      high: c.high.slice(a, z),
      low: c.low.slice(a, z),
      close: c.close.slice(a, z),
      volume: c.volume.slice(a, z),
      amount: c.amount.slice(a, z),
    };
  }

  private entry(series: SeriesInfo): Entry {
    const version = versionOf(series);
    const hit = this.entries.get(series.id);
    if (hit && hit.version === version) return hit;
    const entry: Entry = { version, bars: this.repo.readBars(series) };
    this.entries.set(series.id, entry);
    return entry;
  }
}
