/**
 * Where an optimization's trials run (docs/ARCHITECTURE.md, "Optimization"): a TrialExecutor takes
 * a batch of trials and answers their results; dispatch.ts decides the batches and how many are
 * in flight. The local executor is a piscina pool of trial threads (workers/trial-worker.ts) inside
 * the coordinator's thread; a remote one (BullMQ over Redis) can take its place with the same trial
 * function (trial.ts) and the dataset shipped once (dataset.ts, encodeDataset).
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { TrialTask } from '../../workers/trial-worker';
import type { OptimizationConfig } from './config';
import type { Dataset } from './dataset';
import type { TrialInput, TrialResult } from './trial';

export interface TrialExecutor {
  /** Batches it runs at once (dispatch.ts keeps twice as many in flight). */
  readonly concurrency: number;
  /** Runs the trials one after another in one slot; answers their results in the same order. */
  run(trials: TrialInput[]): Promise<TrialResult[]>;
  /**
   * Stops the batches at their running trial's next step. A batch answers the trials it finished
   * (locally) or rejects (remotely: a job of a cancelled run fails); queued ones answer nothing.
   */
  cancel(): void;
  close(): Promise<void>;
}

/** What an executor is made for: one optimization's data and settings. */
export interface ExecutorJob {
  dataset: Dataset;
  config: OptimizationConfig;
  partitions: number;
}

/**
 * The old-generation cap (MB) of a trial thread for a dataset of `bytes`. V8 lets a heap grow well
 * past its live set before a full collection: over 10,000 one-stock trials a trial thread's heap
 * went from 45 to 92 MB and back, so a long optimization's memory saw-toothed 20–30 % above a short
 * one's. A cap not far above the live set keeps it flat: a base for the code and one trial's
 * working set, plus 32 bytes of heap per byte of bars (a trial's own arrays grow with them; the bars
 * themselves are shared memory, outside the heap), rounded up to a power of two so that datasets of
 * similar size share a warm pool. The 37-stock portfolio (2.9 MB of bars) lives in about 20 MB and
 * gets 256; one stock's ten years get 64 (below 32 the portfolio's trials thrash the collector).
 */
export function trialHeapMb(bytes: number): number {
  const need = 48 + (32 * bytes) / 2 ** 20;
  return Math.min(8192, 2 ** Math.ceil(Math.log2(need)));
}

function datasetBytes(dataset: Dataset): number {
  return dataset.symbols.reduce((sum, s) => sum + s.buffer.byteLength, dataset.benchmark?.buffer.byteLength ?? 0);
}

/**
 * Trial pools kept in this (the coordinator's) thread between optimizations, by worker module,
 * size and heap cap: their threads stay started, their module loaded and JIT-warm, so the next
 * optimization does not pay for that again (on a 100-trial grid it was a fifth of the run).
 * Threads idle for 30 s end; the pools go with the coordinator's thread.
 */
const pools = new Map<string, Piscina>();

function trialPool(workerPath: string, threads: number, heapMb: number): Piscina {
  const key = `${workerPath}|${threads}|${heapMb}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Piscina({
      filename: workerPath,
      name: 'trials',
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 30_000,
      // dispatch.ts bounds what is in flight (2 × threads). Each thread is handed its next batch
      // while it runs one, so it starts it the moment it posts a result instead of idling for a
      // round trip through the coordinator's thread (about a millisecond on a busy machine).
      maxQueue: 'auto',
      concurrentTasksPerWorker: 2,
      execArgv: workerPath.endsWith('.ts') ? ['--import', 'tsx'] : [],
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
    });
    pools.set(key, pool);
  }
  return pool;
}

export class LocalTrialExecutor implements TrialExecutor {
  readonly concurrency: number;
  private readonly pool: Piscina;
  private readonly cancelFlag = new SharedArrayBuffer(4);
  /** A warm thread keeps the last dataset it unpacked: this run's own id tells it apart from another range of the same bars. */
  private readonly datasetKey = randomUUID();

  constructor(
    private readonly job: ExecutorJob,
    options: { workerPath: string; threads?: number },
  ) {
    this.concurrency = Math.max(1, options.threads ?? availableParallelism());
    this.pool = trialPool(options.workerPath, this.concurrency, trialHeapMb(datasetBytes(job.dataset)));
  }

  run(trials: TrialInput[]): Promise<TrialResult[]> {
    const task: TrialTask = { ...this.job, datasetKey: this.datasetKey, trials, cancel: this.cancelFlag };
    return this.pool.run(task) as Promise<TrialResult[]>;
  }

  /**
   * Sets the flag the trial threads read: a running batch stops at its trial's next step and
   * answers what it finished, a batch not started answers nothing. No piscina abort: that would
   * terminate the threads (warm, kept for the next optimization) and lose the finished trials.
   */
  cancel(): void {
    Atomics.store(new Int32Array(this.cancelFlag), 0, 1);
  }

  /** The pool stays for the next optimization; this run's trials have all settled (the coordinator waits for them). */
  async close(): Promise<void> {}
}
