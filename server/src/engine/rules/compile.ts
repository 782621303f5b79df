/**
 * A rule definition checked once and turned into what evaluation needs: its family (which input
 * drives it), the parsed message template, numbers precomputed in the units compared (the level in
 * fen, the window in ms), and the per-symbol fire state of the trigger policy. Everything a rule
 * definition can get wrong is caught here, as a RuleProblem naming the field, so evaluation never
 * meets a bad rule.
 */
import { toFen } from '../market/money';
import { parseSymbol } from '../market/symbols';
import type { FireState } from './policy';
import { RuleProblem } from './problem';
import { defaultMessage } from './messages';
import { compileTemplate, type CompiledTemplate } from './template';
import type { BarPeriod, LineSpec, RuleCondition, RuleDefinition, RuleKind, RuleScope } from './types';

/** Which input a rule is evaluated on. */
export type RuleFamily = 'quote' | 'bar' | 'portfolio';

export interface CompiledRule {
  readonly def: RuleDefinition;
  readonly family: RuleFamily;
  readonly template: CompiledTemplate;
  /** The symbols a symbol or watchlist scope names (deduplicated); null for account scope. */
  readonly named: ReadonlySet<string> | null;
  /** price-cross: the level in fen. */
  readonly levelFen: number;
  /** price-change: the window in ms. */
  readonly windowMs: number;
  /** Fire state per symbol ('' for an account-wide rule), created on its first fire. */
  readonly fired: Map<string, FireState>;
  /** Condition evaluations since compiled (tests check the index with it; cheap enough to keep). */
  evaluations: number;
}

const FAMILY: Record<RuleKind, RuleFamily> = {
  'position-loss': 'quote',
  'price-cross': 'quote',
  'price-change': 'quote',
  'volume-surge': 'quote',
  'limit-touch': 'quote',
  'indicator-cross': 'bar',
  drawdown: 'portfolio',
  'daily-loss': 'portfolio',
  'position-weight': 'portfolio',
  hhi: 'portfolio',
  var: 'portfolio',
};

/** The scopes each kind accepts: account-wide measures only on the account; position rules on any. */
const SCOPES: Record<RuleKind, readonly RuleScope['type'][]> = {
  'position-loss': ['symbol', 'watchlist', 'account'],
  'price-cross': ['symbol', 'watchlist'],
  'price-change': ['symbol', 'watchlist'],
  'volume-surge': ['symbol', 'watchlist'],
  'limit-touch': ['symbol', 'watchlist'],
  'indicator-cross': ['symbol', 'watchlist'],
  drawdown: ['account'],
  'daily-loss': ['account'],
  'position-weight': ['symbol', 'watchlist', 'account'],
  hhi: ['account'],
  var: ['account'],
};

const SEVERITIES = new Set(['info', 'warning', 'critical']);
const BAR_PERIODS: ReadonlySet<BarPeriod> = new Set(['1m', '5m', '15m', '30m', '60m', 'day']);
const DIRECTIONS = new Set(['up', 'down', 'either']);

/**
 * Checks and compiles a definition. The compiled rule keeps its own copy, so a caller changing the
 * object afterwards (a form's model) cannot desynchronise the index: edits go through update.
 */
export function compileRule(given: RuleDefinition): CompiledRule {
  const def = structuredClone(given);
  if (typeof def.id !== 'string' || def.id === '') throw new RuleProblem('a rule needs an id', 'id');
  if (typeof def.name !== 'string') throw new RuleProblem('a rule needs a name', 'name');
  if (typeof def.enabled !== 'boolean') throw new RuleProblem('enabled must be true or false', 'enabled');
  if (!SEVERITIES.has(def.severity)) throw new RuleProblem(`unknown severity ${String(def.severity)}`, 'severity');
  if (def.expiresAt != null && !Number.isFinite(def.expiresAt)) throw new RuleProblem('expiresAt must be a time (Unix ms)', 'expiresAt');
  if (def.message !== undefined && typeof def.message !== 'string') throw new RuleProblem('message must be text', 'message');
  checkFrequency(def);
  const condition = def.condition;
  const family = Object.hasOwn(FAMILY, condition?.kind) ? FAMILY[condition.kind] : undefined;
  if (!family) throw new RuleProblem(`unknown rule kind ${String(condition?.kind)}`, 'condition.kind');
  checkCondition(condition);
  const named = checkScope(def.scope, condition.kind);
  return {
    def,
    family,
    template: compileTemplate(def.message ?? defaultMessage(condition)),
    named,
    levelFen: condition.kind === 'price-cross' ? toFen(condition.level) : NaN,
    windowMs: condition.kind === 'price-change' ? condition.minutes * 60_000 : NaN,
    fired: new Map(),
    evaluations: 0,
  };
}

function checkFrequency(def: RuleDefinition): void {
  const f = def.frequency;
  if (f?.mode === 'once') return;
  if (f?.mode === 'once-per-bar') {
    if (!BAR_PERIODS.has(f.bar)) throw new RuleProblem(`unknown bar period ${String(f.bar)}`, 'frequency.bar');
    return;
  }
  if (f?.mode === 'every') {
    if (!(Number.isFinite(f.cooldownSeconds) && f.cooldownSeconds >= 0)) {
      throw new RuleProblem('cooldownSeconds must be a number ≥ 0', 'frequency.cooldownSeconds');
    }
    return;
  }
  throw new RuleProblem('frequency.mode must be once, once-per-bar or every', 'frequency.mode');
}

function positive(value: number, field: string, max = Number.MAX_VALUE): void {
  if (!(Number.isFinite(value) && value > 0 && value <= max)) {
    throw new RuleProblem(`${field} must be a number above 0${max < Number.MAX_VALUE ? ` and at most ${max}` : ''}`, `condition.${field}`);
  }
}

function integer(value: number, field: string, min: number, max: number): void {
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw new RuleProblem(`${field} must be an integer from ${min} to ${max}`, `condition.${field}`);
  }
}

function direction(value: string, field: string): void {
  if (!DIRECTIONS.has(value)) throw new RuleProblem(`${field} must be up, down or either`, `condition.${field}`);
}

function unit(value: string): void {
  if (value !== 'fen' && value !== 'percent') throw new RuleProblem('unit must be fen or percent', 'condition.unit');
}

function lineSpec(spec: LineSpec, field: string): void {
  if (spec === 'close') return;
  if (typeof spec?.indicator !== 'string' || spec.indicator === '') throw new RuleProblem(`${field} must be close or an indicator`, `condition.${field}`);
  for (const [name, value] of Object.entries(spec.params ?? {})) {
    if (!Number.isFinite(value)) throw new RuleProblem(`${field} parameter ${name} must be a number`, `condition.${field}.params.${name}`);
  }
}

function checkCondition(c: RuleCondition): void {
  switch (c.kind) {
    case 'position-loss':
    case 'drawdown':
    case 'position-weight':
      return positive(c.thresholdPercent, 'thresholdPercent', 100);
    case 'price-cross':
      positive(c.level, 'level');
      if (!(toFen(c.level) > 0)) throw new RuleProblem('level must be at least 0.01', 'condition.level');
      return direction(c.direction, 'direction');
    case 'price-change':
      integer(c.minutes, 'minutes', 1, 240);
      positive(c.thresholdPercent, 'thresholdPercent');
      return direction(c.direction, 'direction');
    case 'volume-surge':
      integer(c.days, 'days', 1, 250);
      positive(c.multiple, 'multiple');
      if (c.minElapsedMinutes !== undefined) integer(c.minElapsedMinutes, 'minElapsedMinutes', 0, 240);
      return;
    case 'limit-touch':
      return direction(c.side, 'side');
    case 'indicator-cross':
      if (!BAR_PERIODS.has(c.period)) throw new RuleProblem(`unknown bar period ${String(c.period)}`, 'condition.period');
      lineSpec(c.line, 'line');
      if (typeof c.against === 'number') {
        if (!Number.isFinite(c.against)) throw new RuleProblem('against must be a finite level', 'condition.against');
      } else lineSpec(c.against, 'against');
      return direction(c.direction, 'direction');
    case 'daily-loss':
    case 'var':
      unit(c.unit);
      return positive(c.threshold, 'threshold');
    case 'hhi':
      return positive(c.threshold, 'threshold', 1);
  }
}

function checkScope(scope: RuleScope, kind: RuleKind): ReadonlySet<string> | null {
  if (!SCOPES[kind].includes(scope?.type)) {
    throw new RuleProblem(`a ${kind} rule takes scope ${SCOPES[kind].join(' or ')}, not ${String(scope?.type)}`, 'scope.type');
  }
  if (scope.type === 'account') return null;
  const symbols = scope.type === 'symbol' ? [scope.symbol] : scope.symbols;
  if (!Array.isArray(symbols) && scope.type === 'watchlist') throw new RuleProblem('a watchlist scope lists its symbols', 'scope.symbols');
  for (const symbol of symbols) {
    if (typeof symbol !== 'string' || !parseSymbol(symbol)) throw new RuleProblem(`not a symbol: ${String(symbol)}`, scope.type === 'symbol' ? 'scope.symbol' : 'scope.symbols');
  }
  return new Set(symbols);
}

