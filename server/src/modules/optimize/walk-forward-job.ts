/**
 * The walk-forward part of an optimization (docs/WALKFORWARD.md), run by the coordinator
 * (coordinator.ts) after the trials over the whole range, on the same dataset (loaded once) and
 * the same kind of TrialExecutor, so any executor (local threads, remote workers) runs it:
 *
 *   plan: the windows over the range's trading days (engine/optimize/walk-forward.ts)
 *   per window, in order:
 *     in sample:      every combination of the search (the same trials, grid or random) run from
 *                     the IS start to the IS end (trial.ts with `window`: bars up to the IS end only,
 *                     so no out-of-sample bar is seen), in batches (dispatch.ts), each posted as it
 *                     returns (stored at once);
 *     winner:         the best IS trial in the leaderboard order (compareTrials);
 *     out of sample:  the winner's params from the OOS start to the OOS end — flat, with the initial
 *                     capital, its history before the start there for warm-up — posted with its
 *                     day-end equity for the stitched curve.
 *
 * Resume: a window whose OOS run is stored is skipped; otherwise its stored IS trials count
 * towards the winner and only the missing ones run. The winner does not depend on the order
 * trials finish in (compareTrials is a total order). At most 2 × concurrency batches are in flight
 * and a window keeps only its best trial: memory is flat however large the grid.
 */
import type { Trial } from '../../engine/optimize/search';
import { minOutOfSampleDays, walkForwardWindows, type WalkForwardMode } from '../../engine/optimize/walk-forward';
import { AppError } from '../../platform/errors';
import type { CancelSignal } from '../../platform/tasks/worker';
import type { LoadedBars } from '../backtest/job';
import type { OptimizationConfig } from './config';
import { dispatchTrials } from './dispatch';
import type { TrialExecutor } from './executor';
import type { TrialResult } from './trial';
import { better, winnerOf, type PlannedWindow, type StoredWindowTrial, type WalkForwardWinner } from './walk-forward-repository';
import { tradingDays } from './window';

export type WalkForwardMessage =
  | { type: 'wfPlan'; windows: PlannedWindow[]; trialsTotal: number; reset: boolean }
  | { type: 'wfTrials'; window: number; results: TrialResult[]; etaSeconds: number }
  | { type: 'wfWindow'; window: number; winner: WalkForwardWinner; result: TrialResult };

/** The windows of the config's walk-forward over the loaded range; 1001 when the range is too short for one. */
export function planWalkForward(config: OptimizationConfig, loaded: LoadedBars): PlannedWindow[] {
  const wf = config.walkForward!;
  const days = tradingDays(loaded);
  const windows = walkForwardWindows(days.length, wf.mode as WalkForwardMode, wf.inSampleDays, wf.outOfSampleDays);
  if (windows.length === 0) {
    throw new AppError('VALIDATION_ERROR', [
      { field: 'params.config.walkForward', message: `the range has ${days.length} trading days; a walk-forward of ${wf.inSampleDays} in-sample and ${wf.outOfSampleDays} out-of-sample days needs at least ${wf.inSampleDays + Math.min(wf.outOfSampleDays, minOutOfSampleDays(wf.outOfSampleDays))}` },
    ]);
  }
  const range = (r: { from: number; to: number }) => ({ start: days[r.from]!, end: days[r.to]!, days: r.to - r.from + 1 });
  return windows.map((w) => ({ index: w.index, inSample: range(w.inSample), outOfSample: range(w.outOfSample) }));
}

export interface WalkForwardDeps {
  windows: PlannedWindow[];
  /** The search's trials in index order (a fresh iterator per call). */
  trials: () => Iterable<Trial>;
  /** How many `trials` yields (the coordinator counted them once). */
  trialsTotal: number;
  stored: { done: Set<number>; trials: (window: number) => Iterable<StoredWindowTrial> };
  /** Walk-forward trials (IS and OOS) not yet stored, for the ETA. */
  trialsLeft: number;
  executor: TrialExecutor;
  signal: CancelSignal;
  post(message: WalkForwardMessage): void;
  now: () => number;
}

const asStored = (r: TrialResult): StoredWindowTrial => ({ index: r.index, params: r.params, objective: r.objective, eligible: r.eligible, annualReturn: r.headline.annualReturn });

/** Runs the windows not yet done; throws the first trial error, or TaskCancelled when cancelled. */
export async function runWalkForward(deps: WalkForwardDeps): Promise<void> {
  const { executor, signal, post, now } = deps;
  let failure: unknown;
  const watch = setInterval(() => {
    if (signal.aborted) executor.cancel();
  }, 25);
  const started = now();
  let finished = 0;
  try {
    for (const w of deps.windows) {
      if (deps.stored.done.has(w.index)) continue;
      let best: StoredWindowTrial | undefined;
      const have = new Set<number>();
      for (const t of deps.stored.trials(w.index)) {
        have.add(t.index);
        best = better(best, t);
      }
      const inSample = { start: w.inSample.start, end: w.inSample.end };
      await dispatchTrials({
        executor,
        trials: (function* () {
          for (const trial of deps.trials()) if (!have.has(trial.index)) yield { index: trial.index, params: trial.params, window: inSample };
        })(),
        count: deps.trialsTotal - have.size,
        signal,
        now,
        onResults: (results) => {
          for (const result of results) best = better(best, asStored(result));
          finished += results.length;
          const elapsed = (now() - started) / 1000;
          post({ type: 'wfTrials', window: w.index, results, etaSeconds: (elapsed / finished) * Math.max(0, deps.trialsLeft - finished) });
        },
      });
      if (signal.aborted || !best) break;
      const winner = winnerOf(best);
      const [result] = await executor.run([{ index: best.index, params: best.params, window: { start: w.outOfSample.start, end: w.outOfSample.end, series: true } }]);
      if (signal.aborted) break;
      finished++;
      post({ type: 'wfWindow', window: w.index, winner, result: result! });
    }
  } catch (err) {
    failure = err;
  } finally {
    clearInterval(watch);
    if (signal.aborted || failure) executor.cancel();
  }
  signal.throwIfAborted();
  if (failure) throw failure;
}
