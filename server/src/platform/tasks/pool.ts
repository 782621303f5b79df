/**
 * The worker pool: one piscina per lane (docs/ARCHITECTURE.md, "The long-work path"). The writer
 * lane has one thread (SQLite has one writer; the task opens its own connection); the read lane
 * runs up to `availableParallelism() - 1` tasks at once. With `warm`, each lane keeps one thread
 * started with its first kind's module loaded (`minThreads`), so a small task does not wait for a
 * thread to start and load the code.
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Lane } from './types';
import { TASK_HANDLER_EXPORT } from './worker';

export interface LaneOptions {
  lane: Lane;
  maxThreads: number;
  /** The module loaded when a thread starts (the lane's first kind). */
  filename: string;
  warm: boolean;
}

/** Threads of the read lane by default: all cores but the one the main thread (and the window) uses. */
export function defaultReadThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

export function createLanePool(options: LaneOptions): Piscina {
  return new Piscina({
    filename: options.filename,
    name: TASK_HANDLER_EXPORT,
    minThreads: options.warm ? 1 : 0,
    maxThreads: options.maxThreads,
    // Tasks are queued by the service (a lane is given no more than it has threads); piscina only
    // holds one while its thread starts.
    concurrentTasksPerWorker: 1,
    idleTimeout: 30_000,
    // A .ts worker (Vitest, tsx) runs with tsx's loader; a built chunk (.js) as is.
    execArgv: options.filename.endsWith('.ts') ? ['--import', 'tsx'] : [],
  });
}
