/**
 * Quotes: the enabled providers in priority order (a symbol one provider lacks, or every symbol
 * when it fails, is asked of the next), else the cache's last daily close marked `stale` with
 * source `cache`. The latest provider quote of each symbol is kept in memory (the stream's
 * snapshot on connect). Nothing is invented: a symbol with neither is left out.
 *
 * Errors, only when no quote at all can be given: 2001 when the providers are offline or
 * disabled (2005 when one answered badly), 1101 when the providers answered and none of the
 * symbols is known to them or to the cache, 2004 when known symbols have no quote anywhere.
 */
import type { components } from '../../../../contracts/gen/api';
import { AppError } from '../../platform/errors';
import { formatDate } from '../../engine/bars/time';
import { changeOf } from '../../engine/market/quote-diff';
import { beijingIso } from '../../engine/market/trading-clock';
import { describeError, unavailable } from '../../providers/errors';
import type { ProviderRegistry } from '../../providers/registry';
import type { Quote } from '../../providers/types';
import type { MarketRepository } from './repository';

export type MarketOverview = components['schemas']['MarketOverview'];

/** 上证指数, 深证成指, 创业板指, 沪深300, 科创50. */
export const MAJOR_INDICES: readonly { symbol: string; name: string }[] = [
  { symbol: '000001.SH', name: '上证指数' },
  { symbol: '399001.SZ', name: '深证成指' },
  { symbol: '399006.SZ', name: '创业板指' },
  { symbol: '000300.SH', name: '沪深300' },
  { symbol: '000688.SH', name: '科创50' },
];
const INDEX_NAMES = new Map(MAJOR_INDICES.map((i) => [i.symbol, i.name]));

export interface ProviderQuotes {
  quotes: Map<string, Quote>;
  errors: unknown[];
  /** Whether at least one provider answered (for some of the symbols). */
  answered: boolean;
}

export interface QuoteServiceDeps {
  repo: MarketRepository;
  registry: ProviderRegistry;
  now: () => number;
  /** Longest a REST caller waits for the providers before the cache answers (ms). */
  deadlineMs?: number;
  log?: { debug(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

interface Known {
  quote: Quote;
  receivedAt: number;
}

export class QuoteService {
  /** The latest quote each provider gave, per symbol. */
  readonly latest = new Map<string, Known>();
  private closed = false;

  constructor(private readonly deps: QuoteServiceDeps) {}

  /** Asks the enabled providers (never the cache); never throws. */
  async fromProviders(symbols: readonly string[]): Promise<ProviderQuotes> {
    const quotes = new Map<string, Quote>();
    const errors: unknown[] = [];
    let answered = false;
    let remaining = [...symbols];
    for (const provider of this.deps.registry.quoteProviders()) {
      if (remaining.length === 0) break;
      try {
        const wanted = new Set(remaining);
        for (const q of await provider.quotes(remaining)) if (wanted.has(q.symbol)) quotes.set(q.symbol, q);
        answered = true;
      } catch (err) {
        errors.push(err);
        this.deps.log?.debug({ module: 'providers', provider: provider.id, err: describeError(err) }, 'quote provider failed');
      }
      remaining = remaining.filter((s) => !quotes.has(s));
    }
    if (!this.closed) this.remember([...quotes.values()]);
    return { quotes, errors, answered };
  }

  /** One quote per symbol that has one (providers, else cache), in the order asked. */
  async getQuotes(symbols: readonly string[]): Promise<Quote[]> {
    const unique = [...new Set(symbols)];
    const fetched = await withDeadline(this.fromProviders(unique), this.deps.deadlineMs ?? 6_000);
    const live = fetched ?? { quotes: new Map<string, Quote>(), errors: [new Error(`providers did not answer within ${this.deps.deadlineMs ?? 6_000} ms`)], answered: false };
    const out: Quote[] = [];
    for (const symbol of unique) {
      const q = live.quotes.get(symbol) ?? this.cacheQuote(symbol);
      if (q) out.push(q);
    }
    if (out.length > 0) return out;
    if (!live.answered) throw unavailable(live.errors, 'quotes');
    if (!unique.some((s) => this.deps.repo.getInstrument(s))) {
      throw new AppError('SYMBOL_NOT_FOUND', [{ field: 'querystring.symbols', message: `unknown: ${unique.join(', ')}` }]);
    }
    throw new AppError('QUOTE_NOT_AVAILABLE', [{ field: 'querystring.symbols', message: `no quote for ${unique.join(', ')}` }]);
  }

  /** The five major indices; those without any quote are left out (never an error). */
  async overview(): Promise<MarketOverview> {
    const symbols = MAJOR_INDICES.map((i) => i.symbol);
    const fetched = await withDeadline(this.fromProviders(symbols), this.deps.deadlineMs ?? 6_000);
    const indices = symbols.flatMap((s) => {
      const q = fetched?.quotes.get(s) ?? this.cacheQuote(s);
      return q ? [{ ...q, name: q.name || INDEX_NAMES.get(s)! }] : [];
    });
    return { asOf: beijingIso(this.deps.now()), indices };
  }

  /** The cache's last daily close (unadjusted, else 前复权) as a stale quote; undefined without bars. */
  cacheQuote(symbol: string): Quote | undefined {
    const { repo } = this.deps;
    const series = repo.findSeries(symbol, 'day', 'none') ?? repo.findSeries(symbol, 'day', 'qfq');
    if (!series) return undefined;
    const bars = repo.readBars(series, -Infinity, Infinity, 2);
    const last = bars.length - 1;
    if (last < 0) return undefined;
    const price = bars.close[last]!;
    // The previous close is the bar before; unknown with a single bar (no change then).
    const prevClose = last > 0 ? bars.close[last - 1]! : price;
    return {
      symbol,
      name: repo.getInstrument(symbol)?.name || INDEX_NAMES.get(symbol) || '',
      price,
      prevClose,
      open: bars.open[last]!,
      high: bars.high[last]!,
      low: bars.low[last]!,
      volume: bars.volume[last]!,
      amount: bars.amount[last]!,
      ...changeOf(price, prevClose),
      time: `${formatDate(bars.ts[last]!)}T15:00:00+08:00`,
      source: 'cache',
      stale: true,
    };
  }

  /** Stops writing to the cache (the database is about to close). */
  close(): void {
    this.closed = true;
  }

  /** Keeps the latest quotes, and learns instruments (and names) the cache did not have. */
  private remember(quotes: readonly Quote[]): void {
    const at = this.deps.now();
    for (const q of quotes) {
      this.latest.set(q.symbol, { quote: q, receivedAt: at });
      if (!q.name) continue;
      try {
        const known = this.deps.repo.getInstrument(q.symbol);
        if (!known || !known.name) this.deps.repo.ensureInstrument(q.symbol, q.name);
      } catch (err) {
        this.deps.log?.warn({ module: 'market', err: describeError(err) }, 'could not store an instrument');
      }
    }
  }
}

/** The promise's value, or undefined when it takes longer than `ms` (it keeps running). */
export function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
