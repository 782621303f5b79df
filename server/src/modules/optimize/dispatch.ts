/**
 * The one loop that hands an optimization's trials to a TrialExecutor (docs/ARCHITECTURE.md,
 * "Optimization"): the whole-range grid (coordinator.ts) and each walk-forward window's in-sample
 * trials (walk-forward-job.ts) run through it.
 *
 * Trials go in batches. Handing work over has a fixed price — a piscina task (its dispatch, the
 * result's clone, a message to the main thread and a commit there), or a BullMQ job (several Redis
 * round trips and a lock) — while a trial of dual MA on one stock takes a few milliseconds. One
 * trial at a time, that price was a fifth of a distributed run and most of what the coordinator's
 * heap allocated (so its peak memory grew with the grid until the first full collection).
 *
 * Sizes follow guided self-scheduling: about TARGET_BATCH_MS of one slot's work (the throughput so
 * far tells a trial's cost; a single trial until the first batch is back), and at most a quarter
 * of what is left per slot, so the batches shrink towards the end and no slot idles while another
 * finishes a long one. A slow strategy (a trial of a second) runs one trial a batch, as before. At
 * most 2 × concurrency batches are in flight: memory stays flat however large the grid.
 *
 * A cancel loses no finished trial: a batch stops at its running trial's next step and answers the
 * trials it finished, which are reported like any others (on Redis a cancelled job fails instead,
 * so there the batches in flight are lost, as a crash loses them: retry runs them again). Each
 * batch's results are stored together, in one transaction, as it returns.
 */
import type { CancelSignal } from '../../platform/tasks/worker';
import type { TrialExecutor } from './executor';
import type { TrialInput, TrialResult } from './trial';

/** About this much of one slot's work a batch (ms): long enough to make the hand-over negligible, short for a live leaderboard. */
export const TARGET_BATCH_MS = 250;
/** Trials a batch at most (a cancel waits for no more than the current trial of each; this bounds a result message). */
export const MAX_BATCH = 64;

/**
 * Trials the next batch takes: `left` not yet handed out, `concurrency` slots, `trialMs` one trial's
 * cost in one slot (undefined before any is known).
 */
export function batchSize(left: number, concurrency: number, trialMs: number | undefined): number {
  if (trialMs === undefined || !(trialMs > 0)) return 1;
  const byTime = Math.floor(TARGET_BATCH_MS / trialMs);
  const byTail = Math.ceil(left / (4 * concurrency));
  return Math.max(1, Math.min(MAX_BATCH, byTime, byTail));
}

export interface DispatchDeps {
  executor: TrialExecutor;
  trials: Iterable<TrialInput>;
  /** How many `trials` yields (it sizes the batches). */
  count: number;
  signal: CancelSignal;
  /** A batch's results, in its trials' order — also those a batch answers after a cancel or a failure (the trials it finished). */
  onResults(results: TrialResult[]): void;
  now: () => number;
}

/** Runs every trial; throws the first executor error. Returns early when `signal` is aborted (the caller throws). */
export async function dispatchTrials(deps: DispatchDeps): Promise<void> {
  const { executor, signal } = deps;
  const inFlight = new Set<Promise<void>>();
  const iterator = deps.trials[Symbol.iterator]();
  const started = deps.now();
  let handedOut = 0;
  let finished = 0;
  let failure: unknown;
  try {
    while (!signal.aborted && !failure) {
      const slots = executor.concurrency;
      const trialMs = finished > 0 ? ((deps.now() - started) * slots) / finished : undefined;
      const batch: TrialInput[] = [];
      for (let size = batchSize(deps.count - handedOut, slots, trialMs); batch.length < size; ) {
        const next = iterator.next();
        if (next.done) break;
        batch.push(next.value);
      }
      if (batch.length === 0) break;
      handedOut += batch.length;
      const p: Promise<void> = executor.run(batch).then(
        (results) => {
          inFlight.delete(p);
          if (results.length === 0) return;
          finished += results.length;
          // Also after a cancel or another batch's failure: these trials finished, and are kept.
          deps.onResults(results);
        },
        (err: unknown) => {
          inFlight.delete(p);
          failure ??= err;
        },
      );
      inFlight.add(p);
      if (inFlight.size >= 2 * slots) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    if (signal.aborted || failure) executor.cancel();
    await Promise.allSettled(inFlight);
  }
  if (failure) throw failure;
}
