import { describe, expect, it } from 'vitest';
import type { ChartIndicators } from '@/api/indicators';
import { CATALOG, REGISTRY } from '@/test/indicators';
import {
  carryParams,
  counterpartName,
  defaultChartIndicators,
  groupByCategory,
  IndicatorCatalog,
  indicatorTitle,
  mapToConvention,
  normalizeChart,
  paramValid,
  resolveParams,
  searchIndicators,
  useKey,
  validParams,
} from './catalog';

const find = (name: string, convention: 'talib' | 'tdx') => CATALOG.find(name, convention)!;

describe('parameters', () => {
  it('checks range and type', () => {
    const period = find('SMA', 'talib').params[0]!; // integer 2–1000
    expect(paramValid(period, 5)).toBe(true);
    expect(paramValid(period, 1)).toBe(false);
    expect(paramValid(period, 1001)).toBe(false);
    expect(paramValid(period, 5.5)).toBe(false);
    expect(paramValid(period, Number.NaN)).toBe(false);
    expect(paramValid(find('BOLL', 'tdx').params[1]!, 2.5)).toBe(true); // k is a real number
  });

  it('fills defaults, ignoring invalid and unknown values', () => {
    expect(resolveParams(find('MACD', 'tdx'), { fast: 10, slow: 0, bogus: 3 })).toEqual({ fast: 10, slow: 26, signal: 9 });
    expect(validParams(find('MACD', 'tdx'), { fast: 10, slow: 0 })).toEqual({ fast: 10 });
    expect(validParams(find('MACD', 'tdx'), {})).toBeUndefined();
  });

  it('titles an indicator with every parameter, as TDX does', () => {
    expect(indicatorTitle('MACD', find('MACD', 'tdx'), undefined)).toBe('MACD(12,26,9)');
    expect(indicatorTitle('BOLL', find('BOLL', 'tdx'), { k: 2.5 })).toBe('BOLL(20,2.5)');
    expect(indicatorTitle('XYZ', undefined, { a: 1 })).toBe('XYZ');
  });

  it('keys what is computed: defaults given or not are the same indicator', () => {
    expect(useKey({ name: 'MACD' }, 'tdx', CATALOG)).toBe(useKey({ name: 'MACD', params: { fast: 12 } }, 'tdx', CATALOG));
    expect(useKey({ name: 'MACD' }, 'tdx', CATALOG)).not.toBe(useKey({ name: 'MACD' }, 'talib', CATALOG));
    expect(useKey({ name: 'MACD', convention: 'talib' }, 'tdx', CATALOG)).toBe(useKey({ name: 'MACD' }, 'talib', CATALOG));
  });
});

describe('defaultChartIndicators', () => {
  it('is TA-Lib SMA 5/10/20/60 with VOL and MACD panes when the registry has them', () => {
    expect(defaultChartIndicators(CATALOG)).toEqual({
      convention: 'talib',
      indicators: [
        { name: 'SMA', params: { period: 5 } },
        { name: 'SMA', params: { period: 10 } },
        { name: 'SMA', params: { period: 20 } },
        { name: 'SMA', params: { period: 60 } },
        { name: 'VOL' },
        { name: 'MACD' },
      ],
    });
  });

  it('falls back to the convention the registry has (TDX MA, not TDX SMA), leaving out what it lacks', () => {
    const tdxOnly = new IndicatorCatalog(REGISTRY.filter((m) => m.convention === 'tdx' && m.name !== 'VOL'));
    expect(defaultChartIndicators(tdxOnly)).toEqual({
      convention: 'tdx',
      indicators: [5, 10, 20, 60].map((period) => ({ name: 'MA', params: { period } })).concat([{ name: 'MACD' } as never]),
    });
    expect(defaultChartIndicators(new IndicatorCatalog([]))).toEqual({ convention: 'talib', indicators: [] });
  });
});

describe('mapToConvention', () => {
  it('names the counterparts: same name, or the known pairs; TDX SMA has none in TA-Lib', () => {
    expect(counterpartName('SMA', 'talib', 'tdx')).toBe('MA');
    expect(counterpartName('MA', 'tdx', 'talib')).toBe('SMA');
    expect(counterpartName('BBANDS', 'talib', 'tdx')).toBe('BOLL');
    expect(counterpartName('KDJ', 'tdx', 'talib')).toBe('STOCH');
    expect(counterpartName('WR', 'tdx', 'talib')).toBe('WILLR');
    expect(counterpartName('MACD', 'talib', 'tdx')).toBe('MACD');
    expect(counterpartName('SMA', 'tdx', 'talib')).toBeNull();
  });

  it('carries the parameters the user set, by alias, name or position, when the target takes them', () => {
    expect(carryParams(find('BOLL', 'tdx'), find('BBANDS', 'talib'), { period: 26, k: 2.5 })).toEqual({ period: 26, nbDevUp: 2.5, nbDevDn: 2.5 });
    expect(carryParams(find('KDJ', 'tdx'), find('STOCH', 'talib'), { n: 14 })).toEqual({ fastK: 14 });
    expect(carryParams(find('WR', 'tdx'), find('WILLR', 'talib'), { period: 21 })).toEqual({ period: 21 });
    expect(carryParams(find('MA', 'tdx'), find('SMA', 'talib'), { period: 1 })).toBeUndefined(); // TA-Lib SMA needs ≥ 2
    expect(carryParams(find('MACD', 'tdx'), find('MACD', 'talib'), undefined)).toBeUndefined();
  });

  it('maps the default TA-Lib chart to TDX and back without losing a period', () => {
    const talib = defaultChartIndicators(CATALOG);
    const tdx = mapToConvention(talib, 'tdx', CATALOG);
    expect(tdx.dropped).toEqual([]);
    expect(tdx.value).toEqual({
      convention: 'tdx',
      indicators: [5, 10, 20, 60].map((period) => ({ name: 'MA', params: { period } })).concat([{ name: 'VOL' }, { name: 'MACD' }] as never[]),
    });
    expect(mapToConvention(tdx.value, 'talib', CATALOG).value).toEqual(talib);
  });

  it('drops (and names) what has no counterpart; folds duplicates', () => {
    const chart: ChartIndicators = {
      convention: 'tdx',
      indicators: [{ name: 'KDJ', params: { n: 14 } }, { name: 'DMA' }, { name: 'SMA', params: { n: 5, m: 2 } }, { name: 'MACD' }, { name: 'MACD', params: { fast: 12 } }],
    };
    expect(mapToConvention(chart, 'talib', CATALOG)).toEqual({
      value: { convention: 'talib', indicators: [{ name: 'STOCH', params: { fastK: 14 } }, { name: 'MACD' }] },
      dropped: ['DMA(10,50,10)', 'SMA(5,2)'],
    });
  });

  it('maps an indicator by its own convention when it has one', () => {
    const chart = { convention: 'tdx' as const, indicators: [{ name: 'ATR', convention: 'talib' as const }, { name: 'WR' }] };
    expect(mapToConvention(chart, 'talib', CATALOG).value.indicators).toEqual([{ name: 'ATR' }, { name: 'WILLR' }]);
    expect(mapToConvention(chart, 'tdx', CATALOG)).toEqual({ value: { convention: 'tdx', indicators: [{ name: 'WR' }] }, dropped: ['ATR(14)'] });
  });
});

describe('normalizeChart', () => {
  it('keeps at most 12, drops invalid parameters, keeps unknown indicators for the chart to flag', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ name: 'MA', params: { period: i + 1 } }));
    expect(normalizeChart({ convention: 'tdx', indicators: many }, CATALOG).indicators).toHaveLength(12);
    expect(
      normalizeChart(
        { convention: 'tdx', indicators: [{ name: 'MACD', convention: 'tdx', params: { fast: 0, slow: 30 } }, { name: 'NOPE', params: { x: 1 } }] },
        CATALOG,
      ),
    ).toEqual({ convention: 'tdx', indicators: [{ name: 'MACD', params: { slow: 30 } }, { name: 'NOPE', params: { x: 1 } }] });
  });
});

describe('picker helpers', () => {
  it('searches code and both labels, case-insensitively', () => {
    const tdx = CATALOG.list('tdx');
    expect(searchIndicators(tdx, 'kdj').map((m) => m.name)).toEqual(['KDJ']);
    expect(searchIndicators(tdx, '布林').map((m) => m.name)).toEqual(['BOLL']);
    expect(searchIndicators(tdx, 'bollinger').map((m) => m.name)).toEqual(['BOLL']);
    expect(searchIndicators(tdx, '  ')).toHaveLength(tdx.length);
  });

  it('groups by category in a fixed order, registry order within', () => {
    expect(groupByCategory(CATALOG.list('tdx')).map((g) => [g.category, g.items.map((m) => m.name)])).toEqual([
      ['trend', ['MA', 'EMA', 'SMA', 'DMA']],
      ['momentum', ['MACD', 'KDJ', 'WR']],
      ['volatility', ['BOLL']],
      ['volume', ['VOL']],
    ]);
  });
});
