/**
 * Worker entry of an optimization's trials (modules/optimize/executor.ts, LocalTrialExecutor): a
 * piscina thread of the coordinator's trial pool (workers/optimize-worker.ts), kept between
 * optimizations. It unpacks the shared dataset once per dataset key (views on the
 * SharedArrayBuffers, no copy) and keeps it between trials, then runs the trial function
 * (modules/optimize/trial.ts) on each trial of a batch (modules/optimize/dispatch.ts). Cancelling
 * sets the shared flag the engine checks between steps; the batch then answers the trials it
 * finished.
 *
 * Its default export is its own path (the pool's `filename`); piscina calls `trials`.
 */
import { fileURLToPath } from 'node:url';
import type { OptimizationConfig } from '../modules/optimize/config';
import { unpackDataset, type Dataset } from '../modules/optimize/dataset';
import { runTrial, type TrialInput, type TrialResult } from '../modules/optimize/trial';
import type { LoadedBars } from '../modules/backtest/job';
import { sharedSignal, TaskCancelled } from '../platform/tasks/worker';
import { keepHeapNearLive } from './heap-keeper';

/** A batch of trials as the coordinator sends it: the dataset travels as shared memory, the rest is small. */
export interface TrialTask {
  dataset: Dataset;
  config: OptimizationConfig;
  partitions: number;
  trials: TrialInput[];
  /**
   * What the thread caches the unpacked dataset by (default its fingerprint): threads serve many
   * optimizations, and the same bars (one fingerprint) over another range are another dataset, so
   * the local executor passes its run's own key and a remote worker the shipped dataset's id.
   */
  datasetKey?: string;
  /** Int32 at index 0: 1 once the optimization is cancelled. */
  cancel: SharedArrayBuffer;
}

let cached: { key: string; loaded: LoadedBars } | undefined;

export function trials(task: TrialTask): TrialResult[] {
  const key = task.datasetKey ?? task.dataset.fingerprint;
  if (cached?.key !== key) cached = { key, loaded: unpackDataset(task.dataset) };
  const ctx = { config: task.config, loaded: cached.loaded, partitions: task.partitions, signal: sharedSignal(task.cancel) };
  const results: TrialResult[] = [];
  // A cancel ends the batch at the running trial's next step; the trials it finished before are
  // answered all the same (the coordinator stores them: a cancel loses no finished trial).
  for (const t of task.trials) {
    if (ctx.signal.aborted) break;
    try {
      results.push(runTrial(t, ctx));
    } catch (err) {
      if (err instanceof TaskCancelled) break;
      throw err;
    }
  }
  keepHeapNearLive();
  return results;
}

const workerPath: string = fileURLToPath(import.meta.url);
export default workerPath;
