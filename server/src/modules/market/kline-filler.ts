/**
 * Brings the cache up to date before a K-line is served: when the series asked for is missing or
 * stale (ends before the latest closed session; for minute bars during a session, older than one
 * bar) or starts after the requested start, and a K-line provider is enabled, the missing range is
 * fetched, written to the cache (source `eastmoney`) and then served from there. At most one
 * attempt per symbol × period × adjustment every few minutes; offline it fails fast (breaker) and
 * the cache is served as it is (marked stale by KlineService). Never throws.
 *
 * Ranges: unadjusted and 后复权 bars do not change once final, so only the bars from the last
 * cached day on are fetched; 前复权 bars are rescaled at every dividend, so their whole history is
 * refetched. Bars not yet final are not stored (the day/week/month bar of a session that has not
 * closed, a minute bar whose end is in the future). Weekly and monthly requests fill the daily
 * series (KlineService derives them) unless weekly/monthly bars are stored.
 */
import type { Db } from '../../platform/db/database';
import { sliceSeries, type BarSeries } from '../../engine/bars/series';
import { dayStart, formatDate, isMinutePeriod, parseTimeString, type Period } from '../../engine/bars/time';
import { latestClosedSession, type DayKnowledge } from '../../engine/market/calendar';
import { beijingClock } from '../../engine/market/trading-clock';
import { parseSymbol } from '../../engine/market/symbols';
import { compactDate } from '../../providers/eastmoney';
import { describeError } from '../../providers/errors';
import type { ProviderRegistry } from '../../providers/registry';
import type { KlineRequest, KlineResult } from '../../providers/types';
import { isStale, type KlineFiller as Filler, type KlineQuery } from './kline-service';
import type { Adjust, MarketRepository } from './repository';

export interface KlineFillerDeps {
  db: Db;
  repo: MarketRepository;
  registry: ProviderRegistry;
  now: () => number;
  /** Least time between two attempts for the same series (ms). */
  minIntervalMs?: number;
  log?: { debug(obj: object, msg: string): void; info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

export class KlineFiller implements Filler {
  private readonly attempts = new Map<string, number>();
  private readonly inflight = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly deps: KlineFillerDeps) {}

  /** The fill to wait for, or undefined when there is nothing to do (most requests: no promise, no timer). */
  fill(query: KlineQuery): Promise<void> | undefined {
    if (this.closed || !parseSymbol(query.symbol)) return;
    const adjust: Adjust = query.adjust ?? 'none';
    const period = this.basePeriod(query.symbol, query.period);
    const request = this.missing(query, period, adjust);
    if (!request) return;
    const key = `${query.symbol}|${period}|${adjust}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const last = this.attempts.get(key);
    if (last !== undefined && this.deps.now() - last < (this.deps.minIntervalMs ?? 3 * 60_000)) return;
    if (this.deps.registry.klineProviders().length === 0) return;
    this.attempts.set(key, this.deps.now());
    const job = this.fetchAndStore(request).finally(() => this.inflight.delete(key));
    this.inflight.set(key, job);
    return job;
  }

  close(): void {
    this.closed = true;
  }

  /** Weekly/monthly requests fill the daily series unless bars of that period are stored. */
  private basePeriod(symbol: string, period: Period): Period {
    if (period !== 'week' && period !== 'month') return period;
    const stored = (['none', 'qfq', 'hfq'] as const).some((a) => this.deps.repo.findSeries(symbol, period, a));
    return stored ? period : 'day';
  }

  /** The request that would complete the cache, or undefined when it is complete. */
  private missing(query: KlineQuery, period: Period, adjust: Adjust): KlineRequest | undefined {
    const series = this.deps.repo.findSeries(query.symbol, period, adjust);
    const base = { symbol: query.symbol, period, adjust };
    if (!series || series.lastTs === null || series.firstTs === null) return base;
    const stale = isStale(series.lastTs, period, this.deps.now(), this.deps.repo.calendar.knowledge());
    const start = query.start !== undefined ? parseTimeString(query.start.slice(0, 10)) : undefined;
    const earlier = start !== undefined && start < dayStart(series.firstTs);
    if (!stale && !earlier) return undefined;
    if (adjust === 'qfq') return base;
    if (earlier) return { ...base, begin: compactDate(query.start!) };
    return { ...base, begin: compactDate(formatDate(series.lastTs)) };
  }

  private async fetchAndStore(request: KlineRequest): Promise<void> {
    for (const provider of this.deps.registry.klineProviders()) {
      let result: KlineResult | undefined;
      try {
        result = await provider.klines(request);
      } catch (err) {
        this.deps.log?.debug({ module: 'providers', provider: provider.id, err: describeError(err) }, 'K-line provider failed; serving the cache');
        continue;
      }
      if (!result) return; // the provider does not know the symbol
      if (this.closed) return;
      const bars = finalBars(result.bars, request.period, this.deps.now(), this.deps.repo.calendar.knowledge());
      try {
        const changed = this.store(request, result.name, bars, provider.id);
        this.deps.log?.info(
          { module: 'market', symbol: request.symbol, period: request.period, adjust: request.adjust, bars: bars.length, changed, source: provider.id },
          'K-line cache filled',
        );
      } catch (err) {
        this.deps.log?.warn({ module: 'market', symbol: request.symbol, err: describeError(err) }, 'could not store fetched bars');
      }
      return;
    }
  }

  private store(request: KlineRequest, name: string | undefined, bars: BarSeries, source: string): number {
    const { db, repo } = this.deps;
    return db.transaction(() => {
      const instrumentId = repo.ensureInstrument(request.symbol, name);
      if (bars.length === 0) return 0;
      const changed = repo.writeBars(repo.ensureSeries(instrumentId, request.period, request.adjust), bars, source);
      if (request.period === 'day') {
        const dates: string[] = [];
        for (let i = 0; i < bars.length; i++) dates.push(formatDate(bars.ts[i]!));
        repo.addTradingDays(dates);
      }
      return changed;
    }).immediate();
  }
}

/** The bars that are final: day/week/month bars up to the latest closed session, minute bars that have ended. */
export function finalBars(bars: BarSeries, period: Period, nowMs: number, known?: DayKnowledge): BarSeries {
  const limit = isMinutePeriod(period) ? beijingClock(nowMs).wallSeconds : parseTimeString(latestClosedSession(nowMs, known))!;
  let n = bars.length;
  while (n > 0 && bars.ts[n - 1]! > limit) n--;
  return n === bars.length ? bars : sliceSeries(bars, 0, n);
}
