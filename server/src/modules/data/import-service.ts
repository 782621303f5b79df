/**
 * Import tasks of this launch: a queue (one import at a time: SQLite has one writer), each task run
 * in a worker_threads worker with its own connection (the main thread, which also runs the window,
 * never parses or writes a big file), the task record kept here and published on the bus topic
 * `tasks` as `task` events: every state change, progress at most 10 times a second per task, and
 * always the final state.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import type { components } from '../../../../contracts/gen/api';
import { ErrorCodes } from '../../../../contracts/gen/error-codes';
import type { EventBus } from '../../platform/bus';
import type { ImportWorkerData } from '../../workers/import-worker';
import type { ImportJobSpec, JobMessage } from './import-job';

export type ImportTask = components['schemas']['ImportTask'];
export type ImportKind = components['schemas']['ImportKind'];

/** Minimum gap between two progress events of a task on the bus (10/s). */
export const PUBLISH_INTERVAL_MS = 100;
/** Tasks kept for the list (oldest finished ones go first). */
const MAX_TASKS = 50;
/** Failed files carried by events and the list (the task itself has every result). */
const MAX_SUMMARY_RESULTS = 50;

export interface ImportServiceOptions {
  dbFile: string;
  nativeBinding?: string;
  bus: EventBus;
  log: FastifyBaseLogger;
  /** The worker module: the built chunk, or the .ts source under Vitest/tsx. */
  workerPath: string;
}

interface TaskRecord {
  task: ImportTask;
  spec: ImportJobSpec;
  startedAt?: number;
  lastPublish: number;
  timer?: NodeJS.Timeout;
  done: Promise<ImportTask>;
  resolve: (task: ImportTask) => void;
  onFinished?: (task: ImportTask) => void;
}

/** The task with only its failed files (at most 50): what events and the list carry. */
export function summarize(task: ImportTask): ImportTask {
  return { ...task, results: task.results.filter((r) => r.status === 'failed').slice(0, MAX_SUMMARY_RESULTS) };
}

export class ImportService {
  private readonly records = new Map<string, TaskRecord>();
  private readonly queue: TaskRecord[] = [];
  private running?: { record: TaskRecord; worker: Worker };
  private closed = false;

  constructor(private readonly options: ImportServiceOptions) {}

  /** Queues an import; answers at once with the queued task. */
  submit(kind: ImportKind, source: string, spec: ImportJobSpec, onFinished?: (task: ImportTask) => void): ImportTask {
    if (this.closed) throw new Error('the import service is closed');
    const task: ImportTask = {
      id: randomUUID(),
      kind,
      state: 'queued',
      source,
      progress: 0,
      filesTotal: 0,
      filesDone: 0,
      filesFailed: 0,
      barsRead: 0,
      barsInserted: 0,
      createdAt: new Date().toISOString(),
      results: [],
    };
    let resolve!: (t: ImportTask) => void;
    const done = new Promise<ImportTask>((r) => (resolve = r));
    const record: TaskRecord = { task, spec, lastPublish: 0, done, resolve, onFinished };
    this.records.set(task.id, record);
    this.prune();
    this.queue.push(record);
    this.publish(record, true);
    setImmediate(() => this.next());
    return structuredClone(task);
  }

  /** Newest first, each with only its failed files. */
  list(): ImportTask[] {
    return [...this.records.values()].reverse().map((r) => summarize(r.task));
  }

  get(id: string): ImportTask | undefined {
    const record = this.records.get(id);
    return record ? structuredClone(record.task) : undefined;
  }

  /** Resolves with the final task (tests, the sample import). */
  async wait(id: string): Promise<ImportTask> {
    const record = this.records.get(id);
    if (!record) throw new Error(`no import task ${id}`);
    return structuredClone(await record.done);
  }

  /** Stops the running worker (its open transaction rolls back) and fails what is queued. */
  async close(): Promise<void> {
    this.closed = true;
    for (const record of this.queue.splice(0)) this.finish(record, 'failed', { code: ErrorCodes.SERVICE_UNAVAILABLE.code, message: 'the server stopped before the import ran' });
    const running = this.running;
    if (running) {
      this.finish(running.record, 'failed', { code: ErrorCodes.SERVICE_UNAVAILABLE.code, message: 'the server stopped during the import' });
      await running.worker.terminate();
    }
  }

  private prune(): void {
    if (this.records.size <= MAX_TASKS) return;
    for (const [id, record] of this.records) {
      if (this.records.size <= MAX_TASKS) break;
      if (record.task.state === 'succeeded' || record.task.state === 'failed') this.records.delete(id);
    }
  }

  private next(): void {
    if (this.running || this.closed) return;
    const record = this.queue.shift();
    if (!record) return;
    const { task } = record;
    task.state = 'running';
    record.startedAt = performance.now();
    this.publish(record, true);
    const workerData: ImportWorkerData = {
      kind: 'mystocks-import',
      dbFile: this.options.dbFile,
      ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
      spec: record.spec,
    };
    let worker: Worker;
    try {
      worker = startWorker(this.options.workerPath, workerData);
    } catch (err) {
      this.finish(record, 'failed', { code: ErrorCodes.INTERNAL_ERROR.code, message: `cannot start the import worker: ${(err as Error).message}` });
      setImmediate(() => this.next());
      return;
    }
    this.running = { record, worker };
    worker.on('message', (message: JobMessage) => this.onMessage(record, message));
    worker.on('error', (err) => {
      this.options.log.error({ module: 'data', err, task: task.id }, 'import worker failed');
      this.finish(record, 'failed', { code: ErrorCodes.INTERNAL_ERROR.code, message: `the import worker failed: ${err.message}` });
    });
    worker.on('exit', (code) => {
      this.finish(record, 'failed', { code: ErrorCodes.INTERNAL_ERROR.code, message: `the import worker stopped unexpectedly (exit code ${code})` });
      if (this.running?.record === record) this.running = undefined;
      this.next();
    });
  }

  private onMessage(record: TaskRecord, message: JobMessage): void {
    const { task } = record;
    if (task.state !== 'running') return;
    switch (message.type) {
      case 'start':
        task.filesTotal = message.filesTotal;
        this.publish(record, false);
        break;
      case 'progress':
      case 'file': {
        task.filesDone = message.filesDone;
        task.filesFailed = message.filesFailed;
        task.barsRead = message.barsRead;
        task.barsInserted = message.barsInserted;
        task.progress = Math.max(task.progress, message.progress);
        if (message.type === 'file') task.results.push(message.result);
        this.publish(record, false);
        break;
      }
      case 'fatal':
        this.finish(record, 'failed', { code: ErrorCodes[message.code].code, message: message.message });
        break;
      case 'done':
        if (task.filesFailed > 0) {
          const message = `${task.filesFailed} of ${task.filesTotal} file${task.filesTotal === 1 ? '' : 's'} could not be imported`;
          this.finish(record, 'failed', { code: ErrorCodes.IMPORT_FILE_INVALID.code, message });
        } else {
          this.finish(record, 'succeeded');
        }
        break;
    }
  }

  private finish(record: TaskRecord, state: 'succeeded' | 'failed', error?: { code: number; message: string }): void {
    const { task } = record;
    if (task.state === 'succeeded' || task.state === 'failed') return;
    task.state = state;
    if (state === 'succeeded') task.progress = 1;
    if (error) task.error = error;
    task.finishedAt = new Date().toISOString();
    const ms = record.startedAt === undefined ? 0 : Math.round(performance.now() - record.startedAt);
    this.options.log[state === 'succeeded' ? 'info' : 'warn'](
      { module: 'data', task: task.id, kind: task.kind, files: task.filesTotal, failed: task.filesFailed, bars: task.barsRead, inserted: task.barsInserted, ms, error: task.error?.message },
      `import ${state}`,
    );
    this.publish(record, true);
    record.resolve(structuredClone(task));
    try {
      record.onFinished?.(structuredClone(task));
    } catch (err) {
      this.options.log.error({ module: 'data', err, task: task.id }, 'import completion handler failed');
    }
  }

  /** State changes go out at once; progress at most every PUBLISH_INTERVAL_MS, the latest winning. */
  private publish(record: TaskRecord, immediate: boolean): void {
    const now = performance.now();
    const wait = record.lastPublish + PUBLISH_INTERVAL_MS - now;
    if (immediate || wait <= 0) {
      if (record.timer) clearTimeout(record.timer);
      record.timer = undefined;
      record.lastPublish = now;
      this.options.bus.publish('tasks', 'task', summarize(record.task));
      return;
    }
    record.timer ??= setTimeout(() => {
      record.timer = undefined;
      if (record.task.state === 'running') this.publish(record, true);
    }, wait);
  }
}

/**
 * Starts the worker module. A built chunk (.js) runs as is. A .ts source (Vitest, tsx) cannot: in a
 * worker, Node 20 ignores `--import tsx` for the entry, so a tiny bootstrap registers tsx's ESM
 * hooks in the worker first and then imports the source.
 */
export function startWorker(workerPath: string, workerData: unknown): Worker {
  if (!workerPath.endsWith('.ts')) return new Worker(workerPath, { workerData });
  const require = createRequire(import.meta.url);
  const tsxApi = pathToFileURL(path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(workerPath).href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, execArgv: [] });
}
