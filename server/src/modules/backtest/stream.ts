/**
 * A backtest's progress on the `backtest` SSE topic (contracts/backtest.yaml, streamBacktest),
 * derived from the task platform's `task` events of kind `backtest`: while queued or running a
 * `progress` event, then exactly one terminal event — `complete` (succeeded, with the result's URL)
 * or `error` (failed, cancelled, interrupted). The task service publishes a task's progress at
 * most 10 times a second and its final state once, never letting progress go back, so the topic
 * inherits all three.
 */
import type { SseEventPayloads } from '../../../../contracts/gen/sse-events';
import { ErrorCodes } from '../../../../contracts/gen/error-codes';
import type { EventBus } from '../../platform/bus';
import type { Task } from '../../platform/tasks/types';
import type { BacktestSummary } from './kind';

export type BacktestEvent =
  | { event: 'progress'; data: SseEventPayloads['progress'] }
  | { event: 'complete'; data: SseEventPayloads['complete'] }
  | { event: 'error'; data: SseEventPayloads['error'] };

export const resultUrl = (id: string): string => `/api/backtest/results/${id}`;

/** The event that tells a backtest task's state. */
export function backtestEvent(task: Task): BacktestEvent {
  const s = task.summary as BacktestSummary;
  switch (task.state) {
    case 'succeeded':
      return { event: 'complete', data: { taskId: task.id, resultId: s.resultId ?? '', resultUrl: resultUrl(s.resultId ?? '') } };
    case 'failed':
    case 'cancelled':
    case 'interrupted':
      return {
        event: 'error',
        data: {
          taskId: task.id,
          state: task.state,
          code: task.error?.code ?? (task.state === 'cancelled' ? ErrorCodes.TASK_CANCELLED.code : ErrorCodes.BACKTEST_FAILED.code),
          message: task.error?.message ?? (task.state === 'cancelled' ? ErrorCodes.TASK_CANCELLED.en : ErrorCodes.BACKTEST_FAILED.en),
        },
      };
    default:
      return {
        event: 'progress',
        data: {
          taskId: task.id,
          state: task.state,
          progress: task.progress,
          phase: task.phase,
          barsProcessed: s.barsProcessed,
          barsTotal: s.barsTotal,
          ...(s.currentDate !== undefined ? { currentDate: s.currentDate } : {}),
          ...(s.equity !== undefined ? { equity: s.equity } : {}),
          ...(s.etaSeconds !== undefined ? { etaSeconds: s.etaSeconds } : {}),
        },
      };
  }
}

/** Republishes backtest tasks' events on the `backtest` topic; returns the unsubscribe. */
export function bridgeBacktestEvents(bus: EventBus): () => void {
  return bus.subscribe('tasks', (message) => {
    if (message.event !== 'task') return;
    const task = message.data as Task;
    if (task.kind !== 'backtest') return;
    const e = backtestEvent(task);
    bus.publish('backtest', e.event, e.data as never);
  });
}
