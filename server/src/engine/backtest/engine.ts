/**
 * The backtest engine: an event-driven loop over bars (daily or minute) of one or more symbols on
 * one timeline, driving a strategy (strategy.ts) and a Portfolio (engine/portfolio), which applies
 * every A-share rule (lots, T+1, price limits, costs) and keeps the ledger in integer fen.
 *
 * One step of the timeline is one bar time. On the first step of a trading day the portfolio opens
 * the day (T+1 settlement); on the last it closes it (day validity) and the day's equity is
 * recorded. Within a step, with the default 'next-open' fill model, the open orders first meet the
 * step's bars (filled at the open), then the strategy sees the bars and submits orders for the
 * next bar; with 'close' the strategy submits first and its orders fill at this bar's close.
 *
 * No look-ahead by construction: the context hands out views that end at the current bar
 * (subarrays: index `length` and beyond do not exist), and indicators computed once over the whole
 * series are handed out the same way — as arrays, or as live views (indicatorView) whose length is
 * the bars seen and which read nothing beyond; the run's state is a private field of the context.
 * Deterministic: no clock and no randomness.
 *
 * Speed (npm run bench:backtest): a step costs little more than the strategy's own reads. Arrays are
 * cut at most once per symbol and step (and only when asked for), live views never; a constant
 * (frozen) parameter object finds its indicator by identity; a symbol's bar reaches the portfolio
 * only when it has open orders (without, processBar changes nothing) and its price limits are
 * computed only then; the day of each step is known without a division per step; the account is
 * valued from the symbols' states, not by sorting positions. The context's methods are shared by
 * every run and a small run kept for the process holds the hidden classes, so the compiled engine
 * survives from one backtest to the next (see `keeper`).
 */
import { allocateSeries, setBar, sliceSeries, type BarSeries } from '../bars/series';
import { dayStart, formatDate, tsOf } from '../bars/time';
import { INDICATORS } from '../indicators';
import { calculate, type Convention, type Params } from '../indicators/registry';
import type { CostConfig } from '../market/costs';
import { tradeValueFen } from '../market/costs';
import { dailyLimitsFen } from '../market/limit-guard';
import type { LimitFen } from '../market/price-limits';
import { roundBuyQuantity, roundSellQuantity } from '../market/lots';
import { toFen } from '../market/money';
import { classify, parseSymbol, type Board } from '../market/symbols';
import { Portfolio, type Fill, type FillModel, type Order, type OrderEvent, type OrderType, type Position } from '../portfolio';
import type { OrderOptions, SeriesView, Strategy, StrategyContext, Target } from './strategy';
import { roundTrips, type Trade } from './trades';

export interface BacktestSymbolData {
  symbol: string;
  /** Bars in time order; history before `start` warms indicators up. */
  bars: BarSeries;
  /** Special treatment (ST, ±5 %) for the price-limit table. */
  isSt?: boolean;
}

export interface BacktestInput {
  data: readonly BacktestSymbolData[];
  initialCashFen: number;
  costs?: CostConfig;
  fillModel?: FillModel;
  /** Fraction of a bar's volume one order may take. */
  volumeCap?: number;
  /** First and last bar time traded (inclusive); default: all bars. */
  start?: number;
  end?: number;
}

export interface BacktestProgress {
  stepsDone: number;
  steps: number;
  /** Bar time of the last step done. */
  time: number;
  equityFen: number;
}

export interface RunOptions {
  /**
   * Checked between steps: an aborted run throws (an AbortSignal its reason; the task platform's
   * shared cancel flag TaskCancelled).
   */
  signal?: { readonly aborted: boolean; throwIfAborted(): void };
  onProgress?: (progress: BacktestProgress) => void;
  /** Steps between two progress calls (default 1,000). */
  progressEvery?: number;
}

/** The day-end account: one row per trading day. */
export interface EquityCurve {
  times: number[];
  dates: string[];
  equityFen: number[];
  cashFen: number[];
  /** Holdings at their close / equity. */
  exposure: number[];
}

export interface BacktestRun {
  orders: Order[];
  fills: Fill[];
  trades: Trade[];
  equity: EquityCurve;
  positions: Position[];
  finalCashFen: number;
  finalEquityFen: number;
  /** Bars of all symbols inside the traded range. */
  barsProcessed: number;
  steps: number;
}

interface ComputedIndicator {
  name: string;
  convention: Convention;
  /** A copy of the parameters it was computed with. */
  params: Params;
  output: string | undefined;
  values: Float64Array;
  /** values[0, viewEnd): the view handed out at the current step (strategies ask again and again). */
  view: Float64Array;
  viewEnd: number;
  /** The live view indicatorView hands out, made on its first call. */
  live: LiveSeries | undefined;
  /** The last constant parameter object (isConstant) found to match: found again by identity. */
  sameAs: Params | undefined;
}

/**
 * Whether `params` can never change: a frozen plain object of data properties. A strategy that
 * passes such an object on every bar (dual-ma does) is matched by identity, not compared key by key.
 */
function isConstant(params: Params): boolean {
  if (!Object.isFrozen(params)) return false;
  const proto: unknown = Object.getPrototypeOf(params);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(Object.getOwnPropertyDescriptors(params)).every((d) => 'value' in d);
}

/**
 * The computed indicator of this name, convention, output and parameters, or undefined. The first
 * match in the order computed, as the identity pass finds too: an entry records a constant object
 * only when it was the first match, and entries are only ever appended.
 */
function findComputed(list: readonly ComputedIndicator[], name: string, convention: Convention, output: string | undefined, params: Params): ComputedIndicator | undefined {
  for (const c of list) if (c.sameAs === params && c.name === name && c.convention === convention && c.output === output) return c;
  for (const c of list) {
    if (c.name !== name || c.convention !== convention || c.output !== output || !sameParams(c.params, params)) continue;
    if (isConstant(params)) c.sameAs = params;
    return c;
  }
  return undefined;
}

/** Parameters of a call that gives none: constant, so found by identity. */
const NO_PARAMS: Params = Object.freeze({});

/** Same parameters (a strategy passes a fresh object on every bar; comparing beats building a key). */
function sameParams(a: Params, b: Params): boolean {
  let n = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    n++;
  }
  for (const _ in b) n--;
  return n === 0;
}

/**
 * values[0, seen) of one symbol, `seen` read when asked: the view indicatorView hands out, one object
 * for the whole run. The values are a private field, so nothing past the current bar is reachable.
 */
class LiveSeries implements SeriesView {
  readonly #values: Float64Array;
  readonly #state: { readonly seen: number };

  constructor(values: Float64Array, state: { readonly seen: number }) {
    this.#values = values;
    this.#state = state;
  }

  get length(): number {
    return this.#state.seen;
  }

  at(i: number): number | undefined {
    const n = this.#state.seen;
    const k = Math.trunc(i) || 0; // as Array#at: NaN is 0, a fraction is cut
    const j = k < 0 ? k + n : k;
    // Outside [0, n) an index past the array, which reads undefined: one load, whose result the
    // compiler keeps a plain double (an `undefined` branch would box every value read).
    return this.#values[j >= 0 && j < n ? j : this.#values.length];
  }
}

interface SymbolState {
  symbol: string;
  bars: BarSeries;
  board: Board;
  isSt: boolean;
  /** Bars up to and including the current step. */
  seen: number;
  hasBar: boolean;
  /** Close of the previous trading day: the base of today's price limits. */
  prevDayClose: number;
  /** The limit prices (none: no limit known) of day `limitsDay`, computed when an order needs them. */
  limits: LimitFen | undefined;
  limitsDay: number;
  /** Indicator outputs over the whole series, in the order first asked for (a strategy uses few). */
  indicators: ComputedIndicator[];
  /** bars[0, barsViewEnd): the view ctx.bars handed out at the current step, if any. */
  barsView: BarSeries | undefined;
  barsViewEnd: number;
  /** The portfolio holds shares of it (kept on the state `state` answers, after every fill). */
  held: boolean;
}

const PROGRESS_EVERY = 1_000;

/** The bar times of one series inside [start, end], in its order (a loop: filter() calls back per bar). */
function timesInRange(bars: BarSeries, start: number, end: number): Float64Array {
  const ts = bars.ts;
  const n = Math.min(bars.length, ts.length);
  let count = 0;
  for (let i = 0; i < n; i++) if (ts[i]! >= start && ts[i]! <= end) count++;
  const out = new Float64Array(count);
  count = 0;
  for (let i = 0; i < n; i++) if (ts[i]! >= start && ts[i]! <= end) out[count++] = ts[i]!;
  return out;
}

/** Every bar time of the symbols inside [start, end], ascending, once. */
function timeline(data: readonly BacktestSymbolData[], start: number, end: number): Float64Array {
  if (data.length === 1) return timesInRange(data[0]!.bars, start, end);
  const all = new Set<number>();
  for (const d of data) {
    for (let i = 0; i < d.bars.length; i++) {
      const t = d.bars.ts[i]!;
      if (t >= start && t <= end) all.add(t);
    }
  }
  return Float64Array.from(all).sort();
}

/**
 * dayStart of every step, in one pass. Bar times are whole seconds, and a whole second less than
 * 86 400 s after the day start of the step before (a whole second too) is in that same day: the
 * floating-point remainder dayStart takes (a library call) is paid once a day, not on every step.
 */
function stepDays(steps: Float64Array): Float64Array {
  const days = new Float64Array(steps.length);
  let day = NaN; // the previous step's day when that step was a whole second
  for (let k = 0; k < steps.length; k++) {
    const t = steps[k]!;
    const whole = Number.isInteger(t);
    const d = whole && t >= day && t < day + 86_400 ? day : dayStart(t);
    days[k] = d;
    day = whole ? d : NaN;
  }
  return days;
}

/** A symbol's state at the start of a run: bars before the first step are history, seen from the start. */
function symbolState(d: BacktestSymbolData, firstStep: number): SymbolState {
  const parsed = parseSymbol(d.symbol);
  if (!parsed) throw new RangeError(`not a symbol: ${d.symbol}`);
  let seen = 0;
  while (seen < d.bars.length && d.bars.ts[seen]! < firstStep) seen++;
  return {
    symbol: d.symbol,
    bars: d.bars,
    board: classify(parsed.code, parsed.exchange).board,
    isSt: d.isSt ?? false,
    seen,
    hasBar: false,
    prevDayClose: NaN,
    limits: undefined,
    limitsDay: NaN,
    indicators: [],
    barsView: undefined,
    barsViewEnd: -1,
    held: false,
  };
}

const lastClose = (s: SymbolState): number => (s.seen > 0 ? s.bars.close[s.seen - 1]! : NaN);

/** The symbol's bars up to the current one: one view per step, made when first asked for. */
function barsView(s: SymbolState): BarSeries {
  if (s.barsViewEnd !== s.seen || s.barsView === undefined) {
    s.barsView = sliceSeries(s.bars, 0, s.seen);
    s.barsViewEnd = s.seen;
  }
  return s.barsView;
}

/** The indicator over the symbol's whole series, computed on the first request of these parameters. */
function computed(s: SymbolState, name: string, params: Params, output: string | undefined, convention: Convention): ComputedIndicator {
  let found = findComputed(s.indicators, name, convention, output, params);
  if (!found) {
    const def = INDICATORS.get(name, convention);
    const values = calculate(def, s.bars, s.bars.length, params).outputs[output ?? def.outputs[0]!.name];
    if (!values) throw new RangeError(`${name} has no output ${output}`);
    found = { name, convention, params: { ...params }, output, values, view: values.subarray(0, 0), viewEnd: 0, live: undefined, sameAs: isConstant(params) ? params : undefined };
    s.indicators.push(found);
  }
  return found;
}

/** The symbol's price limits on `day`, from the previous day's close (computed once a day, if asked). */
function limitsOf(s: SymbolState, day: number): LimitFen | undefined {
  if (s.limitsDay !== day) {
    s.limits = Number.isFinite(s.prevDayClose) ? dailyLimitsFen(s.board, s.isSt, day, s.prevDayClose) : undefined;
    s.limitsDay = day;
  }
  return s.limits;
}

/**
 * Everything one run keeps behind the context: the symbols' states, the portfolio and the current
 * step. Never handed to the strategy (the context holds it in a private field).
 */
class RunState {
  readonly states: SymbolState[];
  readonly bySymbol: Map<string, SymbolState>;
  /** One state per symbol (a symbol given twice is the last one, as `state` answers). */
  readonly distinct: SymbolState[];
  readonly portfolio: Portfolio;
  readonly strategy: Strategy;
  readonly ctx: Context;
  time: number;
  /** The state `state` answered last: a strategy asks about one symbol several times in a row. */
  lastAsked: SymbolState | undefined = undefined;

  constructor(input: BacktestInput, strategy: Strategy, steps: Float64Array) {
    this.states = input.data.map((d) => symbolState(d, steps[0] ?? Infinity));
    this.bySymbol = new Map(this.states.map((s) => [s.symbol, s]));
    this.distinct = [...this.bySymbol.values()];
    this.portfolio = new Portfolio({ initialCashFen: input.initialCashFen, costs: input.costs, fillModel: input.fillModel, volumeCap: input.volumeCap });
    this.strategy = strategy;
    this.time = steps[0] ?? 0;
    this.ctx = new Context(this);
  }

  state(symbol: string): SymbolState {
    const last = this.lastAsked;
    if (last !== undefined && last.symbol === symbol) return last;
    const s = this.bySymbol.get(symbol);
    if (!s) throw new RangeError(`${symbol} is not in this backtest`);
    return (this.lastAsked = s);
  }

  /**
   * Every holding at its last close. Positions exist only for the backtest's symbols (submit checks),
   * so walking the symbols' `held` flags finds them all without the sorted copy portfolio.positions()
   * makes or a look-up per symbol; the terms are integer fen, so the order of the sum changes nothing.
   */
  holdingsFen(): number {
    let total = 0;
    for (const s of this.distinct) {
      if (!s.held) continue;
      const p = this.portfolio.position(s.symbol);
      if (p === undefined || !(p.quantity > 0)) continue;
      const close = lastClose(s);
      if (Number.isFinite(close)) total += tradeValueFen(p.quantity, toFen(close));
    }
    return total;
  }

  notify(event: OrderEvent): void {
    if (this.strategy.onOrderUpdate) this.strategy.onOrderUpdate(this.ctx, event);
  }

  dispatch(events: readonly OrderEvent[]): void {
    for (const e of events) this.notify(e);
  }

  submit(symbol: string, side: 'buy' | 'sell', quantity: number, o: OrderOptions = {}): OrderEvent {
    this.state(symbol);
    const type: OrderType = o.type ?? (o.limitPrice !== undefined ? 'limit' : o.stopPrice !== undefined ? 'stop' : 'market');
    const event = this.portfolio.submit({ symbol, side, type, quantity, limitPrice: o.limitPrice, stopPrice: o.stopPrice });
    this.notify(event);
    return event;
  }

  /** A new trading day: yesterday's closes become the base of today's limits; T+1 settles. */
  startDay(day: number): void {
    for (const s of this.states) s.prevDayClose = lastClose(s);
    this.dispatch(this.portfolio.startDay(day));
  }

  /** Moves every symbol to the step at `time`; answers the number of bars it brought. */
  advance(time: number): number {
    let bars = 0;
    for (const s of this.states) {
      s.hasBar = s.seen < s.bars.length && s.bars.ts[s.seen] === time;
      if (s.hasBar) {
        s.seen++;
        bars++;
      }
    }
    return bars;
  }

  /**
   * The open orders meet this step's bars, symbol by symbol in input order (a daily step presents a
   * missing bar as a suspension). A symbol without open orders is skipped: processBar would change
   * nothing. An event handler may submit an order for a later symbol, so each symbol is asked when
   * its turn comes.
   */
  matchBars(isDaily: boolean, day: number): void {
    const portfolio = this.portfolio;
    if (!portfolio.hasOpenOrders()) return;
    for (const s of this.states) {
      if ((!s.hasBar && !isDaily) || !portfolio.hasOpenOrders(s.symbol)) continue;
      const i = s.seen - 1;
      const bar = s.hasBar ? { open: s.bars.open[i]!, high: s.bars.high[i]!, low: s.bars.low[i]!, close: s.bars.close[i]!, volume: s.bars.volume[i]! } : undefined;
      const events = portfolio.processBar(s.symbol, { bar, limits: limitsOf(s, day) });
      // Positions change only here, by fills: the held flag follows (before the strategy hears of them).
      this.bySymbol.get(s.symbol)!.held = (portfolio.position(s.symbol)?.quantity ?? 0) > 0;
      this.dispatch(events);
    }
  }

  /** The day's row of the equity curve. */
  recordDay(curve: EquityCurve): void {
    const holdings = this.holdingsFen();
    const cashFen = this.portfolio.cashFen;
    const equity = cashFen + holdings;
    curve.times.push(dayStart(this.time));
    curve.dates.push(formatDate(this.time));
    curve.equityFen.push(equity);
    curve.cashFen.push(cashFen);
    curve.exposure.push(equity > 0 ? holdings / equity : 0);
  }
}

/**
 * What the strategy sees (strategy.ts). Its methods live on the prototype — the same functions in
 * every run, so compiled strategy code that calls them stays valid from one backtest to the next
 * (closures made per run would be new functions each time, and compiled code inlining them would be
 * thrown away once they are collected). The run behind it is a private field: nothing past the
 * current bar is reachable from a strategy.
 */
class Context implements StrategyContext {
  readonly #run: RunState;
  readonly symbols: readonly string[];

  constructor(run: RunState) {
    this.#run = run;
    this.symbols = run.states.map((s) => s.symbol);
  }

  get time(): number {
    return this.#run.time;
  }

  get date(): string {
    return formatDate(this.#run.time);
  }

  bars(symbol: string): BarSeries {
    return barsView(this.#run.state(symbol));
  }

  hasBar(symbol: string): boolean {
    return this.#run.state(symbol).hasBar;
  }

  indicator(symbol: string, name: string, params: Params = NO_PARAMS, output?: string, convention: Convention = 'talib'): Float64Array {
    const s = this.#run.state(symbol);
    const c = computed(s, name, params, output, convention);
    if (c.viewEnd !== s.seen) {
      c.view = c.values.subarray(0, s.seen);
      c.viewEnd = s.seen;
    }
    return c.view;
  }

  indicatorView(symbol: string, name: string, params: Params = NO_PARAMS, output?: string, convention: Convention = 'talib'): SeriesView {
    const s = this.#run.state(symbol);
    const c = computed(s, name, params, output, convention);
    return (c.live ??= new LiveSeries(c.values, s));
  }

  get cashFen(): number {
    return this.#run.portfolio.cashFen;
  }

  get equityFen(): number {
    return this.#run.portfolio.cashFen + this.#run.holdingsFen();
  }

  position(symbol: string): Position | undefined {
    return this.#run.portfolio.position(symbol);
  }

  buy(symbol: string, quantity: number, o?: OrderOptions): OrderEvent {
    return this.#run.submit(symbol, 'buy', quantity, o);
  }

  sell(symbol: string, quantity: number, o?: OrderOptions): OrderEvent {
    return this.#run.submit(symbol, 'sell', quantity, o);
  }

  orderTarget(symbol: string, target: Target, o?: OrderOptions): OrderEvent | undefined {
    const run = this.#run;
    const s = run.state(symbol);
    const priceFen = toFen(o?.limitPrice ?? lastClose(s));
    if (!(priceFen > 0)) return undefined;
    const held = run.portfolio.position(symbol)?.quantity ?? 0;
    const wanted = 'shares' in target ? target.shares : Math.floor(('percent' in target ? this.equityFen * target.percent : toFen(target.value)) / priceFen);
    const day = dayStart(run.time);
    if (wanted > held) {
      const qty = roundBuyQuantity(s.board, wanted - held, day);
      return qty > 0 ? run.submit(symbol, 'buy', qty, o) : undefined;
    }
    if (wanted < held) {
      const sellable = run.portfolio.position(symbol)?.available ?? 0;
      const qty = roundSellQuantity(s.board, held - Math.max(0, wanted), sellable, day);
      return qty > 0 ? run.submit(symbol, 'sell', qty, o) : undefined;
    }
    return undefined;
  }
}

export function runBacktest(input: BacktestInput, strategy: Strategy, options: RunOptions = {}): BacktestRun {
  keepShapes();
  return execute(input, strategy, options).result;
}

/**
 * A small run kept for the life of the process. The compiled engine depends on the hidden classes
 * (V8 maps) of a run's objects — its states, context, views, orders — and a hidden class lives only
 * as long as some object has it: once a backtest's objects are all gone, a full GC frees them and
 * throws the compiled code away ('weak objects' deoptimizations), and the next backtest starts cold
 * (npm run bench:backtest collects garbage between runs: 37 stocks of daily bars took about 1.6×
 * as long). This run's objects keep them alive: it goes through the same steps as a real one.
 */
let keeper: RunState | undefined;

function keepShapes(): void {
  if (keeper) return;
  const data = ['600000.SH', '000001.SZ'].map((symbol, k) => {
    const bars = allocateSeries(30);
    for (let i = 0; i < 30; i++) {
      const close = 10 + ((i * (k + 2)) % 7) / 10;
      setBar(bars, i, tsOf(2024, 1, 1) + i * 86_400, close, close + 0.1, close - 0.1, close, 1e6, close * 1e6);
    }
    return { symbol, bars: sliceSeries(bars, 0, 30) };
  });
  const period = Object.freeze({ period: 3 });
  const strategy: Strategy = {
    onBar(ctx) {
      for (const symbol of ctx.symbols) {
        if (!ctx.hasBar(symbol)) continue;
        // Every read the context offers (bars, an indicator as array and as live view), then orders.
        const close = ctx.bars(symbol).close;
        ctx.indicator(symbol, 'SMA', period);
        const sma = ctx.indicatorView!(symbol, 'SMA', period).at(-1)!;
        const held = ctx.position(symbol)?.quantity ?? 0;
        if (held === 0 && close[close.length - 1]! > sma) ctx.buy(symbol, 100);
        else if (held > 0 && close[close.length - 1]! < sma) ctx.sell(symbol, held);
        // Orders that end otherwise: a limit never reached (cancelled at the day's end), a refusal.
        if (close.length % 10 === 5) ctx.buy(symbol, 100, { limitPrice: 1 });
        if (close.length % 10 === 7) ctx.sell(symbol, 1_000_000);
      }
    },
  };
  keeper = execute({ data, initialCashFen: 10_000_000 }, strategy, {}).run;
}

function execute(input: BacktestInput, strategy: Strategy, options: RunOptions): { run: RunState; result: BacktestRun } {
  const steps = timeline(input.data, input.start ?? -Infinity, input.end ?? Infinity);
  const days = stepDays(steps);
  const run = new RunState(input, strategy, steps);
  const { ctx, portfolio } = run;
  const fillModel = input.fillModel ?? 'next-open';
  const curve: EquityCurve = { times: [], dates: [], equityFen: [], cashFen: [], exposure: [] };
  let barsProcessed = 0;

  strategy.onInit?.(ctx);
  let currentDay: number | undefined;
  for (let k = 0; k < steps.length; k++) {
    options.signal?.throwIfAborted();
    const time = steps[k]!;
    const day = days[k]!;
    run.time = time;
    if (day !== currentDay) {
      currentDay = day;
      run.startDay(day);
    }
    barsProcessed += run.advance(time);
    const isDaily = time === day;
    if (fillModel === 'next-open') {
      run.matchBars(isDaily, day);
      strategy.onBar(ctx);
    } else {
      strategy.onBar(ctx);
      run.matchBars(isDaily, day);
    }
    const lastOfDay = k + 1 === steps.length || days[k + 1] !== day;
    if (lastOfDay) {
      run.dispatch(portfolio.endDay());
      run.recordDay(curve);
    }
    if (options.onProgress && ((k + 1) % (options.progressEvery ?? PROGRESS_EVERY) === 0 || k + 1 === steps.length)) {
      options.onProgress({ stepsDone: k + 1, steps: steps.length, time, equityFen: curve.equityFen.at(-1) ?? input.initialCashFen });
    }
  }

  const fills = [...portfolio.fills];
  const result: BacktestRun = {
    orders: [...portfolio.orders],
    fills,
    trades: roundTrips(fills, curve.times),
    equity: curve,
    positions: portfolio.positions(),
    finalCashFen: portfolio.cashFen,
    finalEquityFen: curve.equityFen.at(-1) ?? input.initialCashFen,
    barsProcessed,
    steps: steps.length,
  };
  return { run, result };
}
