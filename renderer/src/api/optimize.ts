/**
 * Thin typed calls for the optimize module (contracts/optimize.yaml). A run is an `optimization`
 * task: cancel and retry (resume) go through api/tasks.ts; its live progress and leaderboard
 * through the SSE client (`streamOptimization`, with `path: { taskId }`). A trial opened as a
 * backtest is a `backtest` task, followed as any backtest (features/backtest/runs.ts).
 */
import type { components, operations } from '@contracts/gen/api';
import { api, quietly, unwrap } from './client';

type Schemas = components['schemas'];
export type Objective = Schemas['Objective'];
export type ParamRange = Schemas['ParamRange'];
export type OptimizationRequest = Schemas['OptimizationRequest'];
export type OptimizationConfig = Schemas['OptimizationConfig'];
export type OptimizationTaskParams = Schemas['OptimizationTaskParams'];
export type OptimizationSummary = Schemas['OptimizationSummary'];
export type OptimizationMeta = Schemas['OptimizationMeta'];
export type OptimizationPage = Schemas['OptimizationPage'];
export type Optimization = Schemas['Optimization'];
export type OptimizationTrial = Schemas['OptimizationTrial'];
export type OptimizationTrialPage = Schemas['OptimizationTrialPage'];
export type OptimizationHeatmap = Schemas['OptimizationHeatmap'];
export type LeaderboardEntry = Schemas['LeaderboardEntry'];
export type WalkForwardProgress = Schemas['WalkForwardProgress'];
export type WalkForwardResult = Schemas['WalkForwardResult'];
export type WalkForwardWindowResult = Schemas['WalkForwardWindowResult'];
export type TrialHeadline = Schemas['TrialHeadline'];
export type Overfitting = Schemas['Overfitting'];
export type PsrOverfitting = Schemas['PsrOverfitting'];
export type PboOverfitting = Schemas['PboOverfitting'];
export type Task = Schemas['Task'];
export type OptimizationListQuery = NonNullable<operations['listOptimizations']['parameters']['query']>;
export type TrialQuery = NonNullable<operations['listOptimizationTrials']['parameters']['query']>;
export type TrialSort = NonNullable<TrialQuery['sort']>;

/** The objectives a run can rank by, in the order the form offers them. */
export const OBJECTIVES: readonly Objective[] = ['sharpe', 'sortino', 'annualReturn', 'totalReturn', 'calmar', 'profitFactor', 'probabilisticSharpe'];

/**
 * Queues an optimization; answers the task (its params carry the optimization's id). `quiet`
 * codes are not toasted: the form shows a validation failure's `details[].field` by its fields.
 */
export function runOptimization(body: OptimizationRequest, options: { quiet?: readonly number[] } = {}): Promise<Task> {
  return unwrap(api.POST('/api/optimize/run', { body, middleware: options.quiet ? [quietly(options.quiet)] : undefined }));
}

export function listOptimizations(query: OptimizationListQuery = {}): Promise<OptimizationPage> {
  return unwrap(api.GET('/api/optimize', { params: { query } }));
}

export function getOptimization(id: string, options: { quiet?: readonly number[] } = {}): Promise<Optimization> {
  return unwrap(api.GET('/api/optimize/{id}', { params: { path: { id } }, middleware: options.quiet ? [quietly(options.quiet)] : undefined }));
}

export async function deleteOptimization(id: string): Promise<void> {
  await unwrap(api.DELETE('/api/optimize/{id}', { params: { path: { id } } }));
}

export function listOptimizationTrials(id: string, query: TrialQuery = {}): Promise<OptimizationTrialPage> {
  return unwrap(api.GET('/api/optimize/{id}/trials', { params: { path: { id }, query } }));
}

export function getOptimizationHeatmap(id: string, x: string, y: string): Promise<OptimizationHeatmap> {
  return unwrap(api.GET('/api/optimize/{id}/heatmap', { params: { path: { id }, query: { x, y } } }));
}

/** Queues the trial's config as a normal backtest; answers the `backtest` task. */
export function backtestOptimizationTrial(id: string, index: number): Promise<Task> {
  return unwrap(api.POST('/api/optimize/{id}/trials/{index}/backtest', { params: { path: { id, index } } }));
}

/** The optimization a task runs (its params), when the task is an optimization. */
export function optimizationIdOf(task: Pick<Task, 'kind' | 'params'>): string | undefined {
  return task.kind === 'optimization' ? (task.params as Partial<OptimizationTaskParams>).optimizationId : undefined;
}
