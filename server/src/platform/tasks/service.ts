/**
 * The task service (docs/ARCHITECTURE.md, "The long-work path"): persisted tasks of every kind,
 * queued per lane and run in the worker pool (pool.ts), cancelled through a shared flag the job
 * reads in its loop, retried, listed, pruned by the retention rule, and published on the bus topic
 * `tasks` as `task` events — every state change, progress at most 10 times a second per task, and
 * always the final state.
 *
 * Rows are written on state changes only; the progress of a running task lives here (what
 * get/list answer) and is not written while its worker may hold the write lock. Tasks found queued
 * or running when the service starts were cut off by a stop: they are marked `interrupted`.
 */
import { randomUUID } from 'node:crypto';
import { MessageChannel } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import type { Piscina } from 'piscina';
import { ErrorCodes } from '../../../../contracts/gen/error-codes';
import type { EventBus } from '../bus';
import type { Db } from '../db/database';
import { AppError } from '../errors';
import { createLanePool, defaultReadThreads } from './pool';
import { TaskStore, type TaskFilter } from './store';
import { isFinal, RETRYABLE_STATES, type Lane, type Task, type TaskError, type TaskKindDefinition, type TaskKindName, type TaskOutcome, type TaskProgress, type TaskStats } from './types';
import { TASK_HANDLER_EXPORT, type EndMessage, type TaskRun } from './worker';

/** Minimum gap between two progress events of a task on the bus (10/s). */
export const PUBLISH_INTERVAL_MS = 100;

/** The retention rule: finished tasks kept per kind, and for how long. */
export const RETENTION = { keepPerKind: 200, maxAgeDays: 30 } as const;

export interface TaskServiceOptions {
  db: Db;
  dbFile: string;
  nativeBinding?: string;
  bus: EventBus;
  log: FastifyBaseLogger;
  /** The clock (Unix ms) of createdAt/startedAt/finishedAt and the retention rule. */
  now?: () => number;
  /** Threads of the read lane (default: availableParallelism() - 1, at least 1). */
  readThreads?: number;
  /** Keep one thread per lane started with its module loaded once start() ran (default true). */
  warm?: boolean;
  retention?: { keepPerKind?: number; maxAgeDays?: number };
  /** How long a cancelled or stopping job may take to reach its next check before its thread is terminated. */
  stopGraceMs?: number;
}

type AnyKind = TaskKindDefinition<object, object, unknown>;

interface Live {
  task: Task;
  kind: AnyKind;
  lastPublish: number;
  timer?: NodeJS.Timeout;
  done: Promise<Task>;
  resolve(task: Task): void;
  /** Set while running. */
  cancelFlag?: Int32Array;
  abort?: AbortController;
  graceTimer?: NodeJS.Timeout;
  cancelRequested?: boolean;
  /** The server is stopping: a run cut short ends `interrupted`. */
  stopping?: boolean;
  /** Settles when the run has finished (running tasks). */
  settled?: Promise<void>;
  startedAt?: number;
}

interface LaneState {
  queue: Live[];
  running: Set<Live>;
  maxThreads: number;
  pool?: Piscina;
}

const clone = <T>(v: T): T => structuredClone(v);

export class TaskService {
  private readonly store: TaskStore;
  private readonly kinds = new Map<TaskKindName, AnyKind>();
  private readonly live = new Map<string, Live>();
  private readonly lanes: Record<Lane, LaneState>;
  private readonly now: () => number;
  private started = false;
  private closed = false;

  constructor(private readonly options: TaskServiceOptions) {
    this.store = new TaskStore(options.db);
    this.now = options.now ?? Date.now;
    this.lanes = {
      writer: { queue: [], running: new Set(), maxThreads: 1 },
      read: { queue: [], running: new Set(), maxThreads: options.readThreads ?? defaultReadThreads() },
    };
    this.recover();
  }

  /** Registers a kind: its name, worker module, lane, params check and summary (see types.ts). */
  register<P extends object, S extends object, M>(kind: TaskKindDefinition<P, S, M>): void {
    if (this.kinds.has(kind.name)) throw new Error(`task kind ${kind.name} is already registered`);
    this.kinds.set(kind.name, kind as unknown as AnyKind);
    if (this.started) this.warmLane(kind.lane);
  }

  /** Starts the warm threads (called once the server is ready). */
  start(): void {
    this.started = true;
    for (const lane of ['writer', 'read'] as const) this.warmLane(lane);
  }

  /** Queues a task; answers at once with it (its summary as events carry it). */
  submit(kindName: TaskKindName, rawParams: unknown): Task {
    if (this.closed) throw new AppError('SERVICE_UNAVAILABLE', [{ message: 'the server is stopping' }]);
    const kind = this.kind(kindName);
    const params = kind.checkParams(rawParams);
    const task: Task = {
      id: randomUUID(),
      kind: kind.name,
      state: 'queued',
      progress: 0,
      phase: 'queued',
      message: '',
      params: params as Task['params'],
      summary: kind.initialSummary(params) as Task['summary'],
      attempts: 1,
      createdAt: this.iso(),
    };
    this.store.insert(task);
    this.enqueue(task, kind);
    return this.brief(task, kind);
  }

  /** One task, with its whole summary. */
  get(id: string): Task | undefined {
    const live = this.live.get(id);
    return live ? clone(live.task) : this.store.get(id);
  }

  /** Newest first; summaries as events carry them. */
  list(filter: TaskFilter = {}, page = 1, pageSize = 100): { items: Task[]; pagination: { page: number; pageSize: number; total: number } } {
    const { items, total } = this.store.list(filter, page, pageSize);
    return {
      items: items.map((stored) => {
        const live = this.live.get(stored.id);
        const task = live ? live.task : stored;
        const kind = this.kinds.get(task.kind);
        return kind ? this.brief(task, kind) : task;
      }),
      pagination: { page, pageSize, total },
    };
  }

  stats(): TaskStats {
    const byState = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0, interrupted: 0 };
    const byKind = new Map<string, { kind: TaskKindName; total: number; byState: Record<string, number> }>();
    let total = 0;
    for (const { kind, state, n } of this.store.counts()) {
      total += n;
      byState[state as keyof typeof byState] += n;
      const entry = byKind.get(kind) ?? { kind: kind as TaskKindName, total: 0, byState: {} };
      entry.total += n;
      entry.byState[state] = n;
      byKind.set(kind, entry);
    }
    const lanes = (['writer', 'read'] as const).map((lane) => {
      const s = this.lanes[lane];
      return { lane, threads: s.pool?.threads.length ?? 0, maxThreads: s.maxThreads, running: s.running.size, queued: s.queue.length };
    });
    return { total, byState, byKind: [...byKind.values()], lanes };
  }

  /** Cancels a queued task at once; asks a running one to stop (it ends `cancelled` when its job does). */
  cancel(id: string): Task {
    const live = this.live.get(id);
    if (!live) {
      if (!this.store.get(id)) throw new AppError('TASK_NOT_FOUND', [{ field: 'params.id', message: `no task ${id}` }]);
      throw new AppError('TASK_NOT_CANCELLABLE', [{ field: 'params.id', message: `task ${id} has finished` }]);
    }
    if (live.task.state === 'queued') {
      const queue = this.lanes[live.kind.lane].queue;
      queue.splice(queue.indexOf(live), 1);
      this.finish(live, { state: 'cancelled' });
      return clone(live.task);
    }
    this.requestStop(live);
    live.task.phase = 'cancelling';
    this.publish(live, true);
    return clone(live.task);
  }

  /** Queues a failed, cancelled or interrupted task again: same id and params, attempts + 1. */
  retry(id: string): Task {
    if (this.closed) throw new AppError('SERVICE_UNAVAILABLE', [{ message: 'the server is stopping' }]);
    if (this.live.has(id)) throw new AppError('TASK_NOT_RETRYABLE', [{ field: 'params.id', message: `task ${id} has not finished` }]);
    const stored = this.store.get(id);
    if (!stored) throw new AppError('TASK_NOT_FOUND', [{ field: 'params.id', message: `no task ${id}` }]);
    if (!RETRYABLE_STATES.has(stored.state)) throw new AppError('TASK_NOT_RETRYABLE', [{ field: 'params.id', message: `task ${id} ${stored.state}` }]);
    const kind = this.kind(stored.kind);
    const params = kind.checkParams(stored.params);
    const task: Task = {
      ...stored,
      state: 'queued',
      progress: 0,
      phase: 'queued',
      message: '',
      summary: kind.initialSummary(params) as Task['summary'],
      attempts: stored.attempts + 1,
    };
    delete task.error;
    delete task.startedAt;
    delete task.finishedAt;
    this.store.update(task);
    this.enqueue(task, kind);
    return this.brief(task, kind);
  }

  /** Forgets a finished task. */
  delete(id: string): void {
    if (this.live.has(id)) throw new AppError('TASK_NOT_FINISHED', [{ field: 'params.id', message: `task ${id} has not finished` }]);
    if (!this.store.delete(id)) throw new AppError('TASK_NOT_FOUND', [{ field: 'params.id', message: `no task ${id}` }]);
  }

  /** Resolves with the final task (tests, the sample import). */
  async wait(id: string): Promise<Task> {
    const live = this.live.get(id);
    if (live) return clone(await live.done);
    const stored = this.store.get(id);
    if (!stored) throw new Error(`no task ${id}`);
    return stored;
  }

  /**
   * Stops: queued tasks and running ones end `interrupted` (retryable after the next start); a
   * running job is asked to stop (its open transaction rolls back) and its thread terminated if it
   * does not within the grace time; then the pool goes.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const lane of Object.values(this.lanes)) {
      for (const live of lane.queue.splice(0)) this.finish(live, { state: 'failed', error: { code: 'SERVICE_UNAVAILABLE', message: 'the server stopped before the task ran' } }, 'interrupted');
      for (const live of lane.running) {
        live.stopping = true;
        this.requestStop(live);
      }
    }
    const settled = Object.values(this.lanes).flatMap((lane) => [...lane.running].map((l) => l.settled));
    await Promise.all(settled);
    await Promise.all(Object.values(this.lanes).map((lane) => lane.pool?.destroy()));
  }

  // -------------------------------------------------------------------------------------------

  private kind(name: TaskKindName): AnyKind {
    const kind = this.kinds.get(name);
    if (!kind) throw new AppError('TASK_NOT_RETRYABLE', [{ message: `no task kind ${name} in this version` }]);
    return kind;
  }

  private iso(): string {
    return new Date(this.now()).toISOString();
  }

  private brief(task: Task, kind: AnyKind): Task {
    const copy = clone(task);
    if (kind.brief) copy.summary = kind.brief(copy.summary) as Task['summary'];
    return copy;
  }

  /** Tasks a stopped server left queued or running are interrupted; then the retention rule. */
  private recover(): void {
    for (const task of this.store.unfinished()) {
      task.state = 'interrupted';
      task.phase = 'interrupted';
      task.finishedAt = this.iso();
      task.error = { code: ErrorCodes.SERVICE_UNAVAILABLE.code, message: 'the server stopped before the task finished' };
      this.store.update(task);
      this.options.log.warn({ module: 'tasks', task: task.id, kind: task.kind }, 'task interrupted by a stop; it can be retried');
    }
    this.prune();
  }

  private prune(): void {
    const keepPerKind = this.options.retention?.keepPerKind ?? RETENTION.keepPerKind;
    const maxAgeDays = this.options.retention?.maxAgeDays ?? RETENTION.maxAgeDays;
    const before = new Date(this.now() - maxAgeDays * 86_400_000).toISOString();
    this.store.prune(before, keepPerKind);
  }

  private enqueue(task: Task, kind: AnyKind): void {
    let resolve!: (t: Task) => void;
    const done = new Promise<Task>((r) => (resolve = r));
    const live: Live = { task, kind, lastPublish: 0, done, resolve };
    this.live.set(task.id, live);
    this.lanes[kind.lane].queue.push(live);
    this.publish(live, true);
    setImmediate(() => this.schedule(kind.lane));
  }

  private pool(lane: Lane, filename: string): Piscina {
    const state = this.lanes[lane];
    state.pool ??= createLanePool({ lane, maxThreads: state.maxThreads, filename, warm: this.options.warm ?? true });
    return state.pool;
  }

  private warmLane(lane: Lane): void {
    if (this.closed || this.options.warm === false) return;
    const first = [...this.kinds.values()].find((k) => k.lane === lane);
    if (first) this.pool(lane, first.workerPath);
  }

  private schedule(lane: Lane): void {
    const state = this.lanes[lane];
    while (!this.closed && state.running.size < state.maxThreads && state.queue.length > 0) this.run(state, state.queue.shift()!);
  }

  private run(lane: LaneState, live: Live): void {
    const { task, kind } = live;
    task.state = 'running';
    task.phase = 'starting';
    task.startedAt = this.iso();
    live.startedAt = performance.now();
    const cancel = new SharedArrayBuffer(4);
    live.cancelFlag = new Int32Array(cancel);
    live.abort = new AbortController();
    lane.running.add(live);
    try {
      this.store.update(task);
    } catch (err) {
      this.options.log.error({ module: 'tasks', err, task: task.id }, 'cannot store the task state');
    }
    this.publish(live, true);

    const { port1, port2 } = new MessageChannel();
    let outcome: TaskOutcome | undefined;
    let endReceived!: () => void;
    const ended = new Promise<void>((r) => (endReceived = r));
    port1.on('message', (message: unknown) => {
      if (message && typeof message === 'object' && '$end' in message) {
        outcome = (message as EndMessage).$end;
        endReceived();
        return;
      }
      if (isFinal(task.state)) return;
      try {
        const progress: TaskProgress<object> = { taskId: task.id, progress: task.progress, phase: task.phase, message: task.message, summary: task.summary };
        kind.apply(progress, message);
        task.progress = Math.min(100, Math.max(task.progress, progress.progress));
        task.phase = live.cancelRequested ? 'cancelling' : progress.phase;
        task.message = progress.message;
        task.summary = progress.summary as Task['summary'];
      } catch (err) {
        this.options.log.error({ module: 'tasks', err, task: task.id }, 'a task message could not be applied');
      }
      this.publish(live, false);
    });
    port1.on('close', () => endReceived());

    const run: TaskRun = {
      taskId: task.id,
      params: task.params,
      dbFile: this.options.dbFile,
      ...(this.options.nativeBinding ? { nativeBinding: this.options.nativeBinding } : {}),
      port: port2,
      cancel,
      ...(kind.context ? { context: kind.context } : {}),
    };
    let pool: Piscina;
    try {
      pool = this.pool(kind.lane, kind.workerPath);
    } catch (err) {
      port1.close();
      live.settled = Promise.resolve();
      this.finish(live, { state: 'failed', error: { code: 'INTERNAL_ERROR', message: `cannot start the worker pool: ${(err as Error).message}` } });
      return;
    }
    live.settled = pool
      .run(run, { filename: kind.workerPath, name: TASK_HANDLER_EXPORT, transferList: [port2] as never, signal: live.abort.signal })
      .then(
        async (result: TaskOutcome) => {
          // Progress messages come first on the port; wait for its end (a moment at most).
          await Promise.race([ended, new Promise((r) => setTimeout(r, 1000))]);
          return outcome ?? result;
        },
        (err: Error): TaskOutcome => {
          if (live.cancelRequested) return { state: 'cancelled' };
          this.options.log.error({ module: 'tasks', err, task: task.id }, 'task worker failed');
          return { state: 'failed', error: { code: 'INTERNAL_ERROR', message: `the worker failed: ${err.message}` } };
        },
      )
      .then((result) => {
        port1.close();
        this.finish(live, result);
      });
  }

  /** Sets the cancel flag the job reads; terminates its thread if it has not stopped within the grace time. */
  private requestStop(live: Live): void {
    if (live.cancelRequested || !live.cancelFlag) return;
    live.cancelRequested = true;
    Atomics.store(live.cancelFlag, 0, 1);
    live.graceTimer = setTimeout(() => live.abort?.abort(), this.options.stopGraceMs ?? 5000);
  }

  private finish(live: Live, outcome: TaskOutcome, forced?: 'interrupted'): void {
    const { task, kind } = live;
    if (isFinal(task.state)) return;
    if (live.graceTimer) clearTimeout(live.graceTimer);
    let error: TaskError | undefined;
    let state: Task['state'];
    if (outcome.state === 'succeeded') {
      error = kind.settle?.(task.summary);
      state = error ? 'failed' : 'succeeded';
    } else if (outcome.state === 'failed') {
      state = 'failed';
      error = { code: ErrorCodes[outcome.error.code].code, message: outcome.error.message };
    } else {
      state = 'cancelled';
    }
    if (forced || (live.stopping && state !== 'succeeded')) {
      state = 'interrupted';
      error = { code: ErrorCodes.SERVICE_UNAVAILABLE.code, message: task.startedAt ? 'the server stopped during the task' : 'the server stopped before the task ran' };
    }
    task.state = state;
    task.phase = state;
    if (state === 'succeeded') task.progress = 100;
    if (error) task.error = error;
    else delete task.error;
    task.finishedAt = this.iso();
    this.lanes[kind.lane].running.delete(live);
    this.live.delete(task.id);
    try {
      this.store.update(task);
    } catch (err) {
      this.options.log.error({ module: 'tasks', err, task: task.id }, 'cannot store the final task state');
    }
    const ms = live.startedAt === undefined ? 0 : Math.round(performance.now() - live.startedAt);
    this.options.log[state === 'succeeded' ? 'info' : 'warn']({ module: 'tasks', task: task.id, kind: task.kind, state, ms, error: task.error?.message }, `task ${state}`);
    this.publish(live, true);
    live.resolve(clone(task));
    try {
      kind.onFinished?.(clone(task));
    } catch (err) {
      this.options.log.error({ module: 'tasks', err, task: task.id }, 'task completion handler failed');
    }
    try {
      this.prune();
    } catch (err) {
      this.options.log.error({ module: 'tasks', err }, 'cannot prune finished tasks');
    }
    setImmediate(() => this.schedule(kind.lane));
  }

  /** State changes go out at once; progress at most every PUBLISH_INTERVAL_MS, the latest winning. */
  private publish(live: Live, immediate: boolean): void {
    const now = performance.now();
    const wait = live.lastPublish + PUBLISH_INTERVAL_MS - now;
    if (immediate || wait <= 0) {
      if (live.timer) clearTimeout(live.timer);
      live.timer = undefined;
      live.lastPublish = now;
      this.options.bus.publish('tasks', 'task', this.brief(live.task, live.kind));
      return;
    }
    live.timer ??= setTimeout(() => {
      live.timer = undefined;
      if (live.task.state === 'running') this.publish(live, true);
    }, wait);
  }
}
