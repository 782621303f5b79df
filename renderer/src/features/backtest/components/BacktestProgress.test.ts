import { afterEach, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { i18n, setLocale } from '@/plugins/i18n';
import type { BacktestRun } from '../runs';
import BacktestProgress from './BacktestProgress.vue';

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  setLocale('zh-CN');
});

function run(over: Partial<BacktestRun> = {}): BacktestRun {
  return {
    taskId: 'bt1',
    strategy: 'dual-ma',
    symbols: ['600519.SH'],
    state: 'running',
    progress: 42.5,
    phase: 'running',
    currentDate: '2022-03-01',
    barsProcessed: 560,
    barsTotal: 1400,
    equity: 1_234_567.891,
    etaSeconds: 65,
    connection: 'open',
    createdAt: '2026-01-02T03:04:05.000Z',
    ...over,
  };
}

const mountCard = (r: BacktestRun) =>
  (wrapper = mount(BacktestProgress, { props: { run: r, strategyName: '双均线交叉' }, global: { plugins: [i18n, ElementPlus] } }));

describe('BacktestProgress', () => {
  it('shows phase, date, bars, equity and time left while running, with Cancel', async () => {
    const w = mountCard(run());
    expect(w.get('[data-testid="backtest-phase"]').text()).toBe('回测中');
    expect(w.get('[data-testid="backtest-current-date"]').text()).toBe('2022-03-01');
    expect(w.text()).toContain('560 / 1,400');
    expect(w.text()).toContain('1,234,567.89');
    expect(w.text()).toContain('1:05');
    expect(w.find('[data-testid="backtest-reconnecting"]').exists()).toBe(false);
    await w.get('[data-testid="backtest-cancel"]').trigger('click');
    expect(w.emitted('cancel')).toHaveLength(1);
    expect(w.find('[data-testid="backtest-retry"]').exists()).toBe(false);
  });

  it('says so while its stream is reconnecting', () => {
    const w = mountCard(run({ connection: 'reconnecting' }));
    expect(w.get('[data-testid="backtest-reconnecting"]').text()).toBe('连接中断，正在重连…');
  });

  it('names a failure from the catalogue in the UI language and offers Retry', async () => {
    const failed = run({ state: 'cancelled', error: { state: 'cancelled', code: 7004, message: 'The task was cancelled' } });
    const w = mountCard(failed);
    expect(w.get('[data-testid="backtest-error"]').text()).toContain('任务已取消');
    expect(w.get('[data-testid="backtest-error"]').attributes('title')).toBe('The task was cancelled');
    expect(w.find('[data-testid="backtest-cancel"]').exists()).toBe(false);
    await w.get('[data-testid="backtest-retry"]').trigger('click');
    expect(w.emitted('retry')).toHaveLength(1);

    setLocale('en');
    await w.vm.$nextTick();
    expect(w.get('[data-testid="backtest-error"]').text()).toContain('The task was cancelled');
    expect(w.get('[data-testid="backtest-phase"]').text()).toBe('Cancelled');
  });

  it('offers the result once done', async () => {
    const w = mountCard(run({ state: 'succeeded', progress: 100, phase: 'done', resultId: 'r1' }));
    expect(w.get('[data-testid="backtest-phase"]').text()).toBe('已完成');
    await w.get('[data-testid="backtest-open"]').trigger('click');
    expect(w.emitted('open')).toHaveLength(1);
  });
});
