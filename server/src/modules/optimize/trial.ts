/**
 * The trial function: one parameter set of an optimization, run as a standalone backtest is and
 * reduced to what the optimization stores. The one function every executor runs — the local pool's
 * threads (workers/trial-worker.ts) now, remote workers later — so a trial's result does not
 * depend on where it ran:
 *
 *   trial config (config.ts: what POST /api/backtest/run makes of the same fields and params)
 *   → runLoaded (modules/backtest/job.ts: the engine, then the result document)
 *   → JSON.stringify → SHA-256 digest (the digest the backtest results table stores)
 *   → objective and eligibility, headline, moments and block statistics of the daily returns
 *     (engine/optimize/objective.ts).
 */
import { createHash } from 'node:crypto';
import type { components } from '../../../../contracts/gen/api';
import { dailyReturns, isEligible, objectiveValue, returnMoments, type Objective, type ReturnMoments } from '../../engine/optimize/objective';
import { blockStats } from '../../engine/stats/pbo';
import type { CancelSignal } from '../../platform/tasks/worker';
import { headlineOf, runLoaded, type LoadedBars } from '../backtest/job';
import type { BacktestConfig } from '../backtest/config';
import { trialConfig, type OptimizationConfig } from './config';
import { windowBars } from './window';

export type TrialHeadline = components['schemas']['TrialHeadline'];

export interface TrialInput {
  index: number;
  /** The searched and fixed params (defaults are filled in by the trial's config). */
  params: Record<string, number>;
  /**
   * A walk-forward window (walk-forward-job.ts): the trial runs from `start` to `end` on the
   * window's bars (window.ts), as a standalone backtest of that range; `series` asks for its
   * day-end equity (an out-of-sample run, for the stitched curve).
   */
  window?: { start: string; end: string; series?: boolean };
}

export interface TrialResult {
  index: number;
  /** Every parameter of the trial's config (defaults filled in). */
  params: Record<string, number>;
  objective: number | null;
  eligible: boolean;
  headline: TrialHeadline;
  digest: string;
  moments: ReturnMoments;
  /** blockStats with the optimization's S; null when the run has fewer returns than blocks. */
  blocks: Float64Array | null;
  /** A window trial's day-end equity (and benchmark, rebased to it) when `window.series` asked for it. */
  series?: { dates: string[]; equity: number[]; benchmark: number[] | null };
}

/** What the trial function needs: the optimization's config, its bars, S, and the cancel check. */
export interface TrialContext {
  config: OptimizationConfig;
  loaded: LoadedBars;
  partitions: number;
  signal: CancelSignal;
}

/** The trial's config and bars: the whole range, or its walk-forward window. */
function trialRun(trial: TrialInput, ctx: TrialContext): { config: BacktestConfig; loaded: LoadedBars } {
  const w = trial.window;
  if (!w) return { config: trialConfig(ctx.config, trial.params), loaded: ctx.loaded };
  return { config: trialConfig({ ...ctx.config, start: w.start, end: w.end }, trial.params), loaded: windowBars(ctx.loaded, ctx.config.period, ctx.config.adjust, w.start, w.end) };
}

export function runTrial(trial: TrialInput, ctx: TrialContext): TrialResult {
  const { config, loaded } = trialRun(trial, ctx);
  const { document } = runLoaded(config, loaded, { signal: ctx.signal });
  const text = JSON.stringify(document);
  const m = document.metrics;
  const objective = objectiveValue(m, ctx.config.objective as Objective);
  const { fingerprint: _f, engineVersion: _e, ...headline } = headlineOf(document);
  const returns = dailyReturns(document.series.equity);
  return {
    index: trial.index,
    params: config.params,
    objective,
    eligible: isEligible(objective, m.tradeCount, ctx.config.minTrades),
    headline: { ...headline, sortino: m.sortino, calmar: m.calmar, profitFactor: m.profitFactor, probabilisticSharpe: m.probabilisticSharpe },
    digest: createHash('sha256').update(text).digest('hex'),
    moments: returnMoments(returns),
    blocks: blockStats(returns, ctx.partitions),
    ...(trial.window?.series ? { series: { dates: document.series.dates, equity: document.series.equity, benchmark: document.series.benchmark } } : {}),
  };
}
