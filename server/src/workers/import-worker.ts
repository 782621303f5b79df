/**
 * Worker entry of `import` tasks (modules/data/import-kind.ts), run by the task pool's writer lane
 * (platform/tasks): opens its own connection to the cache (WAL lets the main thread keep reading),
 * runs the job and posts its messages; the main thread keeps the task and publishes its progress.
 *
 * Loaded as `import workerPath from './import-worker?modulePath'`: electron-vite builds it as its own
 * chunk and hands over the chunk's path; Vitest maps the import to this file (vitest.config.ts);
 * plain tsx (benches) loads this module and takes the default export below, its own path. piscina
 * calls the `handler` export; importing this module does nothing else.
 */
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../platform/db/database';
import { taskWorker } from '../platform/tasks/worker';
import type { TaskOutcome } from '../platform/tasks/types';
import { runImportJob, type JobMessage } from '../modules/data/import-job';
import type { ImportTaskParams } from '../modules/data/import-kind';

export const handler = taskWorker<ImportTaskParams>(({ params, dbFile, nativeBinding, signal, post }): TaskOutcome => {
  let db;
  try {
    db = openDatabase(dbFile, nativeBinding ? { nativeBinding } : {});
  } catch (err) {
    return { state: 'failed', error: { code: 'DATABASE_ERROR', message: `cannot open the cache: ${(err as Error).message}` } };
  }
  try {
    let outcome: TaskOutcome = { state: 'succeeded' };
    runImportJob(
      db,
      params.spec,
      (message: JobMessage) => {
        if (message.type === 'fatal') outcome = { state: 'failed', error: { code: message.code, message: message.message } };
        post(message);
      },
      signal,
    );
    return outcome;
  } finally {
    db.close();
  }
});

const workerPath: string = fileURLToPath(import.meta.url);
export default workerPath;
