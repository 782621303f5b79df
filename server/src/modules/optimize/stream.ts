/**
 * An optimization's progress on the `optimize` SSE topic (contracts/optimize.yaml,
 * streamOptimization), derived from the task platform's `task` events of kind `optimization` as
 * modules/backtest/stream.ts derives a backtest's: while queued or running an
 * `optimizationProgress` event (counts, best, the top 10), then exactly one terminal event —
 * `optimizationComplete` (with the optimization's URL) or `optimizationError`. The task service's
 * rate limit (10/s), monotone progress and single final state carry over. A run that succeeded
 * also sends its final progress (the final board) right before its `optimizationComplete`: a run
 * quicker than the rate limit would otherwise show no leaderboard on the stream at all.
 */
import type { SseEventPayloads } from '../../../../contracts/gen/sse-events';
import { ErrorCodes } from '../../../../contracts/gen/error-codes';
import type { EventBus } from '../../platform/bus';
import type { Task } from '../../platform/tasks/types';
import { BRIEF_LEADERBOARD, type OptimizationSummary } from './kind';

export type OptimizeEvent =
  | { event: 'optimizationProgress'; data: SseEventPayloads['optimizationProgress'] }
  | { event: 'optimizationComplete'; data: SseEventPayloads['optimizationComplete'] }
  | { event: 'optimizationError'; data: SseEventPayloads['optimizationError'] };

export const optimizationUrl = (id: string): string => `/api/optimize/${id}`;

/** The events a task event becomes: a progress or a terminal event, and a success's final progress first. */
export function optimizeEvents(task: Task): OptimizeEvent[] {
  const e = optimizeEvent(task);
  return e.event === 'optimizationComplete' ? [progressEvent(task), e] : [e];
}

function optimizeEvent(task: Task): OptimizeEvent {
  const s = task.summary as OptimizationSummary;
  switch (task.state) {
    case 'succeeded':
      return { event: 'optimizationComplete', data: { taskId: task.id, optimizationId: s.optimizationId, url: optimizationUrl(s.optimizationId) } };
    case 'failed':
    case 'cancelled':
    case 'interrupted':
      return {
        event: 'optimizationError',
        data: {
          taskId: task.id,
          optimizationId: s.optimizationId,
          state: task.state,
          code: task.error?.code ?? (task.state === 'cancelled' ? ErrorCodes.TASK_CANCELLED.code : ErrorCodes.OPTIMIZATION_FAILED.code),
          message: task.error?.message ?? (task.state === 'cancelled' ? ErrorCodes.TASK_CANCELLED.en : ErrorCodes.OPTIMIZATION_FAILED.en),
        },
      };
    default:
      return progressEvent(task);
  }
}

function progressEvent(task: Task): OptimizeEvent {
  const s = task.summary as OptimizationSummary;
  return {
    event: 'optimizationProgress',
    data: {
      taskId: task.id,
      optimizationId: s.optimizationId,
      state: task.state,
      progress: task.progress,
      phase: task.phase,
      trialsDone: s.trialsDone,
      trialsTotal: s.trialsTotal,
      ...(s.best ? { best: s.best } : {}),
      leaderboard: s.leaderboard.slice(0, BRIEF_LEADERBOARD),
      ...(s.etaSeconds !== undefined ? { etaSeconds: s.etaSeconds } : {}),
      ...(s.walkForward ? { walkForward: s.walkForward } : {}),
    },
  };
}

/** Republishes optimization tasks' events on the `optimize` topic; returns the unsubscribe. */
export function bridgeOptimizeEvents(bus: EventBus): () => void {
  return bus.subscribe('tasks', (message) => {
    if (message.event !== 'task') return;
    const task = message.data as Task;
    if (task.kind !== 'optimization') return;
    for (const e of optimizeEvents(task)) bus.publish('optimize', e.event, e.data as never);
  });
}
