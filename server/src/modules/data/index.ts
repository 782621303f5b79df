/**
 * The data module: imports (TDX vipdoc folders and files, TDX export text, CSV) run as `import`
 * tasks of the task platform (import-kind.ts, registered here), the CSV preview, the cache's
 * coverage and deleting cached bars, and the first-launch import of the bundled sample data.
 */
import { homedir } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import workerPath from '../../workers/import-worker?modulePath';
import type { Db } from '../../platform/db/database';
import type { Module } from '../../platform/module';
import type { TaskService } from '../../platform/tasks/service';
import type { MarketRepository } from '../market/repository';
import { importKind, type ImportTaskParams } from './import-kind';
import { ImportRoots } from './roots';
import { registerDataRoutes } from './routes';
import { SampleState, sampleJob } from './sample';

export interface DataDeps {
  db: Db;
  dataDir: string;
  log: FastifyBaseLogger;
  market: MarketRepository;
  tasks: TaskService;
  /** Allowed roots for paths from the user; default: the home directory. The data and sample folders are always allowed. */
  importRoots?: string[];
  /** resources/sample-data: imported on first launch when given. */
  sampleDataDir?: string;
}

export function createDataModule(deps: DataDeps): Module {
  const roots = new ImportRoots([...(deps.importRoots ?? [homedir()]), deps.dataDir, ...(deps.sampleDataDir ? [deps.sampleDataDir] : [])]);
  const sample = new SampleState(deps.db);
  deps.tasks.register(
    importKind(workerPath, (task) => {
      const version = (task.params as ImportTaskParams).sampleVersion;
      if (task.state === 'succeeded' && version !== undefined) sample.markImported(version);
    }),
  );
  const sampleDataDir = deps.sampleDataDir;
  return {
    services: {},
    routes: (app) => registerDataRoutes(app, { tasks: deps.tasks, roots, market: deps.market }),
    start: sampleDataDir ? () => startSampleImport(deps, sample, sampleDataDir) : undefined,
  };
}

/** Queues the sample import on first launch (never waits for it). */
function startSampleImport(deps: DataDeps, state: SampleState, dir: string): void {
  if (state.imported() || deps.market.hasInstruments()) return;
  let job: ReturnType<typeof sampleJob>;
  try {
    job = sampleJob(dir);
  } catch (err) {
    deps.log.warn({ module: 'data', err, dir }, 'sample data manifest unreadable; not importing it');
    return;
  }
  if (!job) {
    deps.log.warn({ module: 'data', dir }, 'no sample data found; not importing it');
    return;
  }
  const params: ImportTaskParams = { importKind: 'sample', source: dir, spec: job.spec, sampleVersion: job.manifest.version };
  const task = deps.tasks.submit('import', params);
  deps.log.info({ module: 'data', task: task.id, dir }, 'importing the bundled sample data');
}
