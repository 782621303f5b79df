/**
 * Data module routes, HTTP only: imports queued as `import` tasks and answered with 202, the CSV
 * preview, the import tasks (a view of the task platform's), the cache's coverage and deleting
 * cached bars.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { defineRoute } from '../../platform/contract';
import { AppError } from '../../platform/errors';
import type { TaskService } from '../../platform/tasks/service';
import type { MarketRepository } from '../market/repository';
import { checkCsvOptions, previewCsv } from '../../engine/import/csv';
import { importProblemText } from '../../engine/import/problem';
import { tdxFileInfo } from '../../engine/import/tdx-binary';
import { decode, guessEncoding } from './decode';
import type { ImportRoots } from './roots';
import { toImportTask, type ImportKind, type ImportTask, type ImportTaskParams } from './import-kind';
import type { ImportJobSpec } from './import-job';

export interface DataRoutesDeps {
  tasks: TaskService;
  roots: ImportRoots;
  market: MarketRepository;
}

/** The import tasks the Data Manager lists (the newest of them). */
const IMPORT_LIST_SIZE = 50;

/** How much of a CSV file the preview reads. */
const PREVIEW_BYTES = 256 * 1024;

export function registerDataRoutes(app: FastifyInstance, deps: DataRoutesDeps): void {
  const { tasks, roots, market } = deps;
  const submit = (importKind: ImportKind, source: string, spec: ImportJobSpec): ImportTask =>
    toImportTask(tasks.submit('import', { importKind, source, spec } satisfies ImportTaskParams));

  defineRoute(app, 'importTdx', async (request) => {
    const checked = await roots.check(request.body.path);
    if (!checked.isDirectory && !tdxFileInfo(path.basename(checked.path))) {
      throw new AppError('IMPORT_FILE_INVALID', [{ field: 'body.path', message: importProblemText('tdxFileName', { fileName: path.basename(checked.path) }) }]);
    }
    return submit('tdx', checked.path, { sources: [{ kind: 'tdx', path: checked.path }] });
  });

  defineRoute(app, 'importTdxExport', async (request) => {
    const checked = await roots.check(request.body.path);
    return submit('tdx-export', checked.path, { sources: [{ kind: 'tdx-export', path: checked.path }] });
  });

  defineRoute(app, 'previewCsv', async (request) => {
    const checked = await roots.check(request.body.path);
    if (checked.isDirectory) throw new AppError('IMPORT_FILE_INVALID', [{ field: 'body.path', message: `${checked.path} is a folder` }]);
    const bytes = await readHead(checked.path, Math.min(checked.size, PREVIEW_BYTES), checked.size > PREVIEW_BYTES);
    const encoding = request.body.encoding ?? 'utf-8';
    const preview = previewCsv(decode(bytes, encoding), request.body.rows ?? 20);
    return {
      path: checked.path,
      encoding,
      delimiter: preview.delimiter,
      columns: preview.columns,
      rows: preview.rows,
      ...(preview.mapping ? { suggestedMapping: preview.mapping } : {}),
      ...(preview.dateFormat ? { suggestedDateFormat: preview.dateFormat } : {}),
      suggestedHeaderRows: preview.headerRows,
      suggestedEncoding: guessEncoding(bytes),
    };
  });

  defineRoute(app, 'importCsv', async (request) => {
    const body = request.body;
    const csv = {
      symbol: body.symbol,
      ...(body.name ? { name: body.name } : {}),
      period: body.period,
      adjust: body.adjust ?? 'none',
      mapping: body.mapping,
      encoding: body.encoding ?? 'utf-8',
      delimiter: body.delimiter ?? ',',
      headerRows: body.headerRows ?? 1,
      dateFormat: body.dateFormat ?? 'YYYY-MM-DD',
      volumeUnit: body.volumeUnit ?? 'shares',
      amountUnit: body.amountUnit ?? 'yuan',
    } as const;
    const invalid = checkCsvOptions(csv);
    if (invalid) throw new AppError('VALIDATION_ERROR', [{ field: `body.${invalid.field}`, message: invalid.message }]);
    const checked = await roots.check(body.path);
    if (checked.isDirectory) throw new AppError('IMPORT_FILE_INVALID', [{ field: 'body.path', message: `${checked.path} is a folder; give one CSV file` }]);
    return submit('csv', checked.path, { sources: [{ kind: 'csv', path: checked.path, csv }] });
  });

  defineRoute(app, 'listImportTasks', () => tasks.list({ kind: 'import' }, 1, IMPORT_LIST_SIZE).items.map(toImportTask));

  defineRoute(app, 'getImportTask', (request) => {
    const task = tasks.get(request.params.id);
    if (!task || task.kind !== 'import') throw new AppError('NOT_FOUND', [{ field: 'params.id', message: `no import task ${request.params.id}` }]);
    return toImportTask(task);
  });

  defineRoute(app, 'getCoverage', (request) => market.coverage(request.query.symbol, request.query.period));

  defineRoute(app, 'deleteBars', (request) => ({ deleted: market.deleteBars(request.query.symbol, request.query.period, request.query.adjust) }));
}

async function readHead(file: string, length: number, partial: boolean): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    const head = buffer.subarray(0, bytesRead);
    if (!partial) return head;
    // Cut after the last complete line: no half row, no half character.
    const lastNewline = head.lastIndexOf(0x0a);
    return lastNewline > 0 ? head.subarray(0, lastNewline + 1) : head;
  } finally {
    await handle.close();
  }
}
