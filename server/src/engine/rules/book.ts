/**
 * The rule book of one account: compiled rules indexed by symbol, fed quotes, bar closes and
 * portfolio snapshots, answering triggers (docs/RULES.md, "The index"). A quote looks up its
 * symbol once and evaluates only the rules listed there — a quote for A never touches B's rules —
 * so the cost of a tick is the rules that watch its symbols, not the size of the book.
 *
 * Pure and deterministic: no clock (every call gets `now`, the time the policy and the triggers
 * use), no I/O; the same calls in the same order give the same triggers.
 */
import { toFen } from '../market/money';
import { indicatorCross, smaFeed } from './bar-conditions';
import { compileRule, type CompiledRule } from './compile';
import { armedState, isActive, mayFire, recordFire, type FireState } from './policy';
import { evaluatePortfolioRule, portfolioView } from './portfolio-conditions';
import { PriceRing } from './price-ring';
import { RuleProblem } from './problem';
import { evaluateQuoteRule, newSymbolMarket, type Hit, type QuoteInput, type SymbolMarket } from './quote-conditions';
import { renderTemplate } from './template';
import type { BarClose, HeldPosition, IndicatorFeed, PortfolioSnapshot, QuoteTick, ReferenceData, RuleDefinition, Trigger } from './types';

export interface RuleBookOptions {
  reference?: ReferenceData;
  /** Indicator values for indicator-cross rules; default `smaFeed` (MA of the close). */
  indicators?: IndicatorFeed;
}

/** The key of an account-wide rule's fire state (it has no symbol). */
const ACCOUNT = '';
const NONE: readonly Trigger[] = Object.freeze([]);

/** A symbol quote rules watch: its rules and its market state, found with one lookup per quote. */
interface WatchedSymbol {
  rules: CompiledRule[];
  market: SymbolMarket;
}

/**
 * A price ring only while a price-change rule watches the symbol, as long as the longest window;
 * kept across rule changes so its history survives.
 */
function fitRing(watched: WatchedSymbol): void {
  let windowMs = 0;
  for (const r of watched.rules) if (r.windowMs > windowMs) windowMs = r.windowMs;
  const market = watched.market;
  if (windowMs === 0) market.ring = null;
  else if (market.ring) market.ring.windowMs = windowMs;
  else market.ring = new PriceRing(windowMs);
}

/** What a trigger says besides the rule and the hit. */
interface Occasion {
  symbol?: string;
  name?: string;
  price?: number;
  /** The quote's change from the previous close, % (template only). */
  changePercent?: number;
  eventMs: number;
}

export class RuleBook {
  private readonly reference: ReferenceData;
  private readonly indicators: IndicatorFeed;
  private readonly rules = new Map<string, CompiledRule>();
  /**
   * Quote rules by the symbols they watch (watchlists expanded; account position-loss by
   * holdings), with each symbol's market state (previous price, price ring, cached limits): it
   * exists while a quote rule watches the symbol.
   */
  private readonly quoteIndex = new Map<string, WatchedSymbol>();
  private readonly barIndex = new Map<string, CompiledRule[]>();
  private readonly portfolioRules = new Set<CompiledRule>();
  /** The symbols each indexed rule is listed under, to unlist it exactly. */
  private readonly listedUnder = new Map<CompiledRule, readonly string[]>();
  /** The account's positions from the latest snapshot, by symbol (quantity > 0 only). */
  private readonly holdings = new Map<string, HeldPosition>();
  /** Reused for every quote: the hot path allocates nothing unless a rule fires. */
  private readonly input: QuoteInput;

  constructor(options: RuleBookOptions = {}) {
    this.reference = options.reference ?? {};
    this.indicators = options.indicators ?? smaFeed;
    this.input = { tick: undefined as unknown as QuoteTick, priceFen: NaN, market: undefined as unknown as SymbolMarket, holdings: this.holdings, reference: this.reference };
  }

  // ---- rules ----

  get size(): number {
    return this.rules.size;
  }

  has(id: string): boolean {
    return this.rules.has(id);
  }

  /** The rule as compiled (a copy of what was added). */
  get(id: string): RuleDefinition | undefined {
    return this.rules.get(id)?.def;
  }

  /** Compiles and indexes a new rule; a RuleProblem for a bad definition or a duplicate id. */
  add(def: RuleDefinition): void {
    if (this.rules.has(def.id)) throw new RuleProblem(`rule ${def.id} exists`, 'id');
    this.insert(compileRule(def));
  }

  /** Replaces a rule (compiled first: a bad edit leaves the old rule in place). An edit re-arms it. */
  update(def: RuleDefinition): void {
    const old = this.rules.get(def.id);
    if (!old) throw new RuleProblem(`no rule ${def.id}`, 'id');
    const compiled = compileRule(def);
    // The new one is listed before the old one leaves, so a symbol's market state (previous
    // price, price ring) survives the edit of its only rule.
    this.insert(compiled);
    this.portfolioRules.delete(old);
    this.unlist(old);
  }

  remove(id: string): boolean {
    const rule = this.rules.get(id);
    if (rule) this.delete(rule);
    return rule !== undefined;
  }

  /**
   * Tells the rule when it last fired for `key` (a symbol, '' account-wide), as a module that keeps
   * fire state across restarts remembers it: cooldowns and bars go on where they were.
   */
  restoreFire(id: string, key: string, state: FireState): void {
    this.rules.get(id)?.fired.set(key, { ...state });
  }

  /** Forgets when the rule fired: a `once` rule may fire again, cooldowns and bars start afresh. */
  rearm(id: string): void {
    this.rules.get(id)?.fired.clear();
  }

  /** The symbols a rule is indexed under now (a watchlist's, or the account's holdings). */
  symbolsOf(id: string): readonly string[] {
    const rule = this.rules.get(id);
    return (rule && this.listedUnder.get(rule)) ?? [];
  }

  /** The ids of the quote and bar rules a symbol's events evaluate. */
  rulesFor(symbol: string): string[] {
    return [...(this.quoteIndex.get(symbol)?.rules ?? []), ...(this.barIndex.get(symbol) ?? [])].map((r) => r.def.id);
  }

  /** The rules expired at `now` (still held, never evaluated): for the module to mark or delete. */
  expiredRules(now: number): string[] {
    const out: string[] = [];
    for (const [id, rule] of this.rules) if (rule.def.expiresAt != null && now >= rule.def.expiresAt) out.push(id);
    return out;
  }

  /** How many times the rule's condition has been evaluated since it was added or edited. */
  evaluationsOf(id: string): number {
    return this.rules.get(id)?.evaluations ?? 0;
  }

  // ---- events ----

  /**
   * A quote: the rules indexed under its symbol, in the order they were indexed. A stale quote, or
   * one without a positive price or a time (a suspended stock quoting 0), is skipped whole and does
   * not become the previous price.
   */
  onQuote(tick: QuoteTick, now: number): readonly Trigger[] {
    const watched = this.quoteIndex.get(tick.symbol);
    if (watched === undefined || tick.stale === true) return NONE;
    const priceFen = toFen(tick.price);
    if (!(priceFen > 0) || !Number.isFinite(tick.timeMs)) return NONE;
    const { rules, market } = watched;
    market.ring?.push(tick.timeMs, priceFen);
    const input = this.input;
    input.tick = tick;
    input.priceFen = priceFen;
    input.market = market;
    let triggers: Trigger[] | undefined;
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (!isActive(rule.def, now)) continue;
      rule.evaluations++;
      const hit = evaluateQuoteRule(rule, input);
      if (hit === null) continue;
      const name = tick.name ?? this.holdings.get(tick.symbol)?.name;
      const changePercent = tick.prevClose > 0 ? ((tick.price - tick.prevClose) / tick.prevClose) * 100 : undefined;
      const trigger = this.fire(rule, tick.symbol, hit, now, { symbol: tick.symbol, name, price: tick.price, changePercent, eventMs: tick.timeMs });
      if (trigger) (triggers ??= []).push(trigger);
    }
    market.prevPriceFen = priceFen;
    return triggers ?? NONE;
  }

  /** A bar close of a symbol: its indicator rules for that bar period. */
  onBar(bar: BarClose, now: number): readonly Trigger[] {
    const rules = this.barIndex.get(bar.symbol);
    if (rules === undefined || bar.closes.length === 0) return NONE;
    let triggers: Trigger[] | undefined;
    for (const rule of rules) {
      if (!isActive(rule.def, now) || rule.def.condition.kind !== 'indicator-cross') continue;
      rule.evaluations++;
      const hit = indicatorCross(rule.def.condition, bar, this.indicators);
      if (hit === null) continue;
      const price = bar.closes[bar.closes.length - 1]!;
      const trigger = this.fire(rule, bar.symbol, hit, now, { symbol: bar.symbol, name: bar.name, price, eventMs: bar.timeMs });
      if (trigger) (triggers ??= []).push(trigger);
    }
    return triggers ?? NONE;
  }

  /**
   * A portfolio snapshot, on the module's schedule: records the holdings (which account-scoped
   * position-loss rules follow on quotes) and evaluates the portfolio rules.
   */
  onPortfolio(snapshot: PortfolioSnapshot, now: number): readonly Trigger[] {
    this.setHoldings(snapshot.positions);
    if (this.portfolioRules.size === 0) return NONE;
    const view = portfolioView(snapshot);
    const eventMs = snapshot.timeMs;
    let triggers: Trigger[] | undefined;
    for (const rule of this.portfolioRules) {
      if (!isActive(rule.def, now)) continue;
      rule.evaluations++;
      const hits = evaluatePortfolioRule(rule, view);
      if (hits === null) continue;
      if (hits instanceof Map) {
        for (const [symbol, hit] of hits) {
          const position = this.holdings.get(symbol);
          const price = position ? position.lastPriceFen / 100 : undefined;
          const trigger = this.fire(rule, symbol, hit, now, { symbol, name: position?.name, price, eventMs });
          if (trigger) (triggers ??= []).push(trigger);
        }
      } else {
        const trigger = this.fire(rule, ACCOUNT, hits, now, { eventMs });
        if (trigger) (triggers ??= []).push(trigger);
      }
    }
    return triggers ?? NONE;
  }

  // ---- policy ----

  private fire(rule: CompiledRule, key: string, hit: Hit, now: number, at: Occasion): Trigger | null {
    const { def } = rule;
    let state = rule.fired.get(key);
    if (state && !mayFire(def.frequency, state, now, at.eventMs)) return null;
    if (!state) rule.fired.set(key, (state = armedState()));
    recordFire(def.frequency, state, now, at.eventMs);
    const trigger: Trigger = {
      ruleId: def.id,
      ruleName: def.name,
      kind: def.condition.kind,
      severity: def.severity,
      value: hit.value,
      threshold: hit.threshold,
      unit: hit.unit,
      message: renderTemplate(rule.template, { rule: def.name, severity: def.severity, ...at, value: hit.value, threshold: hit.threshold, unit: hit.unit, time: at.eventMs }),
      time: now,
      eventTime: at.eventMs,
    };
    if (at.symbol !== undefined) trigger.symbol = at.symbol;
    if (at.name !== undefined) trigger.name = at.name;
    if (at.price !== undefined) trigger.price = at.price;
    return trigger;
  }

  // ---- index ----

  private insert(rule: CompiledRule): void {
    this.rules.set(rule.def.id, rule);
    if (rule.family === 'portfolio') this.portfolioRules.add(rule);
    else this.list(rule);
  }

  private delete(rule: CompiledRule): void {
    this.rules.delete(rule.def.id);
    this.portfolioRules.delete(rule);
    this.unlist(rule);
  }

  /** Where a quote or bar rule is listed: its named symbols, or (account position-loss) the holdings. */
  private targets(rule: CompiledRule): readonly string[] {
    return rule.named ? [...rule.named] : [...this.holdings.keys()];
  }

  private list(rule: CompiledRule): void {
    const symbols = this.targets(rule);
    this.listOn(rule, symbols);
    this.listedUnder.set(rule, symbols);
  }

  private unlist(rule: CompiledRule): void {
    const symbols = this.listedUnder.get(rule);
    if (!symbols) return;
    this.listedUnder.delete(rule);
    this.unlistFrom(rule, symbols);
  }

  /** Moves a rule to its current targets, touching only the symbols that changed. */
  private relist(rule: CompiledRule): void {
    const before = this.listedUnder.get(rule) ?? [];
    const after = this.targets(rule);
    const wasListed = new Set(before);
    const stays = new Set(after);
    this.unlistFrom(rule, before.filter((s) => !stays.has(s)));
    this.listOn(rule, after.filter((s) => !wasListed.has(s)));
    this.listedUnder.set(rule, after);
  }

  private listOn(rule: CompiledRule, symbols: readonly string[]): void {
    for (const symbol of symbols) {
      if (rule.family === 'bar') {
        let rules = this.barIndex.get(symbol);
        if (!rules) this.barIndex.set(symbol, (rules = []));
        rules.push(rule);
      } else {
        let watched = this.quoteIndex.get(symbol);
        if (!watched) this.quoteIndex.set(symbol, (watched = { rules: [], market: newSymbolMarket(symbol, this.reference) }));
        watched.rules.push(rule);
        fitRing(watched);
      }
    }
  }

  private unlistFrom(rule: CompiledRule, symbols: readonly string[]): void {
    const index = rule.family === 'bar' ? this.barIndex : this.quoteIndex;
    for (const symbol of symbols) {
      const watched = rule.family === 'bar' ? undefined : this.quoteIndex.get(symbol);
      const rules = rule.family === 'bar' ? this.barIndex.get(symbol) : watched?.rules;
      if (!rules) continue;
      const at = rules.indexOf(rule);
      if (at >= 0) rules.splice(at, 1);
      if (rules.length === 0) index.delete(symbol);
      else if (watched) fitRing(watched);
    }
  }

  /** New holdings; the account-scoped quote rules (position loss) move to the new set of symbols. */
  private setHoldings(positions: readonly HeldPosition[]): void {
    const next = new Map<string, HeldPosition>();
    for (const p of positions) if (p.quantity > 0) next.set(p.symbol, p);
    const sameSymbols = next.size === this.holdings.size && [...next.keys()].every((s) => this.holdings.has(s));
    this.holdings.clear();
    for (const [symbol, p] of next) this.holdings.set(symbol, p);
    if (sameSymbols) return;
    for (const rule of this.rules.values()) if (rule.family === 'quote' && rule.named === null) this.relist(rule);
  }
}
