/**
 * The risk rules engine's vocabulary: what a rule is (docs/RULES.md has every definition), what it
 * is fed (quotes, portfolio snapshots, bar closes) and what it answers (triggers). Plain data only,
 * so a module can persist rules as JSON and hand triggers to an AlertService as they are.
 *
 * Units: prices in the inputs are yuan as the quote carries them (compared in whole fen inside);
 * money in portfolio snapshots is integer fen as in the ledger; times are Unix milliseconds.
 */
import type { Board } from '../market/symbols';
import type { ListingAge } from '../market/price-limits';
import type { Columns } from '../indicators/registry';

export type Severity = 'info' | 'warning' | 'critical';
export type Direction = 'up' | 'down' | 'either';

/** Bar periods a once-per-bar rule can count in (and an indicator rule evaluates on). */
export type BarPeriod = '1m' | '5m' | '15m' | '30m' | '60m' | 'day';

/** Which instruments a rule watches. A watchlist is expanded by the caller into its symbols. */
export type RuleScope =
  | { type: 'symbol'; symbol: string }
  | { type: 'watchlist'; symbols: readonly string[]; watchlistId?: string }
  | { type: 'account' };

/**
 * How often a rule whose condition holds may fire (per symbol it watches):
 * - once: the first time, then never until re-armed (RuleBook.rearm) or edited;
 * - once-per-bar: at most once per bar bucket of the event's market time (a day, a 5-minute bucket…);
 * - every: every time, but never twice within `cooldownSeconds` of the book's clock.
 */
export type TriggerFrequency =
  | { mode: 'once' }
  | { mode: 'once-per-bar'; bar: BarPeriod }
  | { mode: 'every'; cooldownSeconds: number };

/**
 * An indicator line, e.g. { indicator: 'SMA', params: { period: 20 } }; `output` picks one of
 * several lines; `convention` names the registry's convention it is in (absent: the feed's default,
 * talib for `registryFeed`), so one book can hold TA-Lib and TDX lines side by side.
 */
export interface IndicatorLineSpec {
  indicator: string;
  convention?: 'talib' | 'tdx';
  params?: Readonly<Record<string, number>>;
  output?: string;
}

/** The bar close itself, or an indicator line. */
export type LineSpec = 'close' | IndicatorLineSpec;

/** What a rule watches for. Thresholds are positive magnitudes (a loss of 5 % is thresholdPercent 5). */
export type RuleCondition =
  // Quote rules (evaluated per quote of a symbol they watch).
  | { kind: 'position-loss'; thresholdPercent: number }
  | { kind: 'price-cross'; level: number; direction: Direction }
  | { kind: 'price-change'; minutes: number; thresholdPercent: number; direction: Direction }
  | { kind: 'volume-surge'; days: number; multiple: number; minElapsedMinutes?: number }
  | { kind: 'limit-touch'; side: Direction }
  // Bar rules (evaluated on a bar close of a symbol they watch).
  | { kind: 'indicator-cross'; period: BarPeriod; line: LineSpec; against: LineSpec | number; direction: Direction }
  // Portfolio rules (evaluated on a portfolio snapshot).
  | { kind: 'drawdown'; thresholdPercent: number }
  | { kind: 'daily-loss'; unit: 'fen' | 'percent'; threshold: number }
  | { kind: 'position-weight'; thresholdPercent: number }
  | { kind: 'hhi'; threshold: number }
  | { kind: 'var'; unit: 'fen' | 'percent'; threshold: number };

export type RuleKind = RuleCondition['kind'];

export interface RuleDefinition {
  id: string;
  name: string;
  enabled: boolean;
  severity: Severity;
  scope: RuleScope;
  condition: RuleCondition;
  frequency: TriggerFrequency;
  /** Unix ms from which the rule is inactive; null/absent: never expires. */
  expiresAt?: number | null;
  /** Message template with {placeholders} (template.ts); absent: the kind's default. */
  message?: string;
}

/** The fields of a Quote (contracts/market.yaml) the rules need; `timeMs` is the quote's `time` parsed once. */
export interface QuoteTick {
  symbol: string;
  /** Also decides ST status (`*ST`/`ST` prefix) for the limit-touch rule: pass it. */
  name?: string;
  price: number;
  prevClose: number;
  /** The day's cumulative volume, shares. */
  volume?: number;
  /** The quote's market time, Unix ms. */
  timeMs: number;
  /** The Quote's `stale` flag: a stale quote (a cached close) is no news and is skipped. */
  stale?: boolean;
}

/** A held position as the portfolio reports it (fen). */
export interface HeldPosition {
  symbol: string;
  name?: string;
  quantity: number;
  /** Average cost per share, fen. */
  avgCostFen: number;
  /** Last price per share, fen. */
  lastPriceFen: number;
}

/**
 * One account's state, passed on the module's schedule. A RuleBook watches one account: account
 * scope means this account.
 */
export interface PortfolioSnapshot {
  /** Market time of the snapshot, Unix ms. */
  timeMs: number;
  /** Total equity (cash + positions), fen. */
  equityFen: number;
  /** Equity at yesterday's close, fen (for daily loss); absent: no daily-loss value. */
  previousCloseEquityFen?: number;
  /** The running peak of the equity series, fen; the peak used is max(this, series, equity). */
  peakEquityFen?: number;
  /** The equity series (fen), when the caller has it rather than a peak. */
  equitySeriesFen?: ArrayLike<number>;
  positions: readonly HeldPosition[];
  /** VaR computed elsewhere (engine/risk), as a positive loss; absent: no VaR value. */
  valueAtRisk?: { lossFen: number; lossPercent: number } | null;
}

/** A closed bar of a symbol with the series it ends (the last element is the bar just closed). */
export interface BarClose {
  symbol: string;
  name?: string;
  period: BarPeriod;
  /** The bar's market time, Unix ms. */
  timeMs: number;
  closes: Float64Array;
  /** Other columns of the same bars, for indicators that need them (high, low, volume …). */
  columns?: Omit<Columns, 'close'>;
}

/** Supplies indicator values for bar rules: `registryFeed` or `smaFeed` (bar-conditions.ts). */
export interface IndicatorFeed {
  /**
   * The line's values at the last two bars of `bar.closes` ([previous, current]; NaN where the
   * indicator has no value yet), or undefined when the feed does not know the indicator.
   */
  lastTwo(spec: IndicatorLineSpec, bar: BarClose): readonly [number, number] | undefined;
}

/** Reference data the rules read per symbol; all optional (a rule without its data stays silent). */
export interface ReferenceData {
  /** The N-day average daily volume in shares, computed by the caller from daily bars. */
  averageVolume?(symbol: string, days: number): number | undefined;
  /** Listing age for the IPO window of the price-limit table; absent: long listed. */
  listing?(symbol: string, day: number): ListingAge | undefined;
  /** Overrides the board derived from the code (market/symbols.ts classify). */
  board?(symbol: string): Board | undefined;
}

/** How a trigger's value and threshold read: what the template formats them as. */
export type ValueUnit = 'percent' | 'fen' | 'price' | 'ratio' | 'fraction';

export interface Trigger {
  ruleId: string;
  ruleName: string;
  kind: RuleKind;
  severity: Severity;
  /** The symbol the condition held for; absent for account-wide rules (drawdown, daily loss, HHI, VaR). */
  symbol?: string;
  name?: string;
  /** The measured value and the threshold it was compared with, in `unit`. */
  value: number;
  threshold: number;
  unit: ValueUnit;
  /** The quote price (yuan) for quote and bar rules; the position's last price for weights. */
  price?: number;
  message: string;
  /** The book's clock when it fired (the `now` passed in), Unix ms. */
  time: number;
  /** The market time of the event (quote, snapshot or bar), Unix ms. */
  eventTime: number;
}
