/**
 * The coordinator of one optimization, as the `optimization` kind's worker runs it
 * (workers/optimize-worker.ts, the task platform's read lane): load the bars once, pack them into a
 * shared Dataset, read what an earlier attempt stored (resume), count the search space, then run
 * the missing trials on a TrialExecutor in batches (dispatch.ts: at most 2 × its concurrency in
 * flight, so memory stays flat however large the grid), posting each batch's results as it
 * returns (the main thread stores them: `apply` in kind.ts), and finally the overfitting
 * statistics from every trial's moments and blocks. Reads only; the main thread is the one writer.
 *
 * Determinism: the trials' results do not depend on the order they finish in; the overfitting
 * statistics take the trials in index order, so an interrupted and resumed run gives the same
 * numbers as an uninterrupted one.
 */
import { probabilisticSharpeOf } from '../../engine/backtest/metrics/ratios';
import { dailyRate } from '../../engine/backtest/metrics/returns';
import { ENGINE_VERSION } from '../../engine/backtest/version';
import { compareTrials } from '../../engine/optimize/objective';
import { choosePartitions, dailySharpe, sharpeSampleOf } from '../../engine/optimize/overfitting';
import { countTrials, gridTrials, randomTrials, type Trial } from '../../engine/optimize/search';
import { deflatedSharpe, sharpeVariance } from '../../engine/stats/deflated-sharpe';
import { sharpeCscv } from '../../engine/stats/pbo';
import { AppError } from '../../platform/errors';
import type { CancelSignal } from '../../platform/tasks/worker';
import { loadBars, type LoadedBars } from '../backtest/job';
import type { KlineService } from '../market/kline-service';
import type { MarketRepository } from '../market/repository';
import { spaceOf, trialConfig, type OptimizationTaskParams } from './config';
import { packDataset } from './dataset';
import { dispatchTrials } from './dispatch';
import type { ExecutorJob, TrialExecutor } from './executor';
import type { Overfitting, StoredTrial } from './repository';
import type { TrialResult } from './trial';
import { planWalkForward, runWalkForward, type WalkForwardMessage } from './walk-forward-job';
import type { StoredWindowTrial } from './walk-forward-repository';

/** What the coordinator posts; `apply` in kind.ts moves the task and stores with it. */
export type OptimizeMessage =
  | { type: 'phase'; phase: 'loading' | 'counting' | 'running' | 'walk-forward' | 'statistics' }
  | { type: 'start'; fingerprint: string; engineVersion: string; trialsTotal: number; partitions: number; reset: boolean; threads: number }
  | { type: 'trials'; results: TrialResult[]; etaSeconds: number }
  | { type: 'overfitting'; overfitting: Overfitting }
  | WalkForwardMessage;

export interface CoordinatorDeps {
  klines: KlineService;
  market: MarketRepository;
  /** What earlier attempts stored of this optimization (undefined: it was deleted). */
  stored(): { fingerprint: string | null; engineVersion: string; trials: () => Iterable<StoredTrial> } | undefined;
  executor(job: ExecutorJob): TrialExecutor;
  /** What earlier attempts stored of its walk-forward (walk-forward-repository.ts, storedWalkForward). */
  storedWalkForward?(): { done: Set<number>; trials: (window: number) => Iterable<StoredWindowTrial> };
  signal: CancelSignal;
  post(message: OptimizeMessage): void;
  now?: () => number;
}

/** Per-trial numbers the statistics need, in flat arrays (index, daily Sharpe, 2·S block numbers). */
class Collector {
  private indices: number[] = [];
  private sharpes: number[] = [];
  private blocks: Float64Array;
  private count = 0;
  complete = true;
  returnsCount = 0;
  best: { index: number; objective: number | null; eligible: boolean; moments: StoredTrial['moments'] } | undefined;

  constructor(
    private readonly partitions: number,
    private readonly rf: number,
  ) {
    this.blocks = new Float64Array(2 * partitions * 64);
  }

  add(t: { index: number; params: Record<string, number>; objective: number | null; eligible: boolean; moments: StoredTrial['moments']; blocks: Float64Array | null }): void {
    if (!this.best || compareTrials(t, this.best) < 0) this.best = { index: t.index, objective: t.objective, eligible: t.eligible, moments: t.moments };
    this.indices.push(t.index);
    this.sharpes.push(dailySharpe(t.moments, this.rf));
    this.returnsCount = t.moments.n;
    const width = 2 * this.partitions;
    if (!t.blocks || t.blocks.length !== width) this.complete = false;
    if ((this.count + 1) * width > this.blocks.length) {
      const grown = new Float64Array(this.blocks.length * 2);
      grown.set(this.blocks);
      this.blocks = grown;
    }
    if (t.blocks && t.blocks.length === width) this.blocks.set(t.blocks, this.count * width);
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  /** Sharpes and blocks in trial index order. */
  ordered(): { sharpes: Float64Array; blocks: Float64Array } {
    const order = Array.from({ length: this.count }, (_, i) => i).sort((a, b) => this.indices[a]! - this.indices[b]!);
    const width = 2 * this.partitions;
    const blocks = new Float64Array(this.count * width);
    const sharpes = new Float64Array(this.count);
    order.forEach((from, to) => {
      sharpes[to] = this.sharpes[from]!;
      blocks.set(this.blocks.subarray(from * width, (from + 1) * width), to * width);
    });
    return { sharpes, blocks };
  }
}

/**
 * PSR and DSR of the best trial (from its stored moments: no trial is run again), PBO of all
 * (null parts where they cannot be computed).
 */
function overfittingOf(collector: Collector, total: number, partitions: number, rf: number): Overfitting {
  const { sharpes, blocks } = collector.ordered();
  let psr: Overfitting['psr'] = null;
  const best = collector.best;
  if (best?.eligible) {
    const sample = sharpeSampleOf(best.moments, rf);
    const variance = sharpeVariance(sharpes);
    const dsr = variance === null ? null : deflatedSharpe(sample, total, variance);
    psr = { bestIndex: best.index, psr: sample && probabilisticSharpeOf(sample), dsr: dsr?.dsr ?? null, sr0: dsr?.sr0 ?? null, sharpeVariance: variance, trials: total };
  }
  let pbo: Overfitting['pbo'] = null;
  const t = collector.returnsCount;
  if (collector.size >= 2 && collector.complete && t >= partitions) {
    const blockSize = Math.floor(t / partitions);
    const p = sharpeCscv(blocks, collector.size, partitions, blockSize);
    pbo = { pbo: p.pbo, combinations: p.combinations, partitions, blockSize, droppedRows: t - blockSize * partitions, probabilityOfLoss: p.probabilityOfLoss, degradation: p.degradation };
  }
  return { psr, pbo };
}

export async function runOptimizationJob(params: OptimizationTaskParams, deps: CoordinatorDeps): Promise<void> {
  const { config } = params;
  const { signal, post } = deps;
  const now = deps.now ?? (() => performance.now());
  const space = spaceOf(config);

  post({ type: 'phase', phase: 'loading' });
  const first = gridTrials(space).next();
  if (first.done) throw new AppError('VALIDATION_ERROR', [{ field: 'params.config.ranges', message: 'no combination fits the strategy' }]);
  const loaded: LoadedBars = loadBars(trialConfig(config, first.value.params), deps.klines, deps.market);
  signal.throwIfAborted();
  const stored = deps.stored();
  if (!stored) throw new AppError('OPTIMIZATION_NOT_FOUND', [{ field: 'params.optimizationId', message: `no optimization ${params.optimizationId}` }]);
  // Trials of other bars or another engine are not this run's: they are forgotten, not mixed in.
  const reset = stored.fingerprint !== null && (stored.fingerprint !== loaded.fingerprint || stored.engineVersion !== ENGINE_VERSION);

  post({ type: 'phase', phase: 'counting' });
  let random: Trial[] | undefined;
  let total: number;
  if (config.method === 'random') {
    random = randomTrials(space, config.samples ?? 100, config.seed ?? 1);
    total = random.length;
  } else {
    total = countTrials(space);
  }
  signal.throwIfAborted();
  const partitions = choosePartitions(total);
  const rf = dailyRate(config.riskFree);
  const collector = new Collector(partitions, rf);
  const done = new Set<number>();
  if (!reset) {
    for (const t of stored.trials()) {
      done.add(t.index);
      collector.add(t);
    }
  }
  // Walk-forward windows are known once the bars are: planned (and stored) now, so progress counts them from the start.
  const windows = config.walkForward ? planWalkForward(config, loaded) : undefined;
  const dataset = packDataset(loaded);
  const executor = deps.executor({ dataset, config, partitions });
  post({ type: 'start', fingerprint: loaded.fingerprint, engineVersion: ENGINE_VERSION, trialsTotal: total, partitions, reset, threads: executor.concurrency });
  if (windows) post({ type: 'wfPlan', windows, trialsTotal: windows.length * (total + 1), reset });
  post({ type: 'phase', phase: 'running' });

  const started = now();
  let finished = 0;
  const remaining = total - done.size;
  const all: Iterable<Trial> = random ?? gridTrials(space);
  // The engine checks the flag between steps; this catches a cancel while trials are long.
  const watch = setInterval(() => {
    if (signal.aborted) executor.cancel();
  }, 25);
  try {
    await dispatchTrials({
      executor,
      trials: (function* () {
        for (const trial of all) if (!done.has(trial.index)) yield trial;
      })(),
      count: remaining,
      signal,
      now,
      onResults: (results) => {
        finished += results.length;
        for (const result of results) collector.add(result);
        const elapsed = (now() - started) / 1000;
        post({ type: 'trials', results, etaSeconds: (elapsed / finished) * (remaining - finished) });
      },
    });
  } finally {
    clearInterval(watch);
    await executor.close();
  }
  signal.throwIfAborted();

  if (windows) {
    post({ type: 'phase', phase: 'walk-forward' });
    const none = { done: new Set<number>(), trials: () => [] };
    const stored = reset ? none : (deps.storedWalkForward?.() ?? none);
    let left = windows.length * (total + 1);
    for (const w of windows) left -= stored.done.has(w.index) ? total + 1 : [...stored.trials(w.index)].length;
    const wfExecutor = deps.executor({ dataset, config, partitions });
    try {
      await runWalkForward({ windows, trials: () => random ?? gridTrials(space), trialsTotal: total, stored, trialsLeft: left, executor: wfExecutor, signal, post, now });
    } finally {
      await wfExecutor.close();
    }
  }

  post({ type: 'phase', phase: 'statistics' });
  post({ type: 'overfitting', overfitting: overfittingOf(collector, total, partitions, rf) });
}
