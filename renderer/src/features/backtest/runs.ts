/**
 * Backtests under way, as the progress panel shows them. Each run follows its own stream,
 * `/api/stream/backtest/{taskId}` (progress, then exactly one `complete` or `error`); cancel and
 * retry are the task platform's (features/tasks/store.ts). A run outlives the page that started
 * it: the store is the app's, and after a window reload `resume()` finds the `backtest` tasks
 * still queued or running on the server and follows them again. How runs are followed is shared
 * with optimizations (features/tasks/runs.ts); what is a backtest's own is here.
 */
import { defineStore } from 'pinia';
import type { SseEventPayloads } from '@contracts/gen/sse-events';
import { ErrorCodes } from '@contracts/gen/error-codes';
import { runBacktest, type BacktestConfig, type BacktestRequest, type BacktestSummary } from '@/api/backtest';
import { EventStream } from '@/api/sse';
import { isFinished, type Task } from '@/api/tasks';
import { taskError, useTaskRuns, type TaskRun } from '@/features/tasks/runs';

/**
 * Per-task streams open at once. A browser keeps at most six HTTP/1.1 connections to one origin,
 * and the rest of the app needs some (the tasks stream, quotes, every REST call): with a stream per
 * run, a seventh queued backtest would stall the whole page. Runs beyond this follow the app's
 * one tasks stream (its `task` events carry their state and progress too) and get their own
 * stream when one frees up, running ones first.
 */
export const MAX_STREAMS = 3;

/** A run as the panel shows it: the stream's latest `progress` figures, and what the task adds. */
export interface BacktestRun extends Omit<SseEventPayloads['progress'], 'state'>, TaskRun {
  strategy: string;
  symbols: string[];
  resultId?: string;
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
  const error = taskError(task);
  if (error) run.error = error;
  return run;
}

export const useBacktestRunsStore = defineStore('backtest-runs', () => {
  const runs = useTaskRuns<BacktestRun>({
    kind: 'backtest',
    maxStreams: MAX_STREAMS,
    fromTask: runFromTask,
    // The page opens a completed run's result: only once there is one to open.
    announce: (run) => !!run.resultId,
    openStream: (taskId, common) =>
      new EventStream('streamBacktest', { path: { taskId }, on: { progress: onProgress, complete: onComplete, error: common.error, reset: common.reset } }),
    // The finished task's summary has the final date, bars and equity.
    settled: (task, run) => {
      const done = runFromTask(task, run);
      return { currentDate: done.currentDate, barsProcessed: done.barsProcessed, barsTotal: done.barsTotal, equity: done.equity };
    },
  });

  function onProgress(event: SseEventPayloads['progress']): void {
    const run = runs.byId.value[event.taskId];
    if (!run || isFinished(run)) return;
    runs.patch(event.taskId, {
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
    runs.complete(event.taskId, { resultId: event.resultId, etaSeconds: 0 });
  }

  /** Submits the form's request; a validation failure is thrown (with its details) for the form. */
  async function start(request: BacktestRequest): Promise<BacktestRun> {
    return runs.started(await runBacktest(request, { quiet: FORM_ERROR_CODES }));
  }

  const { byId, list, active, track, cancel, retry, resume, dismiss, onCompleted } = runs;
  return { byId, list, active, start, track, cancel, retry, resume, dismiss, onCompleted };
});
