/**
 * K-lines from the cache: picks the stored series for the period and adjustment, derives week and
 * month bars from daily ones when they are not stored, applies adjustment factors when known, and
 * says when the data is stale.
 */
import type { components } from '../../../../contracts/gen/api';
import { serialized, type SerializedJson } from '../../platform/contract';
import { AppError } from '../../platform/errors';
import { SerializedCache } from '../../platform/serialized-cache';
import { aggregateDaily } from '../../engine/bars/aggregate';
import { adjustSeries } from '../../engine/bars/adjust';
import { sliceSeries, type BarSeries } from '../../engine/bars/series';
import { formatDate, formatTs, parseTimeString, type Period } from '../../engine/bars/time';
import { inTradingSession, latestClosedSession, type DayKnowledge } from '../../engine/market/calendar';
import { beijingClock } from '../../engine/market/trading-clock';
import type { Adjust, MarketRepository, SeriesInfo } from './repository';
import { SeriesCache, type Columns } from './series-cache';

export type Kline = components['schemas']['Kline'];

export interface KlineHistory {
  symbol: string;
  period: Period;
  adjust: Adjust;
  stale: boolean;
  /** From the first cached bar through the end of the range. */
  bars: BarSeries;
  /** Index in `bars` of the range's first bar. */
  first: number;
  /** Times of bars[first…]. */
  time: string[];
}

export interface KlineQuery {
  symbol: string;
  period: Period;
  start?: string;
  end?: string;
  adjust?: Adjust;
  limit?: number;
}

function parseBound(text: string | undefined, field: string, endOfDay: boolean): number | undefined {
  if (text === undefined) return undefined;
  const ts = parseTimeString(text);
  if (ts === undefined) throw new AppError('DATE_INVALID', [{ field: `querystring.${field}`, message: `${text} is not a real date or time` }]);
  // A bare date as the end bound includes that whole day (its minute bars too).
  return endOfDay && !text.includes(' ') ? ts + 86_399 : ts;
}

/** Brings the cache up to date for a query when an online provider can (see kline-filler.ts). */
export interface KlineFiller {
  /** The fill to wait for, or undefined when there is nothing to do. */
  fill(query: KlineQuery): Promise<void> | undefined;
}

const MINUTE_SECONDS: Partial<Record<Period, number>> = { '1m': 60, '5m': 300, '15m': 900, '30m': 1800, '60m': 3600 };

/**
 * Whether a series ending at `lastTs` misses bars that exist by now: it ends before the latest
 * closed session, or (minute bars, during a session) more than one bar ago. One definition for the
 * `stale` flag of answers and for the filler's decision to fetch.
 */
export function isStale(lastTs: number | null, period: Period, nowMs: number, known: DayKnowledge): boolean {
  if (lastTs === null) return true;
  if (formatDate(lastTs) < latestClosedSession(nowMs, known)) return true;
  const step = MINUTE_SECONDS[period];
  return step !== undefined && inTradingSession(nowMs, known) && lastTs + step <= beijingClock(nowMs).wallSeconds;
}

/** How long a request with cached bars waits for the filler (ms). */
const FILL_WAIT_MS = 250;

/** Resolves when `work` settles or after `ms`, whichever comes first (never rejects; the filler never throws). */
function settleWithin(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Serialized K-line responses kept (bytes): about 250 answers of 10 years of daily bars. */
const RESPONSE_CACHE_BYTES = 32 * 1024 * 1024;

export class KlineService {
  private readonly cache: SeriesCache;
  private readonly responses = new SerializedCache<Kline>(RESPONSE_CACHE_BYTES);

  constructor(
    private readonly repo: MarketRepository,
    private readonly now: () => number = Date.now,
    private readonly filler?: KlineFiller,
  ) {
    this.cache = new SeriesCache(repo);
  }

  /**
   * `get` as JSON, after the filler (if any) had its chance to fill a stale or empty cache. With
   * bars cached, the chart does not wait long for a slow or unreachable provider (the first
   * attempts offline, before the breaker opens, take about a second): after FILL_WAIT_MS the
   * cached bars are served marked stale while the fill goes on, and the next request sees its bars.
   */
  async load(query: KlineQuery): Promise<SerializedJson<Kline>> {
    const fill = this.filler?.fill(query);
    if (fill) await (this.hasCached(query) ? settleWithin(fill, FILL_WAIT_MS) : fill);
    return this.getSerialized(query);
  }

  private hasCached(query: KlineQuery): boolean {
    const period = (query.period === 'week' || query.period === 'month') && !this.hasAny(query.symbol, query.period) ? 'day' : query.period;
    return this.pickSeries(query.symbol, period, query.adjust ?? 'none') !== undefined;
  }

  get(query: KlineQuery): Kline {
    return this.build(this.resolve(query));
  }

  /**
   * A repeated request for the same bars (the chart reloading, switching back to a period) reuses
   * the JSON of the last answer: serializing 10 years of bars costs more than everything else.
   * Adjusted-by-factor answers are built each time (factors are versioned apart from the series).
   */
  getSerialized(query: KlineQuery): SerializedJson<Kline> {
    const r = this.resolve(query);
    if (r.picked.applyFactors) return serialized(this.build(r));
    const s = r.picked.series;
    const key = [s.id, s.bars, s.firstTs, s.lastTs, s.updatedAt, r.range.offset, r.range.bars.length, query.period, query.limit, r.requested, r.stale].join('|');
    return this.responses.get(key, () => this.build(r));
  }

  /**
   * The bars of a K-line query together with all the cached history before them, for indicators
   * and signals: they warm up on the history, so the values shown for the range are the same as on
   * a chart of the whole series. `first` is the index of the range's first bar; `time` covers the
   * range only. Derived weeks/months are whole (the first one may include days before `start`).
   */
  history(query: KlineQuery): KlineHistory {
    const r = this.resolve(query);
    const { symbol, period } = query;
    const range = r.range.bars;
    if (range.length === 0) {
      throw new AppError('KLINE_DATA_NOT_FOUND', [{ message: `no ${period} bars for ${symbol} in ${query.start ?? '…'} – ${query.end ?? '…'}` }]);
    }
    let bars = this.cache.range(r.picked.series, -Infinity, range.ts[range.length - 1]!).bars;
    if (r.picked.applyFactors) bars = this.applyFactors(r.picked.series, bars, r.picked.applyFactors);
    let first = r.range.offset;
    if (r.derived) {
      bars = aggregateDaily(bars, period as 'week' | 'month');
      // A week/month bar carries the time of its last day, so the one holding the range's first
      // day is the first with a time at or after it.
      first = 0;
      while (bars.ts[first]! < range.ts[0]!) first++;
      if (query.limit !== undefined) first = Math.max(first, bars.length - query.limit);
    }
    // Bars straight from the cache reuse its table of formatted times (the chart asks once per indicator).
    const time = !r.derived && !r.picked.applyFactors ? this.cache.times(r.picked.series, period, r.range) : formatTimes(bars, first, period);
    return { symbol, period, adjust: r.picked.applyFactors ?? r.picked.series.adjust, stale: r.stale, bars, first, time };
  }

  private resolve(query: KlineQuery) {
    const { symbol, period } = query;
    const requested: Adjust = query.adjust ?? 'none';
    const from = parseBound(query.start, 'start', false);
    const to = parseBound(query.end, 'end', true);
    if (from !== undefined && to !== undefined && from > to) {
      throw new AppError('DATE_RANGE_INVALID', [{ field: 'querystring.start', message: 'start is after end' }]);
    }

    const derived = (period === 'week' || period === 'month') && !this.hasAny(symbol, period);
    const basePeriod: Period = derived ? 'day' : period;
    const picked = this.pickSeries(symbol, basePeriod, requested);
    if (!picked) {
      // Looked up only here: a stored series implies its instrument (one query less per request).
      if (!this.repo.getInstrument(symbol)) throw new AppError('SYMBOL_NOT_FOUND', [{ field: 'querystring.symbol', message: `${symbol} is not in the cache` }]);
      throw new AppError('KLINE_DATA_NOT_FOUND', [{ message: `no ${period} bars for ${symbol}` }]);
    }

    // Derivation needs whole weeks/months, so read the whole range and limit afterwards.
    const range = this.cache.range(picked.series, from, to, derived ? undefined : query.limit);
    const stale = isStale(picked.series.lastTs, basePeriod, this.now(), this.repo.calendar.knowledge());
    return { query, requested, derived, picked, range, stale };
  }

  private build({ query, requested, derived, picked, range, stale }: ReturnType<KlineService['resolve']>): Kline {
    const { symbol, period } = query;
    let bars = range.bars;
    if (picked.applyFactors) bars = this.applyFactors(picked.series, bars, picked.applyFactors);
    if (derived) bars = aggregateDaily(bars, period as 'week' | 'month');
    if (derived && query.limit !== undefined && bars.length > query.limit) bars = sliceSeries(bars, bars.length - query.limit);
    if (bars.length === 0) {
      throw new AppError('KLINE_DATA_NOT_FOUND', [{ message: `no ${period} bars for ${symbol} in ${query.start ?? '…'} – ${query.end ?? '…'}` }]);
    }

    // Bars straight from the cache reuse its formatted times and plain columns (slices, no per-bar
    // work); derived or adjusted bars are new arrays and are converted here.
    const fromCache = !derived && !picked.applyFactors;
    let time: string[];
    let columns: Columns;
    if (fromCache) {
      time = this.cache.times(picked.series, period, range);
      columns = this.cache.columns(picked.series, range);
    } else {
      time = formatTimes(bars, 0, period);
      columns = {
        open: Array.from(bars.open),
        high: Array.from(bars.high),
        low: Array.from(bars.low),
        close: Array.from(bars.close),
        volume: Array.from(bars.volume),
        amount: Array.from(bars.amount),
      };
    }
    return {
      symbol,
      period,
      // What the bars carry, which can differ from the request (e.g. only 前复权 exports stored).
      adjust: picked.applyFactors ?? picked.series.adjust,
      adjustApplied: (picked.applyFactors ?? picked.series.adjust) === requested,
      ...(derived ? { derivedFrom: 'day' } : {}),
      count: bars.length,
      time,
      ...columns,
      stale,
    };
  }

  private hasAny(symbol: string, period: Period): boolean {
    return (['none', 'qfq', 'hfq'] as const).some((a) => this.repo.findSeries(symbol, period, a));
  }

  /** Stored adjusted bars first, then unadjusted bars with factors, then unadjusted as they are. */
  private pickSeries(symbol: string, period: Period, adjust: Adjust): { series: SeriesInfo; applyFactors?: 'qfq' | 'hfq' } | undefined {
    const exact = this.repo.findSeries(symbol, period, adjust);
    if (exact) return { series: exact };
    const raw = this.repo.findSeries(symbol, period, 'none');
    if (adjust !== 'none' && raw && this.repo.adjustmentFactors(raw.instrumentId).length > 0) return { series: raw, applyFactors: adjust };
    if (raw) return { series: raw };
    // Only adjusted data stored (e.g. a 前复权 export) and unadjusted asked for: serve what exists.
    const any = this.repo.findSeries(symbol, period, 'qfq') ?? this.repo.findSeries(symbol, period, 'hfq');
    return any ? { series: any } : undefined;
  }

  private applyFactors(series: SeriesInfo, bars: BarSeries, mode: 'qfq' | 'hfq'): BarSeries {
    const rows = this.repo.adjustmentFactors(series.instrumentId);
    const ts = new Float64Array(rows.length);
    const factor = new Float64Array(rows.length);
    rows.forEach((r, i) => {
      ts[i] = parseTimeString(r.date) ?? 0;
      factor[i] = r.factor;
    });
    return adjustSeries(bars, { ts, factor }, mode);
  }
}

/** Formatted times of bars[first…]. */
function formatTimes(bars: BarSeries, first: number, period: Period): string[] {
  const time = new Array<string>(bars.length - first);
  for (let i = first; i < bars.length; i++) time[i - first] = formatTs(bars.ts[i]!, period);
  return time;
}
