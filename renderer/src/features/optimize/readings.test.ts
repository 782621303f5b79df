import { describe, expect, it } from 'vitest';
import { i18n } from '@/plugins/i18n';
import type { Overfitting } from '@/api/optimize';
import { confidenceLevel, degradationLevel, overfittingReadings, readingKey, riskLevel, THRESHOLDS, wfeLevel } from './readings';

const overfitting: Overfitting = {
  psr: { bestIndex: 9, psr: 0.9835, dsr: 0.9604, sr0: 0.0315, sharpeVariance: 0.00036, trials: 12 },
  pbo: {
    pbo: 0.12,
    combinations: 12870,
    partitions: 16,
    blockSize: 8,
    droppedRows: 14,
    probabilityOfLoss: 0.55,
    degradation: { slope: -0.95, intercept: 0.36, correlation: -0.79 },
  },
};

function text(locale: 'zh-CN' | 'en', key: string, params: Record<string, unknown>): string {
  i18n.global.locale.value = locale;
  try {
    return i18n.global.t(key, params);
  } finally {
    i18n.global.locale.value = 'zh-CN';
  }
}

describe('overfitting readings', () => {
  it('grades PSR and DSR at the 95 % and 50 % marks (docs/OVERFITTING.md)', () => {
    expect(THRESHOLDS.confidence).toEqual({ good: 0.95, fair: 0.5 });
    expect([0.99, 0.95, 0.9, 0.5, 0.49, null].map(confidenceLevel)).toEqual(['good', 'good', 'fair', 'fair', 'poor', null]);
  });

  it('grades PBO and the probability of loss as low ≤ 20 %, high from 50 %', () => {
    expect([0, 0.12, 0.2, 0.3, 0.5, 0.8, Number.NaN].map((v) => riskLevel(v, THRESHOLDS.pbo))).toEqual(['good', 'good', 'good', 'fair', 'poor', 'poor', null]);
  });

  it('reads a negative degradation slope as curve fitting', () => {
    expect([0.5, 0, -0.05, -0.95, null].map(degradationLevel)).toEqual(['good', 'fair', 'fair', 'poor', null]);
  });

  it('reads every figure the contract carries, in order, with its words in zh-CN and English', () => {
    const readings = overfittingReadings(overfitting);
    expect(readings.map((r) => [r.key, r.level])).toEqual([
      ['psr', 'good'],
      ['dsr', 'good'],
      ['pbo', 'good'],
      ['loss', 'poor'],
      ['degradation', 'poor'],
    ]);
    const pbo = readings[2]!;
    expect(text('en', readingKey(pbo), pbo.params)).toBe('A 12.0% chance the best in-sample setting is at or below the median out of sample: low');
    expect(text('zh-CN', readingKey(pbo), pbo.params)).toBe('样本内最优的参数在样本外跌到中位数或以下的概率为 12.0%：低');
    const dsr = readings[1]!;
    expect(text('en', readingKey(dsr), dsr.params)).toBe('96.0% confident it beats the luckiest of 12 skill-less tries: credible');
    const slope = readings[4]!;
    expect(text('zh-CN', readingKey(slope), slope.params)).toContain('斜率 -0.95');
  });

  it('says "not available" for a part the server could not compute', () => {
    const readings = overfittingReadings({ psr: null, pbo: null });
    expect(readings.every((r) => r.level === null && readingKey(r).endsWith('.na'))).toBe(true);
    expect(text('en', readingKey(readings[0]!), readings[0]!.params)).toBe('Not available');
  });
});

describe('walk-forward efficiency reading', () => {
  it('is good from 50 %, fair above 0, poor at or below 0, and absent without a number', () => {
    expect(wfeLevel(0.5)).toBe('good');
    expect(wfeLevel(1.3)).toBe('good');
    expect(wfeLevel(0.49)).toBe('fair');
    expect(wfeLevel(0.01)).toBe('fair');
    expect(wfeLevel(0)).toBe('poor');
    expect(wfeLevel(-0.4)).toBe('poor');
    expect(wfeLevel(null)).toBeNull();
  });
});
