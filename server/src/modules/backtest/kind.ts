/**
 * Backtests as a kind of the task platform (docs/ARCHITECTURE.md, "The long-work path"): the
 * `backtest` kind runs workers/backtest-worker.ts in the read lane (in parallel, reading the cache
 * on its own connection); its params are the checked BacktestConfig, its summary BacktestSummary.
 * Progress: loading 0–5 %, running 5–90 %, metrics 90–95 %, saving 95–100 %. The worker's
 * `result` message is stored here, on the main thread (the one writer besides imports), and its id
 * goes into the summary; a run that ends without one fails.
 */
import type { components } from '../../../../contracts/gen/api';
import { ErrorCodes } from '../../../../contracts/gen/error-codes';
import type { TaskError, TaskKindDefinition, TaskProgress } from '../../platform/tasks/types';
import { checkStoredConfig, type BacktestConfig } from './config';
import type { BacktestHeadlineInput, BacktestMessage } from './job';
import type { BacktestHeadline, BacktestResults } from './results-repository';

export type BacktestSummary = components['schemas']['BacktestSummary'];

const RUNNING_FROM = 5;
const RUNNING_TO = 90;

export function backtestKind(workerPath: string, results: BacktestResults, onStoreError: (err: unknown) => void): TaskKindDefinition<BacktestConfig, BacktestSummary, BacktestMessage> {
  function apply(task: TaskProgress<BacktestSummary>, message: BacktestMessage): void {
    const s = task.summary;
    switch (message.type) {
      case 'phase':
        task.phase = message.phase;
        if (message.barsTotal !== undefined) s.barsTotal = message.barsTotal;
        if (message.warnings?.length) s.warnings = message.warnings;
        task.progress = { loading: 0, running: RUNNING_FROM, metrics: RUNNING_TO, saving: 95 }[message.phase];
        task.message = message.phase === 'running' ? `${s.barsTotal} bars of ${s.symbols.length} symbol${s.symbols.length === 1 ? '' : 's'}` : message.phase;
        break;
      case 'progress':
        task.progress = RUNNING_FROM + message.fraction * (RUNNING_TO - RUNNING_FROM);
        s.currentDate = message.currentDate;
        s.barsProcessed = message.barsProcessed;
        s.equity = message.equityFen / 100;
        s.etaSeconds = Math.round(message.etaSeconds * 10) / 10;
        task.message = `${message.currentDate}, ${message.barsProcessed}/${s.barsTotal} bars`;
        break;
      case 'result':
        try {
          const meta = results.insert({
            taskId: task.taskId,
            config: message.config,
            engineVersion: message.headline.engineVersion,
            fingerprint: message.headline.fingerprint,
            headline: headlineOf(message.headline),
            document: message.document,
          });
          s.resultId = meta.id;
          s.etaSeconds = 0;
        } catch (err) {
          onStoreError(err);
        }
        break;
    }
  }
  return {
    name: 'backtest',
    workerPath,
    lane: 'read',
    checkParams: checkStoredConfig,
    initialSummary: (config) => ({ strategy: config.strategy, symbols: config.symbols, barsProcessed: 0, barsTotal: 0 }),
    apply,
    settle: (summary): TaskError | undefined => (summary.resultId ? undefined : { code: ErrorCodes.BACKTEST_FAILED.code, message: 'the result could not be stored' }),
  };
}

/** The headline without the two values stored in their own columns. */
function headlineOf(h: BacktestHeadlineInput): BacktestHeadline {
  const { fingerprint: _fingerprint, engineVersion: _engineVersion, ...headline } = h;
  return headline;
}
