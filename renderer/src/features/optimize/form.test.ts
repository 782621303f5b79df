import { describe, expect, it } from 'vitest';
import type { StrategyInfo } from '@/api/backtest';
import {
  defaultOptimizeForm,
  estimateTrials,
  formFromOptimizationConfig,
  optimizeFieldErrors,
  optimizeProblems,
  parseValues,
  rangeValues,
  searchProblem,
  toOptimizeRequest,
  walkForwardFormFrom,
  type OptimizeForm,
} from './form';

const dualMa: StrategyInfo = {
  id: 'dual-ma',
  name: { zh: '双均线交叉', en: 'Dual MA' },
  description: { zh: '', en: '' },
  params: [
    { name: 'fast', label: { zh: '快线', en: 'Fast' }, type: 'integer', default: 5, min: 2, max: 250 },
    { name: 'slow', label: { zh: '慢线', en: 'Slow' }, type: 'integer', default: 20, min: 3, max: 500 },
    { name: 'commissionRate', label: { zh: '佣金', en: 'Commission' }, type: 'number', default: 0.00025, min: 0, max: 0.01 },
  ],
  presets: [],
  constraints: ['fast < slow'],
  multiSymbol: false,
};

function form(): OptimizeForm {
  const f = defaultOptimizeForm(new Date(2025, 8, 30), dualMa);
  f.base.symbols = ['600000.SH'];
  f.base.start = '2025-01-01';
  f.base.end = '2025-08-31';
  return f;
}

function ranged(f: OptimizeForm): OptimizeForm {
  f.search.fast = { ...f.search.fast!, mode: 'range', min: 3, max: 6, step: 1 };
  f.search.slow = { ...f.search.slow!, mode: 'range', min: 10, max: 20, step: 5 };
  return f;
}

describe('optimize form: ranges', () => {
  it('pre-fills every parameter from its schema, fixed at its default', () => {
    const f = form();
    expect(f.search.fast).toEqual({ mode: 'fixed', min: 2, max: 250, step: 1, values: '5' });
    expect(f.search.commissionRate).toMatchObject({ mode: 'fixed', min: 0, max: 0.01, step: 0.00001 });
    expect(f.base.params).toEqual({ fast: 5, slow: 20, commissionRate: 0.00025 });
  });

  it('lists a range as OVERFITTING.md defines it: min + i·step rounded, max included when on the grid', () => {
    expect(rangeValues(10, 20, 5)).toEqual([10, 15, 20]);
    expect(rangeValues(10, 22, 5)).toEqual([10, 15, 20]);
    expect(rangeValues(0.1, 0.5, 0.1)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(rangeValues(5, 3, 1)).toEqual([]);
    expect(rangeValues(1, 3, 0)).toEqual([]);
  });

  it('reads a list typed with commas, spaces or 、', () => {
    expect(parseValues('3, 5 8、13')).toEqual([3, 5, 8, 13]);
    expect(parseValues('')).toEqual([]);
    expect(parseValues('3, x')).toBeNull();
  });

  it('turns ranges, lists and fixed values into the request body', () => {
    const f = ranged(form());
    f.search.commissionRate = { ...f.search.commissionRate!, mode: 'list', values: '0.0002, 0.0003' };
    f.objective = 'calmar';
    f.minTrades = 3;
    f.topN = 10;
    f.name = '  grid  ';
    const body = toOptimizeRequest(f, dualMa);
    expect(body).toMatchObject({
      name: 'grid',
      strategy: 'dual-ma',
      symbols: ['600000.SH'],
      start: '2025-01-01',
      end: '2025-08-31',
      period: 'day',
      initialCash: 1_000_000,
      costs: { commissionRate: 0.00025, minCommission: 5, slippage: { kind: 'none' } },
      fillModel: 'next-open',
      benchmark: '000001.SH',
      fixed: {},
      ranges: { fast: { min: 3, max: 6, step: 1 }, slow: { min: 10, max: 20, step: 5 }, commissionRate: { values: [0.0002, 0.0003] } },
      method: 'grid',
      objective: 'calmar',
      minTrades: 3,
      topN: 10,
    });
    expect(body).not.toHaveProperty('params');
  });

  it('leaves where it runs to the server unless the form chose (local pool or Redis workers)', () => {
    const f = ranged(form());
    expect(toOptimizeRequest(f, dualMa)).not.toHaveProperty('executor');
    f.executor = 'redis';
    expect(toOptimizeRequest(f, dualMa).executor).toBe('redis');
    f.executor = 'local';
    expect(toOptimizeRequest(f, dualMa).executor).toBe('local');
  });

  it('sends the fixed parameters as `fixed` and a random search with its samples and seed', () => {
    const f = form();
    f.search.fast = { ...f.search.fast!, mode: 'range', min: 3, max: 10, step: 1 };
    f.base.params.slow = 30;
    f.method = 'random';
    f.samples = 5;
    f.seed = 42;
    const body = toOptimizeRequest(f, dualMa);
    expect(body.fixed).toEqual({ slow: 30, commissionRate: 0.00025 });
    expect(body.ranges).toEqual({ fast: { min: 3, max: 10, step: 1 } });
    expect(body).toMatchObject({ method: 'random', samples: 5, seed: 42 });
  });

  it('round-trips a stored config into the form', () => {
    const f = ranged(form());
    const body = toOptimizeRequest(f, dualMa);
    const config = { ...body, name: 'x', period: 'day', adjust: 'qfq', riskFree: 0, costs: body.costs!, minTrades: 0, topN: 20, samples: 100, seed: 1 } as never;
    const back = formFromOptimizationConfig(config, dualMa, new Date(2025, 8, 30));
    expect(back.search.fast).toMatchObject({ mode: 'range', min: 3, max: 6, step: 1 });
    expect(back.search.slow).toMatchObject({ mode: 'range', min: 10, max: 20, step: 5 });
    expect(toOptimizeRequest(back, dualMa).ranges).toEqual(body.ranges);
    expect(back.walkForward.enabled).toBe(false);
    expect(toOptimizeRequest(back, dualMa).walkForward).toBeUndefined();
  });

  it('pre-fills a walk-forward of a stored optimization: its search, the walk-forward on with the defaults', () => {
    const f = ranged(form());
    const body = toOptimizeRequest(f, dualMa);
    const config = { ...body, name: 'x', period: 'day', adjust: 'qfq', riskFree: 0, costs: body.costs!, minTrades: 0, topN: 20, samples: 100, seed: 1 } as never;
    const wf = walkForwardFormFrom(config, dualMa, new Date(2025, 8, 30));
    expect(wf.walkForward).toEqual({ enabled: true, mode: 'rolling', inSampleDays: 250, outOfSampleDays: 60 });
    const request = toOptimizeRequest(wf, dualMa);
    expect(request.ranges).toEqual(body.ranges);
    expect(request.walkForward).toEqual({ mode: 'rolling', inSampleDays: 250, outOfSampleDays: 60 });
    // A stored walk-forward keeps its own settings; lengths out of the contract's bounds are flagged.
    const back = formFromOptimizationConfig({ ...(config as object), walkForward: { mode: 'anchored', inSampleDays: 120, outOfSampleDays: 20 } } as never, dualMa);
    expect(back.walkForward).toEqual({ enabled: true, mode: 'anchored', inSampleDays: 120, outOfSampleDays: 20 });
    back.walkForward.inSampleDays = 10;
    expect(optimizeProblems(back, dualMa)['walkForward.inSampleDays']).toBe('inSampleDaysInvalid');
    expect(optimizeFieldErrors([{ field: 'body.walkForward.outOfSampleDays', message: 'm' }]).fields).toEqual({ 'walkForward.outOfSampleDays': 'm' });
  });
});

describe('optimize form: trials and constraints', () => {
  it('counts the grid and the points the constraints keep, as you type', () => {
    const f = ranged(form());
    expect(estimateTrials(dualMa, f)).toEqual({ points: 12, valid: 12, trials: 12, broken: { 'fast < slow': 0 } });
    f.search.fast = { ...f.search.fast!, min: 3, max: 20 };
    // fast 3–20 × slow {10, 15, 20}: fast ≥ slow breaks the rule in 11 + 6 + 1 points.
    expect(estimateTrials(dualMa, f)).toMatchObject({ points: 54, valid: 36, trials: 36, broken: { 'fast < slow': 18 } });
  });

  it('matches the worked example of OVERFITTING.md: fast 3–20 × slow 10–60 → 852 trials', () => {
    const f = form();
    f.search.fast = { ...f.search.fast!, mode: 'range', min: 3, max: 20, step: 1 };
    f.search.slow = { ...f.search.slow!, mode: 'range', min: 10, max: 60, step: 1 };
    expect(estimateTrials(dualMa, f)).toMatchObject({ points: 918, valid: 852 });
  });

  it('checks a fixed value against the ranged one (slow fixed at 4: only fast 2 and 3 pass)', () => {
    const f = form();
    f.search.fast = { ...f.search.fast!, mode: 'range', min: 2, max: 6, step: 1 };
    f.base.params.slow = 4;
    expect(estimateTrials(dualMa, f)).toMatchObject({ points: 5, valid: 2 });
    f.method = 'random';
    f.samples = 1;
    expect(estimateTrials(dualMa, f).trials).toBe(1);
  });

  it('reports problems per parameter and for the search as a whole', () => {
    const f = form();
    expect(optimizeProblems(f, dualMa)).toEqual({ search: 'noSearch' });
    f.search.fast = { ...f.search.fast!, mode: 'range', min: 30, max: 6, step: 1 };
    expect(optimizeProblems(f, dualMa)['search.fast']).toBe('rangeOrder');
    f.search.fast = { ...f.search.fast!, min: 1, max: 6 };
    expect(optimizeProblems(f, dualMa)['search.fast']).toBe('outside');
    f.search.fast = { ...f.search.fast!, min: 2, max: 6, step: 0.5 };
    expect(optimizeProblems(f, dualMa)['search.fast']).toBe('integer');
    f.search.fast = { ...f.search.fast!, mode: 'list', values: '30, 40' };
    f.base.params.slow = 20;
    expect(optimizeProblems(f, dualMa)).toEqual({ search: 'noValidTrial' });
    f.search.fast = { ...f.search.fast!, values: '3, 5' };
    expect(optimizeProblems(f, dualMa)).toEqual({});
    f.base.symbols = [];
    f.topN = 0;
    expect(optimizeProblems(f, dualMa)).toEqual({ symbols: 'symbolsMissing', topN: 'topNInvalid' });
  });

  it('refuses a grid over the server limit of 1,000,000 points', () => {
    const f = form();
    f.search.fast = { ...f.search.fast!, mode: 'range', min: 2, max: 250, step: 1 };
    f.search.slow = { ...f.search.slow!, mode: 'range', min: 3, max: 500, step: 1 };
    f.search.commissionRate = { ...f.search.commissionRate!, mode: 'range', min: 0, max: 0.01, step: 0.001 };
    expect(estimateTrials(dualMa, f)).toMatchObject({ points: 249 * 498 * 11, valid: null, trials: null });
    expect(optimizeProblems(f, dualMa).search).toBe('gridTooLarge');
  });

  it('checks a fixed value against its schema', () => {
    expect(searchProblem(dualMa.params[0]!, { mode: 'fixed', min: 2, max: 250, step: 1, values: '' }, 1)).toBe('fixedOutside');
    expect(searchProblem(dualMa.params[0]!, { mode: 'list', min: 2, max: 250, step: 1, values: '' }, 5)).toBe('listEmpty');
  });
});

describe('optimize form: server errors', () => {
  it('places details by field: ranges → the parameter, fixed → its value, the rest as the backtest form does', () => {
    const spread = optimizeFieldErrors([
      { field: 'body.ranges.fast', message: 'min and max must be integers' },
      { field: 'body.fixed.slow', message: 'too small' },
      { field: 'body.topN', message: 'must be <= 100' },
      { field: 'body.costs.minCommission', message: 'must be >= 0' },
      { field: 'body.symbols.0', message: 'unknown symbol' },
      { field: 'body.threadsX', message: 'unknown field' },
      { message: 'no field' },
    ]);
    expect(spread.fields).toEqual({
      'search.fast': 'min and max must be integers',
      'params.slow': 'too small',
      topN: 'must be <= 100',
      minCommission: 'must be >= 0',
      symbols: 'unknown symbol',
    });
    expect(spread.other).toEqual(['body.threadsX: unknown field', 'no field']);
  });
});
