/**
 * The task platform's types (docs/ARCHITECTURE.md, "The long-work path"): the generic task of
 * contracts/tasks.yaml and what a kind registers — its name, worker module, lane, params check,
 * summary and how its worker's messages move the task on.
 */
import type { components } from '../../../../contracts/gen/api';
import type { ErrorName } from '../../../../contracts/gen/error-codes';

export type Task = components['schemas']['Task'];
export type TaskKindName = components['schemas']['TaskKind'];
export type TaskState = components['schemas']['TaskState'];
export type TaskError = components['schemas']['TaskError'];
export type TaskStats = components['schemas']['TaskStats'];

/** `writer`: one task at a time, with its own write connection (imports). `read`: in parallel (backtests). */
export type Lane = 'writer' | 'read';

export const FINAL_STATES: ReadonlySet<TaskState> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);
export const RETRYABLE_STATES: ReadonlySet<TaskState> = new Set(['failed', 'cancelled', 'interrupted']);
export const isFinal = (state: TaskState): boolean => FINAL_STATES.has(state);

/** The part of a running task a kind's `apply` may move (the service persists and publishes it). */
export interface TaskProgress<S> {
  readonly taskId: string;
  /** 0..100; the service never lets it go back. */
  progress: number;
  phase: string;
  message: string;
  summary: S;
}

/** How a worker's run ended (the worker's return value, see worker.ts). */
export type TaskOutcome = { state: 'succeeded' } | { state: 'cancelled' } | { state: 'failed'; error: { code: ErrorName; message: string } };

/**
 * A kind of task. Registered once with TaskService.register() by the module that owns the work
 * (imports: modules/data/import-kind.ts); backtests and optimizations follow the same shape.
 */
export interface TaskKindDefinition<P extends object = object, S extends object = object, M = unknown> {
  name: TaskKindName;
  /** The worker module (`import x from './worker?modulePath'`): it exports `handler = taskWorker(run)`. */
  workerPath: string;
  /**
   * What every run's worker is told besides its params, never stored: facts of this installation,
   * e.g. the path of another module built as its own chunk (`?modulePath` is resolved in the main
   * build only, not inside a worker's chunk).
   */
  context?: Record<string, string>;
  lane: Lane;
  /** Checks params (on submit, and on retry of a persisted task); throws AppError when they do not fit. */
  checkParams(params: unknown): P;
  /** The summary of a task that has not run yet. */
  initialSummary(params: P): S;
  /** A message the worker posted: moves progress, phase, message and summary in place. */
  apply(task: TaskProgress<S>, message: M): void;
  /** Once the worker succeeded: a reason to end `failed` all the same (e.g. files rejected). */
  settle?(summary: S): TaskError | undefined;
  /** The summary carried by events and lists (default: the whole summary). */
  brief?(summary: S): S;
  /** After the final state is stored and published (e.g. mark the sample data imported). */
  onFinished?(task: Task): void;
}
