import { describe, expect, it } from 'vitest';
import type { StrategyInfo } from '@/api/backtest';
import {
  checkConstraint,
  defaultForm,
  fieldErrors,
  formFromConfig,
  formProblems,
  paramProblems,
  paramStep,
  presetParams,
  stepDigits,
  toRequest,
} from './form';

const dualMa: StrategyInfo = {
  id: 'dual-ma',
  name: { zh: '双均线交叉', en: 'Dual moving-average cross' },
  description: { zh: '…', en: '…' },
  params: [
    { name: 'fast', label: { zh: '快线周期', en: 'Fast period' }, type: 'integer', default: 5, min: 2, max: 250 },
    { name: 'slow', label: { zh: '慢线周期', en: 'Slow period' }, type: 'integer', default: 20, min: 3, max: 500 },
    { name: 'commissionRate', label: { zh: '预留佣金率', en: 'Commission rate reserved' }, type: 'number', default: 0.00025, min: 0, max: 0.01 },
  ],
  presets: [{ name: '10/30', params: { fast: 10, slow: 30 } }],
  constraints: ['fast < slow'],
  multiSymbol: false,
};

describe('backtest form', () => {
  it('starts with the strategy defaults over the last five years', () => {
    const form = defaultForm(new Date(2025, 8, 30), dualMa);
    expect(form.start).toBe('2020-09-30');
    expect(form.end).toBe('2025-09-30');
    expect(form.params).toEqual({ fast: 5, slow: 20, commissionRate: 0.00025 });
    expect(form.benchmark).toBe('000001.SH');
    expect(form.period).toBe('day');
    expect(form.fillModel).toBe('next-open');
  });

  it('fills a preset over the defaults', () => {
    expect(presetParams(dualMa, dualMa.presets[0]!)).toEqual({ fast: 10, slow: 30, commissionRate: 0.00025 });
  });

  it('derives input steps from the schema', () => {
    expect(paramStep(dualMa.params[0]!)).toBe(1);
    expect(paramStep(dualMa.params[2]!)).toBeCloseTo(0.00001, 12);
    expect(stepDigits(0.00001)).toBe(5);
    expect(paramStep({ name: 'k', label: { zh: '', en: '' }, type: 'number', default: 2, min: 0.5, max: 5 })).toBeCloseTo(0.1, 12);
    expect(paramStep({ name: 'x', label: { zh: '', en: '' }, type: 'number', default: 0, min: 0, max: 1 })).toBeCloseTo(0.01, 12);
  });

  it('checks constraints it can read and leaves others to the server', () => {
    expect(checkConstraint('fast < slow', { fast: 5, slow: 20 })).toBe(true);
    expect(checkConstraint('fast < slow', { fast: 20, slow: 20 })).toBe(false);
    expect(checkConstraint('oversold <= 50', { oversold: 30 })).toBe(true);
    expect(checkConstraint('upper > lower + 10', { upper: 70, lower: 30 })).toBeNull();
    expect(checkConstraint('fast < missing', { fast: 1 })).toBeNull();
  });

  it('lists values out of range and broken constraints', () => {
    expect(paramProblems(dualMa, { fast: 5, slow: 20, commissionRate: 0.00025 })).toEqual([]);
    const problems = paramProblems(dualMa, { fast: 30, slow: 20, commissionRate: 0.5 });
    expect(problems.map((p) => (p.kind === 'range' ? `range:${p.param.name}` : `rule:${p.rule}`))).toEqual(['range:commissionRate', 'rule:fast < slow']);
    expect(paramProblems(dualMa, { fast: 5.5, slow: Number.NaN, commissionRate: 0 }).map((p) => p.kind)).toEqual(['range', 'range']);
  });

  it('checks symbols, the range, the cash and the volume cap', () => {
    const form = defaultForm(new Date(2025, 8, 30), dualMa);
    expect(formProblems(form, dualMa)).toEqual({ symbols: 'symbolsMissing' });
    expect(formProblems({ ...form, symbols: ['600519.SH', '000001.SZ'] }, dualMa)).toEqual({ symbols: 'tooManySymbols' });
    expect(formProblems({ ...form, symbols: ['600519.SH'], start: '2025-10-01', initialCash: 10, volumeCap: 0, benchmark: 'SSE' }, dualMa)).toEqual({
      end: 'rangeInvalid',
      initialCash: 'cashInvalid',
      volumeCap: 'volumeCapInvalid',
      benchmark: 'benchmarkInvalid',
    });
    expect(formProblems({ ...form, symbols: ['600519.SH'], benchmark: '' }, dualMa)).toEqual({});
    expect(formProblems({ ...form, symbols: ['600519.SH'], benchmark: ' 399001.sz ' }, dualMa)).toEqual({});
    expect(toRequest({ ...form, benchmark: ' 399001.sz ' }).benchmark).toBe('399001.SZ');
  });

  it('sends what the form sets, slippage only when there is some', () => {
    const form = { ...defaultForm(new Date(2025, 8, 30), dualMa), symbols: ['600519.SH'], name: '  ' };
    const request = toRequest(form);
    expect(request).toEqual({
      strategy: 'dual-ma',
      params: { fast: 5, slow: 20, commissionRate: 0.00025 },
      symbols: ['600519.SH'],
      start: '2020-09-30',
      end: '2025-09-30',
      period: 'day',
      initialCash: 1_000_000,
      costs: { commissionRate: 0.00025, minCommission: 5, slippage: { kind: 'none' } },
      fillModel: 'next-open',
      benchmark: '000001.SH',
    });
    const varied = toRequest({ ...form, name: 'MA', slippageKind: 'bps', slippageValue: 5, volumeCap: 0.1 });
    expect(varied.name).toBe('MA');
    expect(varied.costs?.slippage).toEqual({ kind: 'bps', value: 5 });
    expect(varied.volumeCap).toBe(0.1);
  });

  it('round-trips a stored config', () => {
    const form = { ...defaultForm(new Date(2025, 8, 30), dualMa), symbols: ['600519.SH'], slippageKind: 'ticks' as const, slippageValue: 2 };
    const request = toRequest(form);
    const config = { ...request, name: 'x', params: request.params!, period: 'day', adjust: 'qfq' as const, initialCash: 1e6, costs: request.costs as never, fillModel: 'next-open' as const, benchmark: '000001.SH', riskFree: 0 };
    expect(formFromConfig(config)).toEqual(form);
  });

  it('puts server validation details next to the fields they name', () => {
    const spread = fieldErrors([
      { field: 'body.costs.minCommission', message: 'must be <= 100' },
      { field: 'body.symbols.1', message: 'bad symbol' },
      { field: 'body.params.fast', message: 'fast must be less than slow' },
      { field: '/start', message: 'not a date' },
      { field: 'body.riskFree', message: 'too high' },
      { message: 'something else' },
    ]);
    expect(spread.fields).toEqual({ minCommission: 'must be <= 100', symbols: 'bad symbol', 'params.fast': 'fast must be less than slow', start: 'not a date' });
    expect(spread.other).toEqual(['body.riskFree: too high', 'something else']);
  });
});
