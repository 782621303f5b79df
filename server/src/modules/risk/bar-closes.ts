/**
 * Daily bar closes for indicator-cross rules, made from the quotes of the `quotes` topic
 * (docs/RULES.md, "Bar closes"; docs/ARCHITECTURE.md, "Risk rules and alerts").
 *
 * - **When a day's bar closes.** A quote carries the day so far (open, high, low, price = the
 *   latest, volume), so the first quote of a day timed at or after 15:00 Beijing *is* that day's
 *   bar, closed. Live, the poller polls through the 15:00 minute and the closing auction's print is
 *   timed 15:00; a replay of daily bars publishes every bar at 15:00, and a replay of minute bars
 *   ends each day with its 15:00 bar — one rule for all three. If no such quote came (the poller
 *   missed the minute, the app was busy), the first quote of a later day closes the earlier day from
 *   the last quote seen of it: late and with the last price seen, but never lost. A day closes once.
 * - **The series handed to the book.** The cached daily bars before that day (KlineService, the
 *   replay's adjustment for replayed quotes, unadjusted for live ones, which are raw prices), then
 *   the day's bar from the quote, at most `window` bars (the lines' warm-up, at least 500). Kept per
 *   symbol and source (live, replay) and extended by one bar per close; a day at or before the last
 *   one kept (a replay started again earlier, a window that grew) reloads from the cache.
 * - **Cost.** Only symbols an indicator-cross rule watches (`watch`) are looked at; any other
 *   quote costs one map lookup.
 */
import type { components } from '../../../../contracts/gen/api';
import { formatDate, parseTimeString } from '../../engine/bars/time';
import { beijingClock } from '../../engine/market/trading-clock';
import type { BarClose } from '../../engine/rules';
import { AppError } from '../../platform/errors';
import type { KlineService } from '../market/kline-service';
import type { Adjust } from '../market/repository';

/** The session's close, minutes after Beijing midnight. */
const CLOSE_MINUTE = 15 * 60;
const COLUMNS = ['open', 'high', 'low', 'close', 'volume', 'amount'] as const;
type Column = (typeof COLUMNS)[number];
type Source = 'live' | 'replay';
type Quote = components['schemas']['Quote'];

export interface BarCloseDeps {
  klines: Pick<KlineService, 'history'>;
  /** The adjustment of the running replay's bars (ReplayService.adjust). */
  replayAdjust: () => Adjust;
}

/** The day a symbol's latest quote belongs to, and whether its bar has been closed. */
interface OpenDay {
  date: string;
  last: Quote;
  closed: boolean;
}

/** A symbol's daily series as the book reads it, the newest bar last. */
interface Series {
  lastDate: string;
  window: number;
  adjust: Adjust;
  columns: Record<Column, number[]>;
}

export class BarCloseFeed {
  /** Watched symbols with the bars their rules need. */
  private watched = new Map<string, number>();
  private readonly days = new Map<string, OpenDay>();
  private readonly series = new Map<string, Series>();

  constructor(private readonly deps: BarCloseDeps) {}

  /** The symbols indicator-cross rules watch, each with its window; state of the others is dropped. */
  watch(windows: ReadonlyMap<string, number>): void {
    this.watched = new Map(windows);
    for (const map of [this.days, this.series]) {
      for (const key of map.keys()) if (!this.watched.has(key.slice(key.indexOf(':') + 1))) map.delete(key);
    }
  }

  get watchedSymbols(): string[] {
    return [...this.watched.keys()];
  }

  /** The daily bars this quote closes (none, or a missed earlier day, or today at the close). */
  onQuote(quote: Quote): BarClose[] {
    const window = this.watched.get(quote.symbol);
    if (window === undefined || quote.stale || !(quote.price > 0)) return [];
    const timeMs = Date.parse(quote.time);
    if (!Number.isFinite(timeMs)) return [];
    const clock = beijingClock(timeMs);
    const source: Source = quote.source === 'replay' ? 'replay' : 'live';
    const key = `${source}:${quote.symbol}`;
    const out: BarClose[] = [];
    let day = this.days.get(key);
    if (day && day.date !== clock.date) {
      // A later day closes a day the 15:00 quote never came for; an earlier one (a replay started
      // again) starts afresh.
      if (day.date < clock.date && !day.closed) out.push(this.close(key, day.last, day.date, window));
      day = undefined;
    }
    if (!day) this.days.set(key, (day = { date: clock.date, last: quote, closed: false }));
    day.last = quote;
    if (!day.closed && clock.minute >= CLOSE_MINUTE) {
      day.closed = true;
      out.push(this.close(key, quote, clock.date, window));
    }
    return out;
  }

  /** The day's bar from its quote appended to the symbol's series, as the book's BarClose. */
  private close(key: string, quote: Quote, date: string, window: number): BarClose {
    const series = this.seriesBefore(key, quote.symbol, date, window);
    const bar: Record<Column, number> = { open: quote.open ?? quote.price, high: quote.high ?? quote.price, low: quote.low ?? quote.price, close: quote.price, volume: quote.volume ?? 0, amount: quote.amount ?? 0 };
    for (const c of COLUMNS) {
      const values = series.columns[c];
      values.push(bar[c]);
      if (values.length > window) values.splice(0, values.length - window);
    }
    series.lastDate = date;
    const [open, high, low, close, volume, amount] = COLUMNS.map((c) => Float64Array.from(series.columns[c]));
    return { symbol: quote.symbol, name: quote.name, period: 'day', timeMs: Date.parse(`${date}T15:00:00+08:00`), closes: close!, columns: { open: open!, high: high!, low: low!, volume: volume!, amount: amount! } };
  }

  /** The kept series if it ends before `date` and is wide enough, else the cache's bars before `date`. */
  private seriesBefore(key: string, symbol: string, date: string, window: number): Series {
    const adjust = key.startsWith('replay:') ? this.deps.replayAdjust() : 'none';
    const kept = this.series.get(key);
    if (kept && kept.lastDate < date && kept.window >= window && kept.adjust === adjust) return kept;
    const loaded = this.load(symbol, date, window, adjust);
    this.series.set(key, loaded);
    return loaded;
  }

  /** Up to `window` − 1 cached daily bars strictly before `date` (none cached: an empty series). */
  private load(symbol: string, date: string, window: number, adjust: Adjust): Series {
    const columns = { open: [], high: [], low: [], close: [], volume: [], amount: [] } as Record<Column, number[]>;
    const series: Series = { lastDate: '', window, adjust, columns };
    const dayBefore = parseTimeString(date)! - 86_400;
    let bars;
    try {
      bars = this.deps.klines.history({ symbol, period: 'day', adjust, end: formatDate(dayBefore) }).bars;
    } catch (err) {
      if (err instanceof AppError && (err.errorName === 'KLINE_DATA_NOT_FOUND' || err.errorName === 'SYMBOL_NOT_FOUND')) return series;
      throw err;
    }
    const from = Math.max(0, bars.length - (window - 1));
    for (const c of COLUMNS) columns[c] = Array.from(bars[c].subarray(from, bars.length));
    return series;
  }
}
