/**
 * Optimizations as a kind of the task platform (docs/ARCHITECTURE.md, "Optimization"): the
 * `optimization` kind runs the coordinator (workers/optimize-worker.ts) in the read lane; its
 * params are the optimization's id and checked config, its summary OptimizationSummary. `apply`
 * runs on the main thread, the one writer: each `trials` message (a batch's results, dispatch.ts)
 * is inserted at once in one transaction (a cancel or a crash loses no trial that came back), the
 * counts and the top-N leaderboard are kept in the summary (events and lists carry the top 10).
 * Progress: loading 0 %, counting 1 %, trials 2–97 %, statistics 97–100 %.
 */
import type { components } from '../../../../contracts/gen/api';
import { ErrorCodes } from '../../../../contracts/gen/error-codes';
import { compareTrials } from '../../engine/optimize/objective';
import { AppError } from '../../platform/errors';
import type { TaskError, TaskKindDefinition, TaskProgress } from '../../platform/tasks/types';
import { checkStoredParams, type OptimizationTaskParams } from './config';
import type { OptimizeMessage } from './coordinator';
import { toEntry, type LeaderboardEntry, type OptimizationRepository } from './repository';
import { applyWalkForward, workOf } from './walk-forward-apply';
import type { WalkForwardRepository } from './walk-forward-repository';

export type OptimizationSummary = components['schemas']['OptimizationSummary'];

/** The leaderboard events and lists carry. */
export const BRIEF_LEADERBOARD = 10;

const PROGRESS = { loading: 0, counting: 1, running: 2, 'walk-forward': 2, statistics: 97 } as const;
const RUNNING_SPAN = 95;

/** The running span by trials done, the walk-forward's included (walk-forward-apply.ts). */
function runningProgress(s: OptimizationSummary): number {
  const { done, total } = workOf(s);
  return PROGRESS.running + (total > 0 ? (done / total) * RUNNING_SPAN : RUNNING_SPAN);
}

export function optimizationKind(
  workerPath: string,
  trialWorkerPath: string,
  repo: OptimizationRepository,
  onStoreError: (err: unknown) => void,
  walkForward?: WalkForwardRepository,
): TaskKindDefinition<OptimizationTaskParams, OptimizationSummary, OptimizeMessage> {
  /** topN of each running optimization (the summary keeps the leaderboard at that length). */
  const topN = (s: OptimizationSummary): number => {
    const row = repo.get(s.optimizationId);
    return row ? (JSON.parse(row.config) as { topN: number }).topN : 20;
  };
  const limits = new Map<string, number>();

  function insertSorted(board: LeaderboardEntry[], entry: LeaderboardEntry, limit: number): void {
    let at = board.findIndex((e) => compareTrials(entry, e) < 0);
    if (at < 0) at = board.length;
    if (at >= limit) return;
    board.splice(at, 0, entry);
    if (board.length > limit) board.length = limit;
  }

  function apply(task: TaskProgress<OptimizationSummary>, message: OptimizeMessage): void {
    const s = task.summary;
    switch (message.type) {
      case 'phase':
        task.phase = message.phase;
        task.progress = Math.max(task.progress, PROGRESS[message.phase]);
        task.message = message.phase === 'running' ? `${s.trialsDone}/${s.trialsTotal} trials` : message.phase;
        break;
      case 'start': {
        try {
          repo.start(s.optimizationId, { fingerprint: message.fingerprint, engineVersion: message.engineVersion, trialsTotal: message.trialsTotal, partitions: message.partitions, reset: message.reset });
        } catch (err) {
          onStoreError(err);
        }
        const limit = topN(s);
        limits.set(s.optimizationId, limit);
        const counts = repo.counts(s.optimizationId);
        s.trialsTotal = message.trialsTotal;
        s.trialsDone = counts.done;
        s.trialsResumed = counts.done;
        s.eligibleTrials = counts.eligible;
        s.threads = message.threads;
        s.leaderboard = repo.top(s.optimizationId, limit).map(toEntry);
        if (s.leaderboard[0]) s.best = s.leaderboard[0];
        break;
      }
      case 'trials': {
        const { results } = message;
        try {
          repo.insertTrials(s.optimizationId, results);
        } catch (err) {
          onStoreError(err);
          break;
        }
        const limit = limits.get(s.optimizationId) ?? 20;
        for (const result of results) {
          s.trialsDone++;
          if (result.eligible) s.eligibleTrials = (s.eligibleTrials ?? 0) + 1;
          insertSorted(s.leaderboard, toEntry(result), limit);
        }
        if (s.leaderboard[0]) s.best = s.leaderboard[0];
        s.etaSeconds = Math.round(message.etaSeconds * 10) / 10;
        task.progress = runningProgress(s);
        task.message = `${s.trialsDone}/${s.trialsTotal} trials`;
        break;
      }
      case 'overfitting':
        try {
          repo.setOverfitting(s.optimizationId, message.overfitting);
        } catch (err) {
          onStoreError(err);
        }
        s.etaSeconds = 0;
        break;
      default:
        if (walkForward) applyWalkForward(walkForward, task, message, onStoreError);
        if (message.type === 'wfTrials' || message.type === 'wfWindow') task.progress = runningProgress(s);
    }
  }

  return {
    name: 'optimization',
    workerPath,
    // The coordinator's trial threads load the trial function's own chunk (workers/optimize-worker.ts).
    context: { trialWorkerPath },
    lane: 'read',
    checkParams: (raw) => {
      const params = checkStoredParams(raw);
      if (!repo.get(params.optimizationId)) throw new AppError('OPTIMIZATION_NOT_FOUND', [{ field: 'params.optimizationId', message: `optimization ${params.optimizationId} was deleted` }]);
      return params;
    },
    initialSummary: (p) => ({
      optimizationId: p.optimizationId,
      strategy: p.config.strategy,
      symbols: p.config.symbols,
      method: p.config.method,
      objective: p.config.objective,
      trialsTotal: 0,
      trialsDone: 0,
      leaderboard: [],
    }),
    apply,
    settle: (s): TaskError | undefined => {
      const { done, total } = workOf(s);
      return done >= total ? undefined : { code: ErrorCodes.OPTIMIZATION_FAILED.code, message: `${total - done} trials could not be stored; retry runs them` };
    },
    brief: (s) => ({ ...s, leaderboard: s.leaderboard.slice(0, BRIEF_LEADERBOARD) }),
    onFinished: (task) => limits.delete((task.summary as OptimizationSummary).optimizationId),
  };
}
