/**
 * The strategy API. A strategy is an object with a parameter schema and three callbacks:
 *   onInit(ctx)              once, before the first bar
 *   onBar(ctx)               once per step of the timeline (all symbols' bars of that time)
 *   onOrderUpdate(ctx, ev)   for every event of its orders (accepted, rejected, filled, cancelled)
 * It sees the market only through the context: bar history and indicators up to the current bar
 * (views that end there: there is no later element to read), its account, and three commands —
 * buy, sell and orderTarget. Commands are orders for the portfolio (engine/portfolio), which
 * applies every A-share rule; a strategy never touches cash or positions itself.
 */
import type { BarSeries } from '../bars/series';
import type { Convention, Params } from '../indicators/registry';
import type { OrderEvent, OrderType, Position } from '../portfolio';

/** One parameter of a strategy: what the form shows and what the engine checks. */
export interface StrategyParam {
  name: string;
  label: { zh: string; en: string };
  type: 'integer' | 'number';
  default: number;
  min: number;
  max: number;
}

export interface StrategyDefinition<P extends Record<string, number> = Record<string, number>> {
  id: string;
  name: { zh: string; en: string };
  description: { zh: string; en: string };
  params: readonly StrategyParam[];
  /** Named parameter sets offered next to the form. */
  presets: readonly { name: string; params: Partial<P> }[];
  /** Rules across parameters that `create` enforces, for the form (e.g. `fast < slow`). */
  constraints?: readonly string[];
  /** Meant for a list of symbols (equal-weight rebalance) rather than one. */
  multiSymbol?: boolean;
  create(params: P): Strategy;
}

export interface Strategy {
  onInit?(ctx: StrategyContext): void;
  onBar(ctx: StrategyContext): void;
  onOrderUpdate?(ctx: StrategyContext, event: OrderEvent): void;
}

export interface OrderOptions {
  type?: OrderType;
  /** Yuan. */
  limitPrice?: number;
  /** Yuan. */
  stopPrice?: number;
}

/**
 * A live, read-only view of one series of a symbol (an indicator output): `length` is the number of
 * bars up to and including the current one, and `at` reads nothing beyond — the look-ahead guard of
 * the arrays the context hands out, without a new array on every bar. A Float64Array is one too.
 */
export interface SeriesView {
  readonly length: number;
  /** Value i (a negative i counts back from the current bar, as Array#at); undefined outside. */
  at(i: number): number | undefined;
}

/** What orderTarget aims a holding at: a fraction of equity, a value in yuan, or a share count. */
export type Target = { percent: number } | { value: number } | { shares: number };

export interface StrategyContext {
  /** The current step's bar time (bars/time.ts) and its YYYY-MM-DD date. */
  readonly time: number;
  readonly date: string;
  readonly symbols: readonly string[];
  /** The symbol's bars up to and including the current one (none yet: length 0). */
  bars(symbol: string): BarSeries;
  /** True when the symbol has a bar at the current step (false: suspended or not listed yet). */
  hasBar(symbol: string): boolean;
  /**
   * An indicator output over the symbol's bars up to the current one (NaN during warm-up),
   * computed once over the whole series by the registry's kernels of either convention.
   */
  indicator(symbol: string, name: string, params?: Params, output?: string, convention?: Convention): Float64Array;
  /**
   * The same values as indicator(), as a live view that follows the current bar: one object per
   * symbol and indicator for the whole run (optional: a context without it is read via indicator()).
   */
  indicatorView?(symbol: string, name: string, params?: Params, output?: string, convention?: Convention): SeriesView;
  readonly cashFen: number;
  /** Cash plus every holding at its last close, fen. */
  readonly equityFen: number;
  position(symbol: string): Position | undefined;
  buy(symbol: string, quantity: number, options?: OrderOptions): OrderEvent;
  sell(symbol: string, quantity: number, options?: OrderOptions): OrderEvent;
  /**
   * Orders the difference between the holding and the target, in valid lots (buys rounded down to
   * the board's lot, sells of a whole position include its odd lot); nothing when already there.
   */
  orderTarget(symbol: string, target: Target, options?: OrderOptions): OrderEvent | undefined;
}

/** Parameters with defaults filled in and each value checked against the schema. */
export function resolveStrategyParams<P extends Record<string, number>>(def: StrategyDefinition<P>, given: Partial<Record<string, number>> = {}): P {
  const out: Record<string, number> = {};
  for (const name of Object.keys(given)) {
    if (!def.params.some((p) => p.name === name)) throw new RangeError(`${def.id} has no parameter ${name}`);
  }
  for (const p of def.params) {
    const value = given[p.name] ?? p.default;
    if (!Number.isFinite(value) || value < p.min || value > p.max || (p.type === 'integer' && !Number.isInteger(value))) {
      throw new RangeError(`${def.id}.${p.name} must be ${p.type === 'integer' ? 'an integer' : 'a number'} from ${p.min} to ${p.max}`);
    }
    out[p.name] = value;
  }
  return out as P;
}
