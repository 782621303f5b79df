/**
 * The walk-forward messages of an optimization task on the main thread (the kind's `apply`,
 * kind.ts): the plan stores the windows; each batch of in-sample trials (one transaction) and each
 * window's winner with its out-of-sample run are stored as they come (a cancel or a crash loses
 * nothing that came back),
 * and the summary's `walkForward` counts move. Progress: the whole-range trials and the
 * walk-forward trials share the running span in proportion to their numbers.
 */
import type { TaskProgress } from '../../platform/tasks/types';
import type { OptimizationSummary } from './kind';
import type { WalkForwardMessage } from './walk-forward-job';
import type { WalkForwardRepository } from './walk-forward-repository';

/** Done and total trials of the run, the walk-forward's included. */
export function workOf(s: OptimizationSummary): { done: number; total: number } {
  const wf = s.walkForward;
  return { done: s.trialsDone + (wf?.trialsDone ?? 0), total: s.trialsTotal + (wf?.trialsTotal ?? 0) };
}

export function applyWalkForward(repo: WalkForwardRepository, task: TaskProgress<OptimizationSummary>, message: WalkForwardMessage, onStoreError: (err: unknown) => void): void {
  const s = task.summary;
  const id = s.optimizationId;
  switch (message.type) {
    case 'wfPlan': {
      try {
        repo.plan(id, message.windows, message.reset);
      } catch (err) {
        onStoreError(err);
      }
      const c = repo.counts(id);
      // A window done counts its IS trials and its OOS run.
      s.walkForward = { windowsTotal: message.windows.length, windowsDone: c.windowsDone, trialsTotal: message.trialsTotal, trialsDone: c.trials + c.windowsDone };
      break;
    }
    case 'wfTrials':
      try {
        repo.insertTrials(id, message.window, message.results);
      } catch (err) {
        onStoreError(err);
        break;
      }
      if (s.walkForward) s.walkForward.trialsDone += message.results.length;
      s.etaSeconds = Math.round(message.etaSeconds * 10) / 10;
      break;
    case 'wfWindow':
      try {
        repo.setWindow(id, message.window, message.winner, message.result);
      } catch (err) {
        onStoreError(err);
        break;
      }
      if (s.walkForward) {
        s.walkForward.trialsDone++;
        s.walkForward.windowsDone++;
      }
      break;
  }
  task.message = s.walkForward ? `window ${Math.min(s.walkForward.windowsDone + 1, s.walkForward.windowsTotal)}/${s.walkForward.windowsTotal}` : task.message;
}
