/**
 * The data module: imports (TDX vipdoc folders and files, TDX export text, CSV) run as tasks in a
 * worker thread, the CSV preview, the cache's coverage and deleting cached bars, and the
 * first-launch import of the bundled sample data.
 */
import { homedir } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import workerPath from '../../workers/import-worker?modulePath';
import type { EventBus } from '../../platform/bus';
import type { Db } from '../../platform/db/database';
import type { Module } from '../../platform/module';
import type { SseHub } from '../../platform/sse/hub';
import type { MarketRepository } from '../market/repository';
import { ImportService } from './import-service';
import { ImportRoots } from './roots';
import { registerDataRoutes } from './routes';
import { SampleState, sampleJob } from './sample';

export interface DataDeps {
  db: Db;
  dbFile: string;
  dataDir: string;
  bus: EventBus;
  hub: SseHub;
  log: FastifyBaseLogger;
  market: MarketRepository;
  nativeBinding?: string;
  /** Allowed roots for paths from the user; default: the home directory. The data and sample folders are always allowed. */
  importRoots?: string[];
  /** resources/sample-data: imported on first launch when given. */
  sampleDataDir?: string;
}

export function createDataModule(deps: DataDeps): Module<{ imports: ImportService }> {
  const roots = new ImportRoots([...(deps.importRoots ?? [homedir()]), deps.dataDir, ...(deps.sampleDataDir ? [deps.sampleDataDir] : [])]);
  const imports = new ImportService({ dbFile: deps.dbFile, nativeBinding: deps.nativeBinding, bus: deps.bus, log: deps.log, workerPath });
  const sampleDataDir = deps.sampleDataDir;
  return {
    services: { imports },
    routes: (app) => registerDataRoutes(app, { imports, roots, market: deps.market, hub: deps.hub }),
    start: sampleDataDir ? () => startSampleImport(deps, imports, sampleDataDir) : undefined,
    close: () => imports.close(),
  };
}

/** Queues the sample import on first launch (never waits for it). */
function startSampleImport(deps: DataDeps, imports: ImportService, dir: string): void {
  const state = new SampleState(deps.db);
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
  const version = job.manifest.version;
  const task = imports.submit('sample', dir, job.spec, (finished) => {
    if (finished.state === 'succeeded') state.markImported(version);
  });
  deps.log.info({ module: 'data', task: task.id, dir }, 'importing the bundled sample data');
}
