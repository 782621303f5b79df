/**
 * Backtests under way, as the progress panel shows them. Each run follows its own stream,
 * `/api/stream/backtest/{taskId}` (progress, then exactly one `complete` or `error`); cancel and
 * retry are the task platform's (features/tasks/store.ts). A run outlives the page that started
 * it: the store is the app's, and after a window reload `resume()` finds the `backtest` tasks
 * still queued or running on the server and follows them again.
 */
import { defineStore } from 'pinia';
import { computed, ref, watch, type WatchStopHandle } from 'vue';
import type { SseEventPayloads } from '@contracts/gen/sse-events';
import { ErrorCodes } from '@contracts/gen/error-codes';
import { runBacktest, type BacktestConfig, type BacktestRequest, type BacktestSummary } from '@/api/backtest';
import { EventStream, type ConnectionState } from '@/api/sse';
import { getTask, isFinished, type Task, type TaskState } from '@/api/tasks';
import { useTasksStore } from '@/features/tasks/store';

/**
 * Per-task streams open at once. A browser keeps at most six HTTP/1.1 connections to one origin,
 * and the rest of the app needs some (the tasks stream, quotes, every REST call): with a stream per
 * run, a seventh queued backtest would stall the whole page. Runs beyond this follow the app's
 * one tasks stream (its `task` events carry their state and progress too) and get their own
 * stream when one frees up, running ones first.
 */
export const MAX_STREAMS = 3;

/** How a run failed: the `error` event's data without its task id. */
export type RunError = Omit<SseEventPayloads['error'], 'taskId'>;

/** A run as the panel shows it: the stream's latest `progress` figures, and what the task adds. */
export interface BacktestRun extends Omit<SseEventPayloads['progress'], 'state'> {
  strategy: string;
  symbols: string[];
  state: TaskState;
  resultId?: string;
  error?: RunError;
  /** The run's stream; `reconnecting` is shown, since progress stands still meanwhile. */
  connection: ConnectionState;
  createdAt: string;
}

/** Validation failures the form shows beside its fields instead of a toast. */
export const FORM_ERROR_CODES: readonly number[] = [
  ErrorCodes.VALIDATION_ERROR.code,
  ErrorCodes.SYMBOL_INVALID.code,
  ErrorCodes.DATE_INVALID.code,
  ErrorCodes.DATE_RANGE_INVALID.code,
];

function summaryOf(task: Task): Partial<BacktestSummary> {
  return task.kind === 'backtest' ? (task.summary as BacktestSummary) : {};
}

/** A run as a task (from the list, an answer or a `task` event) describes it. */
export function runFromTask(task: Task, previous?: BacktestRun): BacktestRun {
  const summary = summaryOf(task);
  const config = task.params as Partial<BacktestConfig>;
  const run: BacktestRun = {
    taskId: task.id,
    strategy: summary.strategy ?? config.strategy ?? previous?.strategy ?? '',
    symbols: summary.symbols ?? config.symbols ?? previous?.symbols ?? [],
    state: task.state,
    progress: task.progress,
    phase: task.phase,
    currentDate: summary.currentDate,
    barsProcessed: summary.barsProcessed,
    barsTotal: summary.barsTotal,
    equity: summary.equity,
    etaSeconds: summary.etaSeconds,
    resultId: summary.resultId,
    connection: previous?.connection ?? 'closed',
    createdAt: task.createdAt,
  };
  if (task.error && (task.state === 'failed' || task.state === 'cancelled' || task.state === 'interrupted')) {
    run.error = { state: task.state, code: task.error.code, message: task.error.message };
  }
  return run;
}

export const useBacktestRunsStore = defineStore('backtest-runs', () => {
  const byId = ref<Record<string, BacktestRun>>({});
  const streams = new Map<string, { stream: EventStream<'streamBacktest'>; stop: WatchStopHandle }>();
  const completeListeners = new Set<(run: BacktestRun) => void>();
  const tasks = useTasksStore();

  /** What moves first (running, then queued), then the newest. */
  const rank = (run: BacktestRun) => (run.state === 'running' ? 0 : run.state === 'queued' ? 1 : 2);
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
    if (task.kind !== 'backtest' || !run) return;
    // A run's own open stream says more, and sooner; while it is down (reconnecting with
    // back-off after the server restarted, say) the tasks stream keeps the card true.
    if (streams.get(task.id)?.stream.state.value === 'open') return;
    const next = runFromTask(task, run);
    // Within one attempt the bar only moves forward (events may arrive after a fresher answer).
    if (next.state === run.state) next.progress = Math.max(next.progress, run.progress);
    byId.value[task.id] = next;
    if (isFinished(next)) detach(task.id);
    if (next.state === 'succeeded' && run.state !== 'succeeded' && next.resultId) notifyComplete(byId.value[task.id]!);
    pump();
  }

  /** Gives waiting runs a stream while there is room: running ones first, then the newest queued. */
  function pump(): void {
    for (const run of list.value) {
      if (streams.size >= MAX_STREAMS) return;
      if (!isFinished(run) && !streams.has(run.taskId)) attach(run.taskId);
    }
  }

  function notifyComplete(run: BacktestRun): void {
    for (const listener of completeListeners) listener(run);
  }

  function patch(taskId: string, change: Partial<BacktestRun>): BacktestRun | undefined {
    const run = byId.value[taskId];
    if (!run) return undefined;
    Object.assign(run, change);
    return run;
  }

  function onProgress(event: SseEventPayloads['progress']): void {
    const run = byId.value[event.taskId];
    if (!run || isFinished(run)) return;
    patch(event.taskId, {
      state: event.state,
      // Replays after a reconnect may repeat older values; progress only moves forward.
      progress: Math.max(run.progress, event.progress),
      phase: event.phase,
      currentDate: event.currentDate ?? run.currentDate,
      barsProcessed: event.barsProcessed ?? run.barsProcessed,
      barsTotal: event.barsTotal ?? run.barsTotal,
      equity: event.equity ?? run.equity,
      etaSeconds: event.etaSeconds,
    });
  }

  function onComplete(event: SseEventPayloads['complete']): void {
    const run = patch(event.taskId, { state: 'succeeded', progress: 100, phase: 'done', resultId: event.resultId, etaSeconds: 0 });
    detach(event.taskId);
    if (!run) return;
    notifyComplete(run);
    // Progress events are thinned (at most 10 a second): the last one seen may be well short of the
    // end. The finished task's summary has the final date, bars and equity.
    void getTask(event.taskId)
      .then((task) => {
        // Only the finished task's figures are final (an answer racing the completion is not).
        if (task.state !== 'succeeded') return;
        const done = runFromTask(task, byId.value[task.id]);
        patch(task.id, { currentDate: done.currentDate, barsProcessed: done.barsProcessed, barsTotal: done.barsTotal, equity: done.equity });
      })
      .catch(() => undefined);
  }

  function onError(event: SseEventPayloads['error']): void {
    patch(event.taskId, { state: event.state, error: { state: event.state, code: event.code, message: event.message }, etaSeconds: undefined });
    detach(event.taskId);
  }

  /** After a `reset` the gap cannot be replayed: the task itself says where the run is. */
  async function refetch(taskId: string): Promise<void> {
    const task = await getTask(taskId);
    track(task);
    if (isFinished(task)) detach(taskId);
  }

  /** Takes a task in and follows it while it is not finished (its own stream when there is room). */
  function track(task: Task): BacktestRun {
    followTasks();
    const run = runFromTask(task, byId.value[task.id]);
    byId.value[task.id] = run;
    if (!isFinished(task)) pump();
    return byId.value[task.id]!;
  }

  function attach(taskId: string): void {
    if (streams.has(taskId)) return;
    const stream = new EventStream('streamBacktest', {
      path: { taskId },
      on: {
        progress: onProgress,
        complete: onComplete,
        error: onError,
        reset: () => void refetch(taskId).catch(() => undefined),
      },
    });
    // Synchronous: the card shows the state the stream is in now, not as of the next render.
    const stop = watch(stream.state, (state) => patch(taskId, { connection: state }), { immediate: true, flush: 'sync' });
    streams.set(taskId, { stream, stop });
    stream.start();
  }

  function detach(taskId: string): void {
    const entry = streams.get(taskId);
    if (!entry) return;
    streams.delete(taskId);
    entry.stream.close();
    entry.stop();
    patch(taskId, { connection: 'closed' });
    pump();
  }

  /** Submits the form's request; a validation failure is thrown (with its details) for the form. */
  async function start(request: BacktestRequest): Promise<BacktestRun> {
    const task = await runBacktest(request, { quiet: FORM_ERROR_CODES });
    tasks.apply(task);
    return track(task);
  }

  /** The server answers at once for a queued task; a running one ends with the stream's `error` (7004). */
  async function cancel(taskId: string): Promise<void> {
    const phase = byId.value[taskId]?.phase ?? '';
    patch(taskId, { phase: 'cancelling' });
    let task: Task;
    try {
      task = await tasks.cancel(taskId);
    } catch (error) {
      // Refused (it finished meanwhile, 7001) or unreachable: the card must not stay "cancelling".
      if (byId.value[taskId]?.phase === 'cancelling') patch(taskId, { phase });
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
    const previous = byId.value[taskId];
    byId.value[taskId] = { ...runFromTask(task, previous), error: undefined, progress: task.progress };
    if (!isFinished(task)) pump();
  }

  /** Backtests started before this page was loaded (another window, or before a reload) that are still going. */
  async function resume(): Promise<void> {
    await tasks.load('backtest');
    for (const task of tasks.ofKind('backtest')) if (!isFinished(task)) track(task);
  }

  function dismiss(taskId: string): void {
    detach(taskId);
    const next = { ...byId.value };
    delete next[taskId];
    byId.value = next;
  }

  /** Called with each run that completes (its `resultId` set); returns the unsubscribe. */
  function onCompleted(listener: (run: BacktestRun) => void): () => void {
    completeListeners.add(listener);
    return () => completeListeners.delete(listener);
  }

  return { byId, list, active, start, track, cancel, retry, resume, dismiss, onCompleted };
});
