/**
 * A rule as the API takes it (contracts/risk.yaml, RiskRuleInput) checked beyond the schema and
 * turned into the engine's RuleDefinition (engine/rules/types.ts). The contract's condition is one
 * flat object, so which parameters a kind takes is checked here (each missing or foreign one a 1001
 * with its field); what the engine itself refuses (a threshold out of range, a scope the kind does
 * not take) comes back as its RuleProblem's field, under `body.`.
 */
import type { components } from '../../../../contracts/gen/api';
import { compileRule, RuleProblem, type RuleCondition, type RuleDefinition, type RuleKind } from '../../engine/rules';
import { AppError, type ErrorDetail } from '../../platform/errors';
import { lineProblems } from './indicator-lines';
import { isPreTrade, type PreTradeKind } from './pre-trade';

export type RiskRuleInput = components['schemas']['RiskRuleInput'];
export type RiskRuleView = components['schemas']['RiskRule'];
type ConditionInput = RiskRuleInput['condition'];

/** The parameters each kind takes: required, then optional. */
const PARAMS: Record<RuleKind | PreTradeKind, { required: readonly string[]; optional?: readonly string[] }> = {
  'position-loss': { required: ['thresholdPercent'] },
  'price-cross': { required: ['level', 'direction'] },
  'price-change': { required: ['minutes', 'thresholdPercent', 'direction'] },
  'volume-surge': { required: ['days', 'multiple'], optional: ['minElapsedMinutes'] },
  'limit-touch': { required: ['side'] },
  'indicator-cross': { required: ['period', 'line', 'against', 'direction'] },
  drawdown: { required: ['thresholdPercent'] },
  'daily-loss': { required: ['unit', 'threshold'] },
  'position-weight': { required: ['thresholdPercent'] },
  hhi: { required: ['threshold'] },
  var: { required: ['unit', 'threshold'] },
  'max-order-value': { required: ['maxValue'] },
  'max-position-weight': { required: ['thresholdPercent'] },
  'max-daily-orders': { required: ['maxCount'] },
  'no-duplicate-order': { required: [], optional: ['windowSeconds'] },
  'max-active-orders': { required: ['maxCount'] },
};

/** Kinds that read a paper account's positions or state: they need scope.accountId. */
const ACCOUNT_KINDS: ReadonlySet<string> = new Set(['position-loss', 'position-weight', 'drawdown', 'daily-loss', 'hhi', 'var', 'max-order-value', 'max-position-weight', 'max-daily-orders', 'no-duplicate-order', 'max-active-orders']);

/** The rule's input with the contract's defaults (a stored definition has them already). */
export interface CheckedInput extends RiskRuleInput {
  enabled: boolean;
  severity: 'info' | 'warning' | 'critical';
  frequency: NonNullable<RiskRuleInput['frequency']>;
}

const problem = (field: string, message: string) => new AppError('VALIDATION_ERROR', [{ field: `body.${field}`, message }]);

/** Throws a 1001 naming the field for what the schema cannot say. Answers the input with its defaults. */
export function checkInput(input: RiskRuleInput): CheckedInput {
  const details: ErrorDetail[] = [];
  const c = input.condition as ConditionInput & Record<string, unknown>;
  const params = PARAMS[c.kind];
  for (const name of params.required) if (c[name] === undefined) details.push({ field: `body.condition.${name}`, message: `is required for a ${c.kind} rule` });
  for (const name of Object.keys(c)) {
    if (name !== 'kind' && !params.required.includes(name) && !params.optional?.includes(name)) details.push({ field: `body.condition.${name}`, message: `is not a parameter of a ${c.kind} rule` });
  }
  const s = input.scope;
  const need = (field: 'symbol' | 'watchlistId' | 'accountId', wanted: boolean, why: string) => {
    if (wanted && s[field] === undefined) details.push({ field: `body.scope.${field}`, message: `is required ${why}` });
    if (!wanted && s[field] !== undefined) details.push({ field: `body.scope.${field}`, message: `is not allowed ${why}` });
  };
  need('symbol', s.type === 'symbol', `for scope ${s.type}`);
  need('watchlistId', s.type === 'watchlist', `for scope ${s.type}`);
  need('accountId', ACCOUNT_KINDS.has(c.kind) || s.type === 'account', ACCOUNT_KINDS.has(c.kind) ? `for a ${c.kind} rule (it reads a paper account)` : `for a ${c.kind} rule (it watches the market for every account)`);
  if (isPreTrade(c.kind) && s.type === 'watchlist') details.push({ field: 'body.scope.type', message: `a ${c.kind} rule takes an account or symbol scope` });
  if (c.kind === 'max-position-weight' && c.thresholdPercent !== undefined && c.thresholdPercent > 100) details.push({ field: 'body.condition.thresholdPercent', message: 'is a weight in (0, 100]' });
  if (c.kind === 'indicator-cross') details.push(...indicatorCrossProblems(c));
  const f = input.frequency ?? { mode: 'once' as const };
  if (f.mode === 'once-per-bar' ? f.bar === undefined : f.bar !== undefined) details.push({ field: 'body.frequency.bar', message: f.mode === 'once-per-bar' ? 'is required for once-per-bar' : `is not allowed for ${f.mode}` });
  if (f.mode === 'every' ? f.cooldownSeconds === undefined : f.cooldownSeconds !== undefined) details.push({ field: 'body.frequency.cooldownSeconds', message: f.mode === 'every' ? 'is required for every' : `is not allowed for ${f.mode}` });
  if (details.length > 0) throw new AppError('VALIDATION_ERROR', details);
  return { ...input, enabled: input.enabled ?? true, severity: input.severity ?? 'warning', frequency: f };
}

/**
 * What the schema cannot say of an indicator-cross rule: the lines against the registry, a bar the
 * module feeds (docs/RULES.md, "Bar closes": day only — live minute bars are not built), and two
 * lines that can cross at all.
 */
function indicatorCrossProblems(c: ConditionInput): ErrorDetail[] {
  const details = [...lineProblems(c.line, 'line'), ...lineProblems(c.against, 'against')];
  if (c.period !== undefined && c.period !== 'day') {
    details.push({ field: 'body.condition.period', message: 'only day bars are evaluated: minute bars are not built from live quotes (a rule watches live and replayed quotes alike)' });
  }
  if (c.line === 'close' && c.against === 'close') details.push({ field: 'body.condition.against', message: 'the close never crosses itself' });
  return details;
}

/** The engine's definition of a checked rule, its watchlist expanded into `symbols`. */
export function toDefinition(id: string, input: CheckedInput, symbols: readonly string[]): RuleDefinition {
  const { kind, ...rest } = input.condition;
  const s = input.scope;
  const def: RuleDefinition = {
    id,
    name: input.name,
    enabled: input.enabled,
    severity: input.severity,
    scope: s.type === 'symbol' ? { type: 'symbol', symbol: s.symbol! } : s.type === 'watchlist' ? { type: 'watchlist', symbols, watchlistId: String(s.watchlistId) } : { type: 'account' },
    condition: { kind, ...rest } as RuleCondition,
    frequency:
      input.frequency.mode === 'once'
        ? { mode: 'once' }
        : input.frequency.mode === 'once-per-bar'
          ? { mode: 'once-per-bar', bar: input.frequency.bar! }
          : { mode: 'every', cooldownSeconds: input.frequency.cooldownSeconds! },
    expiresAt: input.expiresAt == null ? null : Date.parse(input.expiresAt),
  };
  if (input.message !== undefined) def.message = input.message;
  return def;
}

/** Compiles the definition once to surface the engine's objections as a 1001 with the field. */
export function checkDefinition(def: RuleDefinition): void {
  if (isPreTrade(def.condition.kind)) return; // no engine rule: checkInput said it all
  try {
    compileRule(def);
  } catch (err) {
    if (!(err instanceof RuleProblem)) throw err;
    // The engine names its own fields; a watchlist's symbols are the watchlist's.
    const field = err.field === 'scope.symbols' ? 'scope.watchlistId' : err.field;
    throw problem(field, err.message);
  }
}

/** The alert scope of a rule: the symbol, the watchlist or the account it names. */
export function alertScope(input: RiskRuleInput): { type: 'symbol' | 'watchlist' | 'account'; id: string } {
  const s = input.scope;
  if (s.type === 'symbol') return { type: 'symbol', id: s.symbol! };
  if (s.type === 'watchlist') return { type: 'watchlist', id: String(s.watchlistId) };
  return { type: 'account', id: String(s.accountId) };
}

export function needsAccount(input: RiskRuleInput): boolean {
  return ACCOUNT_KINDS.has(input.condition.kind);
}
