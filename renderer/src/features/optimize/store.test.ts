import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type * as tasksApi from '@/api/tasks';
import type * as optimizeApi from '@/api/optimize';
import { cancelTask, getTask, listTasks, retryTask, type Task } from '@/api/tasks';
import { backtestOptimizationTrial, deleteOptimization, listOptimizations, listOptimizationTrials, runOptimization, type OptimizationRequest, type OptimizationSummary } from '@/api/optimize';
import { FakeEventSource } from '@/test/fake-event-source';
import { APPLY_MS, useOptimizeStore } from './store';
import { useBacktestRunsStore } from '@/features/backtest/runs';

vi.mock('element-plus', () => ({ ElMessage: vi.fn() }));
vi.mock('@/api/tasks', async (original) => ({ ...(await original<typeof tasksApi>()), listTasks: vi.fn(), getTask: vi.fn(), cancelTask: vi.fn(), retryTask: vi.fn() }));
vi.mock('@/api/optimize', async (original) => ({
  ...(await original<typeof optimizeApi>()),
  runOptimization: vi.fn(),
  listOptimizationTrials: vi.fn(),
  listOptimizations: vi.fn(),
  deleteOptimization: vi.fn(),
  backtestOptimizationTrial: vi.fn(),
}));

const SUMMARY: OptimizationSummary = { optimizationId: 'o1', strategy: 'dual-ma', symbols: ['600000.SH'], method: 'grid', objective: 'sharpe', trialsTotal: 0, trialsDone: 0, leaderboard: [] };
const config = { name: 'dual-ma 600000.SH', strategy: 'dual-ma', symbols: ['600000.SH'], objective: 'sharpe' };
function task(over: Partial<Task> = {}): Task {
  return {
    id: 'op1',
    kind: 'optimization',
    state: 'queued',
    progress: 0,
    phase: 'queued',
    message: '',
    params: { optimizationId: 'o1', config },
    summary: SUMMARY,
    attempts: 1,
    createdAt: '2026-01-02T03:04:05.000Z',
    ...over,
  };
}
const REQUEST = { strategy: 'dual-ma', symbols: ['600000.SH'], start: '2025-01-01', end: '2025-08-31', ranges: { fast: { min: 3, max: 6 } }, samples: 100, seed: 1 } as unknown as OptimizationRequest;
const entry = (index: number, objective: number) => ({ index, params: { fast: index + 3, slow: 10 }, objective, eligible: true, tradeCount: 5, sharpe: objective, annualReturn: 0.1, maxDrawdown: -0.05, totalReturn: 0.2 });
const progress = (over: object = {}) => ({ taskId: 'op1', optimizationId: 'o1', state: 'running' as const, progress: 25, phase: 'running', trialsDone: 3, trialsTotal: 12, leaderboard: [entry(1, 1.2)], etaSeconds: 4, ...over });
const streamOf = (path: string) => FakeEventSource.instances.filter((s) => new URL(s.url, 'http://x').pathname === path);

beforeEach(() => {
  setActivePinia(createPinia());
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  for (const fn of [listTasks, getTask, cancelTask, retryTask, runOptimization, listOptimizationTrials, listOptimizations, deleteOptimization, backtestOptimizationTrial]) vi.mocked(fn).mockReset();
  vi.mocked(listTasks).mockResolvedValue({ items: [], pagination: { page: 1, pageSize: 200, total: 0 } });
  vi.mocked(getTask).mockRejectedValue(new Error('not asked for'));
  vi.mocked(listOptimizationTrials).mockResolvedValue({ items: [], pagination: { page: 1, pageSize: 10, total: 0 } });
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('optimize store', () => {
  it('starts a run, follows its stream, applies the leaderboard and completes', async () => {
    vi.mocked(runOptimization).mockResolvedValue(task());
    const store = useOptimizeStore();
    const completed = vi.fn();
    store.onCompleted(completed);
    const run = await store.start(REQUEST);
    expect(run).toMatchObject({ taskId: 'op1', optimizationId: 'o1', strategy: 'dual-ma', objective: 'sharpe', state: 'queued' });
    const [source] = streamOf('/api/stream/optimize/op1');
    source!.open();
    expect(store.byId.op1!.connection).toBe('open');
    source!.send('optimizationProgress', progress(), '1');
    expect(store.byId.op1).toMatchObject({ state: 'running', progress: 25, trialsDone: 3, trialsTotal: 12, etaSeconds: 4 });
    expect(store.byId.op1!.leaderboard).toEqual([entry(1, 1.2)]);

    vi.mocked(getTask).mockResolvedValue(task({ state: 'succeeded', progress: 100, summary: { ...SUMMARY, trialsDone: 12, trialsTotal: 12, leaderboard: [entry(6, 2.8)] } }));
    source!.send('optimizationComplete', { taskId: 'op1', optimizationId: 'o1', url: '/api/optimize/o1' }, '2');
    expect(store.byId.op1).toMatchObject({ state: 'succeeded', progress: 100, connection: 'closed' });
    expect(source!.closed).toBe(true);
    expect(completed).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(store.byId.op1!.leaderboard).toEqual([entry(6, 2.8)]));
    expect(store.byId.op1!.trialsDone).toBe(12);
  });

  it('applies progress at most once per APPLY_MS: the first at once, then the latest', async () => {
    vi.useFakeTimers();
    vi.mocked(runOptimization).mockResolvedValue(task());
    const store = useOptimizeStore();
    await store.start(REQUEST);
    const [source] = streamOf('/api/stream/optimize/op1');
    source!.open();
    source!.send('optimizationProgress', progress({ progress: 10, trialsDone: 1 }), '1');
    expect(store.byId.op1!.trialsDone).toBe(1);
    for (let i = 2; i <= 6; i++) source!.send('optimizationProgress', progress({ progress: 10 * i, trialsDone: i, leaderboard: [entry(i, i)] }), String(i));
    expect(store.byId.op1!.trialsDone).toBe(1);
    vi.advanceTimersByTime(APPLY_MS);
    expect(store.byId.op1).toMatchObject({ trialsDone: 6, progress: 60 });
    expect(store.byId.op1!.leaderboard).toEqual([entry(6, 6)]);
    // A replay after a reconnect never moves the figures back.
    vi.advanceTimersByTime(APPLY_MS);
    source!.send('optimizationProgress', progress({ progress: 30, trialsDone: 3 }), '7');
    expect(store.byId.op1).toMatchObject({ trialsDone: 6, progress: 60 });
  });

  it('shows a failure, and retry resumes the same task on a new stream', async () => {
    vi.mocked(runOptimization).mockResolvedValue(task());
    const store = useOptimizeStore();
    await store.start(REQUEST);
    const [first] = streamOf('/api/stream/optimize/op1');
    first!.open();
    first!.send('optimizationError', { taskId: 'op1', optimizationId: 'o1', state: 'cancelled', code: 7004, message: 'Task cancelled' }, '1');
    expect(store.byId.op1).toMatchObject({ state: 'cancelled', error: { state: 'cancelled', code: 7004 } });
    expect(first!.closed).toBe(true);

    vi.mocked(retryTask).mockResolvedValue(task({ attempts: 2, summary: { ...SUMMARY, trialsDone: 5, trialsTotal: 12, trialsResumed: 5 } }));
    await store.retry('op1');
    expect(retryTask).toHaveBeenCalledWith('op1');
    expect(store.byId.op1).toMatchObject({ state: 'queued', error: undefined, trialsDone: 5, trialsResumed: 5, attempts: 2 });
    expect(streamOf('/api/stream/optimize/op1')).toHaveLength(2);
  });

  it('cancels through the task platform', async () => {
    vi.mocked(runOptimization).mockResolvedValue(task());
    vi.mocked(cancelTask).mockResolvedValue(task({ state: 'cancelled', error: { code: 7004, message: 'Task cancelled' } }));
    const store = useOptimizeStore();
    await store.start(REQUEST);
    await store.cancel('op1');
    expect(store.byId.op1).toMatchObject({ state: 'cancelled', error: { code: 7004 } });
  });

  it('re-follows the optimizations still running after a reload', async () => {
    vi.mocked(listTasks).mockResolvedValue({
      items: [task({ id: 'op2', state: 'running', progress: 40 }), task({ id: 'op3', state: 'succeeded', progress: 100 }), { ...task({ id: 'bt1' }), kind: 'backtest' }],
      pagination: { page: 1, pageSize: 200, total: 3 },
    });
    const store = useOptimizeStore();
    await store.resume();
    expect(listTasks).toHaveBeenCalledWith({ kind: 'optimization', pageSize: 200 });
    expect(Object.keys(store.byId)).toEqual(['op2']);
    expect(streamOf('/api/stream/optimize/op2')).toHaveLength(1);
  });

  it('shows the leaderboard metrics the stream carries, without asking for the trials', async () => {
    vi.mocked(runOptimization).mockResolvedValue(task());
    const store = useOptimizeStore();
    await store.start(REQUEST);
    const [source] = streamOf('/api/stream/optimize/op1');
    source!.open();
    const withMetrics = { ...entry(1, 2.83), sharpe: 2.83, annualReturn: 0.55, maxDrawdown: -0.056, totalReturn: 0.28 };
    source!.send('optimizationProgress', progress({ leaderboard: [withMetrics], walkForward: { windowsTotal: 3, windowsDone: 1, trialsTotal: 48, trialsDone: 20 } }), '1');
    await vi.waitFor(() => expect(store.byId.op1?.leaderboard[0]).toEqual(withMetrics));
    expect(store.byId.op1?.walkForward).toEqual({ windowsTotal: 3, windowsDone: 1, trialsTotal: 48, trialsDone: 20 });
    expect(listOptimizationTrials).not.toHaveBeenCalled();
  });

  it('lists the history and deletes an optimization', async () => {
    const meta = { id: 'o1', taskId: 'op1', name: 'x', createdAt: '2026-01-02T03:04:05.000Z', strategy: 'dual-ma', symbols: ['600000.SH'], method: 'grid', objective: 'sharpe' as const, trialsTotal: 12, trialsDone: 12, state: 'succeeded' as const, best: null };
    vi.mocked(listOptimizations).mockResolvedValue({ items: [meta, { ...meta, id: 'o2' }], pagination: { page: 1, pageSize: 50, total: 2 } });
    vi.mocked(deleteOptimization).mockResolvedValue();
    const store = useOptimizeStore();
    await store.loadHistory(1);
    expect(store.history.map((m) => m.id)).toEqual(['o1', 'o2']);
    await store.remove('o1');
    expect(deleteOptimization).toHaveBeenCalledWith('o1');
    expect(store.history.map((m) => m.id)).toEqual(['o2']);
    expect(store.historyTotal).toBe(1);
  });

  it('opens a trial as a backtest, followed as a backtest run until it has a result', async () => {
    const btTask: Task = { ...task({ id: 'bt9' }), kind: 'backtest', params: { strategy: 'dual-ma', symbols: ['600000.SH'] }, summary: { strategy: 'dual-ma', symbols: ['600000.SH'] } as unknown as Task['summary'] };
    vi.mocked(backtestOptimizationTrial).mockResolvedValue(btTask);
    const store = useOptimizeStore();
    const opened = store.openTrial('o1', 9);
    await vi.waitFor(() => expect(useBacktestRunsStore().byId.bt9).toBeDefined());
    expect(backtestOptimizationTrial).toHaveBeenCalledWith('o1', 9);
    const [source] = streamOf('/api/stream/backtest/bt9');
    source!.open();
    vi.mocked(getTask).mockResolvedValue({ ...btTask, state: 'succeeded' });
    source!.send('complete', { taskId: 'bt9', resultId: 'r9', url: '/api/backtest/results/r9' }, '1');
    await expect(opened).resolves.toMatchObject({ taskId: 'bt9', resultId: 'r9' });
  });
});
