import { describe, expect, it } from 'vitest';
import { errorText, formatEta, formatFen, formatMetric, formatPct, formatRatio, knownPhase, signClass } from './format';

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

  it('names a failure from the error catalogue in the UI language', () => {
    expect(errorText({ code: 7004, message: 'The task was cancelled' }, 'zh-CN')).toBe('任务已取消');
    expect(errorText({ code: 7004, message: 'The task was cancelled' }, 'en')).toBe('The task was cancelled');
    expect(errorText({ code: 2003, message: 'No bars for 600519.SH' }, 'zh-CN')).toBe('没有该区间的K线数据');
    expect(errorText({ code: 9002, message: 'the server stopped during the task' }, 'en')).toBe('The service is unavailable');
    expect(errorText({ code: 123456, message: 'Something new' }, 'zh-CN')).toBe('Something new');
  });

  it('shows an ETA as a clock and knows the phases', () => {
    expect(formatEta(65)).toBe('1:05');
    expect(formatEta(3723)).toBe('1:02:03');
    expect(formatEta(undefined)).toBe('—');
    expect(knownPhase('running')).toBe('running');
    expect(knownPhase('warming-up')).toBeNull();
  });
});
