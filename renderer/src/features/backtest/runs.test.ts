import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type * as tasksApi from '@/api/tasks';
import type * as backtestApi from '@/api/backtest';
import { cancelTask, getTask, listTasks, retryTask, type Task } from '@/api/tasks';
import { runBacktest, type BacktestRequest } from '@/api/backtest';
import { FakeEventSource } from '@/test/fake-event-source';
import { MAX_STREAMS, useBacktestRunsStore } from './runs';

vi.mock('element-plus', () => ({ ElMessage: vi.fn() }));
vi.mock('@/api/tasks', async (original) => ({
  ...(await original<typeof tasksApi>()),
  listTasks: vi.fn(),
  getTask: vi.fn(),
  cancelTask: vi.fn(),
  retryTask: vi.fn(),
}));
vi.mock('@/api/backtest', async (original) => ({ ...(await original<typeof backtestApi>()), runBacktest: vi.fn() }));

function task(over: Partial<Task> = {}): Task {
  return {
    id: 'bt1',
    kind: 'backtest',
    state: 'queued',
    progress: 0,
    phase: 'queued',
    message: '',
    params: { strategy: 'dual-ma', symbols: ['600519.SH'] },
    summary: { strategy: 'dual-ma', symbols: ['600519.SH'], barsProcessed: 0, barsTotal: 0 },
    attempts: 1,
    createdAt: '2026-01-02T03:04:05.000Z',
    ...over,
  };
}

const REQUEST: BacktestRequest = {
  strategy: 'dual-ma',
  symbols: ['600519.SH'],
  start: '2020-01-01',
  end: '2025-09-30',
  period: 'day',
  initialCash: 1_000_000,
  fillModel: 'next-open',
  benchmark: '000001.SH',
};

const streamOf = (taskId: string) => FakeEventSource.instances.filter((s) => new URL(s.url, 'http://x').pathname === `/api/stream/backtest/${taskId}`);

beforeEach(() => {
  setActivePinia(createPinia());
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  for (const fn of [listTasks, getTask, cancelTask, retryTask, runBacktest]) vi.mocked(fn).mockReset();
  vi.mocked(listTasks).mockResolvedValue({ items: [], pagination: { page: 1, pageSize: 200, total: 0 } });
  vi.mocked(getTask).mockRejectedValue(new Error('not asked for in this test'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('backtest runs', () => {
  it('starts a run, follows its own stream to completion and tells who listens', async () => {
    vi.mocked(runBacktest).mockResolvedValue(task());
    vi.mocked(getTask).mockResolvedValue(
      task({ state: 'succeeded', progress: 100, summary: { strategy: 'dual-ma', symbols: ['600519.SH'], barsProcessed: 1400, barsTotal: 1400, currentDate: '2025-09-30', equity: 1_212_231.91, resultId: 'r1' } }),
    );
    const runs = useBacktestRunsStore();
    const completed = vi.fn();
    runs.onCompleted(completed);

    const run = await runs.start(REQUEST);
    expect(run.taskId).toBe('bt1');
    const [source] = streamOf('bt1');
    expect(source).toBeDefined();
    expect(runs.byId.bt1!.connection).toBe('connecting');
    source!.open();
    expect(runs.byId.bt1!.connection).toBe('open');

    source!.send('progress', { taskId: 'bt1', state: 'running', progress: 40, phase: 'running', currentDate: '2022-03-01', barsProcessed: 560, barsTotal: 1400, equity: 1_100_000, etaSeconds: 3 }, '1');
    expect(runs.byId.bt1).toMatchObject({ state: 'running', progress: 40, currentDate: '2022-03-01', barsProcessed: 560, barsTotal: 1400, equity: 1_100_000 });
    // A replayed older event never moves the bar back.
    source!.send('progress', { taskId: 'bt1', state: 'running', progress: 30, phase: 'running' }, '2');
    expect(runs.byId.bt1!.progress).toBe(40);

    source!.send('complete', { taskId: 'bt1', resultId: 'r1', resultUrl: '/api/backtest/results/r1' }, '3');
    expect(runs.byId.bt1).toMatchObject({ state: 'succeeded', progress: 100, resultId: 'r1', connection: 'closed' });
    expect(source!.closed).toBe(true);
    expect(completed).toHaveBeenCalledWith(expect.objectContaining({ taskId: 'bt1', resultId: 'r1' }));
    // The final figures come from the finished task (the last progress event may be short of the end).
    await vi.waitFor(() => expect(runs.byId.bt1).toMatchObject({ barsProcessed: 1400, currentDate: '2025-09-30', equity: 1_212_231.91 }));
  });

  it('shows a failure with its code, and retries the same task on a fresh stream', async () => {
    vi.mocked(runBacktest).mockResolvedValue(task());
    const runs = useBacktestRunsStore();
    await runs.start(REQUEST);
    streamOf('bt1')[0]!.send('error', { taskId: 'bt1', state: 'failed', code: 2003, message: 'No bars for 600519.SH' }, '5');
    expect(runs.byId.bt1).toMatchObject({ state: 'failed', error: { state: 'failed', code: 2003, message: 'No bars for 600519.SH' } });
    expect(streamOf('bt1')[0]!.closed).toBe(true);

    vi.mocked(retryTask).mockResolvedValue(task({ attempts: 2 }));
    await runs.retry('bt1');
    expect(retryTask).toHaveBeenCalledWith('bt1');
    expect(runs.byId.bt1).toMatchObject({ state: 'queued', progress: 0, error: undefined });
    expect(streamOf('bt1')).toHaveLength(2);
    expect(streamOf('bt1')[1]!.query.has('lastEventId')).toBe(false);
  });

  it('cancels through the task platform; the stream ends it with 7004', async () => {
    vi.mocked(runBacktest).mockResolvedValue(task({ state: 'running', phase: 'running' }));
    const runs = useBacktestRunsStore();
    await runs.start(REQUEST);
    vi.mocked(cancelTask).mockResolvedValue(task({ state: 'running', phase: 'cancelling' }));
    const cancelling = runs.cancel('bt1');
    expect(runs.byId.bt1!.phase).toBe('cancelling');
    await cancelling;
    expect(cancelTask).toHaveBeenCalledWith('bt1');
    streamOf('bt1')[0]!.send('error', { taskId: 'bt1', state: 'cancelled', code: 7004, message: 'The task was cancelled' }, '9');
    expect(runs.byId.bt1!.error).toEqual({ state: 'cancelled', code: 7004, message: 'The task was cancelled' });
  });

  it('a refused cancel leaves the card as it was', async () => {
    vi.mocked(runBacktest).mockResolvedValue(task({ state: 'running', phase: 'metrics' }));
    const runs = useBacktestRunsStore();
    await runs.start(REQUEST);
    vi.mocked(cancelTask).mockRejectedValue(new Error('7001'));
    await expect(runs.cancel('bt1')).rejects.toThrow('7001');
    expect(runs.byId.bt1!.phase).toBe('metrics');
  });

  it('says when its stream is reconnecting', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 200 })));
    vi.mocked(runBacktest).mockResolvedValue(task());
    const runs = useBacktestRunsStore();
    await runs.start(REQUEST);
    streamOf('bt1')[0]!.open();
    streamOf('bt1')[0]!.fail();
    expect(runs.byId.bt1!.connection).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1000);
    streamOf('bt1')[1]!.open();
    expect(runs.byId.bt1!.connection).toBe('open');
  });

  it('while its own stream is down, the tasks stream keeps the card true (and ends it)', async () => {
    vi.useFakeTimers();
    vi.stubGlobal('fetch', vi.fn(async () => new Response('{}', { status: 503 })));
    vi.mocked(runBacktest).mockResolvedValue(task({ state: 'running' }));
    const runs = useBacktestRunsStore();
    await runs.start(REQUEST);
    const own = streamOf('bt1')[0]!;
    own.open();
    const tasksStream = FakeEventSource.instances.find((s) => new URL(s.url, 'http://x').pathname === '/api/stream/tasks')!;
    tasksStream.open();
    // Ignored while the run's own stream is open.
    tasksStream.send('task', task({ state: 'running', progress: 10 }), '1');
    expect(runs.byId.bt1!.progress).toBe(0);

    own.fail();
    expect(runs.byId.bt1!.connection).toBe('reconnecting');
    tasksStream.send('task', task({ state: 'interrupted', progress: 53, error: { code: 9002, message: 'the server stopped during the task' } }), '2');
    expect(runs.byId.bt1).toMatchObject({ state: 'interrupted', connection: 'closed', error: { state: 'interrupted', code: 9002 } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(streamOf('bt1')).toHaveLength(1); // no more reconnecting for a finished run
  });

  it('after a reload, follows again the backtests still queued or running on the server', async () => {
    vi.mocked(listTasks).mockResolvedValue({
      items: [
        task({ id: 'run', state: 'running', progress: 55, phase: 'running', summary: { strategy: 'dual-ma', symbols: ['600519.SH'], barsProcessed: 770, barsTotal: 1400, currentDate: '2023-01-05' } }),
        task({ id: 'old', state: 'succeeded', progress: 100, phase: 'done' }),
      ],
      pagination: { page: 1, pageSize: 200, total: 2 },
    });
    const runs = useBacktestRunsStore();
    await runs.resume();
    expect(listTasks).toHaveBeenCalledWith({ kind: 'backtest', pageSize: 200 });
    expect(Object.keys(runs.byId)).toEqual(['run']);
    expect(runs.byId.run).toMatchObject({ progress: 55, barsProcessed: 770, currentDate: '2023-01-05' });
    expect(streamOf('run')).toHaveLength(1);
    expect(streamOf('old')).toHaveLength(0);
  });

  it('after a reset, takes the task as the server has it', async () => {
    vi.mocked(runBacktest).mockResolvedValue(task({ state: 'running' }));
    const runs = useBacktestRunsStore();
    await runs.start(REQUEST);
    vi.mocked(getTask).mockResolvedValue(task({ state: 'failed', error: { code: 9002, message: 'Interrupted' } }));
    streamOf('bt1')[0]!.send('reset', { reason: 'too-old', requestedId: '1', oldestId: 5, latestId: 9 }, '9');
    await vi.waitFor(() => expect(runs.byId.bt1!.state).toBe('failed'));
    expect(runs.byId.bt1!.error).toEqual({ state: 'failed', code: 9002, message: 'Interrupted' });
    expect(streamOf('bt1')[0]!.closed).toBe(true);
  });

  it('opens at most MAX_STREAMS run streams; the others follow the tasks stream until one frees up', async () => {
    const runs = useBacktestRunsStore();
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const [i, id] of ids.entries()) {
      vi.mocked(runBacktest).mockResolvedValueOnce(task({ id, createdAt: `2026-01-02T03:04:0${i}.000Z` }));
      await runs.start(REQUEST);
    }
    const open = () => ids.filter((id) => streamOf(id).some((s) => !s.closed));
    expect(open()).toHaveLength(MAX_STREAMS);
    // The tasks stream (one for the app) is open too.
    const tasksStream = FakeEventSource.instances.find((s) => new URL(s.url, 'http://x').pathname === '/api/stream/tasks')!;
    expect(tasksStream).toBeDefined();

    // A run without its own stream learns from `task` events, and completes from them too.
    const waiting = ids.find((id) => !open().includes(id))!;
    const completed = vi.fn();
    runs.onCompleted(completed);
    tasksStream.open();
    tasksStream.send('task', task({ id: waiting, state: 'running', progress: 30, phase: 'running' }), '1');
    expect(runs.byId[waiting]).toMatchObject({ state: 'running', progress: 30 });

    // One finishes: its stream closes and a waiting run (running first) gets one.
    const streaming = open()[0]!;
    streamOf(streaming)[0]!.send('complete', { taskId: streaming, resultId: 'r', resultUrl: '/api/backtest/results/r' }, '2');
    expect(open()).toHaveLength(MAX_STREAMS);
    expect(open()).toContain(waiting);

    const last = ids.find((id) => !open().includes(id) && id !== streaming)!;
    tasksStream.send('task', task({ id: last, state: 'succeeded', progress: 100, phase: 'done', summary: { strategy: 'dual-ma', symbols: ['600519.SH'], barsProcessed: 9, barsTotal: 9, resultId: 'r-last' } }), '3');
    expect(runs.byId[last]).toMatchObject({ state: 'succeeded', resultId: 'r-last' });
    expect(completed).toHaveBeenCalledWith(expect.objectContaining({ taskId: last, resultId: 'r-last' }));
  });
});
