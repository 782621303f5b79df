import { afterEach, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { i18n } from '@/plugins/i18n';
import type { BacktestMetrics } from '@/api/backtest';
import MetricCards from './MetricCards.vue';

let wrapper: VueWrapper | undefined;
afterEach(() => wrapper?.unmount());

const metrics: BacktestMetrics = {
  startDate: '2020-01-02',
  endDate: '2025-09-30',
  periods: 1394,
  riskFree: 0,
  totalReturn: 0.2122,
  annualReturn: 0.0354,
  benchmarkTotalReturn: 0.1726,
  benchmarkAnnualReturn: 0.029,
  excessReturn: 0.0338,
  annualExcessReturn: 0.005,
  alpha: 0.0352,
  beta: 0.41,
  sharpe: 0.2812,
  sortino: 0.42,
  calmar: 0.09,
  informationRatio: 0.1,
  trackingError: 0.2,
  volatility: 0.1859,
  benchmarkVolatility: 0.15,
  downsideDeviation: 0.1,
  maxDrawdown: { value: -0.4132, peakDate: '2023-01-16', troughDate: '2025-02-25', recoveryDate: null, durationDays: 500 },
  longestDrawdownDays: 600,
  tradeCount: 42,
  winRate: 0.381,
  dayWinRate: 0.5,
  payoffRatio: 1.89,
  profitFactor: null,
  expectancy: 100,
  avgHoldingDays: 16.33,
  turnover: 14.5435,
  exposure: 0.6,
  var95: -0.0168,
  skewness: 0.1,
  kurtosis: 4,
  probabilisticSharpe: 0.7453,
};

describe('MetricCards', () => {
  it('formats each metric, colours returns by sign and shows undefined ones as a dash', () => {
    wrapper = mount(MetricCards, { props: { metrics, finalEquityFen: 121223191 }, global: { plugins: [i18n] } });
    const text = (key: string) => wrapper!.get(`[data-testid="metric-${key}"]`).text();
    expect(text('finalEquity')).toBe('1,212,231.91');
    expect(text('totalReturn')).toBe('+21.22%');
    expect(wrapper.get('[data-testid="metric-totalReturn"]').classes()).toContain('price-up');
    expect(text('maxDrawdown')).toBe('-41.32%');
    expect(wrapper.get('[data-testid="metric-maxDrawdown-card"]').text()).toContain('2023-01-16 → 2025-02-25');
    expect(wrapper.get('[data-testid="metric-maxDrawdown-card"]').text()).toContain('未修复');
    expect(text('sharpe')).toBe('0.28');
    expect(text('profitFactor')).toBe('—');
    expect(text('tradeCount')).toBe('42');
    expect(text('turnover')).toBe('1454.35%');
    expect(text('avgHoldingDays')).toBe('16.3');
    expect(text('var95')).toBe('-1.68%');
    expect(text('probabilisticSharpe')).toBe('74.53%');
  });
});
