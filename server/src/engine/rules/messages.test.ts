import { describe, expect, it } from 'vitest';
import { defaultMessage } from './messages';
import { compileTemplate, PLACEHOLDERS, renderTemplate } from './template';
import type { RuleCondition } from './types';

const KINDS: RuleCondition[] = [
  { kind: 'position-loss', thresholdPercent: 3 },
  { kind: 'price-cross', level: 10, direction: 'up' },
  { kind: 'price-change', minutes: 5, thresholdPercent: 2, direction: 'down' },
  { kind: 'volume-surge', days: 20, multiple: 3 },
  { kind: 'limit-touch', side: 'down' },
  { kind: 'indicator-cross', period: 'day', line: 'close', against: { indicator: 'MA', params: { period: 20 } }, direction: 'down' },
  { kind: 'drawdown', thresholdPercent: 10 },
  { kind: 'daily-loss', unit: 'percent', threshold: 2 },
  { kind: 'position-weight', thresholdPercent: 30 },
  { kind: 'hhi', threshold: 0.3 },
  { kind: 'var', unit: 'percent', threshold: 3 },
];

describe('default messages', () => {
  it('every kind has one in each language, using only known placeholders', () => {
    for (const c of KINDS) {
      for (const language of ['zh-CN', 'en'] as const) {
        const text = defaultMessage(c, language);
        for (const m of text.matchAll(/\{([a-zA-Z]+)\}/g)) expect(PLACEHOLDERS).toContain(m[1]);
        if (language === 'zh-CN') expect(text).toMatch(/[\u4e00-\u9fff]/);
      }
    }
  });

  it('renders a position loss and a close crossing below MA20 in Chinese', () => {
    const values = { rule: 'r', severity: 'warning' as const, name: '浦发银行', price: 9.7, value: 3.05, threshold: 3, unit: 'percent' as const, time: 0 };
    expect(renderTemplate(compileTemplate(defaultMessage(KINDS[0]!, 'zh-CN')), values)).toBe('浦发银行 持仓亏损 3.05%（阈值 3.00%），现价 9.70');
    expect(defaultMessage(KINDS[5]!, 'zh-CN')).toBe('{name} 日线收盘价下穿 MA(20)，收盘 {price}');
    expect(defaultMessage(KINDS[5]!)).toBe('{name} close crossed below MA(20) on the day close {price}');
  });
});
