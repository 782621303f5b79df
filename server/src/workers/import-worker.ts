/**
 * worker_threads entry of import tasks: opens its own connection to the cache (WAL lets the main
 * thread keep reading), runs the job and posts its messages; the main thread keeps the task record
 * and publishes progress on the bus (modules/data/import-service.ts).
 *
 * Loaded as `import workerPath from './import-worker?modulePath'`: electron-vite builds it as its own
 * chunk and hands over the chunk's path; Vitest maps the import to this file (vitest.config.ts);
 * plain tsx loads this module and takes the default export below. Importing it does nothing else.
 */
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../platform/db/database';
import { runImportJob, type ImportJobSpec, type JobMessage } from '../modules/data/import-job';

export interface ImportWorkerData {
  kind: 'mystocks-import';
  dbFile: string;
  nativeBinding?: string;
  spec: ImportJobSpec;
}

function run(data: ImportWorkerData): void {
  const port = parentPort!;
  const post = (message: JobMessage) => port.postMessage(message);
  let db;
  try {
    db = openDatabase(data.dbFile, data.nativeBinding ? { nativeBinding: data.nativeBinding } : {});
  } catch (err) {
    post({ type: 'fatal', code: 'DATABASE_ERROR', message: `cannot open the cache: ${(err as Error).message}` });
    return;
  }
  try {
    runImportJob(db, data.spec, post);
  } catch (err) {
    post({ type: 'fatal', code: 'INTERNAL_ERROR', message: (err as Error).message });
  } finally {
    db.close();
  }
}

if (!isMainThread && (workerData as Partial<ImportWorkerData> | null)?.kind === 'mystocks-import') run(workerData as ImportWorkerData);

const workerPath: string = fileURLToPath(import.meta.url);
export default workerPath;
