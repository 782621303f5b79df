/**
 * The portfolio: cash, positions, orders, fills and the cash ledger of one account, driven day by
 * day — the core of both the backtest engine and paper trading. Deterministic: no clock, no
 * randomness; ids are sequential ('o1', 'f1'); days are bar times (bars/time.ts) given by the caller.
 *
 * A trading day:
 *   startDay(day)                 T+1: yesterday's buys become sellable
 *   processBar(symbol, {bar, …})  open orders of the symbol meet the day's bar (matcher.ts)
 *   submit(…) / cancel(id)        commands; each answers an event
 *   endDay()                      day validity: orders that met a bar today, or were submitted on
 *                                 an earlier day, are cancelled (remainder), with the reason
 * With the 'next-open' fill model a strategy submits after processBar, so its orders meet the next
 * day's bar; with 'close' it submits before processBar and endDay expires every open order.
 *
 * Checks (reasons.ts): at submission — the symbol is a tradable stock, quantity and prices are
 * valid, the lot rule (lots.ts), enough shares (total, then sellable — other open sells counted;
 * sellable is the available quantity with the 'close' model, and the total with 'next-open', whose
 * orders are submitted after the day's bars and first meet the next session, when today's buys have
 * settled: an overnight order; T+1 is then enforced at the fill) and, for buys, enough cash for value + fees at the limit/stop/refPrice on top of the
 * other open buys; given the day's limits, a limit/stop price inside them (else 'price-limit'), and
 * not a known suspension. At a fill — the cash and the available shares again, at the real price and fees. An order that cannot
 * be honoured is rejected, never resized; a fill never takes cash or available shares below zero.
 * Within one bar sells are matched before buys, so a sale's cash may pay for a buy (cash is T+0).
 */
import type { CostConfig } from '../market/costs';
import { DEFAULT_COSTS, tradeFees, tradeValueFen } from '../market/costs';
import { checkBuyQuantity, checkSellQuantity } from '../market/lots';
import { toFen } from '../market/money';
import type { LimitFen } from '../market/price-limits';
import { sameDayResale } from '../market/settlement';
import type { Board } from '../market/symbols';
import { classify, parseSymbol } from '../market/symbols';
import type { LedgerEntry } from './ledger';
import { fillEntries, reconcile } from './ledger';
import type { FillModel, MatchBar } from './matcher';
import { matchOrder } from './matcher';
import type { Fill, Order, OrderEvent, SubmitOrder } from './orders';
import type { Position } from './positions';
import { applyBuy, applySell, emptyPosition, settle } from './positions';
import type { CancelReason, RejectReason } from './reasons';

export interface PortfolioConfig {
  /** Opening cash, fen (≥ 0, integer). */
  initialCashFen: number;
  costs?: CostConfig;
  /** 'next-open' (default) or 'close' — see matcher.ts. */
  fillModel?: FillModel;
  /** Fraction of a bar's volume one order may take; none: no cap. */
  volumeCap?: number;
}

/** Everything the portfolio knows, as plain JSON (snapshot/restore for paper trading). */
export interface PortfolioState {
  config: Required<Omit<PortfolioConfig, 'volumeCap'>> & { volumeCap?: number };
  /** The current (or last) trading day, bar time; undefined before the first startDay. */
  day?: number;
  /** Between startDay and endDay. */
  sessionOpen: boolean;
  cashFen: number;
  positions: Record<string, Position>;
  /** Every order ever submitted (rejected ones included), by submission. */
  orders: Order[];
  fills: Fill[];
  ledger: LedgerEntry[];
}

/** What the submitter knows of the symbol's day (optional): its limit prices, a suspension. */
export interface SubmitContext {
  limits?: LimitFen;
  suspended?: boolean;
}

/** The market for one symbol on one day: its bar (none: suspended) and its limit prices. */
export interface BarInput {
  bar?: MatchBar;
  /** market/limit-guard.ts `dailyLimitsFen`; none: no limit. */
  limits?: LimitFen;
}

/** Boards by symbol, parsed once (every bar asks). */
const boards = new Map<string, Board | undefined>();
const boardOf = (symbol: string): Board | undefined => {
  if (!boards.has(symbol)) {
    const p = parseSymbol(symbol);
    boards.set(symbol, p ? classify(p.code, p.exchange).board : undefined);
  }
  return boards.get(symbol);
};

const positiveFen = (yuan: number | undefined): number | undefined => {
  if (yuan === undefined) return undefined;
  const fen = toFen(yuan);
  return fen > 0 ? fen : NaN;
};

export class Portfolio {
  private readonly s: PortfolioState;
  /** The open orders in submission order: what bars and checks walk, not the whole history. */
  private open = new Set<Order>();
  /**
   * How many of `open` each symbol has: a bar of a symbol without open orders changes nothing, and
   * a backtest asks this for every symbol on every bar (hasOpenOrders) instead of walking `open`.
   */
  private openCount = new Map<string, number>();
  /**
   * Symbols whose position has shares not yet available (bought today, T+1): all that startDay
   * has to settle, instead of every position ever held.
   */
  private unsettled = new Set<string>();

  constructor(config: PortfolioConfig) {
    if (!Number.isInteger(config.initialCashFen) || config.initialCashFen < 0) throw new RangeError('initialCashFen must be a non-negative integer (fen)');
    this.s = {
      config: { initialCashFen: config.initialCashFen, costs: config.costs ?? DEFAULT_COSTS, fillModel: config.fillModel ?? 'next-open', ...(config.volumeCap !== undefined ? { volumeCap: config.volumeCap } : {}) },
      sessionOpen: false,
      cashFen: config.initialCashFen,
      positions: {},
      orders: [],
      fills: [],
      ledger: [],
    };
  }

  /** A portfolio continuing from a snapshot. */
  static restore(state: PortfolioState): Portfolio {
    const p = new Portfolio(state.config);
    Object.assign(p.s, JSON.parse(JSON.stringify(state)) as PortfolioState);
    for (const o of p.s.orders) if (o.status === 'open') p.addOpen(o);
    for (const [symbol, pos] of Object.entries(p.s.positions)) if (pos.available !== pos.quantity) p.unsettled.add(symbol);
    return p;
  }

  /** A deep copy of the state. */
  snapshot(): PortfolioState {
    return JSON.parse(JSON.stringify(this.s)) as PortfolioState;
  }

  get cashFen(): number {
    return this.s.cashFen;
  }

  get initialCashFen(): number {
    return this.s.config.initialCashFen;
  }

  get day(): number | undefined {
    return this.s.day;
  }

  position(symbol: string): Position | undefined {
    return this.s.positions[symbol];
  }

  /** Positions with shares, by symbol. */
  positions(): Position[] {
    return Object.values(this.s.positions)
      .filter((p) => p.quantity > 0)
      .sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  }

  /** Every position ever held, closed ones included (their realized P&L stays). */
  allPositions(): readonly Position[] {
    return Object.values(this.s.positions);
  }

  order(id: string): Order | undefined {
    // Ids are sequential: o1 is orders[0].
    const o = this.s.orders[Number(id.slice(1)) - 1];
    return o?.id === id ? o : undefined;
  }

  /** Whether any order (of `symbol`, when given) is open: cheap, for a caller asking on every bar. */
  hasOpenOrders(symbol?: string): boolean {
    return symbol === undefined ? this.open.size > 0 : this.openCount.has(symbol);
  }

  openOrders(symbol?: string): Order[] {
    const out: Order[] = [];
    for (const o of this.open) if (symbol === undefined || o.symbol === symbol) out.push(o);
    return out;
  }

  /** Every order submitted, rejected ones included, by submission. */
  get orders(): readonly Order[] {
    return this.s.orders;
  }

  get fills(): readonly Fill[] {
    return this.s.fills;
  }

  get ledger(): readonly LedgerEntry[] {
    return this.s.ledger;
  }

  /** initialCash + Σ ledger = cash, exactly. */
  reconciles(): boolean {
    return reconcile(this.s.config.initialCashFen, this.s.ledger, this.s.cashFen);
  }

  /** Cash in (> 0) or out (< 0), fen; a withdrawal beyond the cash is refused (false). */
  transfer(amountFen: number): boolean {
    if (!Number.isInteger(amountFen) || amountFen === 0 || this.s.cashFen + amountFen < 0) return false;
    this.s.cashFen += amountFen;
    this.s.ledger.push({ seq: this.s.ledger.length, day: this.s.day ?? 0, kind: amountFen > 0 ? 'deposit' : 'withdrawal', amountFen });
    return true;
  }

  /** Opens trading day `day` (after the last one): ends an unended previous day, settles T+1. */
  startDay(day: number): OrderEvent[] {
    if (this.s.day !== undefined && day <= this.s.day) throw new RangeError(`startDay: ${day} is not after ${this.s.day}`);
    const events = this.s.sessionOpen ? this.endDay() : [];
    this.s.day = day;
    this.s.sessionOpen = true;
    for (const symbol of this.unsettled) this.s.positions[symbol] = settle(this.s.positions[symbol]!);
    this.unsettled.clear();
    return events;
  }

  /** Closes the day: cancels what day validity ends (see the header). */
  endDay(): OrderEvent[] {
    const day = this.s.day;
    if (day === undefined || !this.s.sessionOpen) return [];
    const events: OrderEvent[] = [];
    // A copy: finish() takes the order out of `open`.
    for (const o of this.open.size > 0 ? this.openOrders() : []) {
      const met = o.sessionDay === day || o.submittedDay < day || this.s.config.fillModel === 'close';
      if (met) events.push(this.finish(o, 'cancelled', o.lastNoFill ?? 'expired'));
    }
    this.s.sessionOpen = false;
    return events;
  }

  /**
   * Command: submit an order. Answers OrderAccepted or OrderRejected (the order is kept either way).
   * `market`, when given, lets the submission refuse a limit/stop price outside the day's limits and
   * an order for a suspended stock at once, as the exchange would.
   */
  submit(cmd: SubmitOrder, market: SubmitContext = {}): OrderEvent {
    const day = this.s.day ?? 0;
    const order: Order = {
      id: `o${this.s.orders.length + 1}`,
      symbol: cmd.symbol,
      side: cmd.side,
      type: cmd.type,
      quantity: cmd.quantity,
      submittedDay: day,
      status: 'open',
      filledQuantity: 0,
      triggered: false,
    };
    const limitFen = positiveFen(cmd.limitPrice);
    const stopFen = positiveFen(cmd.stopPrice);
    if (limitFen !== undefined) order.limitFen = limitFen;
    if (stopFen !== undefined) order.stopFen = stopFen;
    this.s.orders.push(order);
    const reason = this.refusal(order, cmd, market);
    if (reason) return this.finish(order, 'rejected', reason);
    this.addOpen(order);
    return { type: 'OrderAccepted', orderId: order.id, day };
  }

  /** Command: cancel an open order (its unfilled remainder). */
  cancel(orderId: string): OrderEvent {
    const o = this.order(orderId);
    if (!o || o.status !== 'open') return { type: 'OrderRejected', orderId, day: this.s.day ?? 0, reason: 'unknown-order' };
    return this.finish(o, 'cancelled', 'cancelled');
  }

  /**
   * The symbol's open orders meet its bar for the current day (no bar: suspended). A symbol without
   * open orders is left as it is (nothing to match, nothing to mark): the common case of a backtest.
   */
  processBar(symbol: string, input: BarInput): OrderEvent[] {
    const day = this.s.day;
    if (day === undefined || !this.s.sessionOpen || !this.openCount.has(symbol)) return [];
    const board = boardOf(symbol);
    if (!board) return [];
    const events: OrderEvent[] = [];
    const { costs, fillModel, volumeCap } = this.s.config;
    for (const o of this.meetingOrders(symbol, day)) {
      if (o.status !== 'open') continue;
      o.sessionDay = day;
      const pos = this.s.positions[symbol] ?? emptyPosition(symbol);
      const sellable = o.side === 'sell' ? pos.available - this.reservedSell(symbol, o.id) : undefined;
      const m = matchOrder(
        { side: o.side, type: o.type, remaining: o.quantity - o.filledQuantity, limitFen: o.limitFen, stopFen: o.stopFen, triggered: o.triggered },
        input.bar,
        { model: fillModel, board, day, limits: input.limits, slippage: costs.slippage, volumeCap, sellable },
      );
      o.triggered = m.triggered;
      if (m.kind === 'no-fill') {
        o.lastNoFill = m.reason;
        continue;
      }
      const valueFen = tradeValueFen(m.quantity, m.priceFen);
      const fees = tradeFees(o.side, valueFen, day, costs, board);
      const cashFen = o.side === 'buy' ? -(valueFen + fees.totalFen) : valueFen - fees.totalFen;
      if (o.side === 'buy' && this.s.cashFen + cashFen < 0) {
        events.push(this.finish(o, 'rejected', 'insufficient-cash'));
        continue;
      }
      if (o.side === 'sell' && m.quantity > pos.available) {
        events.push(this.finish(o, 'rejected', 'insufficient-available-position'));
        continue;
      }
      const fill: Fill = {
        id: `f${this.s.fills.length + 1}`,
        orderId: o.id,
        symbol,
        side: o.side,
        day,
        quantity: m.quantity,
        priceFen: m.priceFen,
        valueFen,
        commissionFen: fees.commissionFen,
        stampDutyFen: fees.stampDutyFen,
        transferFeeFen: fees.transferFeeFen,
        cashFen,
      };
      this.s.fills.push(fill);
      this.s.ledger.push(...fillEntries(fill, this.s.ledger.length));
      this.s.cashFen += cashFen;
      const after = o.side === 'buy' ? applyBuy(pos, fill, sameDayResale(board, day)) : applySell(pos, fill);
      this.s.positions[symbol] = after;
      if (after.available !== after.quantity) this.unsettled.add(symbol);
      o.filledQuantity += m.quantity;
      delete o.lastNoFill;
      if (o.filledQuantity === o.quantity) {
        o.status = 'filled';
        this.removeOpen(o);
      }
      events.push({ type: 'OrderFilled', orderId: o.id, day, fill, remaining: o.quantity - o.filledQuantity });
    }
    return events;
  }

  /**
   * The symbol's open orders that meet today's bar (submitted today or before): sells first, so a
   * sale's cash may pay for a buy, each side in submission order.
   */
  private meetingOrders(symbol: string, day: number): Order[] {
    const sells: Order[] = [];
    const buys: Order[] = [];
    for (const o of this.open) {
      if (o.symbol !== symbol || o.submittedDay > day) continue;
      if (o.side === 'sell') sells.push(o);
      else if (o.side === 'buy') buys.push(o);
    }
    for (const o of buys) sells.push(o);
    return sells;
  }

  private addOpen(o: Order): void {
    this.open.add(o);
    this.openCount.set(o.symbol, (this.openCount.get(o.symbol) ?? 0) + 1);
  }

  /** Takes `o` out of the open orders (if it is there); a symbol with none left leaves openCount. */
  private removeOpen(o: Order): void {
    if (!this.open.delete(o)) return;
    const n = this.openCount.get(o.symbol)! - 1;
    if (n > 0) this.openCount.set(o.symbol, n);
    else this.openCount.delete(o.symbol);
  }

  private finish(o: Order, status: 'cancelled' | 'rejected', reason: RejectReason | CancelReason): OrderEvent {
    o.status = status;
    o.reason = reason;
    this.removeOpen(o);
    const day = this.s.day ?? 0;
    return status === 'rejected'
      ? { type: 'OrderRejected', orderId: o.id, day, reason: reason as RejectReason }
      : { type: 'OrderCancelled', orderId: o.id, day, reason: reason as CancelReason, remaining: o.quantity - o.filledQuantity };
  }

  /** Shares of `symbol` in open sell orders other than `except`. */
  private reservedSell(symbol: string, except?: string): number {
    let n = 0;
    for (const o of this.open) if (o.side === 'sell' && o.symbol === symbol && o.id !== except) n += o.quantity - o.filledQuantity;
    return n;
  }

  /** Cash the open buy orders other than `except` may need: value at their reserve price + fees. */
  private reservedCash(except?: string): number {
    let n = 0;
    for (const o of this.open) {
      if (o.side !== 'buy' || o.id === except || o.reserveFen === undefined) continue;
      const value = tradeValueFen(o.quantity - o.filledQuantity, o.reserveFen);
      n += value + tradeFees('buy', value, this.s.day ?? 0, this.s.config.costs, boardOf(o.symbol)).totalFen;
    }
    return n;
  }

  /** Why `order` cannot be accepted, or undefined. */
  private refusal(order: Order, cmd: SubmitOrder, market: SubmitContext): RejectReason | undefined {
    if (!this.s.sessionOpen || this.s.day === undefined) return 'market-closed';
    const day = this.s.day;
    const board = boardOf(order.symbol);
    if (!board || !Number.isInteger(order.quantity) || order.quantity <= 0) return 'invalid-order';
    if ((cmd.side !== 'buy' && cmd.side !== 'sell') || (cmd.type !== 'market' && cmd.type !== 'limit' && cmd.type !== 'stop')) return 'invalid-order';
    if (cmd.type === 'limit' && !(order.limitFen! > 0)) return 'invalid-order';
    if (cmd.type === 'stop' && !(order.stopFen! > 0)) return 'invalid-order';
    if (order.limitFen !== undefined && Number.isNaN(order.limitFen)) return 'invalid-order';
    if (order.stopFen !== undefined && Number.isNaN(order.stopFen)) return 'invalid-order';
    if (market.suspended) return 'suspended';
    const { limits } = market;
    for (const price of [cmd.type === 'limit' ? order.limitFen : undefined, cmd.type === 'stop' ? order.stopFen : undefined]) {
      if (limits && price !== undefined && (price > limits.up || price < limits.down)) return 'price-limit';
    }
    if (order.side === 'buy') {
      const lot = checkBuyQuantity(board, order.quantity, day);
      if (lot) return lot === 'not-tradable' ? 'not-tradable' : 'lot-size';
      const ref = cmd.type === 'limit' ? order.limitFen : cmd.type === 'stop' ? order.stopFen : positiveFen(cmd.refPrice);
      if (ref !== undefined) {
        if (Number.isNaN(ref)) return 'invalid-order';
        order.reserveFen = ref;
        const value = tradeValueFen(order.quantity, ref);
        const need = value + tradeFees('buy', value, day, this.s.config.costs, board).totalFen;
        if (need + this.reservedCash(order.id) > this.s.cashFen) return 'insufficient-cash';
      }
      return undefined;
    }
    const pos = this.s.positions[order.symbol] ?? emptyPosition(order.symbol);
    const reserved = this.reservedSell(order.symbol, order.id);
    if (order.quantity > pos.quantity - reserved) return 'insufficient-position';
    // With 'next-open' an order is submitted after the day's bars and can first fill at the next
    // session, by when today's buys have settled (T+1): an overnight order (夜市委托) for tomorrow.
    const settled = this.s.config.fillModel === 'next-open' ? pos.quantity : pos.available;
    const sellable = settled - reserved;
    const lot = checkSellQuantity(board, order.quantity, sellable, day);
    if (lot === 'not-tradable') return 'not-tradable';
    return lot;
  }
}
