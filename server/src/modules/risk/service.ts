/**
 * The risk rules at run time (docs/ARCHITECTURE.md, "Risk rules and alerts"): the rules of
 * `risk_rules` held in rule books of the pure engine (engine/rules, docs/RULES.md), fed from the
 * bus, their triggers raised through the AlertService.
 *
 * - **Books.** A RuleBook watches one account. Market rules (price-cross, price-change,
 *   volume-surge, limit-touch on a symbol or watchlist) live in one `market` book that takes every
 *   quote of the `quotes` topic, live and replayed (the rule acts on the market). Rules that read a
 *   paper account (position-loss, position-weight, drawdown, daily-loss, hhi, var) live in that
 *   account's book, which takes the quotes of the account's own mode (live accounts live quotes,
 *   replay accounts replayed ones, as paper trading does) and its portfolio snapshots.
 * - **Bar closes.** indicator-cross rules (market book) are fed the daily bars the quotes of their
 *   symbols close (bar-closes.ts: the first quote at or after 15:00, or a later day's first quote),
 *   each with the cached daily history before it, computed with the indicator registry.
 * - **Snapshots** (`PortfolioSnapshot`, from the trading module's account: equity, the day's opening
 *   equity, positions with their cost basis and last price, the account's peak equity, and for `var` rules the 95 % one-day historical VaR of the risk metrics) are taken every
 *   `intervalMs` (default 5 s) and after every paper fill of the account (the `trades` topic). A
 *   snapshot also tells the book the holdings that position-loss rules compare quotes with.
 * - **Watchlists** publish no change event: a watchlist rule's symbols are expanded on every CRUD
 *   and re-expanded on the same schedule (a changed list updates the rule in its book).
 * - **Once, cooldowns, bars.** The engine forgets fire state on an edit and on a restart; the module
 *   remembers what a `once` rule has fired for (`fired_keys`) and drops a repeat until re-armed or
 *   edited, and when an `every` or `once-per-bar` rule last fired (`fire_state`), handed back to
 *   the book at start, so a restart neither repeats an alert within its cooldown nor in its bar.
 * - The policy's clock (`now`) is the server's for live and replayed quotes alike.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { toFen } from '../../engine/market/money';
import { INDICATORS } from '../../engine/indicators';
import { barBucket, compileTemplate, defaultMessage, registryFeed, renderTemplate, RuleBook, toQuoteTick, type HeldPosition, type MessageLanguage, type PortfolioSnapshot, type Trigger } from '../../engine/rules';
import type { BusMessage, EventBus } from '../../platform/bus';
import type { Db } from '../../platform/db/database';
import { AppError } from '../../platform/errors';
import type { AlertService } from '../alerts/service';
import type { KlineService } from '../market/kline-service';
import type { Adjust } from '../market/repository';
import type { PaperFillView, Quote } from '../trading/book';
import type { TradingService } from '../trading/service';
import type { WatchlistRepository } from '../watchlist/repository';
import { BarCloseFeed } from './bar-closes';
import { alertScope, checkDefinition, checkInput, needsAccount, toDefinition, type CheckedInput, type RiskRuleInput, type RiskRuleView } from './definition';
import { windowOf } from './indicator-lines';
import type { RiskMetricsService } from './metrics';
import { checkPreTrade, isPreTrade } from './pre-trade';
import { RiskRulesRepository, type RuleFilter, type StoredRule } from './repository';
import type { PreTradeAccountState, PreTradeOrder } from '../trading/pre-trade';

/** How often account rules are evaluated and watchlists re-expanded, by default. */
export const DEFAULT_INTERVAL_MS = 5_000;
/** How long a VaR computed for an account's `var` rules is reused while its positions stay the same. */
const VAR_TTL_MS = 60_000;
const MARKET = 'market';
/** Indicator values for indicator-cross rules: any line of the registry, in its own convention. */
const INDICATOR_FEED = registryFeed(INDICATORS, 'talib');

export interface RiskRuleDeps {
  db: Db;
  bus: EventBus;
  alerts: AlertService;
  trading: TradingService;
  watchlists: WatchlistRepository;
  metrics: RiskMetricsService;
  /** Cached daily bars: the history of the series indicator-cross rules read. */
  klines: Pick<KlineService, 'history'>;
  /** The running replay's price adjustment (ReplayService.adjust); absent: unadjusted. */
  replayAdjust?: () => Adjust;
  log: Pick<FastifyBaseLogger, 'warn' | 'error'>;
  now?: () => number;
  intervalMs?: number;
  /** The settings' language: a rule without a message of its own alerts in it (default English). */
  language?: () => MessageLanguage;
}

interface LiveRule extends StoredRule {
  /** The symbols the scope names now (a watchlist's expansion). */
  symbols: string[];
}

interface AccountState {
  /** Undefined once the account is found gone (ids are never reused). */
  mode?: 'live' | 'replay';
  var?: { key: string; at: number; value: PortfolioSnapshot['valueAtRisk'] };
}

const bookKey = (input: RiskRuleInput): string => (needsAccount(input) ? `a${input.scope.accountId}` : MARKET);
/** Pre-trade rules sit in no book: they refuse orders (preTradeCheck) and raise no alert. */
const booked = (input: RiskRuleInput): boolean => !isPreTrade(input.condition.kind);

export class RiskRuleService {
  private readonly repo: RiskRulesRepository;
  private readonly now: () => number;
  private readonly rules = new Map<string, LiveRule>();
  private readonly books = new Map<string, RuleBook>();
  private readonly accounts = new Map<number, AccountState>();
  private readonly unsubscribe: (() => void)[] = [];
  /** Accounts with a fill not yet seen by their book (evaluated once the trading module is done with the quote). */
  private readonly filled = new Set<number>();
  private timer: NodeJS.Timeout | undefined;
  /** Daily bar closes from quotes, for the symbols indicator-cross rules watch. */
  private readonly bars: BarCloseFeed;

  constructor(private readonly deps: RiskRuleDeps) {
    this.repo = new RiskRulesRepository(deps.db);
    this.now = deps.now ?? Date.now;
    this.bars = new BarCloseFeed({ klines: deps.klines, replayAdjust: deps.replayAdjust ?? (() => 'none') });
    for (const stored of this.repo.all()) {
      const rule: LiveRule = { ...stored, symbols: this.expand(stored.input) };
      try {
        if (booked(rule.input)) {
          const book = this.bookOf(rule.input);
          book.add(toDefinition(rule.id, rule.input, rule.symbols));
          // Cooldowns and bars go on where they were before the restart.
          for (const [key, f] of Object.entries(rule.fireState)) book.restoreFire(rule.id, key, { fired: true, lastFireMs: f.lastFireMs, lastBucket: f.lastBucket ?? NaN });
        }
        this.rules.set(rule.id, rule);
      } catch (err) {
        deps.log.error({ module: 'risk', err, ruleId: rule.id }, 'a stored risk rule cannot be loaded');
      }
    }
    this.watchBars();
    // After the trading module's subscription: a quote fills paper orders (and a fill snapshots
    // the account here) before the rules see it.
    this.unsubscribe.push(deps.bus.subscribe('quotes', (m) => this.onQuoteMessage(m)));
    this.unsubscribe.push(deps.bus.subscribe('trades', (m) => this.onTradeMessage(m)));
  }

  start(): void {
    this.scheduled();
    const interval = this.deps.intervalMs ?? DEFAULT_INTERVAL_MS;
    if (interval > 0) {
      this.timer = setInterval(() => this.scheduled(), interval);
      this.timer.unref();
    }
  }

  /** The schedule's pass; a failure is logged (a timer must not throw into the process). */
  private scheduled(): void {
    try {
      this.evaluateAccounts();
    } catch (err) {
      this.deps.log.error({ module: 'risk', err }, 'risk rules: the scheduled evaluation failed');
    }
  }

  close(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  // ---- CRUD -----------------------------------------------------------------------------------

  list(filter: RuleFilter): RiskRuleView[] {
    return this.repo.ids(filter).flatMap((id) => {
      const rule = this.rules.get(id);
      return rule ? [this.view(rule)] : [];
    });
  }

  get(id: string): RiskRuleView {
    return this.view(this.find(id));
  }

  create(body: RiskRuleInput): RiskRuleView {
    const input = checkInput(body);
    const id = randomUUID();
    // The definition first (nothing else is read for a bad one), then what it refers to.
    checkDefinition(toDefinition(id, input, []));
    const symbols = this.checkReferences(input);
    const def = toDefinition(id, input, symbols);
    const at = this.isoNow();
    const rule: LiveRule = { id, input, firedKeys: [], fireState: {}, lastFiredAt: null, createdAt: at, updatedAt: at, symbols };
    this.repo.insert(rule);
    this.rules.set(id, rule);
    if (booked(input)) this.bookOf(input).add(def);
    this.watchBars();
    if (needsAccount(input)) this.evaluateAccount(input.scope.accountId!);
    return this.view(rule);
  }

  /** Replaces the definition; an edit re-arms the rule (the engine's fire state and `once` memory). */
  update(id: string, body: RiskRuleInput): RiskRuleView {
    const old = this.find(id);
    const input = checkInput(body);
    checkDefinition(toDefinition(id, input, []));
    const symbols = this.checkReferences(input);
    const def = toDefinition(id, input, symbols);
    const rule: LiveRule = { ...old, input, symbols, firedKeys: [], fireState: {}, updatedAt: this.isoNow() };
    this.repo.update(rule);
    this.rules.set(id, rule);
    if (booked(old.input) && booked(input) && bookKey(old.input) === bookKey(input)) this.bookOf(input).update(def);
    else {
      this.unbook(old.input, id);
      if (booked(input)) this.bookOf(input).add(def);
    }
    this.watchBars();
    if (needsAccount(input)) this.evaluateAccount(input.scope.accountId!);
    return this.view(rule);
  }

  remove(id: string): void {
    const rule = this.find(id);
    this.repo.remove(id);
    this.rules.delete(id);
    this.unbook(rule.input, id);
    this.watchBars();
  }

  /** Takes a rule out of its book; an account's book goes with its last rule. */
  private unbook(input: RiskRuleInput, id: string): void {
    if (!booked(input)) return;
    const key = bookKey(input);
    const book = this.books.get(key);
    if (!book) return;
    book.remove(id);
    if (book.size === 0 && key !== MARKET) {
      this.books.delete(key);
      this.accounts.delete(Number(key.slice(1)));
    }
  }

  rearm(id: string): RiskRuleView {
    const rule = this.find(id);
    rule.firedKeys = [];
    rule.fireState = {};
    this.repo.fired(rule);
    if (booked(rule.input)) this.books.get(bookKey(rule.input))?.rearm(id);
    return this.view(rule);
  }

  // ---- evaluation -----------------------------------------------------------------------------

  /**
   * The trading module's pre-trade hook (wired in app.ts): the account's pre-trade rules, oldest
   * first; the first the order breaks throws its refusal (4401, the rule and its limit in details).
   */
  preTradeCheck(accountId: number, order: PreTradeOrder, state: PreTradeAccountState): void {
    checkPreTrade(this.rules.values(), accountId, order, state);
  }

  /** Every account book gets a snapshot (and watchlists are re-expanded first): the schedule. */
  evaluateAccounts(): void {
    this.refreshWatchlists();
    for (const key of this.books.keys()) if (key !== MARKET) this.evaluateAccount(Number(key.slice(1)));
  }

  /** One account's snapshot through its book; nothing when the account is gone. */
  evaluateAccount(accountId: number): void {
    const book = this.books.get(`a${accountId}`);
    if (!book) return;
    const snapshot = this.snapshot(accountId);
    if (!snapshot) return;
    this.raise(book.onPortfolio(snapshot, this.now()));
  }

  private onQuoteMessage(m: BusMessage): void {
    if (m.event !== 'quote') return;
    const quote = m.data as Quote;
    const tick = toQuoteTick(quote);
    if (!tick) return;
    // The trading module has finished with this quote: accounts it filled are snapshotted first,
    // so a position bought on this very quote is known to its rules.
    this.flushFilled();
    const now = this.now();
    const replay = quote.source === 'replay';
    for (const [key, book] of this.books) {
      if (key !== MARKET) {
        const accountId = Number(key.slice(1));
        // A book that has never had a snapshot learns its account (mode, holdings) first.
        if (!this.accounts.has(accountId)) this.evaluateAccount(accountId);
        const mode = this.accounts.get(accountId)?.mode;
        if (mode === undefined || (mode === 'replay') !== replay) continue;
      }
      this.raise(book.onQuote(tick, now));
    }
    this.onBarsOf(quote, now);
  }

  /** The daily bars this quote closes (bar-closes.ts) through the market book's indicator rules. */
  private onBarsOf(quote: Quote, now: number): void {
    const market = this.books.get(MARKET);
    if (!market) return;
    let closed;
    try {
      closed = this.bars.onQuote(quote);
    } catch (err) {
      this.deps.log.error({ module: 'risk', err, symbol: quote.symbol }, 'risk rules: cannot build the bar a quote closes');
      return;
    }
    for (const bar of closed) this.raise(market.onBar(bar, now));
  }

  /**
   * Which symbols the bar-close feed follows: those of enabled indicator-cross rules, each with the
   * widest warm-up its rules need. Run on every rule change and watchlist re-expansion.
   */
  private watchBars(): void {
    const windows = new Map<string, number>();
    for (const rule of this.rules.values()) {
      const c = rule.input.condition;
      if (c.kind !== 'indicator-cross' || !rule.input.enabled || !c.line || c.against === undefined) continue;
      const window = windowOf(c.line, c.against);
      for (const symbol of rule.symbols) windows.set(symbol, Math.max(window, windows.get(symbol) ?? 0));
    }
    this.bars.watch(windows);
  }

  /**
   * A fill is published while the trading module is still handling its quote (or order): the
   * account is evaluated after that, never from inside it — before the same quote reaches the
   * rules (onQuoteMessage), or in a microtask.
   */
  private onTradeMessage(m: BusMessage): void {
    if (m.event !== 'fill') return;
    const accountId = (m.data as PaperFillView).accountId;
    if (!this.books.has(`a${accountId}`)) return;
    if (this.filled.size === 0) queueMicrotask(() => this.flushFilled());
    this.filled.add(accountId);
  }

  private flushFilled(): void {
    if (this.filled.size === 0) return;
    const ids = [...this.filled];
    this.filled.clear();
    for (const id of ids) this.evaluateAccount(id);
  }

  /** The account as the rules read it, or undefined when it no longer exists. */
  private snapshot(accountId: number): PortfolioSnapshot | undefined {
    let paper;
    try {
      paper = this.deps.trading.book(accountId);
    } catch (err) {
      if (err instanceof AppError && err.errorName === 'ACCOUNT_NOT_FOUND') {
        this.accounts.set(accountId, {});
        return undefined;
      }
      throw err;
    }
    const account = paper.account();
    const state = this.accounts.get(accountId) ?? {};
    this.accounts.set(accountId, state);
    state.mode = account.mode;
    const equityFen = paper.equityFen();
    const positions: HeldPosition[] = paper.positions().map((p) => {
      const costFen = toFen(p.costBasis);
      const avgCostFen = costFen / p.quantity;
      return { symbol: p.symbol, ...(p.name ? { name: p.name } : {}), quantity: p.quantity, avgCostFen, lastPriceFen: p.lastPrice !== undefined ? toFen(p.lastPrice) : avgCostFen };
    });
    const clock = account.clock !== undefined ? Date.parse(account.clock) : NaN;
    const snapshot: PortfolioSnapshot = {
      timeMs: Number.isFinite(clock) ? clock : this.now(),
      equityFen,
      previousCloseEquityFen: equityFen - toFen(account.pnlToday),
      // The account keeps its own peak (persisted, and back to the initial cash on a reset).
      peakEquityFen: paper.peakEquityFen(),
      positions,
    };
    if (this.hasVarRule(accountId)) snapshot.valueAtRisk = this.valueAtRisk(accountId, state, positions);
    return snapshot;
  }

  private hasVarRule(accountId: number): boolean {
    for (const r of this.rules.values()) if (r.input.condition.kind === 'var' && r.input.scope.accountId === accountId) return true;
    return false;
  }

  /** The 95 % one-day historical VaR of the account's book (RISK.md), reused while the book is unchanged. */
  private valueAtRisk(accountId: number, state: AccountState, positions: readonly HeldPosition[]): PortfolioSnapshot['valueAtRisk'] {
    const key = positions.map((p) => `${p.symbol}:${p.quantity}:${p.lastPriceFen}`).join(',');
    const now = this.now();
    if (state.var && state.var.key === key && now - state.var.at < VAR_TTL_MS) return state.var.value;
    let value: PortfolioSnapshot['valueAtRisk'] = null;
    try {
      const h = this.deps.metrics.report(accountId).report.var[0]!.historical;
      if (h.var !== null && h.varLossFen !== null) value = { lossFen: h.varLossFen, lossPercent: -h.var * 100 };
    } catch (err) {
      this.deps.log.warn({ module: 'risk', err, accountId }, 'cannot compute the VaR of a paper account');
    }
    state.var = { key, at: now, value };
    return value;
  }

  /** Each trigger raised once (a `once` rule's repeat for a symbol it already fired for is dropped). */
  private raise(triggers: readonly Trigger[]): void {
    for (const t of triggers) {
      const rule = this.rules.get(t.ruleId);
      if (!rule) continue;
      const key = t.symbol ?? '';
      if (rule.input.frequency.mode === 'once') {
        if (rule.firedKeys.includes(key)) continue;
        rule.firedKeys = [...rule.firedKeys, key];
      } else {
        const f = rule.input.frequency;
        rule.fireState = { ...rule.fireState, [key]: { lastFireMs: t.time, lastBucket: f.mode === 'once-per-bar' ? barBucket(f.bar!, t.eventTime) : null } };
      }
      rule.lastFiredAt = this.isoNow();
      try {
        this.repo.fired(rule);
        this.deps.alerts.raise({
          ruleId: rule.id,
          ruleName: rule.input.name,
          kind: t.kind,
          scope: alertScope(rule.input),
          ...(t.symbol !== undefined ? { symbol: t.symbol } : {}),
          severity: t.severity,
          title: t.symbol !== undefined ? `${rule.input.name} · ${t.name ?? t.symbol}` : rule.input.name,
          message: this.message(rule, t),
          value: t.value,
          threshold: t.threshold,
          unit: t.unit,
        });
      } catch (err) {
        this.deps.log.error({ module: 'risk', err, ruleId: rule.id }, 'cannot raise the alert of a risk rule');
      }
    }
  }

  // ---- plumbing -------------------------------------------------------------------------------

  /**
   * The trigger's message: the rule's own template as the book rendered it, or the kind's default
   * in the language of the settings now (the book's is English).
   */
  private message(rule: LiveRule, t: Trigger): string {
    const language = this.deps.language?.() ?? 'en';
    if (rule.input.message !== undefined || language === 'en') return t.message;
    const condition = this.books.get(bookKey(rule.input))?.get(rule.id)?.condition;
    if (!condition) return t.message;
    return renderTemplate(compileTemplate(defaultMessage(condition, language)), {
      rule: rule.input.name,
      severity: t.severity,
      ...(t.symbol !== undefined ? { symbol: t.symbol } : {}),
      ...(t.name !== undefined ? { name: t.name } : {}),
      ...(t.price !== undefined ? { price: t.price } : {}),
      value: t.value,
      threshold: t.threshold,
      unit: t.unit,
      time: t.eventTime,
    });
  }

  private find(id: string): LiveRule {
    const rule = this.rules.get(id);
    if (!rule) throw new AppError('RISK_RULE_NOT_FOUND', [{ field: 'params.id', message: `no risk rule ${id}` }]);
    return rule;
  }

  private bookOf(input: RiskRuleInput): RuleBook {
    const key = bookKey(input);
    let book = this.books.get(key);
    if (!book) this.books.set(key, (book = new RuleBook({ indicators: INDICATOR_FEED })));
    return book;
  }

  /** The account and the watchlist a rule names must exist; answers the scope's symbols. */
  private checkReferences(input: CheckedInput): string[] {
    const { accountId, watchlistId } = input.scope;
    if (accountId !== undefined) {
      try {
        this.deps.trading.book(accountId);
      } catch (err) {
        if (err instanceof AppError && err.errorName === 'ACCOUNT_NOT_FOUND') throw new AppError('ACCOUNT_NOT_FOUND', [{ field: 'body.scope.accountId', message: `no paper account ${accountId}` }]);
        throw err;
      }
    }
    if (watchlistId !== undefined) {
      try {
        return this.deps.watchlists.get(watchlistId).symbols;
      } catch (err) {
        if (err instanceof AppError && err.errorName === 'NOT_FOUND') throw new AppError('NOT_FOUND', [{ field: 'body.scope.watchlistId', message: `no watchlist ${watchlistId}` }]);
        throw err;
      }
    }
    return this.expand(input);
  }

  /** The symbols a scope names now: the symbol, or the watchlist's (none once it is deleted). */
  private expand(input: RiskRuleInput): string[] {
    const s = input.scope;
    if (s.type === 'symbol') return [s.symbol!];
    if (s.type !== 'watchlist') return [];
    try {
      return this.deps.watchlists.get(s.watchlistId!).symbols;
    } catch (err) {
      if (err instanceof AppError && err.errorName === 'NOT_FOUND') return [];
      throw err;
    }
  }

  /** Watchlist rules follow their lists: a changed list updates the rule in its book. */
  private refreshWatchlists(): void {
    const lists = new Map<number, string[]>();
    for (const w of this.deps.watchlists.list()) lists.set(w.id, w.symbols);
    let changed = false;
    for (const rule of this.rules.values()) {
      if (rule.input.scope.type !== 'watchlist') continue;
      const symbols = lists.get(rule.input.scope.watchlistId!) ?? [];
      const had = new Set(rule.symbols);
      if (symbols.length === had.size && symbols.every((s) => had.has(s))) continue;
      rule.symbols = symbols;
      this.bookOf(rule.input).update(toDefinition(rule.id, rule.input, symbols));
      changed = true;
    }
    if (changed) this.watchBars();
  }

  private view(rule: LiveRule): RiskRuleView {
    const { input } = rule;
    const expiresAt = input.expiresAt ?? null;
    return {
      id: rule.id,
      name: input.name,
      enabled: input.enabled,
      severity: input.severity,
      condition: input.condition,
      scope: input.scope,
      frequency: input.frequency,
      expiresAt,
      ...(input.message !== undefined ? { message: input.message } : {}),
      symbols: rule.symbols,
      expired: expiresAt !== null && this.now() >= Date.parse(expiresAt),
      armed: !(input.frequency.mode === 'once' && rule.firedKeys.length > 0),
      lastFiredAt: rule.lastFiredAt,
      createdAt: rule.createdAt,
      updatedAt: rule.updatedAt,
    };
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }
}
