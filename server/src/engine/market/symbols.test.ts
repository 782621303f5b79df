import { describe, expect, it } from 'vitest';
import { classify, exchangeFromPrefix, isSpecialTreatment, parseSymbol, toSymbol } from './symbols';

describe('symbols', () => {
  it('parses CODE.EXCHANGE and nothing else', () => {
    expect(parseSymbol('600000.SH')).toEqual({ code: '600000', exchange: 'SH' });
    expect(parseSymbol('430047.BJ')).toEqual({ code: '430047', exchange: 'BJ' });
    for (const bad of ['600000', 'sh600000', '600000.sh', '60000.SH', '600000.HK']) expect(parseSymbol(bad), bad).toBeUndefined();
    expect(toSymbol('000001', 'SZ')).toBe('000001.SZ');
    expect(exchangeFromPrefix('sh')).toBe('SH');
    expect(exchangeFromPrefix('hk')).toBeUndefined();
  });

  it.each([
    ['600000', 'SH', 'stock', 'main'],
    ['688001', 'SH', 'stock', 'star'],
    ['000001', 'SH', 'index', 'index'],
    ['510300', 'SH', 'fund', 'fund'],
    ['113050', 'SH', 'bond', 'bond'],
    ['000001', 'SZ', 'stock', 'main'],
    ['002594', 'SZ', 'stock', 'main'],
    ['300750', 'SZ', 'stock', 'chinext'],
    ['399006', 'SZ', 'index', 'index'],
    ['159915', 'SZ', 'fund', 'fund'],
    ['430047', 'BJ', 'stock', 'bse'],
    ['920002', 'BJ', 'stock', 'bse'],
    ['899050', 'BJ', 'index', 'index'],
  ] as const)('classifies %s.%s as %s on %s', (code, exchange, kind, board) => {
    expect(classify(code, exchange)).toEqual({ kind, board });
  });

  it('spots ST names', () => {
    expect(isSpecialTreatment('*ST长康')).toBe(true);
    expect(isSpecialTreatment('ST金泰')).toBe(true);
    expect(isSpecialTreatment('浦发银行')).toBe(false);
  });
});
