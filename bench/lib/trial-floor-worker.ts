/**
 * bench:optimize's floor: a bare worker thread running the trial function (modules/optimize/trial.ts)
 * on the shared dataset for its share of the trials (every n-th), with nothing around it — no
 * coordinator, no main-thread storing, no task platform. What the trial work itself allows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { unpackDataset, type Dataset } from '../../server/src/modules/optimize/dataset';
import type { OptimizationConfig } from '../../server/src/modules/optimize/config';
import { runTrial, type TrialInput } from '../../server/src/modules/optimize/trial';
import { NEVER_CANCELLED } from '../../server/src/platform/tasks/worker';

const { dataset, config, partitions, trials } = workerData as { dataset: Dataset; config: OptimizationConfig; partitions: number; trials: TrialInput[] };
const loaded = unpackDataset(dataset);
// Each 'go' runs the thread's share once (the first is the warm-up: JIT, caches).
parentPort!.on('message', () => {
  for (const trial of trials) runTrial(trial, { config, loaded, partitions, signal: NEVER_CANCELLED });
  parentPort!.postMessage('done');
});
parentPort!.postMessage('ready');
