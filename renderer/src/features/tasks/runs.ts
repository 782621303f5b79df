/**
 * Following runs of one task kind (backtests, optimizations) as their progress cards show them:
 * each run on screen follows its own stream (`/api/stream/<kind>/{taskId}`: progress, then
 * exactly one terminal event), at most `maxStreams` at once; the others, and any run whose stream
 * is down, follow the app's one tasks stream (store.ts), whose `task` events carry their state and
 * progress too. Cancel and retry are the task platform's. A run outlives the page that started it:
 * this lives in the feature's store, and after a window reload `resume()` finds the tasks of the
 * kind still queued or running on the server and follows them again.
 *
 * The feature says what a run is (`fromTask`) and opens its stream with its own progress and
 * completion handlers (they call `patch` and `complete`); the rest is the same for every kind.
 */
import { computed, ref, watch, type Ref, type WatchStopHandle } from 'vue';
import type { SseEventPayloads } from '@contracts/gen/sse-events';
import type { ConnectionState } from '@/api/sse';
import { getTask, isFinished, type Task, type TaskKind, type TaskState } from '@/api/tasks';
import { useTasksStore } from './store';

/** How a run failed: a terminal error event's data (the same for every kind's stream) without its ids. */
export type RunError = Pick<SseEventPayloads['error'], 'state' | 'code' | 'message'>;

/** What every run's card shows; a kind's run adds its own figures. */
export interface TaskRun {
  taskId: string;
  state: TaskState;
  progress: number;
  phase: string;
  etaSeconds?: number;
  error?: RunError;
  /** The run's stream; `reconnecting` is shown, since progress stands still meanwhile. */
  connection: ConnectionState;
  createdAt: string;
}

/** The part of an EventStream this needs (the kind's stream, whatever its events). */
interface RunStream {
  readonly state: Ref<ConnectionState>;
  start(): void;
  close(): void;
}

/** The handlers every kind's stream shares: its terminal `error`-like event and `reset`. */
export interface CommonHandlers {
  error: (event: RunError & { taskId: string }) => void;
  reset: () => void;
}

export interface TaskRunsOptions<R extends TaskRun> {
  kind: TaskKind;
  /** Streams of this kind open at once (a browser allows six connections per origin, shared by the whole app). */
  maxStreams: number;
  /** A run as its task (from the list, an answer or a `task` event) describes it. */
  fromTask: (task: Task, previous?: R) => R;
  /** Opens (does not start) the run's stream; its handlers call `patch`/`complete`, and `common` for the rest. */
  openStream: (taskId: string, common: CommonHandlers) => RunStream;
  /** A completed run is announced once this holds (a backtest: once it has its result id). */
  announce?: (run: R) => boolean;
  /** The finished task's final figures (progress events are thinned: the last one seen may be short of the end). */
  settled: (task: Task, run: R) => Partial<R>;
}

/** A failed, cancelled or interrupted task's error, as its run shows it. */
export function taskError(task: Task): RunError | undefined {
  if (!task.error || (task.state !== 'failed' && task.state !== 'cancelled' && task.state !== 'interrupted')) return undefined;
  return { state: task.state, code: task.error.code, message: task.error.message };
}

/** Called inside a Pinia setup store (its watchers live as long as the store). */
export function useTaskRuns<R extends TaskRun>(options: TaskRunsOptions<R>) {
  const tasks = useTasksStore();
  const byId = ref({}) as Ref<Record<string, R>>;
  const streams = new Map<string, { stream: RunStream; stop: WatchStopHandle }>();
  const completeListeners = new Set<(run: R) => void>();
  const announce = options.announce ?? (() => true);

  /** What moves first (running, then queued), then the newest. */
  const rank = (run: R) => (run.state === 'running' ? 0 : run.state === 'queued' ? 1 : 2);
  const list = computed(() => Object.values(byId.value).sort((a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt)));
  const active = computed(() => list.value.filter((r) => !isFinished(r)));

  let following = false;

  /** Runs without a stream of their own learn from the app's tasks stream (opened once, kept). */
  function followTasks(): void {
    if (following) return;
    following = true;
    tasks.connect();
    tasks.subscribe(onTask);
  }

  function onTask(task: Task): void {
    const run = byId.value[task.id];
    if (task.kind !== options.kind || !run) return;
    // A run's own open stream says more, and sooner; while it is down (reconnecting with
    // back-off after the server restarted, say) the tasks stream keeps the card true.
    if (streams.get(task.id)?.stream.state.value === 'open') return;
    const next = options.fromTask(task, run);
    // Within one attempt the bar only moves forward (events may arrive after a fresher answer).
    if (next.state === run.state) next.progress = Math.max(next.progress, run.progress);
    byId.value[task.id] = next;
    if (isFinished(next)) detach(task.id);
    if (next.state === 'succeeded' && run.state !== 'succeeded' && announce(next)) notifyComplete(byId.value[task.id]!);
    pump();
  }

  /** Gives waiting runs a stream while there is room: running ones first, then the newest queued. */
  function pump(): void {
    for (const run of list.value) {
      if (streams.size >= options.maxStreams) return;
      if (!isFinished(run) && !streams.has(run.taskId)) attach(run.taskId);
    }
  }

  function notifyComplete(run: R): void {
    for (const listener of completeListeners) listener(run);
  }

  function patch(taskId: string, change: Partial<R>): R | undefined {
    const run = byId.value[taskId];
    if (!run) return undefined;
    Object.assign(run, change);
    return run;
  }

  /** The stream's completion: the run is done; its final figures are then fetched from the finished task. */
  function complete(taskId: string, change: Partial<R>): void {
    const run = patch(taskId, { state: 'succeeded', progress: 100, phase: 'done', ...change });
    detach(taskId);
    if (!run) return;
    notifyComplete(run);
    void getTask(taskId)
      .then((task) => {
        // Only the finished task's figures are final (an answer racing the completion is not).
        const known = byId.value[task.id];
        if (task.state === 'succeeded' && known) patch(task.id, options.settled(task, known));
      })
      .catch(() => undefined);
  }

  function fail(event: RunError & { taskId: string }): void {
    patch(event.taskId, { state: event.state, error: { state: event.state, code: event.code, message: event.message }, etaSeconds: undefined } as Partial<R>);
    detach(event.taskId);
  }

  /** After a `reset` the gap cannot be replayed: the task itself says where the run is. */
  async function refetch(taskId: string): Promise<void> {
    const task = await getTask(taskId);
    track(task);
    if (isFinished(task)) detach(taskId);
  }

  /** Takes a task in and follows it while it is not finished (its own stream when there is room). */
  function track(task: Task): R {
    followTasks();
    byId.value[task.id] = options.fromTask(task, byId.value[task.id]);
    if (!isFinished(task)) pump();
    return byId.value[task.id]!;
  }

  function attach(taskId: string): void {
    if (streams.has(taskId)) return;
    const stream = options.openStream(taskId, { error: fail, reset: () => void refetch(taskId).catch(() => undefined) });
    // Synchronous: the card shows the state the stream is in now, not as of the next render.
    const stop = watch(stream.state, (state) => patch(taskId, { connection: state } as Partial<R>), { immediate: true, flush: 'sync' });
    streams.set(taskId, { stream, stop });
    stream.start();
  }

  function detach(taskId: string): void {
    const entry = streams.get(taskId);
    if (!entry) return;
    streams.delete(taskId);
    entry.stream.close();
    entry.stop();
    patch(taskId, { connection: 'closed' } as Partial<R>);
    pump();
  }

  /** Follows a task just submitted (the answer of the kind's run route). */
  function started(task: Task): R {
    tasks.apply(task);
    return track(task);
  }

  /** The server answers at once for a queued task; a running one ends with the stream's error event (7004). */
  async function cancel(taskId: string): Promise<void> {
    const phase = byId.value[taskId]?.phase ?? '';
    patch(taskId, { phase: 'cancelling' } as Partial<R>);
    let task: Task;
    try {
      task = await tasks.cancel(taskId);
    } catch (error) {
      // Refused (it finished meanwhile, 7001) or unreachable: the card must not stay "cancelling".
      if (byId.value[taskId]?.phase === 'cancelling') patch(taskId, { phase } as Partial<R>);
      throw error;
    }
    if (isFinished(task)) {
      track(task);
      detach(taskId);
    }
  }

  /** Same task id, attempt + 1: follow it afresh (the old stream ended with its terminal event). */
  async function retry(taskId: string): Promise<void> {
    const task = await tasks.retry(taskId);
    byId.value[taskId] = { ...options.fromTask(task, byId.value[taskId]), error: undefined };
    if (!isFinished(task)) pump();
  }

  /** Runs started before this page was loaded (another window, or before a reload) that are still going. */
  async function resume(): Promise<void> {
    await tasks.load(options.kind);
    for (const task of tasks.ofKind(options.kind)) if (!isFinished(task)) track(task);
  }

  function dismiss(taskId: string): void {
    detach(taskId);
    const next = { ...byId.value };
    delete next[taskId];
    byId.value = next;
  }

  /** Called with each run that completes; returns the unsubscribe. */
  function onCompleted(listener: (run: R) => void): () => void {
    completeListeners.add(listener);
    return () => completeListeners.delete(listener);
  }

  return { byId, list, active, patch, complete, track, started, cancel, retry, resume, dismiss, onCompleted };
}
