/**
 * The rule editor's model: which parameters each rule kind takes (contracts/risk.yaml, docs/RULES.md
 * "Rule types") and which scopes make sense for it, a fresh draft per kind, and the request body —
 * only the kind's own parameters are sent (the server refuses any other). Pure, tested.
 */
import type { RiskRule, RiskRuleInput, RuleCondition, RuleFrequency, RuleKind, RuleScope } from '@/api/risk';
import type { AlertSeverity } from '@/api/alerts';

export type Param = Exclude<keyof RuleCondition, 'kind'>;

export const KINDS: readonly RuleKind[] = [
  'price-cross',
  'price-change',
  'volume-surge',
  'limit-touch',
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
export const MARKET_KINDS: ReadonlySet<RuleKind> = new Set(['price-cross', 'price-change', 'volume-surge', 'limit-touch']);
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

/** Reasonable starting values: a trader adjusts, rather than fills in from nothing. */
const DEFAULTS: Required<Omit<RuleCondition, 'kind'>> = {
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
};

export interface RuleDraft {
  name: string;
  enabled: boolean;
  severity: AlertSeverity;
  kind: RuleKind;
  params: Required<Omit<RuleCondition, 'kind'>>;
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
    params: { ...DEFAULTS, threshold: hhi ? 0.3 : DEFAULTS.threshold },
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
    params: { ...DEFAULTS, ...(kind === 'hhi' ? { threshold: 0.3 } : {}), ...params },
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

/** One line for the rules list, e.g. `price-change: thresholdPercent 5 · minutes 5 · direction either`. */
export function conditionSummary(condition: RuleCondition): [Param, string | number][] {
  return KIND_PARAMS[condition.kind].flatMap((p) => (condition[p] === undefined ? [] : [[p, condition[p]!] as [Param, string | number]]));
}
