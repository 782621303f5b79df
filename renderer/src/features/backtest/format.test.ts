import { describe, expect, it } from 'vitest';
import { formatFen, formatMetric, formatPct, formatRatio, knownPhase, signClass } from './format';

describe('backtest formatting', () => {
  it('shows fractions as percentages, signed for returns, and null as a dash', () => {
    expect(formatPct(0.1234)).toBe('12.34%');
    expect(formatPct(0.1234, 2, true)).toBe('+12.34%');
    expect(formatPct(-0.0567, 1, true)).toBe('-5.7%');
    expect(formatPct(-0.00001, 2, true)).toBe('0.00%'); // no "-0.00%"
    expect(formatPct(null)).toBe('—');
    expect(formatRatio(1.23456)).toBe('1.23');
    expect(formatRatio(null)).toBe('—');
  });

  it('turns fen into yuan exactly, with grouping', () => {
    expect(formatFen(12345, 'en')).toBe('123.45');
    expect(formatFen(123456789, 'zh-CN')).toBe('1,234,567.89');
    expect(formatFen(-5, 'en')).toBe('-0.05');
    expect(formatFen(0, 'en')).toBe('0.00');
    expect(formatFen(null, 'en')).toBe('—');
  });

  it('formats each metric kind', () => {
    expect(formatMetric(0.25, 'return', 'en')).toBe('+25.00%');
    expect(formatMetric(0.6, 'rate', 'en')).toBe('60.00%');
    expect(formatMetric(1.5, 'ratio', 'en')).toBe('1.50');
    expect(formatMetric(1234, 'count', 'en')).toBe('1,234');
    expect(formatMetric(12.345, 'days', 'en')).toBe('12.3');
    expect(formatMetric(null, 'count', 'en')).toBe('—');
  });

  it('colours by sign only', () => {
    expect(signClass(1)).toBe('price-up');
    expect(signClass(-1)).toBe('price-down');
    expect(signClass(0)).toBe('');
    expect(signClass(null)).toBe('');
  });

  it('knows the phases', () => {
    expect(knownPhase('running')).toBe('running');
    expect(knownPhase('warming-up')).toBeNull();
  });
});
