import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, percent, formatCompact, formatPercentChange, formatPrice, formatSigned, formatMarketTime, moveClass } from './format';

describe('format', () => {
  it('formats bytes with binary multiples', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(123 * 1024 * 1024)).toBe('123 MB');
    expect(formatBytes(50 * 1024 ** 3)).toBe('50.0 GB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('formats durations with the most significant units', () => {
    const unit = (k: string, n: number) => `${n}${k[0]}`;
    expect(formatDuration(42, unit)).toBe('42s');
    expect(formatDuration(125, unit)).toBe('2m 5s');
    expect(formatDuration(3 * 3600 + 60, unit)).toBe('3h 1m');
    expect(formatDuration(93_780, unit)).toBe('1d 2h 3m');
  });

  it('computes a clamped percentage', () => {
    expect(percent(150, 200)).toBe(75);
    expect(percent(1, 0)).toBe(0);
    expect(percent(300, 200)).toBe(100);
  });
});

describe('price formatting', () => {
  it('formats prices, signed changes and percentages', () => {
    expect(formatPrice(13.75)).toBe('13.75');
    expect(formatPrice(1.2346, 3)).toBe('1.235');
    expect(formatPrice(Number.NaN)).toBe('—');
    expect(formatSigned(0.62)).toBe('+0.62');
    expect(formatSigned(-0.62)).toBe('-0.62');
    expect(formatSigned(0.001)).toBe('0.00');
    expect(formatPercentChange(4.72)).toBe('+4.72%');
    expect(formatPercentChange(undefined)).toBe('—');
    expect(moveClass(1)).toBe('price-up');
    expect(moveClass(-1)).toBe('price-down');
    expect(moveClass(0)).toBe('');
  });

  it('shows large amounts in 万/亿 in Chinese and K/M/B in English', () => {
    expect(formatCompact(133_646_594, 'zh-CN')).toBe('1.34亿');
    expect(formatCompact(52_305, 'zh-CN')).toBe('5.23万');
    expect(formatCompact(5_230_500, 'zh-CN')).toBe('523万');
    expect(formatCompact(999, 'zh-CN')).toBe('999');
    expect(formatCompact(133_646_594, 'en')).toBe('133.65M');
    expect(formatCompact(1_812_400_000, 'en')).toBe('1.81B');
    expect(formatCompact(-2500, 'en')).toBe('-2.50K');
  });
});

describe('formatMarketTime', () => {
  it('shows exchange (Beijing) time whatever the machine zone', () => {
    expect(formatMarketTime('2025-08-05T15:00:00+08:00')).toBe('2025-08-05 15:00:00');
    expect(formatMarketTime('2025-08-05T01:30:05Z')).toBe('2025-08-05 09:30:05');
    expect(formatMarketTime('nope')).toBe('—');
  });
});
