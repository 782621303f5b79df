/**
 * Where an optimization's trials run (docs/ARCHITECTURE.md, "Optimization"): a TrialExecutor takes
 * one trial at a time and answers its result; the coordinator (coordinator.ts) decides how many are
 * in flight. The local executor is a piscina pool of trial threads (workers/trial-worker.ts) inside
 * the coordinator's thread; a remote one (BullMQ over Redis) can take its place with the same trial
 * function (trial.ts) and the dataset shipped once (dataset.ts, encodeDataset).
 */
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { TrialTask } from '../../workers/trial-worker';
import type { OptimizationConfig } from './config';
import type { Dataset } from './dataset';
import type { TrialInput, TrialResult } from './trial';

export interface TrialExecutor {
  /** Trials it runs at once (the coordinator keeps about twice as many in flight). */
  readonly concurrency: number;
  run(trial: TrialInput): Promise<TrialResult>;
  /** Stops running trials at their next step and drops queued ones (their promises reject). */
  cancel(): void;
  close(): Promise<void>;
}

/** What an executor is made for: one optimization's data and settings. */
export interface ExecutorJob {
  dataset: Dataset;
  config: OptimizationConfig;
  partitions: number;
}

export class LocalTrialExecutor implements TrialExecutor {
  readonly concurrency: number;
  private readonly pool: Piscina;
  private readonly cancelFlag = new SharedArrayBuffer(4);
  private readonly abort = new AbortController();

  constructor(
    private readonly job: ExecutorJob,
    options: { workerPath: string; threads?: number },
  ) {
    this.concurrency = Math.max(1, options.threads ?? availableParallelism());
    this.pool = new Piscina({
      filename: options.workerPath,
      name: 'trial',
      minThreads: this.concurrency,
      maxThreads: this.concurrency,
      // The coordinator bounds what is in flight; piscina holds the few waiting for a thread.
      maxQueue: 'auto',
      concurrentTasksPerWorker: 1,
      execArgv: options.workerPath.endsWith('.ts') ? ['--import', 'tsx'] : [],
    });
  }

  run(trial: TrialInput): Promise<TrialResult> {
    const task: TrialTask = { ...this.job, trial, cancel: this.cancelFlag };
    return this.pool.run(task, { signal: this.abort.signal }) as Promise<TrialResult>;
  }

  cancel(): void {
    Atomics.store(new Int32Array(this.cancelFlag), 0, 1);
    this.abort.abort();
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
