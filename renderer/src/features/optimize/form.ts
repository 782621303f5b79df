/**
 * The optimization form as data. Its run settings (symbols, range, period, cash, costs, benchmark)
 * are the backtest form's own (`BacktestForm`, checked and sent by features/backtest/form.ts), its
 * `params` holding the values of the parameters left fixed; then, per parameter, whether it is
 * fixed, a range (min, max, step) or a list of values; the search method, objective, minimum trade
 * count and leaderboard length. Pure, so it is tested without a DOM.
 *
 * The number of trials shown while typing is an estimate (labelled so): the grid's points with the
 * strategy's constraints checked the way the backtest form checks them (`checkConstraint`); the
 * server's count (`trialsTotal`) is what the run view shows.
 */
import type { Objective, OptimizationConfig, OptimizationRequest, ParamRange } from '@/api/optimize';
import type { StrategyInfo, StrategyParam } from '@/api/backtest';
import type { ErrorDetail } from '@/api/errors';
import {
  checkConstraint,
  defaultForm,
  fieldErrors as backtestFieldErrors,
  formProblems as backtestFormProblems,
  paramStep,
  settingsFromConfig,
  stepDigits,
  toRequest as backtestRequest,
  type BacktestForm,
  type FieldErrors,
  type FormProblem,
} from '@/features/backtest/form';

export type ParamMode = 'fixed' | 'range' | 'list';
export type SearchMethod = 'grid' | 'random';

/** One parameter's search: the fixed value lives in `base.params` (as in a backtest). */
export interface ParamSearch {
  mode: ParamMode;
  min: number;
  max: number;
  step: number;
  /** The list as typed: numbers separated by commas, spaces or 、 */
  values: string;
}

export interface OptimizeForm {
  name: string;
  /** The run's settings and the fixed parameters' values, as the backtest form has them. */
  base: BacktestForm;
  search: Record<string, ParamSearch>;
  method: SearchMethod;
  samples: number;
  seed: number;
  objective: Objective;
  minTrades: number;
  topN: number;
  /** A walk-forward of the same search (docs/WALKFORWARD.md), when `enabled`. */
  walkForward: WalkForwardForm;
  /** Where the trials run; absent: Redis when the settings enable it, else the local pool (the server decides). */
  executor?: 'local' | 'redis';
}

export interface WalkForwardForm {
  enabled: boolean;
  mode: 'rolling' | 'anchored';
  /** Trading days. */
  inSampleDays: number;
  outOfSampleDays: number;
}

/** About a year in sample, a quarter out of sample, rolling (the server's defaults). */
export const WALK_FORWARD_DEFAULT: WalkForwardForm = { enabled: false, mode: 'rolling', inSampleDays: 250, outOfSampleDays: 60 };

/** The contract's bounds (OptimizationRequest). */
export const LIMITS = {
  maxRanges: 10,
  samples: { min: 1, max: 100_000 },
  seed: { min: 0, max: 4_294_967_295 },
  minTrades: { min: 0, max: 100_000 },
  topN: { min: 1, max: 100 },
  inSampleDays: { min: 20, max: 5000 },
  outOfSampleDays: { min: 5, max: 2000 },
  listValues: 10_000,
  /** The server refuses grids larger than this (modules/optimize: "grid ≤ 1,000,000"). */
  gridPoints: 1_000_000,
} as const;

/** Grids up to this many points are walked to count the ones the constraints keep; larger ones are estimated by their size. */
export const COUNT_LIMIT = 200_000;

/** A parameter's search as first shown: fixed at its default; a range over the schema's min–max; a list of the default. */
export function defaultSearch(param: StrategyParam): ParamSearch {
  // toPrecision: 10 ** -5 is 0.000009999…, which would be sent (and read back) as such.
  return { mode: 'fixed', min: param.min, max: param.max, step: Number(paramStep(param).toPrecision(12)), values: String(param.default) };
}

/** A new optimization: the backtest form's defaults, every parameter fixed at its default until the user ranges it. */
export function defaultOptimizeForm(today: Date, strategy?: StrategyInfo): OptimizeForm {
  return {
    name: '',
    base: defaultForm(today, strategy),
    search: strategy ? defaultSearches(strategy) : {},
    method: 'grid',
    samples: 100,
    seed: 1,
    objective: 'sharpe',
    minTrades: 0,
    topN: 20,
    walkForward: { ...WALK_FORWARD_DEFAULT },
  };
}

export function defaultSearches(strategy: StrategyInfo): Record<string, ParamSearch> {
  return Object.fromEntries(strategy.params.map((p) => [p.name, defaultSearch(p)]));
}

function decimals(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return 0;
  const text = String(x);
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]) + (text.split('e')[0]!.split('.')[1]?.length ?? 0);
  return text.split('.')[1]?.length ?? 0;
}

/**
 * A range's values as docs/OVERFITTING.md ("Parameter search spaces") defines them: min + i·step
 * rounded to the decimals of min and step, max included when on the grid up to rounding. Empty for
 * a range that is not one (min > max, step ≤ 0, not finite).
 */
export function rangeValues(min: number, max: number, step: number): number[] {
  if (![min, max, step].every(Number.isFinite) || step <= 0 || min > max) return [];
  const digits = Math.min(12, Math.max(decimals(min), decimals(step)));
  const count = Math.floor((max - min) / step + 1e-9) + 1;
  if (count > LIMITS.gridPoints) return [];
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(Number((min + i * step).toFixed(digits)));
  return out;
}

/** `3, 5 8、13` → [3, 5, 8, 13]; null when a token is not a number. */
export function parseValues(text: string): number[] | null {
  const tokens = text.split(/[\s,，、;；]+/).filter((t) => t !== '');
  const values = tokens.map(Number);
  return values.every(Number.isFinite) ? values : null;
}

/** How many points a parameter's search has (1 when fixed); 0 when it is not valid. */
export function searchSize(search: ParamSearch): number {
  if (search.mode === 'fixed') return 1;
  if (search.mode === 'list') return parseValues(search.values)?.length ?? 0;
  if (![search.min, search.max, search.step].every(Number.isFinite) || search.step <= 0 || search.min > search.max) return 0;
  return Math.floor((search.max - search.min) / search.step + 1e-9) + 1;
}

export type SearchProblem = 'rangeOrder' | 'step' | 'outside' | 'integer' | 'listEmpty' | 'listInvalid' | 'listTooLong' | 'fixedOutside';

/** What is wrong with one parameter's search, against its schema (the server checks the same). */
export function searchProblem(param: StrategyParam, search: ParamSearch, fixed: number | undefined): SearchProblem | null {
  const inside = (v: number) => v >= param.min && v <= param.max;
  const whole = (v: number) => param.type !== 'integer' || Number.isInteger(v);
  if (search.mode === 'fixed') {
    return fixed === undefined || !Number.isFinite(fixed) || !inside(fixed) || !whole(fixed) ? 'fixedOutside' : null;
  }
  if (search.mode === 'list') {
    const values = parseValues(search.values);
    if (values === null) return 'listInvalid';
    if (values.length === 0) return 'listEmpty';
    if (values.length > LIMITS.listValues) return 'listTooLong';
    if (!values.every(inside)) return 'outside';
    if (!values.every(whole)) return 'integer';
    return null;
  }
  const { min, max, step } = search;
  if (![min, max].every(Number.isFinite) || min > max) return 'rangeOrder';
  if (!Number.isFinite(step) || step <= 0) return 'step';
  if (!inside(min) || !inside(max)) return 'outside';
  if (!whole(min) || !whole(max) || !whole(step)) return 'integer';
  return null;
}

/** The searched parameters (range or list), in the strategy's order. */
export function searchedParams(strategy: StrategyInfo, form: Pick<OptimizeForm, 'search'>): StrategyParam[] {
  return strategy.params.filter((p) => (form.search[p.name]?.mode ?? 'fixed') !== 'fixed');
}

export interface TrialEstimate {
  /** Points of the grid before the constraints. */
  points: number;
  /** Points the constraints keep; null when the grid is too large to walk here. */
  valid: number | null;
  /** What the run would do: every valid point (grid), or `samples` of them at most (random). */
  trials: number | null;
  /** Per constraint, how many points break it (null when not counted or not readable). */
  broken: Record<string, number | null>;
}

/** The values one parameter takes in the search (its fixed value alone when fixed). */
function axisValues(search: ParamSearch, fixed: number): number[] {
  if (search.mode === 'fixed') return [fixed];
  if (search.mode === 'list') return parseValues(search.values) ?? [];
  return rangeValues(search.min, search.max, search.step);
}

/**
 * The trials the run will have, estimated here: the grid's size, and — when it is small enough to
 * walk — how many of its points every constraint accepts (constraints this form cannot read count
 * as accepted; the server checks them anyway).
 */
export function estimateTrials(strategy: StrategyInfo, form: Pick<OptimizeForm, 'base' | 'search' | 'method' | 'samples'>): TrialEstimate {
  const rules = strategy.constraints ?? [];
  const broken: Record<string, number | null> = Object.fromEntries(rules.map((r) => [r, null]));
  let points = 1;
  for (const p of strategy.params) points *= searchSize(form.search[p.name] ?? defaultSearch(p));
  if (points === 0 || points > COUNT_LIMIT) {
    const trials = points === 0 ? 0 : null;
    return { points, valid: points === 0 ? 0 : null, trials: form.method === 'random' && trials === null ? null : trials, broken };
  }
  const axes = strategy.params.map((p) => ({ name: p.name, values: axisValues(form.search[p.name] ?? defaultSearch(p), form.base.params[p.name] ?? p.default) }));
  for (const rule of rules) broken[rule] = 0;
  let valid = 0;
  const values: Record<string, number> = {};
  const digits = new Array<number>(axes.length).fill(0);
  for (let n = 0; n < points; n++) {
    axes.forEach((axis, k) => (values[axis.name] = axis.values[digits[k]!]!));
    let ok = true;
    for (const rule of rules) {
      if (checkConstraint(rule, values) === false) {
        ok = false;
        broken[rule] = (broken[rule] ?? 0) + 1;
      }
    }
    if (ok) valid++;
    // Next point, the last parameter varying fastest (the server's index order).
    for (let k = axes.length - 1; k >= 0; k--) {
      digits[k]!++;
      if (digits[k]! < axes[k]!.values.length) break;
      digits[k] = 0;
    }
  }
  return { points, valid, trials: form.method === 'random' ? Math.min(valid, form.samples) : valid, broken };
}

export type OptimizeProblem = FormProblem | 'noSearch' | 'tooManySearched' | 'gridTooLarge' | 'noValidTrial' | 'samplesInvalid' | 'seedInvalid' | 'minTradesInvalid' | 'topNInvalid' | 'inSampleDaysInvalid' | 'outOfSampleDaysInvalid';

/** The problems found before sending, by field (`base` fields as the backtest form names them, `search.<name>` per parameter). */
export function optimizeProblems(form: OptimizeForm, strategy: StrategyInfo | undefined): Record<string, OptimizeProblem | SearchProblem> {
  const out: Record<string, OptimizeProblem | SearchProblem> = { ...backtestFormProblems(form.base, strategy) };
  if (!strategy) return out;
  for (const p of strategy.params) {
    const problem = searchProblem(p, form.search[p.name] ?? defaultSearch(p), form.base.params[p.name]);
    if (problem) out[`search.${p.name}`] = problem;
  }
  const searched = searchedParams(strategy, form);
  if (searched.length === 0) out.search = 'noSearch';
  else if (searched.length > LIMITS.maxRanges) out.search = 'tooManySearched';
  const inRange = (v: number, r: { min: number; max: number }) => Number.isInteger(v) && v >= r.min && v <= r.max;
  if (form.method === 'random') {
    if (!inRange(form.samples, LIMITS.samples)) out.samples = 'samplesInvalid';
    if (!inRange(form.seed, LIMITS.seed)) out.seed = 'seedInvalid';
  }
  if (!inRange(form.minTrades, LIMITS.minTrades)) out.minTrades = 'minTradesInvalid';
  if (!inRange(form.topN, LIMITS.topN)) out.topN = 'topNInvalid';
  if (form.walkForward.enabled) {
    if (!inRange(form.walkForward.inSampleDays, LIMITS.inSampleDays)) out['walkForward.inSampleDays'] = 'inSampleDaysInvalid';
    if (!inRange(form.walkForward.outOfSampleDays, LIMITS.outOfSampleDays)) out['walkForward.outOfSampleDays'] = 'outOfSampleDaysInvalid';
  }
  if (!out.search && !Object.keys(out).some((k) => k.startsWith('search.'))) {
    const estimate = estimateTrials(strategy, form);
    if (estimate.points > LIMITS.gridPoints) out.search = 'gridTooLarge';
    else if (estimate.valid === 0) out.search = 'noValidTrial';
  }
  return out;
}

/** One parameter's range as the contract takes it: `{min, max, step}` or `{values}`. */
export function toParamRange(search: ParamSearch): ParamRange {
  if (search.mode === 'list') return { values: parseValues(search.values) ?? [] };
  return { min: search.min, max: search.max, step: search.step };
}

/** The request for the form: the backtest request's settings, `fixed` for the fixed parameters, `ranges` for the others. */
export function toOptimizeRequest(form: OptimizeForm, strategy: StrategyInfo): OptimizationRequest {
  const { params, ...settings } = backtestRequest({ ...form.base, name: '' });
  const fixed: Record<string, number> = {};
  const ranges: Record<string, ParamRange> = {};
  for (const p of strategy.params) {
    const search = form.search[p.name] ?? defaultSearch(p);
    if (search.mode === 'fixed') {
      const value = params?.[p.name];
      if (value !== undefined) fixed[p.name] = value;
    } else ranges[p.name] = toParamRange(search);
  }
  // samples and seed only matter to a random search, but the contract's defaults make them required here.
  const request: OptimizationRequest = {
    ...settings,
    fixed,
    ranges,
    method: form.method,
    samples: form.samples,
    seed: form.seed,
    objective: form.objective,
    minTrades: form.minTrades,
    topN: form.topN,
  };
  const name = form.name.trim();
  if (name) request.name = name;
  if (form.executor) request.executor = form.executor;
  if (form.walkForward.enabled) {
    const { mode, inSampleDays, outOfSampleDays } = form.walkForward;
    request.walkForward = { mode, inSampleDays, outOfSampleDays };
  }
  return request;
}

/** The form that ran a stored optimization, to run it again or vary it. */
export function formFromOptimizationConfig(config: OptimizationConfig, strategy: StrategyInfo | undefined, today = new Date()): OptimizeForm {
  const form = defaultOptimizeForm(today, strategy);
  form.base = { ...form.base, ...settingsFromConfig(config), strategy: config.strategy, params: { ...form.base.params, ...config.fixed } };
  for (const [name, range] of Object.entries(config.ranges)) {
    const previous = form.search[name] ?? { mode: 'fixed', min: 0, max: 0, step: 1, values: '' };
    form.search[name] =
      'values' in range
        ? { ...previous, mode: 'list', values: range.values.join(', ') }
        : { ...previous, mode: 'range', min: range.min, max: range.max, step: range.step ?? 1 };
  }
  form.method = config.method;
  form.samples = config.samples ?? form.samples;
  form.seed = config.seed ?? form.seed;
  form.objective = config.objective;
  form.minTrades = config.minTrades;
  form.topN = config.topN;
  if (config.walkForward) form.walkForward = { enabled: true, ...config.walkForward };
  return form;
}

/** The form of a walk-forward of a stored optimization: its settings and search, the walk-forward on (its own settings, or the defaults). */
export function walkForwardFormFrom(config: OptimizationConfig, strategy: StrategyInfo | undefined, today = new Date()): OptimizeForm {
  const form = formFromOptimizationConfig(config, strategy, today);
  form.walkForward = { ...form.walkForward, enabled: true };
  return form;
}

/** The optimization fields a `details[].field` may name beyond the backtest's. */
const OWN_FIELDS = new Set(['name', 'method', 'samples', 'seed', 'objective', 'minTrades', 'topN', 'ranges', 'threads', 'walkForward', 'executor']);

/**
 * Spreads a validation failure over the form: `body.ranges.fast` → `search.fast`,
 * `body.fixed.fast` → `params.fast` (the fixed value's input), the optimization's own fields by
 * name, and the run settings as the backtest form places them.
 */
export function optimizeFieldErrors(details: readonly ErrorDetail[]): FieldErrors {
  const out: FieldErrors = { fields: {}, other: [] };
  for (const detail of details) {
    const raw = (detail.field ?? '').replace(/^\//, '').replace(/\//g, '.').replace(/^body\.?/, '');
    const [head, second] = raw.split('.');
    let key: string | undefined;
    if (head === 'ranges') key = second ? `search.${second}` : 'search';
    else if (head === 'fixed') key = second ? `params.${second}` : 'search';
    else if (head === 'walkForward' && second) key = `walkForward.${second}`;
    else if (head && OWN_FIELDS.has(head)) key = head;
    if (key) {
      out.fields[key] ??= detail.message;
      continue;
    }
    const spread = backtestFieldErrors([detail]);
    for (const [field, message] of Object.entries(spread.fields)) out.fields[field] ??= message;
    out.other.push(...spread.other);
  }
  return out;
}

/** Digits to show for a parameter's values. */
export function paramDigits(param: StrategyParam): number {
  return param.type === 'integer' ? 0 : stepDigits(paramStep(param));
}
