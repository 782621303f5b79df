/**
 * The rule editor's model: which parameters each rule kind takes (contracts/risk.yaml, docs/RULES.md
 * "Rule types") and which scopes make sense for it, a fresh draft per kind, and the request body —
 * only the kind's own parameters are sent (the server refuses any other). Pure, tested.
 */
import type { IndicatorMeta } from '@/api/indicators';
import type { IndicatorLine, RiskRule, RiskRuleInput, RuleAgainst, RuleCondition, RuleFrequency, RuleKind, RuleScope } from '@/api/risk';
import type { AlertSeverity } from '@/api/alerts';

export type Param = Exclude<keyof RuleCondition, 'kind'>;

export const KINDS: readonly RuleKind[] = [
  'price-cross',
  'price-change',
  'volume-surge',
  'limit-touch',
  'indicator-cross',
  'position-loss',
  'position-weight',
  'drawdown',
  'daily-loss',
  'hhi',
  'var',
  'max-order-value',
  'max-position-weight',
  'max-daily-orders',
  'max-active-orders',
  'no-duplicate-order',
];

/** Each kind's parameters, in the order the form shows them. */
export const KIND_PARAMS: Record<RuleKind, readonly Param[]> = {
  'position-loss': ['thresholdPercent'],
  drawdown: ['thresholdPercent'],
  'position-weight': ['thresholdPercent'],
  'price-cross': ['level', 'direction'],
  'price-change': ['minutes', 'thresholdPercent', 'direction'],
  'volume-surge': ['days', 'multiple', 'minElapsedMinutes'],
  'limit-touch': ['side'],
  'indicator-cross': ['period', 'line', 'against', 'direction'],
  'daily-loss': ['unit', 'threshold'],
  var: ['unit', 'threshold'],
  hhi: ['threshold'],
  'max-order-value': ['maxValue'],
  'max-position-weight': ['thresholdPercent'],
  'max-daily-orders': ['maxCount'],
  'max-active-orders': ['maxCount'],
  'no-duplicate-order': ['windowSeconds'],
};

/** Market rules watch symbols; account rules (and position rules) read a paper account. */
export const MARKET_KINDS: ReadonlySet<RuleKind> = new Set(['price-cross', 'price-change', 'volume-surge', 'limit-touch', 'indicator-cross']);
export const POSITION_KINDS: ReadonlySet<RuleKind> = new Set(['position-loss', 'position-weight']);
/** Asked before a paper order is accepted (it is refused), never alerting. */
export const PRE_TRADE_KINDS: ReadonlySet<RuleKind> = new Set(['max-order-value', 'max-position-weight', 'max-daily-orders', 'max-active-orders', 'no-duplicate-order']);

export function scopeTypes(kind: RuleKind): readonly RuleScope['type'][] {
  if (PRE_TRADE_KINDS.has(kind)) return ['account', 'symbol'];
  if (MARKET_KINDS.has(kind)) return ['symbol', 'watchlist'];
  if (POSITION_KINDS.has(kind)) return ['symbol', 'watchlist', 'account'];
  return ['account'];
}

/** Whether the scope names a paper account (account scope; position and pre-trade rules on any scope). */
export function needsAccount(kind: RuleKind, scopeType: RuleScope['type']): boolean {
  return scopeType === 'account' || POSITION_KINDS.has(kind) || PRE_TRADE_KINDS.has(kind);
}

type Params = Required<Omit<RuleCondition, 'kind'>>;

/** The line an indicator-cross rule starts against: the 20-day moving average (TA-Lib SMA). */
export const DEFAULT_INDICATOR: IndicatorLine = { indicator: 'SMA', params: { period: 20 } };

/**
 * Reasonable starting values: a trader adjusts, rather than fills in from nothing. A function: the
 * indicator lines are objects the form edits in place, so every draft gets its own.
 */
const freshParams = (): Params => ({
  thresholdPercent: 5,
  level: 10,
  direction: 'either',
  minutes: 5,
  days: 20,
  multiple: 3,
  minElapsedMinutes: 5,
  side: 'up',
  unit: 'percent',
  threshold: 3,
  maxValue: 100_000,
  maxCount: 20,
  windowSeconds: 0,
  // indicator-cross: only daily bars are evaluated (docs/RULES.md, "Bar closes").
  period: 'day',
  line: 'close',
  against: { ...DEFAULT_INDICATOR, params: { ...DEFAULT_INDICATOR.params } },
});

export interface RuleDraft {
  name: string;
  enabled: boolean;
  severity: AlertSeverity;
  kind: RuleKind;
  params: Params;
  scopeType: RuleScope['type'];
  symbol: string;
  watchlistId: number | null;
  accountId: number | null;
  frequency: RuleFrequency['mode'];
  bar: NonNullable<RuleFrequency['bar']>;
  cooldownSeconds: number;
  expiresAt: string | null;
  message: string;
}

export function newDraft(kind: RuleKind = 'price-change', defaults: { symbol?: string; accountId?: number | null; watchlistId?: number | null } = {}): RuleDraft {
  const hhi = kind === 'hhi';
  return {
    name: '',
    enabled: true,
    severity: 'warning',
    kind,
    params: { ...freshParams(), ...(hhi ? { threshold: 0.3 } : {}) },
    scopeType: scopeTypes(kind)[0]!,
    symbol: defaults.symbol ?? '',
    watchlistId: defaults.watchlistId ?? null,
    accountId: defaults.accountId ?? null,
    frequency: 'once',
    bar: 'day',
    cooldownSeconds: 300,
    expiresAt: null,
    message: '',
  };
}

/** A stored rule back into the form. */
export function draftOf(rule: RiskRule): RuleDraft {
  const { kind, ...params } = rule.condition;
  return {
    name: rule.name,
    enabled: rule.enabled,
    severity: rule.severity,
    kind,
    params: { ...freshParams(), ...(kind === 'hhi' ? { threshold: 0.3 } : {}), ...(JSON.parse(JSON.stringify(params)) as Partial<Params>) },
    scopeType: rule.scope.type,
    symbol: rule.scope.symbol ?? '',
    watchlistId: rule.scope.watchlistId ?? null,
    accountId: rule.scope.accountId ?? null,
    frequency: rule.frequency.mode,
    bar: rule.frequency.bar ?? 'day',
    cooldownSeconds: rule.frequency.cooldownSeconds ?? 300,
    expiresAt: rule.expiresAt,
    message: rule.message ?? '',
  };
}

/** The request body: the kind's own parameters, the scope's own fields, the frequency's own field. */
export function inputOf(draft: RuleDraft): RiskRuleInput {
  const condition: RuleCondition = { kind: draft.kind };
  for (const param of KIND_PARAMS[draft.kind]) (condition as Record<string, unknown>)[param] = draft.params[param];
  const scope: RuleScope = { type: draft.scopeType };
  if (draft.scopeType === 'symbol') scope.symbol = draft.symbol;
  if (draft.scopeType === 'watchlist' && draft.watchlistId !== null) scope.watchlistId = draft.watchlistId;
  if (needsAccount(draft.kind, draft.scopeType) && draft.accountId !== null) scope.accountId = draft.accountId;
  const frequency: RuleFrequency = { mode: draft.frequency };
  if (draft.frequency === 'once-per-bar') frequency.bar = draft.bar;
  if (draft.frequency === 'every') frequency.cooldownSeconds = draft.cooldownSeconds;
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    severity: draft.severity,
    condition,
    scope,
    frequency,
    expiresAt: draft.expiresAt,
    ...(draft.message.trim() ? { message: draft.message.trim() } : {}),
  };
}

/**
 * One line for the rules list, e.g. `price-change: thresholdPercent 5 · minutes 5 · direction
 * either`; an indicator line reads as its title (`SMA(20)`, `MACD(12,26,9).dea TDX`).
 */
export function conditionSummary(condition: RuleCondition): [Param, string | number][] {
  return KIND_PARAMS[condition.kind].flatMap((p) => {
    const value = condition[p];
    if (value === undefined) return [];
    return [[p, typeof value === 'object' ? lineTitle(value) : value] as [Param, string | number]];
  });
}

// ---- indicator-cross lines ----

/** What a line is: the close, an indicator line, or (against only) a fixed level. */
export type LineMode = 'close' | 'indicator' | 'level';

export function lineMode(value: RuleAgainst): LineMode {
  return value === 'close' ? 'close' : typeof value === 'number' ? 'level' : 'indicator';
}

/** `SMA(20)`, `MACD(12,26,9).dea TDX`: the indicator, its parameters, the output, a TDX mark. */
export function lineTitle(line: IndicatorLine): string {
  const params = Object.values(line.params ?? {});
  return `${line.indicator}${params.length ? `(${params.join(',')})` : ''}${line.output ? `.${line.output}` : ''}${line.convention === 'tdx' ? ' TDX' : ''}`;
}

/**
 * The line after choosing another indicator (or convention): that indicator's default parameters,
 * its first output (so no `output` is sent) — the old parameters mean nothing to it.
 */
export function lineFor(meta: IndicatorMeta): IndicatorLine {
  return {
    indicator: meta.name,
    ...(meta.convention === 'tdx' ? { convention: 'tdx' as const } : {}),
    params: Object.fromEntries(meta.params.map((p) => [p.name, p.default])),
  };
}

