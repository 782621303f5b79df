import { afterEach, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import { i18n } from '@/plugins/i18n';
import type { OptimizationRun } from '../store';
import RunProgress from './RunProgress.vue';

let wrapper: VueWrapper | undefined;
afterEach(() => wrapper?.unmount());

function run(over: Partial<OptimizationRun> = {}): OptimizationRun {
  return {
    taskId: 't1',
    optimizationId: 'o1',
    name: '',
    strategy: 'dual-ma',
    symbols: ['600000.SH'],
    objective: 'sharpe',
    state: 'running',
    progress: 25,
    phase: 'running',
    trialsDone: 3,
    trialsTotal: 12,
    etaSeconds: 65,
    leaderboard: [],
    connection: 'open',
    attempts: 1,
    createdAt: '2026-01-02T03:04:05.000Z',
    ...over,
  };
}

const mountCard = (r: OptimizationRun, showOpen = false) =>
  (wrapper = mount(RunProgress, { props: { run: r, strategyName: '双均线交叉', showOpen }, global: { plugins: [i18n, ElementPlus] } }));

// The card itself (phase, errors, reconnecting, Cancel/Retry) is BacktestProgress.test.ts's; here what an optimization adds.
describe('RunProgress', () => {
  it('shows trials done of total and the time left, with its own test ids', async () => {
    const w = mountCard(run());
    expect(w.get('[data-testid="optimize-progress"]').attributes('data-state')).toBe('running');
    expect(w.get('[data-testid="optimize-trials"]').attributes()).toMatchObject({ 'data-done': '3', 'data-total': '12' });
    expect(w.text()).toContain('1:05');
    expect(w.find('[data-testid="optimize-open"]').exists()).toBe(false);
    await w.get('[data-testid="optimize-cancel"]').trigger('click');
    expect(w.emitted('cancel')).toHaveLength(1);
  });

  it('offers Open where it links to the run page, and shows a walk-forward and resumed trials', async () => {
    const w = mountCard(
      run({ state: 'succeeded', progress: 100, phase: 'done', trialsResumed: 4, walkForward: { windowsDone: 2, windowsTotal: 5, trialsDone: 20, trialsTotal: 50 } }),
      true,
    );
    expect(w.get('[data-testid="optimize-windows"]').attributes()).toMatchObject({ 'data-done': '2', 'data-total': '5' });
    expect(w.find('.wide').exists()).toBe(true);
    await w.get('[data-testid="optimize-open"]').trigger('click');
    expect(w.emitted('open')).toHaveLength(1);
  });
});
