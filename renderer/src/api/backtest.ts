/**
 * Thin typed calls for the backtest module (contracts/backtest.yaml). A run is a `backtest` task:
 * cancel and retry go through api/tasks.ts; its live progress through the SSE client
 * (`streamBacktest`, with `path: { taskId }`).
 */
import type { components, operations } from '@contracts/gen/api';
import { api, quietly, unwrap } from './client';

type Schemas = components['schemas'];
export type StrategyInfo = Schemas['StrategyInfo'];
export type StrategyParam = Schemas['StrategyParam'];
export type BacktestRequest = Schemas['BacktestRequest'];
export type BacktestConfig = Schemas['BacktestConfig'];
export type BacktestSummary = Schemas['BacktestSummary'];
export type BacktestResult = Schemas['BacktestResult'];
export type BacktestResultMeta = Schemas['BacktestResultMeta'];
export type BacktestResultPage = Schemas['BacktestResultPage'];
export type BacktestDocument = Schemas['BacktestDocument'];
export type BacktestMetrics = Schemas['BacktestMetrics'];
export type BacktestHeadline = Schemas['BacktestHeadline'];
export type BacktestComparison = Schemas['BacktestComparison'];
export type BacktestTrade = Schemas['BacktestTrade'];
export type BacktestFill = Schemas['BacktestFill'];
export type BacktestOrder = Schemas['BacktestOrder'];
export type BacktestMarker = Schemas['BacktestMarker'];
export type MonthlyRow = Schemas['MonthlyRow'];
export type BacktestResultQuery = NonNullable<operations['listBacktestResults']['parameters']['query']>;
export type ExportQuery = operations['exportBacktestResult']['parameters']['query'];
export type ExportTable = NonNullable<ExportQuery['table']>;

export function listStrategies(): Promise<StrategyInfo[]> {
  return unwrap(api.GET('/api/backtest/strategies'));
}

/**
 * Queues a run; answers the task. `quiet` codes are not toasted (the form shows a validation
 * failure's `details[].field` next to the fields instead).
 */
export function runBacktest(body: BacktestRequest, options: { quiet?: readonly number[] } = {}): Promise<components['schemas']['Task']> {
  return unwrap(api.POST('/api/backtest/run', { body, middleware: options.quiet ? [quietly(options.quiet)] : undefined }));
}

export function listBacktestResults(query: BacktestResultQuery = {}): Promise<BacktestResultPage> {
  return unwrap(api.GET('/api/backtest/results', { params: { query } }));
}

export function getBacktestResult(id: string, options: { quiet?: readonly number[] } = {}): Promise<BacktestResult> {
  return unwrap(api.GET('/api/backtest/results/{id}', { params: { path: { id } }, middleware: options.quiet ? [quietly(options.quiet)] : undefined }));
}

export async function deleteBacktestResult(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/backtest/results/{id}', { params: { path: { id } } }));
}

/** Results side by side, in the order given (2 to 4 ids). */
export function compareBacktestResults(ids: readonly string[]): Promise<BacktestComparison> {
  return unwrap(api.GET('/api/backtest/compare', { params: { query: { ids: ids.join(',') } } }));
}

/**
 * The export file's text: JSON is the stored document as the server wrote it (its bytes are what
 * `digest` covers, so it is not re-serialized here); CSV is one table. Fetched through the client
 * (token, errors as messages) rather than a bare link, which would carry neither.
 */
export async function exportBacktestResult(id: string, query: ExportQuery): Promise<string> {
  const { data } = await api.GET('/api/backtest/results/{id}/export', { params: { path: { id }, query }, parseAs: 'text' });
  return data ?? '';
}
