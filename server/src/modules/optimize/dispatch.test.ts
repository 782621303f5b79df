/** Batches of trials (dispatch.ts): sizes by guided self-scheduling, every trial once, a bounded window, errors and cancel. */
import { describe, expect, it } from 'vitest';
import { NEVER_CANCELLED, type CancelSignal } from '../../platform/tasks/worker';
import { batchSize, dispatchTrials, MAX_BATCH, TARGET_BATCH_MS } from './dispatch';
import type { TrialExecutor } from './executor';
import type { TrialInput, TrialResult } from './trial';

const resultOf = (t: TrialInput) => ({ index: t.index, params: t.params }) as unknown as TrialResult;
const trialsOf = (n: number): TrialInput[] => Array.from({ length: n }, (_, index) => ({ index, params: { fast: index } }));

/**
 * An executor double on a fake clock: each batch costs `trialMs` per trial of its slot's time; the
 * batches settle one tick after they are handed over, in order.
 */
function fakeExecutor(concurrency: number, trialMs: number, fail?: (batch: TrialInput[]) => boolean) {
  let clock = 0;
  const batches: number[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let cancelled = false;
  let failed = false;
  let handedAfterFailure = 0;
  const executor: TrialExecutor = {
    concurrency,
    async run(trials) {
      if (failed) handedAfterFailure++;
      batches.push(trials.map((t) => t.index));
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      await Promise.resolve();
      clock += (trials.length * trialMs) / concurrency;
      inFlight--;
      if (fail?.(trials)) {
        failed = true;
        throw new Error('the batch with trial 50 failed');
      }
      return trials.map(resultOf);
    },
    cancel: () => {
      cancelled = true;
    },
    close: async () => undefined,
  };
  return { executor, now: () => clock, batches, maxInFlight: () => maxInFlight, cancelled: () => cancelled, failed: () => failed, handedAfterFailure: () => handedAfterFailure };
}

describe('batchSize', () => {
  it('hands out one trial until a trial\'s cost is known', () => {
    expect(batchSize(10_000, 2, undefined)).toBe(1);
  });
  it('takes about TARGET_BATCH_MS of work, at most MAX_BATCH trials', () => {
    expect(batchSize(10_000, 2, 5)).toBe(TARGET_BATCH_MS / 5);
    expect(batchSize(10_000, 2, 0.01)).toBe(MAX_BATCH);
    // A slow strategy runs one trial a batch.
    expect(batchSize(10_000, 2, 900)).toBe(1);
  });
  it('shrinks towards the end: at most a quarter of what is left per slot', () => {
    expect(batchSize(80, 2, 1)).toBe(10);
    expect(batchSize(9, 2, 1)).toBe(2);
    expect(batchSize(1, 2, 1)).toBe(1);
  });
});

describe('dispatchTrials', () => {
  it('runs every trial once in growing then shrinking batches, with at most 2 × concurrency batches in flight', async () => {
    const fake = fakeExecutor(2, 2);
    const got: number[] = [];
    await dispatchTrials({ executor: fake.executor, trials: trialsOf(1000), count: 1000, signal: NEVER_CANCELLED, now: fake.now, onResults: (rs) => got.push(...rs.map((r) => r.index)) });
    expect([...got].sort((a, b) => a - b)).toEqual(trialsOf(1000).map((t) => t.index));
    expect(fake.batches.flat()).toHaveLength(1000);
    expect(fake.maxInFlight()).toBeLessThanOrEqual(4);
    const sizes = fake.batches.map((b) => b.length);
    // Single trials until the first batch is back; then batches of about TARGET_BATCH_MS; the last ones small.
    expect(sizes.slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(Math.max(...sizes)).toBeGreaterThan(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(TARGET_BATCH_MS / 2);
    expect(sizes.at(-1)).toBe(1);
    // Each batch holds consecutive trials of the iteration order.
    for (const b of fake.batches) expect(b).toEqual(b.map((_, i) => b[0]! + i));
  });

  it('throws the first failure and cancels the executor, handing out nothing more but keeping what the batches in flight finished', async () => {
    const fake = fakeExecutor(2, 2, (batch) => batch.some((t) => t.index === 50));
    const reported: number[] = [];
    await expect(
      dispatchTrials({ executor: fake.executor, trials: trialsOf(1000), count: 1000, signal: NEVER_CANCELLED, now: fake.now, onResults: (rs) => reported.push(...rs.map((r) => r.index)) }),
    ).rejects.toThrow('the batch with trial 50 failed');
    expect(fake.cancelled()).toBe(true);
    expect(fake.handedAfterFailure()).toBe(0);
    // Every batch but the failed one was reported, each trial once.
    const failedBatch = fake.batches.find((b) => b.includes(50))!;
    expect([...reported].sort((a, b) => a - b)).toEqual(fake.batches.flat().filter((i) => !failedBatch.includes(i)).sort((a, b) => a - b));
    expect(reported.length).toBeLessThan(1000);
  });

  it('stops handing out batches once cancelled, and still reports what the batches in flight finished', async () => {
    const fake = fakeExecutor(2, 2);
    let aborted = false;
    let handedAtCancel = 0;
    const signal: CancelSignal = { get aborted() { return aborted; }, throwIfAborted: () => undefined };
    let reported = 0;
    await dispatchTrials({
      executor: fake.executor,
      trials: trialsOf(1000),
      count: 1000,
      signal,
      now: fake.now,
      onResults: (rs) => {
        reported += rs.length;
        if (reported >= 100 && !aborted) {
          aborted = true;
          handedAtCancel = fake.batches.length;
        }
      },
    });
    expect(fake.cancelled()).toBe(true);
    expect(fake.batches).toHaveLength(handedAtCancel);
    expect(fake.batches.flat().length).toBeLessThan(1000);
    // Nothing handed out is lost: the batches in flight at the cancel were reported too.
    expect(reported).toBe(fake.batches.flat().length);
  });
});
