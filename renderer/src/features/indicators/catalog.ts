/**
 * The indicator registry as the chart uses it: look-ups, parameters with their defaults and
 * ranges, titles (`MACD(12,26,9)`), the default chart set, and mapping a set from one convention
 * to the other. Pure functions over what GET /api/indicators/registry answered: nothing here knows
 * which indicators exist, and nothing computes an indicator value (the server does).
 */
import type { ChartIndicators, Convention, IndicatorMeta, IndicatorParamMeta, IndicatorParams, IndicatorUse } from '@/api/indicators';

/** Most indicators on the chart at once (the settings contract's `chartIndicators.indicators` maxItems). */
export const INDICATOR_LIMIT = 12;
export const CONVENTIONS: readonly Convention[] = ['talib', 'tdx'];
export const CATEGORIES: readonly IndicatorMeta['category'][] = ['trend', 'momentum', 'volatility', 'volume'];

/** The plain moving average in each convention (TDX's `SMA` is the weighted SMA(X,N,M), not this). */
const MOVING_AVERAGE: Record<Convention, string> = { talib: 'SMA', tdx: 'MA' };
/** Periods of the moving averages a new chart shows. */
const DEFAULT_MA_PERIODS = [5, 10, 20, 60];
/** Oscillator panes a new chart shows, in this order. */
const DEFAULT_PANES = ['VOL', 'MACD'];

/**
 * Indicators whose name differs between the conventions (TA-Lib name → TDX name). A name not listed
 * maps to the same name; `null` means "no counterpart" (a false friend with the same name).
 */
const TALIB_TO_TDX: Record<string, string | null> = { SMA: 'MA', BBANDS: 'BOLL', STOCH: 'KDJ', WILLR: 'WR' };
const TDX_TO_TALIB: Record<string, string | null> = {
  ...Object.fromEntries(Object.entries(TALIB_TO_TDX).map(([talib, tdx]) => [tdx!, talib])),
  SMA: null, // TDX SMA(X,N,M) is an exponential smoothing; TA-Lib's SMA is the plain average (TDX MA)
};

/**
 * Parameters with different names in the two conventions, per pair of counterparts
 * (`from>to` → target parameter → source parameter); others are matched by name or position.
 */
const PARAM_ALIASES: Record<string, Record<string, string>> = {
  'BBANDS>BOLL': { k: 'nbDevUp' },
  'BOLL>BBANDS': { nbDevUp: 'k', nbDevDn: 'k' },
  'STOCH>KDJ': { n: 'fastK', m1: 'slowK', m2: 'slowD' },
  'KDJ>STOCH': { fastK: 'n', slowK: 'm1', slowD: 'm2' },
};

export class IndicatorCatalog {
  private readonly byKey = new Map<string, IndicatorMeta>();

  constructor(readonly metas: readonly IndicatorMeta[]) {
    for (const meta of metas) this.byKey.set(`${meta.convention}:${meta.name}`, meta);
  }

  find(name: string, convention: Convention): IndicatorMeta | undefined {
    return this.byKey.get(`${convention}:${name}`);
  }

  /** The indicators of one convention, in registry order. */
  list(convention: Convention): IndicatorMeta[] {
    return this.metas.filter((m) => m.convention === convention);
  }

  has(convention: Convention): boolean {
    return this.metas.some((m) => m.convention === convention);
  }
}

export const EMPTY_CATALOG = new IndicatorCatalog([]);

/** Whether `value` is acceptable for `param` (finite, in range, whole when the type is integer). */
export function paramValid(param: IndicatorParamMeta, value: number | null | undefined): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= param.min &&
    value <= param.max &&
    (param.type !== 'integer' || Number.isInteger(value))
  );
}

/** Every parameter of `meta`: the given value when it is valid, else the default. */
export function resolveParams(meta: IndicatorMeta, given: IndicatorParams | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of meta.params) {
    const value = given?.[p.name];
    out[p.name] = paramValid(p, value) ? value : p.default;
  }
  return out;
}

/**
 * The parameters worth storing: the valid values given (a parameter never given follows the
 * registry's default; one given is kept even when equal to it, so SMA(5) → MA(5) → SMA(5) holds
 * although the two defaults differ).
 */
export function validParams(meta: IndicatorMeta, given: IndicatorParams | undefined): IndicatorParams | undefined {
  const out: IndicatorParams = {};
  for (const p of meta.params) {
    const value = given?.[p.name];
    if (paramValid(p, value)) out[p.name] = value;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** `12`, `2`, `0.5`: parameters as TDX writes them (no trailing zeros). */
export function formatParam(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(4)));
}

/** `MACD(12,26,9)`; the bare name for an indicator without parameters, or one not in the registry. */
export function indicatorTitle(name: string, meta: IndicatorMeta | undefined, params: IndicatorParams | undefined): string {
  if (!meta || meta.params.length === 0) return name;
  const values = resolveParams(meta, params);
  return `${name}(${meta.params.map((p) => formatParam(values[p.name]!)).join(',')})`;
}

/** A stable identity of what is computed: convention, name and every parameter value. */
export function useKey(use: IndicatorUse, convention: Convention, catalog: IndicatorCatalog): string {
  const conv = use.convention ?? convention;
  const meta = catalog.find(use.name, conv);
  const params = meta ? resolveParams(meta, use.params) : (use.params ?? {});
  return `${conv}:${use.name}(${Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')})`;
}

/**
 * The chart's indicators when the user has not chosen any: TA-Lib when the registry has it (else
 * the convention it has), moving averages 5/10/20/60 on the price, then volume and MACD panes —
 * each only if the registry has it.
 */
export function defaultChartIndicators(catalog: IndicatorCatalog): ChartIndicators {
  const convention = CONVENTIONS.find((c) => catalog.has(c)) ?? 'talib';
  const indicators: IndicatorUse[] = [];
  const ma = catalog.find(MOVING_AVERAGE[convention], convention);
  const period = ma?.params.length === 1 ? ma.params[0]! : undefined;
  if (ma && period && period.type === 'integer') {
    for (const n of DEFAULT_MA_PERIODS) {
      if (paramValid(period, n)) indicators.push({ name: ma.name, params: { [period.name]: n } });
    }
  }
  for (const name of DEFAULT_PANES) if (catalog.find(name, convention)) indicators.push({ name });
  return { convention, indicators };
}

/** The name of `name`'s counterpart in the other convention (not checked against the registry), or null. */
export function counterpartName(name: string, from: Convention, to: Convention): string | null {
  if (from === to) return name;
  const table = from === 'talib' ? TALIB_TO_TDX : TDX_TO_TALIB;
  return name in table ? table[name]! : name;
}

/**
 * Parameters carried over to another indicator: only values the user set (others take the target's
 * defaults), by the known aliases (BOLL's k ↔ BBANDS' nbDevUp/nbDevDn …), by name, or by position
 * when both have the same number of parameters; a value the target cannot take is dropped.
 */
export function carryParams(from: IndicatorMeta, to: IndicatorMeta, given: IndicatorParams | undefined): IndicatorParams | undefined {
  if (!given) return undefined;
  const out: IndicatorParams = {};
  const aliases = PARAM_ALIASES[`${from.name}>${to.name}`] ?? {};
  const positional = from.params.length === to.params.length;
  to.params.forEach((target, i) => {
    const source =
      from.params.find((p) => p.name === (aliases[target.name] ?? target.name)) ?? (positional ? from.params[i] : undefined);
    const value = source ? given[source.name] : undefined;
    if (value !== undefined && paramValid(target, value)) out[target.name] = value;
  });
  return validParams(to, out);
}

export interface Mapped {
  value: ChartIndicators;
  /** Titles of the indicators with no counterpart, left out. */
  dropped: string[];
}

/**
 * The same chart in another convention: each indicator replaced by its counterpart (same name, or
 * SMA↔MA, BBANDS↔BOLL, STOCH↔KDJ, WILLR↔WR) with the parameters the user set carried over where
 * they fit; those without one are dropped (and named), duplicates folded.
 */
export function mapToConvention(chart: ChartIndicators, to: Convention, catalog: IndicatorCatalog): Mapped {
  const indicators: IndicatorUse[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  for (const use of chart.indicators) {
    const from = use.convention ?? chart.convention;
    const source = catalog.find(use.name, from);
    const name = counterpartName(use.name, from, to);
    const target = name ? catalog.find(name, to) : undefined;
    if (!target) {
      dropped.push(indicatorTitle(use.name, source, use.params));
      continue;
    }
    const params = source ? carryParams(source, target, use.params) : undefined;
    const mapped: IndicatorUse = params ? { name: target.name, params } : { name: target.name };
    const key = useKey(mapped, to, catalog);
    if (seen.has(key)) continue;
    seen.add(key);
    indicators.push(mapped);
  }
  return { value: { convention: to, indicators }, dropped };
}

/**
 * A chart set as read from the settings or a saved set: at most INDICATOR_LIMIT indicators, a
 * per-indicator convention kept only where it differs from the set's, parameters reduced to the
 * valid ones (unknown indicators are kept as given: the chart says they are unknown).
 */
export function normalizeChart(chart: ChartIndicators, catalog: IndicatorCatalog): ChartIndicators {
  const indicators = chart.indicators.slice(0, INDICATOR_LIMIT).map((use): IndicatorUse => {
    const conv = use.convention ?? chart.convention;
    const meta = catalog.find(use.name, conv);
    const params = meta ? validParams(meta, use.params) : use.params;
    const out: IndicatorUse = { name: use.name };
    if (conv !== chart.convention) out.convention = conv;
    if (params) out.params = params;
    return out;
  });
  return { convention: chart.convention, indicators };
}

/** Case-insensitive search over the name and both labels. */
export function searchIndicators(metas: readonly IndicatorMeta[], query: string): IndicatorMeta[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...metas];
  return metas.filter((m) => m.name.toLowerCase().includes(q) || m.label.zh.toLowerCase().includes(q) || m.label.en.toLowerCase().includes(q));
}

/** Indicators by category, in CATEGORIES order (empty categories left out), registry order within. */
export function groupByCategory(metas: readonly IndicatorMeta[]): { category: IndicatorMeta['category']; items: IndicatorMeta[] }[] {
  return CATEGORIES.map((category) => ({ category, items: metas.filter((m) => m.category === category) })).filter((g) => g.items.length > 0);
}
