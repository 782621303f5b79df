import { describe, expect, it } from 'vitest';
import { UNKNOWN_INDUSTRY, concentration, industryExposure, industryOf, valueWeights } from './concentration';

describe('weights by value', () => {
  it('are each value over the total', () => {
    expect(valueWeights([500, 300, 200])).toEqual([0.5, 0.3, 0.2]);
    expect(valueWeights([0, 400])).toEqual([0, 1]);
  });

  it('are null for a book worth nothing', () => {
    expect(valueWeights([])).toBeNull();
    expect(valueWeights([0, 0])).toBeNull();
  });
});

describe('concentration', () => {
  it('HHI and the effective number, worked by hand', () => {
    // 0.5² + 0.3² + 0.2² = 0.25 + 0.09 + 0.04 = 0.38 (3,800 on the DOJ's percentage scale); 1/0.38 ≈ 2.63
    const c = concentration(['a', 'b', 'c'], [0.5, 0.3, 0.2]);
    expect(c.hhi).toBeCloseTo(0.38, 15);
    expect(c.hhi! * 10_000).toBeCloseTo(3_800, 10);
    expect(c.effectiveN).toBeCloseTo(1 / 0.38, 14);
    expect(c.maxWeight).toBe(0.5);
    expect(c.maxWeightSymbol).toBe('a');
  });

  it('n equal weights give HHI 1/n and n effective positions; one position gives 1', () => {
    const c = concentration(['a', 'b', 'c', 'd'], [0.25, 0.25, 0.25, 0.25]);
    expect(c).toEqual({ maxWeight: 0.25, maxWeightSymbol: 'a', hhi: 0.25, effectiveN: 4 });
    expect(concentration(['x'], [1])).toEqual({ maxWeight: 1, maxWeightSymbol: 'x', hhi: 1, effectiveN: 1 });
  });

  it('zero-weight positions do not dilute it', () => {
    expect(concentration(['a', 'b', 'c'], [0, 0.5, 0.5])).toMatchObject({ maxWeightSymbol: 'b', hhi: 0.5, effectiveN: 2 });
  });

  it('is null without weights', () => {
    expect(concentration([], null)).toEqual({ maxWeight: null, maxWeightSymbol: null, hhi: null, effectiveN: null });
  });
});

describe('industry exposure', () => {
  it('groups value by industry, the missing ones under "unknown", largest first', () => {
    const rows = industryExposure([
      { symbol: '600036.SH', value: 300_000, industry: '银行' },
      { symbol: '600519.SH', value: 500_000, industry: '食品饮料' },
      { symbol: '000001.SZ', value: 250_000, industry: '银行' },
      { symbol: '300750.SZ', value: 150_000, industry: industryOf(undefined) },
      { symbol: '688981.SH', value: 0, industry: industryOf('  ') },
    ]);
    // total 1,200,000 fen: 银行 550,000 (0.458…), 食品饮料 500,000, unknown 150,000
    expect(rows).toEqual([
      { industry: '银行', value: 550_000, weight: 550_000 / 1_200_000, symbols: ['600036.SH', '000001.SZ'] },
      { industry: '食品饮料', value: 500_000, weight: 500_000 / 1_200_000, symbols: ['600519.SH'] },
      { industry: UNKNOWN_INDUSTRY, value: 150_000, weight: 0.125, symbols: ['300750.SZ', '688981.SH'] },
    ]);
  });

  it('breaks ties by name and has null weights for a book worth nothing', () => {
    const rows = industryExposure([
      { symbol: 'b', value: 0, industry: 'B' },
      { symbol: 'a', value: 0, industry: 'A' },
    ]);
    expect(rows.map((r) => [r.industry, r.weight])).toEqual([['A', null], ['B', null]]);
    expect(industryExposure([])).toEqual([]);
  });

  it('trims the industry name and treats null, undefined and blank as unknown', () => {
    expect(industryOf(' 银行 ')).toBe('银行');
    for (const none of [null, undefined, '', '  ']) expect(industryOf(none)).toBe(UNKNOWN_INDUSTRY);
  });
});
