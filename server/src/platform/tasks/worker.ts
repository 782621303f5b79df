/**
 * The worker side of a task (docs/ARCHITECTURE.md, "The long-work path"). A kind's worker module
 * exports `handler = taskWorker(run)` (TASK_HANDLER_EXPORT; its default export stays its own path,
 * for `?modulePath` under plain tsx); piscina calls it with a TaskRun: the params, the database to
 * open, a MessagePort for progress and a shared cancel flag. The job checks `signal` in its loop
 * (between files and batches); `signal.throwIfAborted()` throws TaskCancelled, which unwinds any
 * open transaction (rolled back) and ends the run `cancelled`.
 */
import type { MessagePort } from 'node:worker_threads';
import type { TaskOutcome } from './types';

/** The export of a worker module piscina calls. */
export const TASK_HANDLER_EXPORT = 'handler';

export interface TaskRun<P = unknown> {
  taskId: string;
  params: P;
  dbFile: string;
  nativeBinding?: string;
  port: MessagePort;
  /** Int32 at index 0: 1 once cancel was asked for. */
  cancel: SharedArrayBuffer;
  /** The kind's `context` (TaskKindDefinition). */
  context?: Record<string, string>;
}

/** What a job checks in its loop: an AbortSignal's reading side, readable across threads. */
export interface CancelSignal {
  readonly aborted: boolean;
  throwIfAborted(): void;
}

export class TaskCancelled extends Error {
  constructor() {
    super('the task was cancelled');
    this.name = 'TaskCancelled';
  }
}

/** A signal over a shared flag (the main thread's AbortSignal sets it). */
export function sharedSignal(buffer: SharedArrayBuffer): CancelSignal {
  const flag = new Int32Array(buffer);
  return {
    get aborted() {
      return Atomics.load(flag, 0) === 1;
    },
    throwIfAborted() {
      if (Atomics.load(flag, 0) === 1) throw new TaskCancelled();
    },
  };
}

/** A signal that is never aborted (jobs run in process, e.g. in tests). */
export const NEVER_CANCELLED: CancelSignal = { aborted: false, throwIfAborted: () => undefined };

export interface TaskContext<P> {
  taskId: string;
  params: P;
  dbFile: string;
  nativeBinding?: string;
  signal: CancelSignal;
  /** A message for the kind's `apply` on the main thread. */
  post(message: unknown): void;
  /** The kind's `context` ({} when it has none). */
  context: Record<string, string>;
}

/** End of a run, posted on the port after every progress message (so the main thread sees them all first). */
export interface EndMessage {
  $end: TaskOutcome;
}

/** The piscina handler of a kind: runs the job, always answers an outcome, never throws. */
export function taskWorker<P>(run: (ctx: TaskContext<P>) => TaskOutcome | Promise<TaskOutcome>): (task: TaskRun<P>) => Promise<TaskOutcome> {
  return async (task) => {
    const { port } = task;
    let outcome: TaskOutcome;
    try {
      outcome = await run({
        taskId: task.taskId,
        params: task.params,
        dbFile: task.dbFile,
        ...(task.nativeBinding ? { nativeBinding: task.nativeBinding } : {}),
        signal: sharedSignal(task.cancel),
        post: (message) => port.postMessage(message),
        context: task.context ?? {},
      });
    } catch (err) {
      outcome = err instanceof TaskCancelled ? { state: 'cancelled' } : { state: 'failed', error: { code: 'INTERNAL_ERROR', message: (err as Error).message } };
    }
    port.postMessage({ $end: outcome } satisfies EndMessage);
    port.close();
    return outcome;
  };
}
