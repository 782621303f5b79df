/**
 * The backtest form as data: its defaults, the strategy parameters (defaults, steps, the
 * constraints across them), the request it sends, and where a server-side validation failure
 * (`details[].field`, e.g. `body.costs.minCommission`) is shown. Pure, so it is tested without a DOM.
 */
import type { BacktestConfig, BacktestRequest, StrategyInfo, StrategyParam } from '@/api/backtest';
import type { ErrorDetail } from '@/api/errors';

export type SlippageKind = 'none' | 'bps' | 'ticks';
export type FillModel = 'next-open' | 'close';
export type BacktestPeriod = NonNullable<BacktestRequest['period']>;

export interface BacktestForm {
  name: string;
  strategy: string;
  params: Record<string, number>;
  symbols: string[];
  start: string;
  end: string;
  period: BacktestPeriod;
  initialCash: number;
  commissionRate: number;
  minCommission: number;
  slippageKind: SlippageKind;
  slippageValue: number;
  fillModel: FillModel;
  /** Fraction of a bar's volume one order may take; null for no cap. */
  volumeCap: number | null;
  /** `000001.SH` by default; '' for none. */
  benchmark: string;
}

/** The benchmark most A-share traders compare with: the SSE Composite. */
export const DEFAULT_BENCHMARK = '000001.SH';
/** How far back the range starts by default. */
export const DEFAULT_YEARS = 5;

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of a local date. */
export function isoDate(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The form a new backtest starts from: the last ~5 years up to `today`, 1,000,000 CNY, the usual costs. */
export function defaultForm(today: Date, strategy?: StrategyInfo): BacktestForm {
  const start = new Date(today);
  start.setFullYear(start.getFullYear() - DEFAULT_YEARS);
  return {
    name: '',
    strategy: strategy?.id ?? '',
    params: strategy ? defaultParams(strategy) : {},
    symbols: [],
    start: isoDate(start),
    end: isoDate(today),
    period: 'day',
    initialCash: 1_000_000,
    commissionRate: 0.00025,
    minCommission: 5,
    slippageKind: 'none',
    slippageValue: 0,
    fillModel: 'next-open',
    volumeCap: null,
    benchmark: DEFAULT_BENCHMARK,
  };
}

export function defaultParams(strategy: StrategyInfo): Record<string, number> {
  return Object.fromEntries(strategy.params.map((p) => [p.name, p.default]));
}

/** A preset's values over the defaults (a preset may set only some parameters). */
export function presetParams(strategy: StrategyInfo, preset: StrategyInfo['presets'][number]): Record<string, number> {
  return { ...defaultParams(strategy), ...preset.params };
}

/**
 * The input's step. The schema has none: integers step by 1; numbers by a tenth of the default's
 * leading digit (2 → 0.1, 0.00025 → 0.00001), or a hundredth of the range when the default is 0.
 */
export function paramStep(param: StrategyParam): number {
  if (param.type === 'integer') return 1;
  const base = Math.abs(param.default);
  if (base > 0) return 10 ** (Math.floor(Math.log10(base)) - 1);
  const range = param.max - param.min;
  return range > 0 ? 10 ** Math.floor(Math.log10(range / 100)) : 0.01;
}

/** Decimals to show for a step (0.00001 → 5). */
export function stepDigits(step: number): number {
  if (step >= 1) return 0;
  return Math.min(10, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

export type ParamProblem = { kind: 'range'; param: StrategyParam } | { kind: 'constraint'; rule: string };

const COMPARE = /^\s*([A-Za-z_][\w]*)\s*(<=|>=|<|>|==|!=)\s*([A-Za-z_][\w]*|-?\d+(?:\.\d+)?)\s*$/;

/**
 * Whether `values` satisfy a constraint such as `fast < slow` (a comparison of two parameters, or
 * of one with a number). A rule this form cannot read is shown but not checked (null): the
 * server checks it anyway.
 */
export function checkConstraint(rule: string, values: Readonly<Record<string, number>>): boolean | null {
  const match = COMPARE.exec(rule);
  if (!match) return null;
  const operand = (token: string) => (/^-?\d/.test(token) ? Number(token) : values[token]);
  const a = operand(match[1]!);
  const b = operand(match[3]!);
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  switch (match[2]) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '==':
      return a === b;
    default:
      return a !== b;
  }
}

/** What is wrong with the parameters: values outside their schema, then broken constraints. */
export function paramProblems(strategy: StrategyInfo, values: Readonly<Record<string, number>>): ParamProblem[] {
  const problems: ParamProblem[] = [];
  for (const param of strategy.params) {
    const v = values[param.name];
    if (v === undefined || !Number.isFinite(v) || v < param.min || v > param.max || (param.type === 'integer' && !Number.isInteger(v))) {
      problems.push({ kind: 'range', param });
    }
  }
  for (const rule of strategy.constraints ?? []) {
    if (checkConstraint(rule, values) === false) problems.push({ kind: 'constraint', rule });
  }
  return problems;
}

export type FormProblem = 'symbolsMissing' | 'tooManySymbols' | 'rangeInvalid' | 'cashInvalid' | 'volumeCapInvalid' | 'benchmarkInvalid';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The contract's benchmark pattern (a symbol, or empty for none), case aside: it is sent upper-cased. */
const BENCHMARK = /^(\d{6}\.(SH|SZ|BJ))?$/;

/** Checks the form before it is sent (the server checks again; these are the common slips). */
export function formProblems(form: BacktestForm, strategy: StrategyInfo | undefined): Partial<Record<keyof BacktestForm, FormProblem>> {
  const out: Partial<Record<keyof BacktestForm, FormProblem>> = {};
  if (form.symbols.length === 0) out.symbols = 'symbolsMissing';
  else if (strategy && !strategy.multiSymbol && form.symbols.length > 1) out.symbols = 'tooManySymbols';
  if (!DATE.test(form.start) || !DATE.test(form.end) || form.start > form.end) out.end = 'rangeInvalid';
  if (!(form.initialCash >= 1000 && form.initialCash <= 1e10)) out.initialCash = 'cashInvalid';
  if (form.volumeCap !== null && !(form.volumeCap > 0 && form.volumeCap <= 1)) out.volumeCap = 'volumeCapInvalid';
  if (!BENCHMARK.test(form.benchmark.trim().toUpperCase())) out.benchmark = 'benchmarkInvalid';
  return out;
}

/** The request for the form: only what the form sets (the server fills in the rest and stores it). */
export function toRequest(form: BacktestForm): BacktestRequest {
  const request: BacktestRequest = {
    strategy: form.strategy,
    params: { ...form.params },
    symbols: [...form.symbols],
    start: form.start,
    end: form.end,
    period: form.period,
    initialCash: form.initialCash,
    costs: {
      commissionRate: form.commissionRate,
      minCommission: form.minCommission,
      slippage: form.slippageKind === 'none' ? { kind: 'none' } : { kind: form.slippageKind, value: form.slippageValue },
    },
    fillModel: form.fillModel,
    benchmark: form.benchmark.trim().toUpperCase(),
  };
  const name = form.name.trim();
  if (name) request.name = name;
  if (form.volumeCap !== null) request.volumeCap = form.volumeCap;
  return request;
}

/** The request field a `details[].field` names, e.g. `body.costs.minCommission` → `minCommission`. */
const FIELD_OF: Record<string, keyof BacktestForm> = {
  name: 'name',
  strategy: 'strategy',
  params: 'params',
  symbols: 'symbols',
  start: 'start',
  end: 'end',
  period: 'period',
  initialCash: 'initialCash',
  'costs.commissionRate': 'commissionRate',
  'costs.minCommission': 'minCommission',
  'costs.slippage': 'slippageValue',
  fillModel: 'fillModel',
  volumeCap: 'volumeCap',
  benchmark: 'benchmark',
};

export interface FieldErrors {
  /** By form field; `params.<name>` for a strategy parameter. */
  fields: Record<string, string>;
  /** Details that name no field of the form, shown above the submit button. */
  other: string[];
}

/**
 * Spreads a validation failure over the form. Fields arrive as `body.costs.minCommission`,
 * `body.symbols.1`, `body.params.fast` or `/symbols/0` (JSON pointer): the first known prefix wins.
 */
export function fieldErrors(details: readonly ErrorDetail[]): FieldErrors {
  const out: FieldErrors = { fields: {}, other: [] };
  for (const detail of details) {
    const raw = (detail.field ?? '').replace(/^\//, '').replace(/\//g, '.').replace(/^body\.?/, '');
    const parts = raw.split('.').filter((p) => p !== '' && !/^\d+$/.test(p));
    let key: string | undefined;
    if (parts[0] === 'params' && parts[1]) key = `params.${parts[1]}`;
    for (let n = parts.length; !key && n > 0; n--) {
      const field = FIELD_OF[parts.slice(0, n).join('.')];
      if (field) key = field;
    }
    if (key) out.fields[key] ??= detail.message;
    else out.other.push(detail.field ? `${detail.field}: ${detail.message}` : detail.message);
  }
  return out;
}

/**
 * The run settings of a stored config (a backtest's or an optimization's, every default filled
 * in): symbols, range, period, cash, costs, fills, volume cap and benchmark — what RunSettings edits.
 */
export function settingsFromConfig(
  config: Pick<BacktestConfig, 'symbols' | 'start' | 'end' | 'period' | 'initialCash' | 'costs' | 'fillModel' | 'volumeCap' | 'benchmark'>,
): Omit<BacktestForm, 'name' | 'strategy' | 'params'> {
  const slippage = config.costs.slippage;
  return {
    symbols: [...config.symbols],
    start: config.start,
    end: config.end,
    period: (config.period as BacktestPeriod) ?? 'day',
    initialCash: config.initialCash,
    commissionRate: config.costs.commissionRate,
    minCommission: config.costs.minCommission,
    slippageKind: slippage.kind,
    slippageValue: slippage.value ?? 0,
    fillModel: config.fillModel,
    volumeCap: config.volumeCap ?? null,
    benchmark: config.benchmark,
  };
}

/** The form that ran a stored result, to run it again or vary it. */
export function formFromConfig(config: BacktestConfig): BacktestForm {
  return { name: '', strategy: config.strategy, params: { ...config.params }, ...settingsFromConfig(config) };
}
