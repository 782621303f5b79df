/**
 * Imports as a kind of the task platform (docs/ARCHITECTURE.md, "The long-work path"): the
 * `import` kind runs workers/import-worker.ts in the writer lane (one import at a time, its own
 * connection), its params are the checked sources, its summary today's import counters and
 * per-file results. The Data Manager's endpoints (/api/data/imports…) are a view of these tasks
 * (`toImportTask`).
 */
import type { components } from '../../../../contracts/gen/api';
import { AppError } from '../../platform/errors';
import type { Task, TaskError, TaskKindDefinition, TaskProgress } from '../../platform/tasks/types';
import { ErrorCodes } from '../../../../contracts/gen/error-codes';
import type { ImportJobSpec, JobMessage } from './import-job';

export type ImportTask = components['schemas']['ImportTask'];
export type ImportKind = components['schemas']['ImportKind'];
export type ImportSummary = components['schemas']['ImportSummary'];
export type ImportTaskParams = Omit<components['schemas']['ImportTaskParams'], 'spec'> & { spec: ImportJobSpec };

/** Failed files carried by events and lists (getTask and getImportTask have every result). */
const MAX_BRIEF_RESULTS = 50;
const IMPORT_KINDS: ReadonlySet<string> = new Set<ImportKind>(['tdx', 'tdx-export', 'csv', 'sample']);

/** The summary with only its failed files (at most 50): what events and lists carry. */
export function briefSummary(summary: ImportSummary): ImportSummary {
  return { ...summary, results: summary.results.filter((r) => r.status === 'failed').slice(0, MAX_BRIEF_RESULTS) };
}

function checkParams(raw: unknown): ImportTaskParams {
  const p = raw as Partial<ImportTaskParams> | null;
  const sources = (p?.spec as Partial<ImportJobSpec> | undefined)?.sources;
  const ok =
    typeof p === 'object' &&
    p !== null &&
    typeof p.importKind === 'string' &&
    IMPORT_KINDS.has(p.importKind) &&
    typeof p.source === 'string' &&
    Array.isArray(sources) &&
    sources.every((s) => typeof s === 'object' && s !== null && typeof s.path === 'string' && ['tdx', 'tdx-export', 'csv'].includes(s.kind));
  if (!ok) throw new AppError('VALIDATION_ERROR', [{ message: 'import task params do not fit ImportTaskParams' }]);
  return p as ImportTaskParams;
}

function apply(task: TaskProgress<ImportSummary>, message: JobMessage): void {
  const s = task.summary;
  switch (message.type) {
    case 'start':
      s.filesTotal = message.filesTotal;
      task.phase = 'importing';
      task.message = `${message.filesTotal} file${message.filesTotal === 1 ? '' : 's'} to import`;
      break;
    case 'progress':
    case 'file':
      s.filesDone = message.filesDone;
      s.filesFailed = message.filesFailed;
      s.barsRead = message.barsRead;
      s.barsInserted = message.barsInserted;
      task.progress = message.progress * 100;
      if (message.type === 'file') {
        s.results.push(message.result);
        task.message = `${s.filesDone}/${s.filesTotal} files, ${s.barsInserted} bars written`;
      }
      break;
    default:
      // done/fatal/cancelled end the run: the worker's outcome says how.
      break;
  }
}

function settle(summary: ImportSummary): TaskError | undefined {
  if (summary.filesFailed === 0) return undefined;
  const n = summary.filesTotal;
  return { code: ErrorCodes.IMPORT_FILE_INVALID.code, message: `${summary.filesFailed} of ${n} file${n === 1 ? '' : 's'} could not be imported` };
}

export function importKind(workerPath: string, onFinished?: (task: Task) => void): TaskKindDefinition<ImportTaskParams, ImportSummary, JobMessage> {
  return {
    name: 'import',
    workerPath,
    lane: 'writer',
    checkParams,
    initialSummary: (params) => ({ importKind: params.importKind, source: params.source, filesTotal: 0, filesDone: 0, filesFailed: 0, barsRead: 0, barsInserted: 0, results: [] }),
    apply,
    settle,
    brief: briefSummary,
    ...(onFinished ? { onFinished } : {}),
  };
}

/** An import task as the Data Manager's endpoints show it (progress 0..1). */
export function toImportTask(task: Task): ImportTask {
  const s = task.summary as ImportSummary;
  return {
    id: task.id,
    kind: s.importKind,
    state: task.state,
    source: s.source,
    progress: task.progress / 100,
    filesTotal: s.filesTotal,
    filesDone: s.filesDone,
    filesFailed: s.filesFailed,
    barsRead: s.barsRead,
    barsInserted: s.barsInserted,
    createdAt: task.createdAt,
    ...(task.finishedAt ? { finishedAt: task.finishedAt } : {}),
    ...(task.error ? { error: task.error } : {}),
    results: s.results,
  };
}
