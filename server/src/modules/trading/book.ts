/**
 * One paper account at run time: the engine's Portfolio (engine/portfolio — every market rule:
 * lots, T+1, price limits, costs, the ledger) driven by quotes and by the trader's commands, plus
 * the book the portfolio does not keep (when orders were placed, when fills happened, the last
 * quote of each symbol, the equity the day opened with). No I/O: the service stores `changes()`
 * (the head — cash, positions, the day, last quotes — and only the orders, fills and ledger
 * entries that are new or changed) after every change, then publishes the events it was given.
 *
 * Time. Portfolio days are bar times (Beijing midnight, engine/bars/time.ts). The account's clock is
 * the server's clock for a live account and, for a replay account, the time of the last replayed
 * quote it saw (never going back). An order placed at clock t belongs to the session it can still
 * meet: t's date when that is a trading day and t is before 15:00, else the next trading day
 * (the calendar's knowledge); the portfolio is moved to that day (startDay: the previous day ends,
 * its open orders are cancelled, T+1 settles) before the order is submitted. A quote of a later day
 * moves it the same way; a quote of an earlier day is ignored (a replay account only moves forward —
 * reset it to replay an earlier period). A live day ends at 15:01 on the server's clock, and the
 * next opens on its date (before the session: T+1 settled for the morning); a replay day ends when
 * the account moves on (a later quote, an order placed after the close) or the replay finishes
 * after its 15:00 bar. A day opened for an order placed after the close that turns out to have had
 * no session (a replay with no bar that day, a live holiday the calendar learned of) is not ended:
 * its orders are carried to the next session (`moveTo`).
 *
 * Matching (the portfolio's 'close' fill model — the order trades on the bar it meets, at its
 * close): a quote is presented as a bar whose close is the quote's price and whose high and low are
 * that price moved by the slippage, so a market order fills at price ± slippage, a limit buy when
 * price ≤ limit (sell: ≥) at the price plus slippage but never beyond the limit, and the matcher
 * keeps every fill strictly inside the day's limits (from the quote's prevClose) and refuses a buy
 * quoted at limit-up (a sell at limit-down). A quote with zero volume (nothing traded yet) fills nothing.
 */
import type { components } from '../../../../contracts/gen/api';
import { dayStart, formatDate, parseTimeString } from '../../engine/bars/time';
import { isTradingDay, nextTradingDay, type DayKnowledge } from '../../engine/market/calendar';
import { applySlippage, DEFAULT_COSTS, type CostConfig, type Slippage } from '../../engine/market/costs';
import { dailyLimitsFen } from '../../engine/market/limit-guard';
import { toFen } from '../../engine/market/money';
import type { LimitFen } from '../../engine/market/price-limits';
import { classify, isSpecialTreatment, parseSymbol } from '../../engine/market/symbols';
import { isoFromWallSeconds } from '../../engine/market/trading-clock';
import type { Fill, Order, OrderEvent, PortfolioState, Position, RejectReason } from '../../engine/portfolio';
import { Portfolio } from '../../engine/portfolio';
import { reasonCode } from './errors';
import type { AccountMode, AccountRow } from './repository';

export type Quote = components['schemas']['Quote'];
export type PaperAccountView = components['schemas']['PaperAccount'];
export type PaperOrderView = components['schemas']['PaperOrder'];
export type PaperFillView = components['schemas']['PaperFill'];
export type PaperPositionView = components['schemas']['PaperPosition'];
export type PaperStatisticsView = components['schemas']['PaperStatistics'];
export type NewPaperOrder = components['schemas']['NewPaperOrder'];

/** The minute (since Beijing midnight) from which a day's session is over for new orders. */
const CLOSE_MINUTE = 15 * 60;

export interface LastQuote {
  priceFen: number;
  prevCloseFen: number;
  /** Bar time of the quote's day. */
  day: number;
  name: string;
}

interface OrderMeta {
  createdAt: string;
  updatedAt: string;
}

interface FillMeta {
  /** The quote's time, ISO +08:00. */
  time: string;
  /** Sells: the P&L the fill realized (fen). */
  realizedPnlFen?: number;
}

/** What the `state` column holds: the account without its history (orders, fills, ledger: their own tables). */
export interface AccountHead {
  v: 2;
  portfolio: Omit<PortfolioState, 'orders' | 'fills' | 'ledger'>;
  /** Replay accounts: wall seconds (bar-time scale) of the last replayed quote seen. */
  clock?: number;
  quotes: Record<string, LastQuote>;
  dayStartEquityFen?: number;
  /** The highest equity the account has been worth after a quote (fen): where its drawdown is measured from. */
  peakEquityFen?: number;
  /** Replay accounts: the last day a replayed quote reached the account in session. */
  metDay?: number;
}

/** The first format (migration 8): everything in the head. Read, and converted at the first store. */
interface LegacyDoc extends Omit<AccountHead, 'v' | 'portfolio'> {
  v: 1;
  portfolio: PortfolioState;
  orders: Record<string, OrderMeta>;
  fills: Record<string, FillMeta>;
}

/** The history rows as stored: each the engine's object with the book's meta, JSON. */
export interface AccountHistory {
  orders: readonly string[];
  fills: readonly string[];
  ledger: readonly string[];
}

type StoredOrder = Order & OrderMeta;
type StoredFill = Fill & FillMeta;

/** What to write after a change: the head, and history rows by their 0-based sequence. */
export interface AccountChanges {
  head: string;
  orders: { seq: number; data: string }[];
  fills: { seq: number; data: string }[];
  ledger: { seq: number; data: string }[];
}

/** A change to publish: the order as it now is, and the fill when there was one. */
export type TradeEvent = { kind: 'order'; order: PaperOrderView } | { kind: 'fill'; fill: PaperFillView };

/** A refusal of the portfolio, for the service to answer with its catalogue code. */
export class OrderRefused extends Error {
  constructor(readonly reason: RejectReason) {
    super(reason);
  }
}

/** Wall seconds (Beijing wall clock as seconds since 1970, the bar-time scale) of an instant. */
export const wallSeconds = (ms: number): number => Math.floor(ms / 1000) + 8 * 3600;

const minuteOf = (wall: number): number => Math.floor((wall - dayStart(wall)) / 60);

/** The trading day (bar time) an order placed at `wall` belongs to (see the header). */
export function orderDay(wall: number, known: DayKnowledge): number {
  const date = formatDate(wall);
  if (minuteOf(wall) < CLOSE_MINUTE && isTradingDay(date, known)) return dayStart(wall);
  return parseTimeString(nextTradingDay(date, known))!;
}

const yuan = (fen: number): number => fen / 100;

/** ⌊a × b / c⌉ half-up, exact (the cost a partial sell removes, as engine/portfolio/positions.ts defines it). */
function mulDivHalfUp(a: number, b: number, c: number): number {
  const C = BigInt(c);
  return Number((BigInt(a) * BigInt(b) * 2n + C) / (2n * C));
}

const slippageOf = (bps: number): Slippage => (bps > 0 ? { kind: 'bps', bps } : { kind: 'none' });

function boardOf(symbol: string) {
  const p = parseSymbol(symbol);
  return p ? classify(p.code, p.exchange).board : undefined;
}

function limitsOf(symbol: string, name: string, day: number, prevCloseFen: number): LimitFen | undefined {
  const board = boardOf(symbol);
  if (!board || !(prevCloseFen > 0)) return undefined;
  return dailyLimitsFen(board, isSpecialTreatment(name), day, prevCloseFen / 100);
}

export class PaperBook {
  readonly id: number;
  readonly name: string;
  readonly mode: AccountMode;
  readonly slippageBps: number;
  readonly initialCashFen: number;
  readonly createdAt: string;
  private readonly slippage: Slippage;
  private portfolio: Portfolio;
  private readonly doc: Omit<AccountHead, 'v' | 'portfolio'>;
  private readonly orderMeta = new Map<string, OrderMeta>();
  private readonly fillMeta = new Map<string, FillMeta>();
  /** Filled quantity and value per order (the average fill price). */
  private readonly totals = new Map<string, { qty: number; value: number }>();
  /** Whether the portfolio's day is open (PortfolioState.sessionOpen, mirrored). */
  private session: boolean;
  /** History rows stored so far, and orders changed since. */
  private stored = { orders: 0, fills: 0, ledger: 0 };
  private readonly touched = new Set<string>();
  /** The portfolio changed since it was stored: store it before anything else happens. */
  changed = false;
  /** Only the book's quotes or clock changed since it was stored: store when convenient. */
  dirty = false;

  constructor(row: Pick<AccountRow, 'id' | 'name' | 'mode' | 'slippage_bps' | 'initial_cash_fen' | 'created_at' | 'state'>, history: AccountHistory = { orders: [], fills: [], ledger: [] }) {
    this.id = row.id;
    this.name = row.name;
    this.mode = row.mode;
    this.slippageBps = row.slippage_bps;
    this.initialCashFen = row.initial_cash_fen;
    this.createdAt = row.created_at;
    this.slippage = slippageOf(row.slippage_bps);
    const head = JSON.parse(row.state) as AccountHead | LegacyDoc;
    let state: PortfolioState;
    if (head.v === 1) {
      const { portfolio, orders, fills, v: _v, ...rest } = head;
      state = portfolio;
      for (const [id, m] of Object.entries(orders)) this.orderMeta.set(id, m);
      for (const [id, m] of Object.entries(fills)) this.fillMeta.set(id, m);
      this.doc = rest;
      this.changed = true; // converted at the first store: every row is new
    } else {
      const { portfolio, v: _v, ...rest } = head;
      const orders = history.orders.map((text) => {
        const { createdAt, updatedAt, ...o } = JSON.parse(text) as StoredOrder;
        this.orderMeta.set(o.id, { createdAt, updatedAt });
        return o as Order;
      });
      const fills = history.fills.map((text) => {
        const { time, realizedPnlFen, ...f } = JSON.parse(text) as StoredFill;
        this.fillMeta.set(f.id, { time, ...(realizedPnlFen !== undefined ? { realizedPnlFen } : {}) });
        return f as Fill;
      });
      state = { ...portfolio, orders, fills, ledger: history.ledger.map((text) => JSON.parse(text) as PortfolioState['ledger'][number]) };
      this.doc = rest;
      this.stored = { orders: orders.length, fills: fills.length, ledger: state.ledger.length };
    }
    this.portfolio = Portfolio.restore(state);
    this.session = state.sessionOpen;
    for (const f of state.fills) this.addTotal(f);
  }

  /** The head of a new (or reset) account. */
  static initialState(initialCashFen: number, slippageBps: number): string {
    const { orders: _o, fills: _f, ledger: _l, ...portfolio } = new Portfolio({ initialCashFen, costs: { ...DEFAULT_COSTS, slippage: slippageOf(slippageBps) }, fillModel: 'close' }).snapshot();
    return JSON.stringify({ v: 2, portfolio, quotes: {} } satisfies AccountHead);
  }

  /**
   * What changed since the last call, to store: the head (its size is the positions and the
   * symbols quoted, not the history) and the new or changed history rows — new orders, orders an
   * event touched and every open order (a quote that does not fill one still marks it), new fills
   * and ledger entries.
   */
  changes(): AccountChanges {
    const p = this.portfolio;
    const positions: Record<string, Position> = {};
    for (const pos of p.allPositions()) positions[pos.symbol] = pos;
    const head: AccountHead = {
      ...this.doc,
      v: 2,
      portfolio: { config: this.config(), ...(p.day !== undefined ? { day: p.day } : {}), sessionOpen: this.session, cashFen: p.cashFen, positions },
    };
    const orders = p.orders;
    const seqs = new Set<number>();
    for (let i = this.stored.orders; i < orders.length; i++) seqs.add(i);
    for (const id of this.touched) seqs.add(Number(id.slice(1)) - 1);
    for (const o of p.openOrders()) seqs.add(Number(o.id.slice(1)) - 1);
    const out: AccountChanges = { head: JSON.stringify(head), orders: [], fills: [], ledger: [] };
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      const o = orders[seq];
      if (o) out.orders.push({ seq, data: JSON.stringify({ ...o, ...this.metaOf(o) } satisfies StoredOrder) });
    }
    const fills = p.fills;
    for (let i = this.stored.fills; i < fills.length; i++) out.fills.push({ seq: i, data: JSON.stringify({ ...fills[i]!, ...(this.fillMeta.get(fills[i]!.id) ?? { time: isoFromWallSeconds(fills[i]!.day) }) } satisfies StoredFill) });
    const ledger = p.ledger;
    for (let i = this.stored.ledger; i < ledger.length; i++) out.ledger.push({ seq: i, data: JSON.stringify(ledger[i]) });
    this.stored = { orders: orders.length, fills: fills.length, ledger: ledger.length };
    this.touched.clear();
    this.changed = false;
    this.dirty = false;
    return out;
  }

  private config(): PortfolioState['config'] {
    return { initialCashFen: this.initialCashFen, costs: { ...DEFAULT_COSTS, slippage: this.slippage }, fillModel: 'close' };
  }

  private metaOf(o: Order): OrderMeta {
    return this.orderMeta.get(o.id) ?? { createdAt: this.createdAt, updatedAt: this.createdAt };
  }

  private addTotal(f: Fill): void {
    const t = this.totals.get(f.orderId) ?? { qty: 0, value: 0 };
    t.qty += f.quantity;
    t.value += f.valueFen;
    this.totals.set(f.orderId, t);
  }

  /** Whether this account trades on the quote's source. */
  consumes(quote: Quote): boolean {
    return (quote.source === 'replay') === (this.mode === 'replay');
  }

  /** Replay accounts: the clock (wall seconds), undefined before the first replayed quote. */
  get clock(): number | undefined {
    return this.doc.clock;
  }

  // ---- commands -------------------------------------------------------------------------------

  /**
   * A live account up to the server's clock `wall`: its day ends from 15:01 (or on a later date),
   * and on a trading day before the close the account opens that day (T+1 settles, the day's P&L
   * starts), so the morning shows what is sellable before any order or quote. Answers the events.
   */
  advance(wall: number, known: DayKnowledge, nowIso: string): TradeEvent[] {
    const day = this.portfolio.day;
    const today = dayStart(wall);
    const events: TradeEvent[] = [];
    // Not a day ahead of the clock (opened by an order placed after the close): that one waits for
    // its session; nor a day found closed after all: its orders move on to the next (moveTo).
    const over = day !== undefined && (today > day || (today === day && minuteOf(wall) > CLOSE_MINUTE));
    if (over && this.session && this.hadSession(day, known)) events.push(...this.endDay(nowIso));
    if ((day === undefined || today > day) && orderDay(wall, known) === today) events.push(...this.moveTo(today, known, nowIso));
    return events;
  }

  /** Ends the open day now (replay finished after its close). */
  endDay(nowIso: string): TradeEvent[] {
    if (!this.session) return [];
    const events = this.portfolio.endDay();
    this.session = false;
    this.changed = true;
    return this.describe(events, nowIso);
  }

  /**
   * Moves the account to the day an order placed at clock `wall` belongs to (see the header) and
   * answers it with the events of the move (the previous day's cancellations). Throws OrderRefused
   * 'market-closed' when that day has already ended (a clock gone back).
   */
  orderDay(wall: number, known: DayKnowledge, nowIso: string): { day: number; events: TradeEvent[] } {
    const day = orderDay(wall, known);
    const current = this.portfolio.day;
    if (current !== undefined && current >= day) {
      // The clock is behind the account's day (opened by an earlier order after the close): the order waits for that day.
      if (!this.session) throw new OrderRefused('market-closed');
      return { day: current, events: [] };
    }
    return { day, events: this.moveTo(day, known, nowIso) };
  }

  /**
   * Submits an order for the current day (after `orderDay` and a store), a limit price checked
   * against the day's `limits` (the service's `dayRules`, the same the ticket is given). Throws OrderRefused — the
   * account put back exactly as stored — or answers the accepted order and its event.
   */
  submit(cmd: NewPaperOrder, nowIso: string, limits?: LimitFen): { order: PaperOrderView; events: TradeEvent[] } {
    const last = this.doc.quotes[cmd.symbol];
    const event = this.portfolio.submit(
      {
        symbol: cmd.symbol,
        side: cmd.side,
        type: cmd.type,
        quantity: cmd.quantity,
        ...(cmd.limitPrice !== undefined ? { limitPrice: cmd.limitPrice } : {}),
        ...(cmd.type === 'market' && last ? { refPrice: last.priceFen / 100 } : {}),
      },
      limits ? { limits } : {},
    );
    if (event.type === 'OrderRejected') {
      // A refused order leaves no trace. The portfolio keeps every order it is given and a refusal
      // changes nothing else (engine/portfolio submit): the state without that last order.
      const state = this.portfolio.snapshot();
      if (state.orders.at(-1)?.id !== event.orderId) throw new Error(`refused order ${event.orderId} is not the last one`);
      state.orders.pop();
      this.portfolio = Portfolio.restore(state);
      throw new OrderRefused(event.reason);
    }
    this.orderMeta.set(event.orderId, { createdAt: nowIso, updatedAt: nowIso });
    this.changed = true;
    const order = this.orderView(this.portfolio.order(event.orderId)!);
    return { order, events: [{ kind: 'order', order }] };
  }

  /** Replay accounts: the replay finished (or stopped) after the close of the clock's day — the day ends. */
  replayOver(nowIso: string): TradeEvent[] {
    const clock = this.doc.clock;
    if (clock === undefined || this.portfolio.day !== dayStart(clock) || minuteOf(clock) < CLOSE_MINUTE) return [];
    return this.endDay(nowIso);
  }

  /** Cancels an open order: 'unknown' (no such order) or 'finished', else the events. */
  cancel(orderId: string, nowIso: string): TradeEvent[] | 'unknown' | 'finished' {
    const o = this.portfolio.order(orderId);
    if (!o) return 'unknown';
    if (o.status !== 'open') return 'finished';
    return this.describe([this.portfolio.cancel(orderId)], nowIso);
  }

  /**
   * A quote of the account's kind: moves the account to the quote's day when it is later, records
   * the price, and lets the symbol's open orders meet it. Answers the events (empty: nothing to
   * publish; `dirty` says whether there is anything to store).
   */
  onQuote(quote: Quote, quoteWall: number, known: DayKnowledge, nowIso: string): TradeEvent[] {
    const day = dayStart(quoteWall);
    const current = this.portfolio.day;
    if (current !== undefined && day < current) return [];
    if (this.mode === 'replay' && (this.doc.clock === undefined || quoteWall > this.doc.clock)) {
      this.doc.clock = quoteWall;
      this.dirty = true;
    }
    const events: TradeEvent[] = [];
    if (current === undefined || day > current) events.push(...this.moveTo(day, known, nowIso));
    if (this.mode === 'replay' && this.session && this.doc.metDay !== day) {
      this.doc.metDay = day;
      this.changed = true;
    }
    const priceFen = toFen(quote.price);
    if (!(priceFen > 0)) return events;
    this.doc.quotes[quote.symbol] = { priceFen, prevCloseFen: toFen(quote.prevClose), day, name: quote.name };
    this.dirty = true;
    if (!this.session || !this.portfolio.hasOpenOrders(quote.symbol)) {
      this.notePeak();
      return events;
    }

    const slippage = this.slippage;
    const bar = {
      open: quote.price,
      close: quote.price,
      high: applySlippage('buy', priceFen, slippage) / 100,
      low: applySlippage('sell', priceFen, slippage) / 100,
      volume: quote.volume ?? 1,
    };
    const limits = limitsOf(quote.symbol, quote.name, day, toFen(quote.prevClose));
    const before = this.portfolio.position(quote.symbol);
    const out = this.portfolio.processBar(quote.symbol, { bar, ...(limits ? { limits } : {}) });
    // What each sell realized, walking the fills from the position before the bar.
    let qty = before?.quantity ?? 0;
    let cost = before?.costFen ?? 0;
    for (const e of out) {
      if (e.type !== 'OrderFilled') continue;
      const f = e.fill;
      const meta: FillMeta = { time: quote.time };
      if (f.side === 'sell') {
        const removed = f.quantity === qty ? cost : mulDivHalfUp(cost, f.quantity, qty);
        meta.realizedPnlFen = f.cashFen - removed;
        qty -= f.quantity;
        cost -= removed;
      } else {
        qty += f.quantity;
        cost += f.valueFen + f.commissionFen + f.stampDutyFen + f.transferFeeFen;
      }
      this.fillMeta.set(f.id, meta);
      this.addTotal(f);
    }
    events.push(...this.describe(out, nowIso));
    this.notePeak();
    return events;
  }

  /** Keeps the running peak of equity (prices and fills only change on quotes). */
  private notePeak(): void {
    const equity = this.equityFen();
    if (equity > (this.doc.peakEquityFen ?? this.initialCashFen)) {
      this.doc.peakEquityFen = equity;
      this.dirty = true;
    }
  }

  /** The highest equity the account has been worth (the initial cash at first), fen. */
  peakEquityFen(): number {
    return Math.max(this.doc.peakEquityFen ?? this.initialCashFen, this.equityFen());
  }

  /**
   * Whether the account's open day had a session after all: a replay account's when a replayed
   * quote reached it that day; a live account's unless the calendar has since found it closed (an
   * exchange holiday nobody had announced to the calendar when an order after the close opened it).
   */
  private hadSession(day: number, known: DayKnowledge): boolean {
    if (this.mode === 'replay') return this.doc.metDay === day;
    return known(formatDate(day)) !== false;
  }

  /**
   * The account to trading day `day` (after its current one). Normally startDay (the day before
   * ends: its open orders are cancelled; T+1 settles). But an open day that had no session — opened
   * for an order placed after the close, then no market that day — is not a day its orders met:
   * they are carried to `day` (the portfolio's day and their day relabelled; nothing else happened
   * on it, since nothing can fill without a quote).
   */
  private moveTo(day: number, known: DayKnowledge, nowIso: string): TradeEvent[] {
    const current = this.portfolio.day;
    if (current === undefined || !this.session || this.hadSession(current, known)) return this.startDay(day, nowIso);
    const state = this.portfolio.snapshot();
    state.day = day;
    for (const o of state.orders) if (o.status === 'open' && o.submittedDay === current) o.submittedDay = day;
    this.portfolio = Portfolio.restore(state);
    this.changed = true;
    return [];
  }

  private startDay(day: number, nowIso: string): TradeEvent[] {
    const events = this.describe(this.portfolio.startDay(day), nowIso);
    this.session = true;
    this.doc.dayStartEquityFen = this.equityFen();
    this.changed = true;
    return events;
  }

  /** Portfolio events as the order and fill views to publish (stamping the orders' update time). */
  private describe(events: OrderEvent[], nowIso: string): TradeEvent[] {
    const out: TradeEvent[] = [];
    for (const e of events) {
      const meta = this.orderMeta.get(e.orderId);
      if (meta) meta.updatedAt = nowIso;
      this.touched.add(e.orderId);
      if (e.type === 'OrderFilled') out.push({ kind: 'fill', fill: this.fillView(e.fill) });
      const o = this.portfolio.order(e.orderId);
      if (o) out.push({ kind: 'order', order: this.orderView(o) });
    }
    if (events.length > 0) this.changed = true;
    return out;
  }

  // ---- views ----------------------------------------------------------------------------------

  /** Symbols the account needs quotes of: open orders and positions held. */
  symbols(): string[] {
    const set = new Set<string>();
    for (const o of this.portfolio.openOrders()) set.add(o.symbol);
    for (const p of this.portfolio.positions()) set.add(p.symbol);
    return [...set];
  }

  private marketValueFen(p: Position): number {
    const q = this.doc.quotes[p.symbol];
    return q ? p.quantity * q.priceFen : p.costFen;
  }

  /** The last quote of the symbol the account saw (price and previous close in fen, its day as bar time, the name). */
  lastQuote(symbol: string): Readonly<LastQuote> | undefined {
    return this.doc.quotes[symbol];
  }

  /** The account's trading day (bar time), undefined before its first. */
  get day(): number | undefined {
    return this.portfolio.day;
  }

  /** The cost configuration its fills are charged with (commission, minimum, slippage). */
  costs(): CostConfig {
    return this.config().costs;
  }

  /** The symbol's last quoted price (fen), undefined before its first quote. */
  lastPriceFen(symbol: string): number | undefined {
    return this.doc.quotes[symbol]?.priceFen;
  }

  /** Positions with their value at the last price (cost basis before a quote), fen. */
  positionValues(): { symbol: string; quantity: number; valueFen: number }[] {
    return this.portfolio.positions().map((p) => ({ symbol: p.symbol, quantity: p.quantity, valueFen: this.marketValueFen(p) }));
  }

  equityFen(): number {
    let v = this.portfolio.cashFen;
    for (const p of this.portfolio.positions()) v += this.marketValueFen(p);
    return v;
  }

  account(): PaperAccountView {
    const equity = this.equityFen();
    const cash = this.portfolio.cashFen;
    const day = this.portfolio.day;
    return {
      id: this.id,
      name: this.name,
      mode: this.mode,
      slippageBps: this.slippageBps,
      initialCash: yuan(this.initialCashFen),
      cash: yuan(cash),
      marketValue: yuan(equity - cash),
      equity: yuan(equity),
      pnlToday: yuan(equity - (this.doc.dayStartEquityFen ?? this.initialCashFen)),
      pnlTotal: yuan(equity - this.initialCashFen),
      peakEquity: yuan(this.peakEquityFen()),
      ...(day !== undefined ? { day: formatDate(day), sessionOpen: this.session } : {}),
      ...(this.doc.clock !== undefined ? { clock: isoFromWallSeconds(this.doc.clock) } : {}),
      createdAt: this.createdAt,
    };
  }

  orderView(o: Order): PaperOrderView {
    const meta = this.metaOf(o);
    const t = this.totals.get(o.id);
    return {
      id: o.id,
      accountId: this.id,
      symbol: o.symbol,
      side: o.side,
      type: o.type === 'limit' ? 'limit' : 'market',
      quantity: o.quantity,
      ...(o.limitFen !== undefined ? { limitPrice: yuan(o.limitFen) } : {}),
      status: o.status,
      filledQuantity: o.filledQuantity,
      ...(t && t.qty > 0 ? { avgFillPrice: Math.round((t.value / t.qty) * 100) / 10_000 } : {}),
      day: formatDate(o.submittedDay),
      ...(o.reason !== undefined ? { reason: o.reason } : {}),
      ...(o.status === 'rejected' && o.reason !== undefined ? { reasonCode: reasonCode(o.reason as RejectReason) } : {}),
      createdAt: meta.createdAt,
      updatedAt: meta.updatedAt,
    };
  }

  fillView(f: Fill): PaperFillView {
    const meta = this.fillMeta.get(f.id);
    return {
      id: f.id,
      accountId: this.id,
      orderId: f.orderId,
      symbol: f.symbol,
      side: f.side,
      quantity: f.quantity,
      price: yuan(f.priceFen),
      value: yuan(f.valueFen),
      commission: yuan(f.commissionFen),
      stampDuty: yuan(f.stampDutyFen),
      transferFee: yuan(f.transferFeeFen),
      cashFlow: yuan(f.cashFen),
      ...(meta?.realizedPnlFen !== undefined ? { realizedPnl: yuan(meta.realizedPnlFen) } : {}),
      day: formatDate(f.day),
      time: meta?.time ?? isoFromWallSeconds(f.day),
    };
  }

  orders(filter: { status?: string; symbol?: string; day?: string }): PaperOrderView[] {
    const out: PaperOrderView[] = [];
    const all = this.portfolio.orders;
    for (let i = all.length - 1; i >= 0; i--) {
      const o = all[i]!;
      if (filter.status !== undefined && o.status !== filter.status) continue;
      if (filter.symbol !== undefined && o.symbol !== filter.symbol) continue;
      if (filter.day !== undefined && formatDate(o.submittedDay) !== filter.day) continue;
      out.push(this.orderView(o));
    }
    return out;
  }

  fills(filter: { symbol?: string; day?: string }): PaperFillView[] {
    const out: PaperFillView[] = [];
    const all = this.portfolio.fills;
    for (let i = all.length - 1; i >= 0; i--) {
      const f = all[i]!;
      if (filter.symbol !== undefined && f.symbol !== filter.symbol) continue;
      if (filter.day !== undefined && formatDate(f.day) !== filter.day) continue;
      out.push(this.fillView(f));
    }
    return out;
  }

  positions(): PaperPositionView[] {
    return this.portfolio.positions().map((p) => {
      const q = this.doc.quotes[p.symbol];
      const mv = this.marketValueFen(p);
      return {
        symbol: p.symbol,
        ...(q ? { name: q.name } : {}),
        quantity: p.quantity,
        available: p.available,
        costBasis: yuan(p.costFen),
        avgCost: Math.round((p.costFen / p.quantity) * 100) / 10_000,
        ...(q ? { lastPrice: yuan(q.priceFen) } : {}),
        marketValue: yuan(mv),
        unrealizedPnl: yuan(mv - p.costFen),
        realizedPnl: yuan(p.realizedPnlFen),
      };
    });
  }

  statistics(): PaperStatisticsView {
    const orders = this.portfolio.orders;
    const fills = this.portfolio.fills;
    let buys = 0;
    let sells = 0;
    let wins = 0;
    let losses = 0;
    let turnover = 0;
    let commission = 0;
    let stampDuty = 0;
    let transferFee = 0;
    const days = new Set<number>();
    for (const f of fills) {
      days.add(f.day);
      turnover += f.valueFen;
      commission += f.commissionFen;
      stampDuty += f.stampDutyFen;
      transferFee += f.transferFeeFen;
      if (f.side === 'buy') buys++;
      else {
        sells++;
        const r = this.fillMeta.get(f.id)?.realizedPnlFen ?? 0;
        if (r > 0) wins++;
        else if (r < 0) losses++;
      }
    }
    let realized = 0;
    for (const p of this.portfolio.allPositions()) realized += p.realizedPnlFen;
    let unrealized = 0;
    for (const p of this.portfolio.positions()) unrealized += this.marketValueFen(p) - p.costFen;
    return {
      orders: orders.length,
      filledOrders: orders.filter((o) => o.status === 'filled').length,
      cancelledOrders: orders.filter((o) => o.status === 'cancelled').length,
      rejectedOrders: orders.filter((o) => o.status === 'rejected').length,
      fills: fills.length,
      buys,
      sells,
      closingSells: sells,
      wins,
      losses,
      ...(sells > 0 ? { winRate: wins / sells } : {}),
      turnover: yuan(turnover),
      commission: yuan(commission),
      stampDuty: yuan(stampDuty),
      transferFee: yuan(transferFee),
      fees: yuan(commission + stampDuty + transferFee),
      realizedPnl: yuan(realized),
      unrealizedPnl: yuan(unrealized),
      tradingDays: days.size,
    };
  }

  /** For tests and checks: the ledger reconciles (initial cash + Σ entries = cash). */
  reconciles(): boolean {
    return this.portfolio.reconciles();
  }
}
