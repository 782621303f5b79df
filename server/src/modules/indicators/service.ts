/**
 * Indicator calculation for the API: over a symbol's cached bars (warmed up on the history before
 * the requested range) or over inline columns, one symbol or many. Engine problems become 300x
 * errors here, with the indicator and field they concern.
 */
import type { components } from '../../../../contracts/gen/api';
import type { BarSeries } from '../../engine/bars/series';
import { IndicatorProblem } from '../../engine/indicators/problem';
import { calculate, resolveParams, type Columns, type Convention, type IndicatorDef, type InputColumn, type Registry } from '../../engine/indicators/registry';
import { AppError } from '../../platform/errors';
import type { KlineHistory, KlineQuery, KlineService } from '../market/kline-service';

export type IndicatorMeta = components['schemas']['IndicatorMeta'];
export type CalculateRequest = components['schemas']['CalculateRequest'];
export type Calculation = components['schemas']['Calculation'];
export type BatchRequest = components['schemas']['BatchRequest'];
export type BatchItem = components['schemas']['BatchItem'];
export type IndicatorUse = components['schemas']['IndicatorUse'];
type IndicatorResult = components['schemas']['IndicatorResult'];

const INPUTS: readonly InputColumn[] = ['open', 'high', 'low', 'close', 'volume', 'amount'];

/** An engine problem as the catalogue's error, naming the indicator (by its place in the request). */
export function indicatorError(problem: IndicatorProblem, where: string): AppError {
  const field = problem.field === undefined ? where : `${where}.${problem.field}${problem.index === undefined ? '' : `[${problem.index}]`}`;
  const details = [{ field, message: problem.message }];
  switch (problem.kind) {
    case 'unknown':
      return new AppError('INDICATOR_NOT_FOUND', details);
    case 'insufficient':
      return new AppError('INSUFFICIENT_DATA', details);
    default:
      return new AppError('INDICATOR_PARAMETER_INVALID', details);
  }
}

export class IndicatorService {
  constructor(
    private readonly registry: Registry,
    private readonly klines: KlineService,
  ) {}

  list(): IndicatorMeta[] {
    return this.registry.defs.map(({ name, convention, label, category, pane, inputs, params, outputs, formula }) => ({
      name,
      convention,
      label,
      category,
      pane,
      inputs: [...inputs],
      params: params.map((p) => ({ ...p })),
      outputs: outputs.map((o) => ({ ...o })),
      formula,
    }));
  }

  /** The definitions a request names, checked before any bars are read. */
  resolve(uses: readonly IndicatorUse[], convention: Convention = 'talib'): IndicatorDef[] {
    return uses.map((use, i) => {
      const def = this.registry.find(use.name, use.convention ?? convention);
      if (!def) {
        throw new AppError('INDICATOR_NOT_FOUND', [{ field: `body.indicators[${i}].name`, message: `no indicator ${use.name} in the ${use.convention ?? convention} convention` }]);
      }
      return def;
    });
  }

  /** Every indicator known and its parameters valid (for saved sets, which are computed later). */
  check(uses: readonly IndicatorUse[], convention: Convention): void {
    this.resolve(uses, convention).forEach((def, i) => {
      try {
        resolveParams(def, uses[i]!.params);
      } catch (err) {
        throw err instanceof IndicatorProblem ? indicatorError(err, `body.indicators[${i}].params`) : err;
      }
    });
  }

  calculate(request: CalculateRequest): Calculation {
    const hasSymbol = request.symbol !== undefined;
    if (hasSymbol === (request.series !== undefined)) {
      throw new AppError('VALIDATION_ERROR', [{ field: 'body', message: 'give either symbol (with period) or series, not both' }]);
    }
    const defs = this.resolve(request.indicators, request.convention);
    if (request.series) return this.overInline(request.series, request.indicators, defs);
    if (request.period === undefined) throw new AppError('VALIDATION_ERROR', [{ field: 'body.period', message: 'period is required with symbol' }]);
    const history = this.klines.history(klineQuery(request.symbol!, request));
    return this.overHistory(history, request.indicators, defs);
  }

  batch(request: BatchRequest): BatchItem[] {
    const defs = this.resolve(request.indicators, request.convention);
    return request.symbols.map((symbol) => {
      try {
        const history = this.klines.history(klineQuery(symbol, request));
        return { symbol, result: this.overHistory(history, request.indicators, defs, request.tail) };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return { symbol, error: { code: err.code, message: err.details?.[0]?.message ?? err.message } };
      }
    });
  }

  private overHistory(h: KlineHistory, uses: readonly IndicatorUse[], defs: IndicatorDef[], tail?: number): Calculation {
    const from = tail === undefined ? h.first : Math.max(h.first, h.bars.length - tail);
    return {
      symbol: h.symbol,
      period: h.period,
      adjust: h.adjust,
      count: h.bars.length - from,
      time: h.time.slice(from - h.first),
      stale: h.stale,
      results: defs.map((def, i) => this.run(def, seriesColumns(h.bars), h.bars.length, uses[i]!.params, i, from)),
    };
  }

  private overInline(series: NonNullable<CalculateRequest['series']>, uses: readonly IndicatorUse[], defs: IndicatorDef[]): Calculation {
    const columns: Columns = {};
    let length: number | undefined;
    for (const name of INPUTS) {
      const values = series[name];
      if (!values) continue;
      if (length !== undefined && values.length !== length) {
        throw new AppError('INDICATOR_PARAMETER_INVALID', [{ field: `body.series.${name}`, message: `${name} has ${values.length} values, the other columns ${length}` }]);
      }
      length = values.length;
      // null → NaN, which the registry rejects with the index of the first one.
      columns[name] = Float64Array.from(values, (v) => (v === null ? NaN : v));
    }
    const count = length ?? 0;
    return { count, results: defs.map((def, i) => this.run(def, columns, count, uses[i]!.params, i, 0)) };
  }

  private run(def: IndicatorDef, columns: Columns, length: number, params: IndicatorUse['params'], i: number, from: number): IndicatorResult {
    try {
      const r = calculate(def, columns, length, params);
      const outputs: Record<string, (number | null)[]> = {};
      // NaN (warm-up) serializes as null.
      for (const o of def.outputs) outputs[o.name] = Array.from(r.outputs[o.name]!.subarray(from));
      return { name: def.name, convention: def.convention, params: r.params, start: Math.max(0, r.start - from), outputs };
    } catch (err) {
      if (err instanceof IndicatorProblem) {
        throw indicatorError(err, err.kind === 'input' ? 'body.series' : `body.indicators[${i}]`);
      }
      throw err;
    }
  }
}

function klineQuery(symbol: string, r: { period?: KlineQuery['period']; start?: string; end?: string; adjust?: KlineQuery['adjust']; limit?: number }): KlineQuery {
  return { symbol, period: r.period!, start: r.start, end: r.end, adjust: r.adjust, limit: r.limit };
}

function seriesColumns(b: BarSeries): Columns {
  return { open: b.open, high: b.high, low: b.low, close: b.close, volume: b.volume, amount: b.amount };
}
