import { describe, expect, it } from 'vitest';
import { formatClock, formatMoney, formatSignedMoney } from './format';

describe('trading format', () => {
  it('money with grouping and 2 decimals, no negative zero', () => {
    expect(formatMoney(1234567.891, 'en')).toBe('1,234,567.89');
    expect(formatMoney(-0.001, 'en')).toBe('0.00');
    expect(formatMoney(undefined, 'en')).toBe('—');
  });

  it('signed money', () => {
    expect(formatSignedMoney(12.5, 'en')).toBe('+12.50');
    expect(formatSignedMoney(-12.5, 'en')).toBe('-12.50');
    expect(formatSignedMoney(0, 'en')).toBe('0.00');
  });

  it('clock: a day, a minute bar, an ISO time', () => {
    expect(formatClock('2025-08-05')).toBe('2025-08-05');
    expect(formatClock('2025-08-05 10:31')).toBe('2025-08-05 10:31');
    expect(formatClock('2025-08-05T15:00:00+08:00')).toBe('2025-08-05 15:00');
    expect(formatClock(undefined)).toBe('—');
  });
});
