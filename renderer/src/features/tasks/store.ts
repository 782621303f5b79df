/**
 * Tasks of every kind (imports today; backtests and optimizations next), as one store: the list
 * from `/api/tasks`, kept current by the `tasks` stream (`connect()`, once for the app), with
 * cancel, retry and delete, and `wait(id)` for a task's final state (polled every POLL_MS while
 * the stream is not open). Screens that start a task follow it here.
 *
 * The Data Manager takes its import events from here (`subscribe`, and `reloads` to refetch its
 * list); it still fetches a finished import's per-file results itself (features/data/store.ts).
 */
import { defineStore } from 'pinia';
import { computed, ref, watch, type WatchStopHandle } from 'vue';
import { EventStream } from '@/api/sse';
import { cancelTask, deleteTask, getTask, isFinished, listTasks, retryTask, type Task, type TaskKind } from '@/api/tasks';

/** How often a followed task is fetched while the stream is not open. */
export const POLL_MS = 1000;

export const useTasksStore = defineStore('tasks', () => {
  const byId = ref<Record<string, Task>>({});
  const streamOpen = ref(false);
  let stream: EventStream<'streamTasks'> | null = null;
  let stopWatch: WatchStopHandle | null = null;
  const waiters = new Map<string, ((task: Task) => void)[]>();
  const listeners = new Set<(task: Task) => void>();
  /** Bumped after every (re)load of the list: what followers missed is to be refetched. */
  const reloads = ref(0);

  /** Newest first. */
  const all = computed(() => Object.values(byId.value).sort((a, b) => b.createdAt.localeCompare(a.createdAt)));
  const ofKind = (kind: TaskKind) => all.value.filter((t) => t.kind === kind);
  const active = computed(() => all.value.filter((t) => !isFinished(t)));

  /** A task from an event, a list or an answer; an older state than the one held is ignored. */
  function apply(task: Task): void {
    const known = byId.value[task.id];
    if (known && (task.attempts < known.attempts || (task.attempts === known.attempts && isFinished(known) && !isFinished(task)))) return;
    byId.value[task.id] = task;
    for (const listener of listeners) listener(task);
    if (isFinished(task)) {
      for (const resolve of waiters.get(task.id) ?? []) resolve(task);
      waiters.delete(task.id);
    }
  }

  async function load(kind?: TaskKind): Promise<void> {
    const page = await listTasks({ ...(kind ? { kind } : {}), pageSize: 200 });
    for (const task of page.items) apply(task);
    reloads.value++;
  }

  /** Every task the store takes in (events, lists, answers); returns the unsubscribe. */
  function subscribe(listener: (task: Task) => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  /** Follows the tasks stream (idempotent); a fresh connection or a reset reloads the list. */
  function connect(): void {
    if (stream) return;
    stream = new EventStream('streamTasks', {
      on: {
        task: (task) => apply(task),
        reset: () => void load().catch(() => undefined),
      },
      onOpen: ({ resumed }) => {
        if (!resumed) void load().catch(() => undefined);
      },
    });
    stopWatch = watch(stream.state, (state) => (streamOpen.value = state === 'open'), { immediate: true });
    stream.start();
  }

  function disconnect(): void {
    stopWatch?.();
    stopWatch = null;
    stream?.close();
    stream = null;
    streamOpen.value = false;
  }

  /** Resolves with the task once it is finished (from the stream, or polled while the stream is down). */
  function wait(id: string): Promise<Task> {
    const known = byId.value[id];
    if (known && isFinished(known)) return Promise.resolve(known);
    return new Promise((resolve) => {
      waiters.set(id, [...(waiters.get(id) ?? []), resolve]);
      const poll = async (): Promise<void> => {
        while (waiters.has(id)) {
          if (!streamOpen.value) {
            try {
              apply(await getTask(id));
            } catch {
              // Reported by the client; keep trying (the stream may deliver).
            }
          }
          if (waiters.has(id)) await new Promise((r) => setTimeout(r, POLL_MS));
        }
      };
      void poll();
    });
  }

  async function cancel(id: string): Promise<Task> {
    const task = await cancelTask(id);
    apply(task);
    return task;
  }

  async function retry(id: string): Promise<Task> {
    const task = await retryTask(id);
    apply(task);
    return task;
  }

  async function remove(id: string): Promise<void> {
    await deleteTask(id);
    const next = { ...byId.value };
    delete next[id];
    byId.value = next;
  }

  return { byId, all, active, ofKind, streamOpen, reloads, apply, load, subscribe, connect, disconnect, wait, cancel, retry, remove };
});
