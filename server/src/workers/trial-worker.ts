/**
 * Worker entry of an optimization's trials (modules/optimize/executor.ts, LocalTrialExecutor): a
 * piscina thread of the coordinator's trial pool (workers/optimize-worker.ts), kept between
 * optimizations. It unpacks the shared dataset once per dataset key (views on the
 * SharedArrayBuffers, no copy) and keeps it between trials, then runs the trial function
 * (modules/optimize/trial.ts). Cancelling sets the shared flag the engine checks between steps.
 *
 * Its default export is its own path (the pool's `filename`); piscina calls `trial`.
 */
import { fileURLToPath } from 'node:url';
import type { OptimizationConfig } from '../modules/optimize/config';
import { unpackDataset, type Dataset } from '../modules/optimize/dataset';
import { runTrial, type TrialInput, type TrialResult } from '../modules/optimize/trial';
import type { LoadedBars } from '../modules/backtest/job';
import { sharedSignal } from '../platform/tasks/worker';

/** One trial as the coordinator sends it: the dataset travels as shared memory, the rest is small. */
export interface TrialTask {
  dataset: Dataset;
  config: OptimizationConfig;
  partitions: number;
  trial: TrialInput;
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

export function trial(task: TrialTask): TrialResult {
  const key = task.datasetKey ?? task.dataset.fingerprint;
  if (cached?.key !== key) cached = { key, loaded: unpackDataset(task.dataset) };
  return runTrial(task.trial, { config: task.config, loaded: cached.loaded, partitions: task.partitions, signal: sharedSignal(task.cancel) });
}

const workerPath: string = fileURLToPath(import.meta.url);
export default workerPath;
