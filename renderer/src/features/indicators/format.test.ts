import { describe, expect, it } from 'vitest';
import { formatIndicatorTick, formatIndicatorValue } from './format';

describe('formatIndicatorValue', () => {
  const osc = { priceDigits: null, locale: 'zh-CN' };
  it('shows oscillators with 3 decimals below 10, 2 above, as terminals do', () => {
    expect(formatIndicatorValue(0.12345, osc)).toBe('0.123');
    expect(formatIndicatorValue(-0.0456, osc)).toBe('-0.046');
    expect(formatIndicatorValue(54.333, osc)).toBe('54.33');
    expect(formatIndicatorValue(-120.346, osc)).toBe('-120.35');
  });
  it('shows price-pane values with the price decimals', () => {
    expect(formatIndicatorValue(13.104, { priceDigits: 2, locale: 'en' })).toBe('13.10');
    expect(formatIndicatorValue(1.2346, { priceDigits: 3, locale: 'en' })).toBe('1.235');
  });
  it('shows volumes and large values compact, in the UI language', () => {
    expect(formatIndicatorValue(133_646_594, osc)).toBe('1.34亿');
    expect(formatIndicatorValue(133_646_594, { priceDigits: null, locale: 'en' })).toBe('133.65M');
    expect(formatIndicatorValue(25_400, { ...osc, volume: true })).toBe('2.54万');
    expect(formatIndicatorValue(8_500, { ...osc, volume: true })).toBe('8,500');
  });
  it('shows a dash when there is no value', () => {
    expect(formatIndicatorValue(null, osc)).toBe('—');
    expect(formatIndicatorValue(Number.NaN, osc)).toBe('—');
  });
});

describe('formatIndicatorTick', () => {
  it('is as short as it can be', () => {
    expect(formatIndicatorTick(100_000_000, 'zh-CN')).toBe('1亿');
    expect(formatIndicatorTick(50_000_000, 'en')).toBe('50M');
    expect(formatIndicatorTick(100, 'zh-CN')).toBe('100');
    expect(formatIndicatorTick(0.5, 'zh-CN')).toBe('0.5');
    expect(formatIndicatorTick(0.025, 'zh-CN')).toBe('0.025');
    expect(formatIndicatorTick(-2.5, 'zh-CN')).toBe('-2.5');
  });
});
