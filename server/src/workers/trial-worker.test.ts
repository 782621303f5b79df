/**
 * A trial thread's batch (workers/trial-worker.ts): its trials in order, each the trial function's
 * result; and a cancel ends the batch at the running trial's next step, the batch answering the
 * trials it finished (the coordinator stores them: a cancel loses no finished trial).
 */
import { describe, expect, it } from 'vitest';
import { allocateSeries, setBar, sliceSeries } from '../engine/bars/series';
import { parseTimeString } from '../engine/bars/time';
import type { LoadedBars } from '../modules/backtest/job';
import { optimizationConfig, type OptimizationRequest } from '../modules/optimize/config';
import { packDataset } from '../modules/optimize/dataset';
import { runTrial, type TrialInput } from '../modules/optimize/trial';
import { NEVER_CANCELLED } from '../platform/tasks/worker';
import { trials, type TrialTask } from './trial-worker';

/** 120 weekdays of a seeded zig-zag walk: enough crossings for dual MA 3–5 / 10. */
function loaded(): LoadedBars {
  const n = 120;
  const bars = allocateSeries(n);
  let ts = parseTimeString('2024-01-02')!;
  let close = 10;
  for (let i = 0; i < n; i++) {
    while ([0, 6].includes(new Date(ts * 1000).getUTCDay())) ts += 86_400;
    close = Math.round((close + Math.sin(i / 5) * 0.3 + 0.01) * 100) / 100;
    setBar(bars, i, ts, close, close + 0.1, close - 0.1, close, 100_000, close * 100_000);
    ts += 86_400;
  }
  const series = sliceSeries(bars, 0, n);
  return { data: [{ symbol: '600000.SH', bars: series, isSt: false }], start: series.ts[0]!, end: series.ts[n - 1]! + 86_399, barsTotal: n, benchmark: null, warnings: [], fingerprint: 'a'.repeat(64) };
}

const request: Partial<OptimizationRequest> = { strategy: 'dual-ma', symbols: ['600000.SH'], start: '2024-01-02', end: '2024-12-31', benchmark: '', ranges: { fast: { min: 3, max: 5 }, slow: { min: 10, max: 10 } } };
const config = optimizationConfig(request as OptimizationRequest);
const inputs: TrialInput[] = [3, 4, 5].map((fast, index) => ({ index, params: { fast, slow: 10 } }));

function task(batch: TrialInput[], cancel = new SharedArrayBuffer(4), datasetKey = 'k'): TrialTask {
  return { dataset: packDataset(loaded()), config, partitions: 4, trials: batch, datasetKey, cancel };
}

describe('a trial thread\'s batch', () => {
  it('answers each trial\'s result in order, as the trial function gives it', () => {
    const results = trials(task(inputs, undefined, 'all'));
    const ctx = { config, loaded: loaded(), partitions: 4, signal: NEVER_CANCELLED };
    expect(results.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(results.map((r) => r.digest)).toEqual(inputs.map((t) => runTrial(t, ctx).digest));
  });

  it('stops at a cancel and answers the trials finished before it', () => {
    const flag = new SharedArrayBuffer(4);
    // The flag is set while the second trial starts (its params are read as its config is made),
    // so the engine stops it at its first step: the first trial finished, the second did not.
    const second = { index: 1, get params() { Atomics.store(new Int32Array(flag), 0, 1); return { fast: 4, slow: 10 }; } };
    const results = trials(task([inputs[0]!, second, inputs[2]!], flag, 'cancelled'));
    expect(results.map((r) => r.index)).toEqual([0]);
    // A batch that starts after the cancel answers nothing.
    expect(trials(task(inputs, flag, 'cancelled'))).toEqual([]);
  });
});
