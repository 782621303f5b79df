import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration, percent } from './format';

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
