/**
 * Paper trading (contracts/trading.yaml): the accounts, each a PaperBook (book.ts) kept in memory
 * and stored (its head and the history rows that changed, repository.ts) after every change, before the change is published
 * on the bus topic `trades` (`order` and `fill` events) — so what a stream or a client has seen is
 * stored, and a restart (or a crash) resumes from exactly that.
 *
 * Quotes come from the bus topic `quotes`: live accounts take live ones (any source but `replay`,
 * not stale, inside a session), replay accounts replayed ones. A live account's day also ends on
 * the server's clock (a timer, and on every request touching the account). Live accounts have the
 * quote poller watch the symbols of their open orders and positions (`watchQuotes`), so their
 * orders meet quotes and their P&L follows the market while no screen streams those symbols.
 */
import type { BusMessage, EventBus } from '../../platform/bus';
import { AppError } from '../../platform/errors';
import { inTradingSession } from '../../engine/market/calendar';
import { toFen } from '../../engine/market/money';
import type { RejectReason } from '../../engine/portfolio';
import type { MarketRepository } from '../market/repository';
import type { components } from '../../../../contracts/gen/api';
import { OrderRefused, orderDay, PaperBook, wallSeconds, type NewPaperOrder, type PaperAccountView, type Quote, type TradeEvent } from './book';
import { REJECTION_ERRORS } from './errors';
import type { PreTradeCheck } from './pre-trade';
import { dayLimits, dayReference, tradingRules, type TradingRules } from './rules';
import { PaperAccountsRepository, type AccountRow } from './repository';
import type { Db } from '../../platform/db/database';

type NewPaperAccount = components['schemas']['NewPaperAccount'];
type ReplayState = components['schemas']['ReplayState'];

/** How often live accounts are brought up to the clock (day end) and pending quotes stored. */
const TICK_MS = 10_000;

export interface TradingDeps {
  db: Db;
  bus: EventBus;
  market: MarketRepository;
  now?: () => number;
  /** The live quote poller's watch (modules/market QuotePoller.watch): adds symbols, answers the un-watch. */
  watchQuotes?: (symbols: readonly string[]) => () => void;
  /**
   * Asked before an order reaches the book (the risk module's pre-trade rules, wired in app.ts —
   * trading does not import risk): throws an AppError to refuse it.
   */
  preTradeCheck?: PreTradeCheck;
}

const REJECTION_MESSAGES: Partial<Record<RejectReason, string>> = {
  'lot-size': 'the quantity is not in whole lots for this board',
  'odd-lot-must-sell-all': 'an odd lot is sold all at once',
  'insufficient-cash': 'the cash does not cover the order with its fees (other open buys counted)',
  'insufficient-position': 'more shares than held (other open sells counted)',
  'insufficient-available-position': 'more shares than are sellable today (T+1: shares bought today are sellable from the next trading day)',
  'price-limit': "the limit price is outside the day's limit prices",
  'market-closed': 'the session this order would belong to has ended',
  'not-tradable': 'not a stock this account trades',
  suspended: 'the stock is suspended',
  'invalid-order': 'the order is not valid',
};

export class TradingService {
  private readonly repo: PaperAccountsRepository;
  private readonly books = new Map<number, PaperBook>();
  private readonly now: () => number;
  private readonly unsubscribe: () => void;
  private timer: NodeJS.Timeout | undefined;
  private watching: { key: string; unwatch: () => void } = { key: '', unwatch: () => undefined };

  constructor(private readonly deps: TradingDeps) {
    this.repo = new PaperAccountsRepository(deps.db);
    this.now = deps.now ?? Date.now;
    for (const row of this.repo.all()) {
      const book = new PaperBook(row, this.repo.history(row.id));
      this.books.set(row.id, book);
      if (book.changed) this.store(book); // an account of the first format: its history to the tables
    }
    this.unsubscribe = deps.bus.subscribe('quotes', (m) => this.onMessage(m));
  }

  start(): void {
    for (const book of this.books.values()) this.touch(book);
    this.rewatch();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  close(): void {
    this.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.watching.unwatch();
    this.watching = { key: '', unwatch: () => undefined };
    for (const book of this.books.values()) if (book.changed || book.dirty) this.store(book);
  }

  // ---- accounts -------------------------------------------------------------------------------

  create(body: NewPaperAccount): PaperAccountView {
    const initialCashFen = toFen(body.initialCash);
    const slippageBps = body.slippageBps ?? 0;
    const createdAt = new Date(this.now()).toISOString();
    const state = PaperBook.initialState(initialCashFen, slippageBps);
    const id = this.repo.insert({ name: body.name, mode: body.mode, initialCashFen, slippageBps, createdAt, state });
    const book = new PaperBook({ id, name: body.name, mode: body.mode, initial_cash_fen: initialCashFen, slippage_bps: slippageBps, created_at: createdAt, state });
    this.books.set(id, book);
    return book.account();
  }

  list(): PaperAccountView[] {
    return [...this.books.values()].map((b) => this.touch(b).account());
  }

  /** The account brought up to the clock; ACCOUNT_NOT_FOUND when there is none. */
  book(id: number): PaperBook {
    const book = this.books.get(id);
    if (!book) throw new AppError('ACCOUNT_NOT_FOUND', [{ field: 'params.id', message: `no paper account ${id}` }]);
    return this.touch(book);
  }

  delete(id: number): void {
    this.book(id);
    this.repo.delete(id);
    this.books.delete(id);
    this.rewatch();
  }

  /** Back to the initial cash: orders, fills, positions, quotes and the clock cleared, in one transaction. */
  reset(id: number): PaperAccountView {
    const old = this.book(id);
    const state = PaperBook.initialState(old.initialCashFen, old.slippageBps);
    this.repo.reset(id, state, this.isoNow());
    const row: Pick<AccountRow, 'id' | 'name' | 'mode' | 'slippage_bps' | 'initial_cash_fen' | 'created_at' | 'state'> = {
      id,
      name: old.name,
      mode: old.mode,
      slippage_bps: old.slippageBps,
      initial_cash_fen: old.initialCashFen,
      created_at: old.createdAt,
      state,
    };
    const book = new PaperBook(row);
    this.books.set(id, book);
    this.rewatch();
    return book.account();
  }

  // ---- orders ---------------------------------------------------------------------------------

  place(id: number, cmd: NewPaperOrder) {
    if (cmd.type === 'limit' && cmd.limitPrice === undefined) throw new AppError('ORDER_PRICE_INVALID', [{ field: 'body.limitPrice', message: 'a limit order needs a limit price' }]);
    if (cmd.type === 'market' && cmd.limitPrice !== undefined) throw new AppError('ORDER_PARAMETER_INVALID', [{ field: 'body.limitPrice', message: 'a market order takes no limit price' }]);
    if (cmd.limitPrice !== undefined && Math.abs(cmd.limitPrice * 100 - Math.round(cmd.limitPrice * 100)) > 1e-6) {
      throw new AppError('ORDER_PRICE_INVALID', [{ field: 'body.limitPrice', message: 'the price is not on the 0.01 tick' }]);
    }
    const book = this.book(id);
    const instrument = this.deps.market.getInstrument(cmd.symbol);
    if (!instrument) throw new AppError('SYMBOL_NOT_FOUND', [{ field: 'body.symbol', message: `${cmd.symbol} is not in the cache` }]);
    const wall = this.clockOf(book);
    if (wall === undefined) throw new AppError('MARKET_CLOSED', [{ message: 'a replay account takes orders once a replay has reached it (no replayed quote yet)' }]);
    const nowIso = this.isoNow();
    try {
      const moved = book.orderDay(wall, this.deps.market.calendar.knowledge(), nowIso);
      if (book.changed) this.commit(book, moved.events);
      this.preTrade(book, cmd);
      const limits = dayLimits(dayReference(this.deps.market, instrument, moved.day, book.lastQuote(cmd.symbol), this.deps.market.calendar.knowledge()), moved.day);
      const placed = book.submit(cmd, nowIso, limits);
      this.commit(book, placed.events);
      return placed.order;
    } catch (err) {
      if (err instanceof OrderRefused) {
        const message = REJECTION_MESSAGES[err.reason] ?? err.reason;
        throw new AppError(REJECTION_ERRORS[err.reason], [{ field: err.reason === 'price-limit' ? 'body.limitPrice' : err.reason === 'lot-size' || err.reason === 'odd-lot-must-sell-all' ? 'body.quantity' : 'body', message }]);
      }
      throw err;
    }
  }

  /**
   * The trading rules of `symbol` for an order placed now (rules.ts): on the account's trading day
   * (its clock; a replay account before its first replayed quote, and no account: the server's),
   * from its last quote and its costs. Changes nothing in the account but bringing a live one up
   * to the clock.
   */
  rules(symbol: string, accountId?: number): TradingRules {
    let book: PaperBook | undefined;
    if (accountId !== undefined) {
      if (!this.books.has(accountId)) throw new AppError('ACCOUNT_NOT_FOUND', [{ field: 'querystring.accountId', message: `no paper account ${accountId}` }]);
      book = this.book(accountId);
    }
    const instrument = this.deps.market.getInstrument(symbol);
    if (!instrument) throw new AppError('SYMBOL_NOT_FOUND', [{ field: 'querystring.symbol', message: `${symbol} is not in the cache` }]);
    const known = this.deps.market.calendar.knowledge();
    const wall = (book && this.clockOf(book)) ?? wallSeconds(this.now());
    // As book.orderDay: the day the clock's order belongs to, or the account's own when it is ahead.
    let day = orderDay(wall, known);
    if (book?.day !== undefined && book.day > day) day = book.day;
    const ref = dayReference(this.deps.market, instrument, day, book?.lastQuote(symbol), known);
    return tradingRules(symbol, day, ref, book ? { accountId: book.id, costs: book.costs() } : {});
  }

  /** The pre-trade checks, on the account as it stands on the order's day (nothing changed by a refusal). */
  private preTrade(book: PaperBook, cmd: NewPaperOrder): void {
    const check = this.deps.preTradeCheck;
    if (!check) return;
    const day = book.account().day;
    const priceFen = cmd.limitPrice !== undefined ? Math.round(cmd.limitPrice * 100) : book.lastPriceFen(cmd.symbol);
    check(
      book.id,
      {
        symbol: cmd.symbol,
        side: cmd.side,
        type: cmd.type,
        quantity: cmd.quantity,
        ...(cmd.limitPrice !== undefined ? { limitPrice: cmd.limitPrice } : {}),
        ...(priceFen !== undefined ? { priceFen } : {}),
      },
      { accountId: book.id, equityFen: book.equityFen(), positions: book.positionValues(), dayOrders: day !== undefined ? book.orders({ day }) : [], nowMs: this.now() },
    );
  }

  cancel(id: number, orderId: string) {
    const book = this.book(id);
    const result = book.cancel(orderId, this.isoNow());
    if (result === 'unknown') throw new AppError('ORDER_NOT_FOUND', [{ field: 'params.orderId', message: `no order ${orderId} in account ${id}` }]);
    if (result === 'finished') throw new AppError('ORDER_NOT_OPEN', [{ field: 'params.orderId', message: `order ${orderId} has already ended` }]);
    this.commit(book, result);
    const event = result.find((e): e is Extract<TradeEvent, { kind: 'order' }> => e.kind === 'order');
    return event!.order;
  }

  // ---- the market -----------------------------------------------------------------------------

  private onMessage(m: BusMessage): void {
    if (m.event === 'quote') this.onQuote(m.data as Quote);
    else if (m.event === 'replay') {
      const state = (m.data as ReplayState).state;
      if (state !== 'finished' && state !== 'idle') return;
      const nowIso = this.isoNow();
      for (const book of this.books.values()) if (book.mode === 'replay') this.commit(book, book.replayOver(nowIso));
    }
  }

  private onQuote(quote: Quote): void {
    if (this.books.size === 0) return;
    const ms = Date.parse(quote.time);
    if (!Number.isFinite(ms)) return;
    const replay = quote.source === 'replay';
    // Live quotes: only fresh ones inside a session (a quote of the close stands until 15:00:59).
    if (!replay && (quote.stale || !inTradingSession(ms, this.deps.market.calendar.knowledge()))) return;
    const wall = wallSeconds(ms);
    const nowIso = this.isoNow();
    const known = this.deps.market.calendar.knowledge();
    for (const book of this.books.values()) {
      if (!book.consumes(quote)) continue;
      const events = book.onQuote(quote, wall, known, nowIso);
      if (book.changed) this.commit(book, events);
    }
  }

  /** Live accounts up to the clock (day end), and books with only new quotes stored. */
  tick(): void {
    for (const book of this.books.values()) {
      this.touch(book);
      if (book.dirty) this.store(book);
    }
  }

  // ---- plumbing -------------------------------------------------------------------------------

  private clockOf(book: PaperBook): number | undefined {
    return book.mode === 'live' ? wallSeconds(this.now()) : book.clock;
  }

  /** A live account's day ends on the clock (15:01, or a later date). */
  private touch(book: PaperBook): PaperBook {
    if (book.mode === 'live') {
      const events = book.advance(wallSeconds(this.now()), this.deps.market.calendar.knowledge(), this.isoNow());
      if (book.changed) this.commit(book, events);
    }
    return book;
  }

  /** Stores the account, then publishes what changed: a published fill is a stored fill. */
  private commit(book: PaperBook, events: readonly TradeEvent[]): void {
    if (book.changed || book.dirty) this.store(book);
    for (const e of events) {
      if (e.kind === 'fill') this.deps.bus.publish('trades', 'fill', e.fill);
      else this.deps.bus.publish('trades', 'order', e.order);
    }
    if (book.mode === 'live' && events.length > 0) this.rewatch();
  }

  /** The poller watches what the live accounts need (changed only when the set changes). */
  private rewatch(): void {
    const watch = this.deps.watchQuotes;
    if (!watch) return;
    const symbols = new Set<string>();
    for (const book of this.books.values()) if (book.mode === 'live') for (const s of book.symbols()) symbols.add(s);
    const key = [...symbols].sort().join(',');
    if (key === this.watching.key) return;
    // The new set first, so a symbol in both never leaves the poller.
    const unwatch = symbols.size > 0 ? watch([...symbols]) : () => undefined;
    this.watching.unwatch();
    this.watching = { key, unwatch };
  }

  private store(book: PaperBook): void {
    this.repo.save(book.id, book.changes(), this.isoNow());
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }
}
