/**
 * The indicator registry: what each indicator is (labels, category, pane, parameters with their
 * defaults and ranges, outputs) and how to compute it with the kernels of its convention. The API,
 * the chart (through the API) and later strategies all go through `calculate`, so parameters are
 * checked and inputs validated in one place.
 */
import { IndicatorProblem, assertFinite, intParam, realParam } from './problem';

export type Convention = 'talib' | 'tdx';
export type InputColumn = 'open' | 'high' | 'low' | 'close' | 'volume' | 'amount';
export type Category = 'trend' | 'momentum' | 'volatility' | 'volume';
export type Pane = 'overlay' | 'oscillator';

export interface Text {
  zh: string;
  en: string;
}

export interface ParamDef<N extends string = string> {
  name: N;
  label: Text;
  type: 'integer' | 'number';
  default: number;
  min: number;
  max: number;
}

export interface OutputDef {
  name: string;
  label: Text;
  style: 'line' | 'histogram';
}

export type Params = Record<string, number>;
export type Columns = Partial<Record<InputColumn, Float64Array>>;
export type Outputs = Record<string, Float64Array>;

/** `P`: the parameter names, so `start`/`compute` of a definition only read parameters it declares. */
export interface IndicatorDef<P extends string = string> {
  name: string;
  convention: Convention;
  label: Text;
  category: Category;
  pane: Pane;
  inputs: readonly InputColumn[];
  params: readonly ParamDef<P>[];
  outputs: readonly OutputDef[];
  /** The TA-Lib function, or the TDX formula text. */
  formula: string;
  /** Index of the first bar with a value (of any output) for these parameters. */
  start(p: Record<P, number>): number;
  /** Every output, each as long as the inputs; `inputs` are present, finite and of equal length. */
  compute(c: Required<Columns>, p: Record<P, number>): Outputs;
}

/** A definition with its parameter names inferred from `params`, as the registry holds it. */
export function defineIndicator<P extends string = never>(def: IndicatorDef<P>): IndicatorDef {
  return def as unknown as IndicatorDef;
}

export interface Calculated {
  def: IndicatorDef;
  params: Params;
  start: number;
  outputs: Outputs;
}

export class Registry {
  private readonly byKey = new Map<string, IndicatorDef>();

  constructor(readonly defs: readonly IndicatorDef[]) {
    for (const def of defs) {
      const key = `${def.convention}:${def.name}`;
      if (this.byKey.has(key)) throw new Error(`indicator ${key} is registered twice`);
      this.byKey.set(key, def);
    }
  }

  find(name: string, convention: Convention): IndicatorDef | undefined {
    return this.byKey.get(`${convention}:${name}`);
  }

  get(name: string, convention: Convention): IndicatorDef {
    const def = this.find(name, convention);
    if (!def) throw new IndicatorProblem('unknown', `no indicator ${name} in the ${convention} convention`, 'name');
    return def;
  }
}

/** Defaults filled in, unknown names rejected, each value checked against its range and type. */
export function resolveParams(def: IndicatorDef, given: Readonly<Params> = {}): Params {
  for (const name of Object.keys(given)) {
    if (!def.params.some((p) => p.name === name)) {
      throw new IndicatorProblem('parameter', `${def.name} has no parameter ${name} (it has ${def.params.map((p) => p.name).join(', ') || 'none'})`, name);
    }
  }
  const out: Params = {};
  for (const p of def.params) {
    const value = given[p.name] ?? p.default;
    out[p.name] = p.type === 'integer' ? intParam(p.name, value, p.min, p.max) : realParam(p.name, value, p.min, p.max);
  }
  return out;
}

/**
 * Computes one indicator over columns of `length` bars: checks the parameters, that every input
 * it needs is given, finite and long enough, then runs the kernel.
 */
export function calculate(def: IndicatorDef, columns: Columns, length: number, given?: Readonly<Params>): Calculated {
  const params = resolveParams(def, given);
  const inputs: Columns = {};
  for (const name of def.inputs) {
    const column = columns[name];
    if (!column) throw new IndicatorProblem('input', `${def.name} needs the ${name} column`, name);
    if (column.length !== length) throw new IndicatorProblem('input', `${name} has ${column.length} values, expected ${length}`, name);
    assertFinite(name, column);
    inputs[name] = column;
  }
  const start = def.start(params);
  if (length <= start) {
    throw new IndicatorProblem('insufficient', `${def.name} needs at least ${start + 1} bars with these parameters, got ${length}`);
  }
  return { def, params, start, outputs: def.compute(inputs as Required<Columns>, params) };
}

/** Shorthands for the definition tables. */
export const text = (zh: string, en: string): Text => ({ zh, en });

export function intDef<N extends string>(name: N, zh: string, en: string, value: number, min: number, max: number): ParamDef<N> {
  return { name, label: text(zh, en), type: 'integer', default: value, min, max };
}

export function realDef<N extends string>(name: N, zh: string, en: string, value: number, min: number, max: number): ParamDef<N> {
  return { name, label: text(zh, en), type: 'number', default: value, min, max };
}

export function line(name: string, zh: string, en: string): OutputDef {
  return { name, label: text(zh, en), style: 'line' };
}

export function bars(name: string, zh: string, en: string): OutputDef {
  return { name, label: text(zh, en), style: 'histogram' };
}
