/**
 * Live quotes for the stream: polls the union of the symbols that open streams watch, every
 * `quotePollSeconds`, only during trading sessions (engine/market/calendar), and publishes a
 * `quote` on the bus only when it differs from the last one published for that symbol. When the
 * providers are offline (breakers open, network down) nothing is published: no quote is invented.
 *
 * Holidays the cache does not know: when, after 09:35, every polled quote is still dated an
 * earlier day, today is marked closed and polling rests until tomorrow.
 */
import type { EventBus } from '../../platform/bus';
import { quoteChanged } from '../../engine/market/quote-diff';
import { inTradingSession } from '../../engine/market/calendar';
import { beijingClock } from '../../engine/market/trading-clock';
import { describeError } from '../../providers/errors';
import type { Quote } from '../../providers/types';
import type { QuoteService } from './quote-service';
import type { TradingCalendar } from './trading-calendar';

export interface QuotePollerDeps {
  quotes: QuoteService;
  bus: EventBus;
  calendar: TradingCalendar;
  now: () => number;
  pollSeconds: () => number;
  log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

const HOLIDAY_CHECK_MINUTE = 9 * 60 + 35;

export class QuotePoller {
  private readonly watched = new Map<string, number>();
  private readonly published = new Map<string, Quote>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private closed = false;
  /** Counters for tests and diagnostics. */
  readonly stats = { ticks: 0, polls: 0, published: 0 };

  constructor(private readonly deps: QuotePollerDeps) {}

  /** Adds the symbols to the polled set; returns the (idempotent) function that removes them again. */
  watch(symbols: readonly string[]): () => void {
    const unique = [...new Set(symbols)];
    let added = false;
    for (const s of unique) {
      const n = this.watched.get(s) ?? 0;
      if (n === 0) added = true;
      this.watched.set(s, n + 1);
    }
    // New symbols get a poll right away rather than after a full interval.
    if (added) this.schedule(0, true);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      for (const s of unique) {
        const n = (this.watched.get(s) ?? 1) - 1;
        if (n > 0) this.watched.set(s, n);
        else {
          this.watched.delete(s);
          this.published.delete(s);
        }
      }
      if (this.watched.size === 0) this.stop();
    };
  }

  watchedSymbols(): string[] {
    return [...this.watched.keys()];
  }

  inSession(): boolean {
    return inTradingSession(this.deps.now(), this.deps.calendar.knowledge());
  }

  /**
   * The latest known quote of each symbol, for a new stream: the providers' last answer (stale
   * outside trading hours or when older than a few poll intervals), else the cache's last close.
   */
  snapshot(symbols: readonly string[]): Quote[] {
    const now = this.deps.now();
    const inSession = this.inSession();
    const maxAgeMs = Math.max(60_000, 3 * this.deps.pollSeconds() * 1000);
    return symbols.flatMap((s) => {
      const known = this.deps.quotes.latest.get(s);
      if (known) return [{ ...known.quote, stale: known.quote.stale || !inSession || now - known.receivedAt > maxAgeMs }];
      return this.deps.quotes.cacheQuote(s) ?? [];
    });
  }

  /**
   * One poll (if in session and anything is watched); resolves to the number of quotes published.
   * A tick asked for while one is under way joins it (symbols added meanwhile wait for the next).
   */
  tick(): Promise<number> {
    this.running ??= this.poll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  close(): void {
    this.closed = true;
    this.stop();
  }

  private async poll(): Promise<number> {
    this.stats.ticks++;
    if (this.closed || this.watched.size === 0 || !this.inSession()) return 0;
    this.stats.polls++;
    const symbols = this.watchedSymbols();
    const { quotes } = await this.deps.quotes.fromProviders(symbols);
    if (this.closed || quotes.size === 0) return 0;

    const clock = beijingClock(this.deps.now());
    if (clock.minute >= HOLIDAY_CHECK_MINUTE && [...quotes.values()].every((q) => q.time.slice(0, 10) < clock.date)) {
      this.deps.calendar.markClosed(clock.date);
      this.deps.log?.info({ module: 'quotes', date: clock.date }, 'no trading today (quotes are from an earlier day): live polling rests');
      return 0;
    }
    let n = 0;
    for (const q of quotes.values()) {
      if (!this.watched.has(q.symbol) || !quoteChanged(this.published.get(q.symbol), q)) continue;
      this.published.set(q.symbol, q);
      this.deps.bus.publish('quotes', 'quote', q);
      n++;
    }
    this.stats.published += n;
    return n;
  }

  private schedule(delayMs: number, replace = false): void {
    if (this.closed || this.watched.size === 0) return;
    if (this.timer && !replace) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.tick()
        .catch((err: unknown) => this.deps.log?.warn({ module: 'quotes', err: describeError(err) }, 'quote poll failed'))
        // Closed meanwhile (shutdown): the settings' database may be gone already.
        .finally(() => {
          if (!this.closed) this.schedule(this.deps.pollSeconds() * 1000);
        });
    }, delayMs);
    this.timer.unref();
  }

  private stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
