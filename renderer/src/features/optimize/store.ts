/**
 * Parameter optimization: the form (kept across visits), the runs under way and their live
 * leaderboards, one stored optimization at a time for its page (leaderboard, trials, heatmap,
 * overfitting), the history, and a trial opened as a backtest.
 *
 * A run is an `optimization` task. Each run on screen follows its own stream,
 * `/api/stream/optimize/{taskId}` (progress with the top 10, then one terminal event), applied at
 * most 10 times a second; cancel and retry (which resumes: stored trials are not run again) are the
 * task platform's (features/tasks/store.ts), whose stream also keeps a run current while its own
 * is down. After a reload `resume()` finds the optimizations still queued or running and follows
 * them again. Runs are followed as backtests are (features/tasks/runs.ts). Strategies come from
 * the backtest store (one list for the app).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { SseEventPayloads } from '@contracts/gen/sse-events';
import { ErrorCodes } from '@contracts/gen/error-codes';
import {
  backtestOptimizationTrial,
  deleteOptimization,
  getOptimization,
  getOptimizationHeatmap,
  listOptimizations,
  listOptimizationTrials,
  optimizationIdOf,
  runOptimization,
  type LeaderboardEntry,
  type Objective,
  type Optimization,
  type OptimizationHeatmap,
  type OptimizationMeta,
  type OptimizationRequest,
  type OptimizationSummary,
  type OptimizationTaskParams,
  type OptimizationTrial,
  type TrialSort,
  type WalkForwardProgress,
} from '@/api/optimize';
import { EventStream } from '@/api/sse';
import { getTask, isFinished, type Task } from '@/api/tasks';
import { useTasksStore } from '@/features/tasks/store';
import { taskError, useTaskRuns, type TaskRun } from '@/features/tasks/runs';
import { useBacktestStore } from '@/features/backtest/store';
import { FORM_ERROR_CODES, useBacktestRunsStore, type BacktestRun } from '@/features/backtest/runs';
import { defaultOptimizeForm, formFromOptimizationConfig, walkForwardFormFrom, type OptimizeForm } from './form';

/** Runs with a stream of their own at once (a browser allows six connections per origin; backtests take up to three). */
export const MAX_STREAMS = 2;
/** The leaderboard and progress are applied at most this often (the server sends ≤ 10 a second too). */
export const APPLY_MS = 100;
export const HISTORY_PAGE_SIZE = 50;
export const TRIALS_PAGE_SIZE = 20;
const FIRST_STRATEGY = 'dual-ma';

/** A run as the run view shows it. */
export interface OptimizationRun extends TaskRun {
  optimizationId: string;
  name: string;
  strategy: string;
  symbols: string[];
  objective: Objective | undefined;
  trialsDone: number;
  trialsTotal: number;
  trialsResumed?: number;
  /** The stream's leaderboard: each entry carries its headline metrics (Sharpe, returns, drawdown). */
  leaderboard: LeaderboardEntry[];
  /** A walk-forward's windows and trials done. */
  walkForward?: WalkForwardProgress;
  attempts: number;
}

/** A run as its task (from the list, an answer or a `task` event) describes it. */
export function runFromTask(task: Task, previous?: OptimizationRun): OptimizationRun {
  const summary = (task.kind === 'optimization' ? task.summary : {}) as Partial<OptimizationSummary>;
  const params = task.params as Partial<OptimizationTaskParams>;
  const run: OptimizationRun = {
    taskId: task.id,
    optimizationId: summary.optimizationId ?? params.optimizationId ?? previous?.optimizationId ?? '',
    name: params.config?.name ?? previous?.name ?? '',
    strategy: summary.strategy ?? params.config?.strategy ?? previous?.strategy ?? '',
    symbols: summary.symbols ?? params.config?.symbols ?? previous?.symbols ?? [],
    objective: summary.objective ?? params.config?.objective ?? previous?.objective,
    state: task.state,
    progress: task.progress,
    phase: task.phase,
    trialsDone: summary.trialsDone ?? previous?.trialsDone ?? 0,
    trialsTotal: summary.trialsTotal ?? previous?.trialsTotal ?? 0,
    trialsResumed: summary.trialsResumed,
    etaSeconds: isFinished(task) ? undefined : summary.etaSeconds,
    leaderboard: summary.leaderboard ?? previous?.leaderboard ?? [],
    walkForward: summary.walkForward ?? previous?.walkForward,
    connection: previous?.connection ?? 'closed',
    attempts: task.attempts,
    createdAt: task.createdAt,
  };
  const error = taskError(task);
  if (error) run.error = error;
  return run;
}

export const useOptimizeStore = defineStore('optimize', () => {
  const tasks = useTasksStore();
  const backtest = useBacktestStore();

  // ---- the form ----
  const form = ref<OptimizeForm | null>(null);

  async function loadStrategies(): Promise<void> {
    await backtest.loadStrategies();
  }

  function ensureForm(today = new Date()): void {
    if (form.value || backtest.strategies.length === 0) return;
    form.value = defaultOptimizeForm(today, backtest.strategyById.get(FIRST_STRATEGY) ?? backtest.strategies[0]);
  }

  /** The form filled in from the optimization on screen, to run it again or vary it (or walk it forward). */
  function formFromCurrent(options: { walkForward?: boolean } = {}): void {
    const config = current.value?.config;
    if (!config) return;
    const strategy = backtest.strategyById.get(config.strategy);
    form.value = options.walkForward ? walkForwardFormFrom(config, strategy) : formFromOptimizationConfig(config, strategy);
  }

  // ---- runs ----
  const runs = useTaskRuns<OptimizationRun>({
    kind: 'optimization',
    maxStreams: MAX_STREAMS,
    fromTask: runFromTask,
    openStream: (taskId, common) =>
      new EventStream('streamOptimization', {
        path: { taskId },
        on: {
          optimizationProgress: onProgress,
          optimizationComplete: onComplete,
          optimizationError: (event) => {
            pending.delete(event.taskId);
            common.error(event);
          },
          reset: common.reset,
        },
      }),
    // The final figures (every trial done, the final leaderboard) are the finished task's.
    settled: (task, run) => runFromTask(task, run),
  });
  const { byId, list, active, track, cancel, resume, dismiss, onCompleted } = runs;
  const runOf = (optimizationId: string) => list.value.find((r) => r.optimizationId === optimizationId);
  /** Progress events waiting for their turn (the latest per run), and the timer that applies them. */
  const pending = new Map<string, SseEventPayloads['optimizationProgress']>();
  let applyTimer: ReturnType<typeof setTimeout> | undefined;

  function applyProgress(event: SseEventPayloads['optimizationProgress']): void {
    const run = byId.value[event.taskId];
    if (!run || isFinished(run)) return;
    runs.patch(event.taskId, {
      state: event.state,
      // A replay after a reconnect may repeat older values: progress and trials only move forward.
      progress: Math.max(run.progress, event.progress),
      phase: event.phase,
      trialsDone: Math.max(run.trialsDone, event.trialsDone),
      trialsTotal: event.trialsTotal || run.trialsTotal,
      etaSeconds: event.etaSeconds,
      leaderboard: event.leaderboard,
      ...(event.walkForward ? { walkForward: event.walkForward } : {}),
    });
  }

  function flush(): void {
    applyTimer = undefined;
    if (pending.size === 0) return;
    const events = [...pending.values()];
    pending.clear();
    for (const event of events) applyProgress(event);
    applyTimer = setTimeout(flush, APPLY_MS);
  }

  /** At most one application per APPLY_MS: the first at once, then the latest of each interval. */
  function onProgress(event: SseEventPayloads['optimizationProgress']): void {
    pending.set(event.taskId, event);
    if (applyTimer === undefined) flush();
  }

  function onComplete(event: SseEventPayloads['optimizationComplete']): void {
    // The last progress still waiting carries the final leaderboard: apply it before the run ends.
    const queued = pending.get(event.taskId);
    pending.delete(event.taskId);
    if (queued) applyProgress(queued);
    runs.complete(event.taskId, { etaSeconds: undefined });
  }

  /** Submits the form's request; a validation failure is thrown (with its details) for the form. */
  async function start(request: OptimizationRequest): Promise<OptimizationRun> {
    return runs.started(await runOptimization(request, { quiet: FORM_ERROR_CODES }));
  }

  /** Same task, attempt + 1: the server resumes, running only the trials not stored yet. */
  const retry = runs.retry;

  /** Follows the task of a stored optimization (the results page of a run under way, or one to retry). */
  async function followOptimization(meta: Pick<OptimizationMeta, 'taskId' | 'state'>): Promise<OptimizationRun | undefined> {
    if (meta.state === null) return undefined;
    const known = byId.value[meta.taskId];
    if (known && (!isFinished(known) || known.state === meta.state)) return known;
    return track(await getTask(meta.taskId));
  }

  // ---- one stored optimization ----
  const current = shallowRef<Optimization | null>(null);
  const currentLoading = ref(false);
  const currentError = ref<'notFound' | 'failed' | null>(null);
  const trials = shallowRef<OptimizationTrial[]>([]);
  const trialsTotal = ref(0);
  const trialsPage = ref(1);
  const trialsSort = ref<TrialSort>('objective');
  const trialsLoading = ref(false);
  const heatmap = shallowRef<OptimizationHeatmap | null>(null);
  const heatmapLoading = ref(false);

  async function loadOptimization(id: string, options: { force?: boolean } = {}): Promise<void> {
    if (!options.force && current.value?.meta.id === id) return;
    if (current.value?.meta.id !== id) {
      current.value = null;
      trials.value = [];
      trialsTotal.value = 0;
      heatmap.value = null;
    }
    currentError.value = null;
    currentLoading.value = current.value === null;
    try {
      current.value = await getOptimization(id, { quiet: [ErrorCodes.OPTIMIZATION_NOT_FOUND.code, ErrorCodes.NOT_FOUND.code] });
    } catch (error) {
      const code = (error as { code?: number }).code;
      currentError.value = code === ErrorCodes.OPTIMIZATION_NOT_FOUND.code || code === ErrorCodes.NOT_FOUND.code ? 'notFound' : 'failed';
    } finally {
      currentLoading.value = false;
    }
  }

  async function loadTrials(id: string, page = trialsPage.value, sort = trialsSort.value): Promise<void> {
    trialsLoading.value = true;
    try {
      const answer = await listOptimizationTrials(id, { sort, page, pageSize: TRIALS_PAGE_SIZE });
      trials.value = answer.items;
      trialsTotal.value = answer.pagination.total;
      trialsPage.value = page;
      trialsSort.value = sort;
    } finally {
      trialsLoading.value = false;
    }
  }

  async function loadHeatmap(id: string, x: string, y: string): Promise<void> {
    heatmapLoading.value = true;
    try {
      heatmap.value = await getOptimizationHeatmap(id, x, y);
    } finally {
      heatmapLoading.value = false;
    }
  }

  // ---- history ----
  const history = ref<OptimizationMeta[]>([]);
  const historyTotal = ref(0);
  const historyPage = ref(1);
  const historyLoading = ref(false);

  async function loadHistory(page = historyPage.value): Promise<void> {
    historyLoading.value = true;
    try {
      const answer = await listOptimizations({ page, pageSize: HISTORY_PAGE_SIZE });
      history.value = answer.items;
      historyTotal.value = answer.pagination.total;
      historyPage.value = page;
    } finally {
      historyLoading.value = false;
    }
  }

  async function remove(id: string): Promise<void> {
    await deleteOptimization(id);
    history.value = history.value.filter((m) => m.id !== id);
    historyTotal.value = Math.max(0, historyTotal.value - 1);
    if (current.value?.meta.id === id) current.value = null;
    for (const run of list.value) if (run.optimizationId === id) dismiss(run.taskId);
  }

  // ---- a trial as a backtest ----
  /** Trial indexes being opened (optimization id → index → backtest task id). */
  const openingTrials = ref<Record<string, string>>({});

  /**
   * Queues the trial's config as a normal backtest and follows it as the Backtest screen follows a
   * run (its progress card, its stream); resolves with the run once it has a result.
   */
  async function openTrial(optimizationId: string, index: number): Promise<BacktestRun> {
    const runs = useBacktestRunsStore();
    const task = await backtestOptimizationTrial(optimizationId, index);
    tasks.apply(task);
    openingTrials.value = { ...openingTrials.value, [`${optimizationId}:${index}`]: task.id };
    const run = runs.track(task);
    if (run.resultId) return run;
    return new Promise((resolve, reject) => {
      const stopComplete = runs.onCompleted((done) => {
        if (done.taskId !== task.id) return;
        stopComplete();
        stopFailed();
        resolve(done);
      });
      const stopFailed = watch(
        () => runs.byId[task.id]?.error,
        (error) => {
          if (!error) return;
          stopComplete();
          stopFailed();
          reject(Object.assign(new Error(error.message), { code: error.code }));
        },
      );
    });
  }

  return {
    form,
    loadStrategies,
    ensureForm,
    formFromCurrent,
    byId,
    list,
    active,
    runOf,
    start,
    track,
    cancel,
    retry,
    resume,
    followOptimization,
    dismiss,
    onCompleted,
    current,
    currentLoading,
    currentError,
    loadOptimization,
    trials,
    trialsTotal,
    trialsPage,
    trialsSort,
    trialsLoading,
    loadTrials,
    heatmap,
    heatmapLoading,
    loadHeatmap,
    history,
    historyTotal,
    historyPage,
    historyLoading,
    loadHistory,
    remove,
    openingTrials,
    openTrial,
  };
});

export { optimizationIdOf };
