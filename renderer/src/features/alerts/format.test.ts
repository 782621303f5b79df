import { describe, expect, it } from 'vitest';
import { formatAlertValue } from './format';

describe('formatAlertValue', () => {
  it('reads each unit as the rule compared it', () => {
    expect(formatAlertValue(3.0512, 'percent', 'zh-CN')).toBe('3.05%');
    expect(formatAlertValue(1234567, 'fen', 'en')).toBe('¥12,345.67');
    expect(formatAlertValue(10.402499999999987, 'price', 'zh-CN')).toBe('10.40');
    expect(formatAlertValue(1.234, 'price', 'zh-CN')).toBe('1.234');
    expect(formatAlertValue(2.5, 'ratio', 'en')).toBe('2.50×');
    expect(formatAlertValue(0.38, 'fraction', 'en')).toBe('0.3800');
    expect(formatAlertValue(10.402499999999987, undefined, 'en')).toBe('10.4025');
  });
});
