/** Thin typed calls for the data module (imports, coverage, deleting cached bars). */
import type { components, operations } from '@contracts/gen/api';
import { ErrorCodes } from '@contracts/gen/error-codes';
import { api, quietly, unwrap } from './client';
import type { CallOptions } from './market';

export type ImportTask = components['schemas']['ImportTask'];
export type ImportKind = components['schemas']['ImportKind'];
export type ImportFileResult = components['schemas']['ImportFileResult'];
export type FileProblem = components['schemas']['FileProblem'];
export type TaskState = components['schemas']['TaskState'];
/** A task of the task platform, as `task` events carry it (any kind). */
export type Task = components['schemas']['Task'];
export type ImportSummary = components['schemas']['ImportSummary'];
export type CsvPreview = components['schemas']['CsvPreview'];
export type CsvImportRequest = components['schemas']['CsvImportRequest'];
export type CsvColumnMapping = components['schemas']['CsvColumnMapping'];
export type Encoding = components['schemas']['Encoding'];
export type Coverage = components['schemas']['Coverage'];
export type CsvPreviewRequest = operations['previewCsv']['requestBody']['content']['application/json'];
export type DeleteBarsQuery = operations['deleteBars']['parameters']['query'];

/**
 * Errors about what the user typed (a path outside the allowed folders, a missing file, a bad
 * mapping): the import wizard shows them next to the field, so they are not also a toast.
 */
const INPUT_ERRORS = [
  ErrorCodes.VALIDATION_ERROR.code,
  ErrorCodes.NOT_FOUND.code,
  ErrorCodes.SYMBOL_INVALID.code,
  ErrorCodes.IMPORT_FILE_INVALID.code,
  ErrorCodes.PATH_NOT_ALLOWED.code,
];
const middleware = [quietly(INPUT_ERRORS)];

/** A TDX vipdoc folder, or one .day/.lc1/.lc5 file. */
export function importTdx(path: string): Promise<ImportTask> {
  return unwrap(api.POST('/api/data/import/tdx', { body: { path }, middleware }));
}

/** TDX "export" text files (a folder of them, or one). */
export function importTdxExport(path: string): Promise<ImportTask> {
  return unwrap(api.POST('/api/data/import/tdx-export', { body: { path }, middleware }));
}

export function previewCsv(body: CsvPreviewRequest): Promise<CsvPreview> {
  return unwrap(api.POST('/api/data/import/csv/preview', { body, middleware }));
}

export function importCsv(body: CsvImportRequest): Promise<ImportTask> {
  return unwrap(api.POST('/api/data/import/csv', { body, middleware }));
}

/** Import tasks of this server launch, newest first (each with only its failed files). */
export function listImportTasks(options: CallOptions = {}): Promise<ImportTask[]> {
  return unwrap(api.GET('/api/data/imports', { signal: options.signal }));
}

/** One task with every per-file result. */
export function getImportTask(id: string, options: CallOptions = {}): Promise<ImportTask> {
  return unwrap(api.GET('/api/data/imports/{id}', { params: { path: { id } }, signal: options.signal }));
}

export function getCoverage(query: operations['getCoverage']['parameters']['query'] = {}): Promise<Coverage[]> {
  return unwrap(api.GET('/api/data/coverage', { params: { query } }));
}

/** Deletes the cached bars of one instrument (one period and adjustment, or all); answers how many went. */
export async function deleteBars(query: DeleteBarsQuery): Promise<number> {
  return (await unwrap(api.DELETE('/api/data/bars', { params: { query } }))).deleted;
}

/** A `task` event as the Data Manager shows imports (progress 0..1); undefined for other kinds. */
export function importTaskOf(task: Task): ImportTask | undefined {
  if (task.kind !== 'import') return undefined;
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
