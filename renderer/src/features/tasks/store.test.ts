import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { ref } from 'vue';
import type * as tasksApi from '@/api/tasks';
import { cancelTask, deleteTask, getTask, listTasks, retryTask, type Task } from '@/api/tasks';
import { POLL_MS, useTasksStore } from './store';

vi.mock('@/api/tasks', async (original) => ({
  ...(await original<typeof tasksApi>()),
  listTasks: vi.fn(),
  getTask: vi.fn(),
  cancelTask: vi.fn(),
  retryTask: vi.fn(),
  deleteTask: vi.fn(),
}));

/** The streams the store opened, with their handlers (no network). */
const streams: { options: { on: { task: (t: Task) => void; reset: () => void }; onOpen: (i: { resumed: boolean }) => void }; state: ReturnType<typeof ref<string>>; closed: boolean }[] = [];
vi.mock('@/api/sse', () => ({
  EventStream: class {
    readonly state = ref('closed');
    closed = false;
    constructor(
      _name: string,
      readonly options: never,
    ) {
      streams.push(this as never);
    }
    start() {
      this.state.value = 'connecting';
    }
    close() {
      this.closed = true;
      this.state.value = 'closed';
    }
  },
}));

function task(over: Partial<Task> = {}): Task {
  return {
    id: 't1',
    kind: 'import',
    state: 'queued',
    progress: 0,
    phase: 'queued',
    message: '',
    params: {},
    summary: { importKind: 'tdx', source: '/d', filesTotal: 0, filesDone: 0, filesFailed: 0, barsRead: 0, barsInserted: 0, results: [] },
    attempts: 1,
    createdAt: '2026-01-02T03:04:05.000Z',
    ...over,
  };
}

beforeEach(() => {
  setActivePinia(createPinia());
  streams.length = 0;
  for (const fn of [listTasks, getTask, cancelTask, retryTask, deleteTask]) vi.mocked(fn).mockReset();
  vi.mocked(listTasks).mockResolvedValue({ items: [], pagination: { page: 1, pageSize: 200, total: 0 } });
});

describe('the tasks store', () => {
  it('keeps the newest state of each task: a late progress event never undoes a final state, a retry starts over', () => {
    const store = useTasksStore();
    store.apply(task({ state: 'running', progress: 50 }));
    store.apply(task({ state: 'succeeded', progress: 100 }));
    store.apply(task({ state: 'running', progress: 60 }));
    expect(store.byId.t1).toMatchObject({ state: 'succeeded', progress: 100 });
    store.apply(task({ state: 'queued', attempts: 2 }));
    expect(store.byId.t1).toMatchObject({ state: 'queued', attempts: 2 });
    store.apply(task({ id: 't2', createdAt: '2026-01-03T00:00:00.000Z', state: 'running' }));
    expect(store.all.map((t) => t.id)).toEqual(['t2', 't1']);
    expect(store.active.map((t) => t.id)).toEqual(['t2', 't1']);
    expect(store.ofKind('import')).toHaveLength(2);
  });

  it('connects once; a fresh connection or a reset reloads the list; events update it; the open state follows the stream', async () => {
    vi.mocked(listTasks).mockResolvedValue({ items: [task({ state: 'failed' })], pagination: { page: 1, pageSize: 200, total: 1 } });
    const store = useTasksStore();
    store.connect();
    store.connect();
    expect(streams).toHaveLength(1);
    const s = streams[0]!;
    s.state.value = 'open';
    await Promise.resolve();
    expect(store.streamOpen).toBe(true);
    s.options.onOpen({ resumed: false });
    await vi.waitFor(() => expect(store.byId.t1?.state).toBe('failed'));
    s.options.onOpen({ resumed: true });
    s.options.on.reset();
    expect(listTasks).toHaveBeenCalledTimes(2);
    s.options.on.task(task({ id: 't3', state: 'running' }));
    expect(store.byId.t3?.state).toBe('running');
    store.disconnect();
    expect(s.closed).toBe(true);
    expect(store.streamOpen).toBe(false);
  });

  it('wait() resolves on the final event; while the stream is down it polls the task', async () => {
    vi.useFakeTimers();
    try {
      const store = useTasksStore();
      store.apply(task({ state: 'running' }));
      vi.mocked(getTask).mockResolvedValueOnce(task({ state: 'running', progress: 40 })).mockResolvedValueOnce(task({ state: 'cancelled', progress: 40 }));
      const done = store.wait('t1');
      await vi.advanceTimersByTimeAsync(POLL_MS * 2);
      await expect(done).resolves.toMatchObject({ state: 'cancelled' });
      expect(getTask).toHaveBeenCalledTimes(2);
      await expect(store.wait('t1')).resolves.toMatchObject({ state: 'cancelled' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('cancel, retry and remove go through the API and update the list', async () => {
    const store = useTasksStore();
    store.apply(task({ state: 'running' }));
    vi.mocked(cancelTask).mockResolvedValue(task({ state: 'cancelled' }));
    await store.cancel('t1');
    expect(store.byId.t1?.state).toBe('cancelled');
    vi.mocked(retryTask).mockResolvedValue(task({ state: 'queued', attempts: 2 }));
    await store.retry('t1');
    expect(store.byId.t1).toMatchObject({ state: 'queued', attempts: 2 });
    vi.mocked(deleteTask).mockResolvedValue(undefined);
    await store.remove('t1');
    expect(store.byId.t1).toBeUndefined();
  });
});
