/**
 * The `tasks` table (migration 5): one row per task, written on every state change. Newest first
 * is creation order (created_at, then insertion order for equal clocks).
 */
import type { Db } from '../db/database';
import type { Task, TaskKindName, TaskState } from './types';

interface Row {
  id: string;
  kind: string;
  state: string;
  progress: number;
  phase: string;
  message: string;
  params: string;
  summary: string;
  error_code: number | null;
  error_message: string | null;
  attempts: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

function toTask(row: Row): Task {
  return {
    id: row.id,
    kind: row.kind as TaskKindName,
    state: row.state as TaskState,
    progress: row.progress,
    phase: row.phase,
    message: row.message,
    params: JSON.parse(row.params) as Task['params'],
    summary: JSON.parse(row.summary) as Task['summary'],
    attempts: row.attempts,
    createdAt: row.created_at,
    ...(row.started_at ? { startedAt: row.started_at } : {}),
    ...(row.finished_at ? { finishedAt: row.finished_at } : {}),
    ...(row.error_code !== null ? { error: { code: row.error_code, message: row.error_message ?? '' } } : {}),
  };
}

function toRow(task: Task): Row {
  return {
    id: task.id,
    kind: task.kind,
    state: task.state,
    progress: task.progress,
    phase: task.phase,
    message: task.message,
    params: JSON.stringify(task.params),
    summary: JSON.stringify(task.summary),
    error_code: task.error?.code ?? null,
    error_message: task.error?.message ?? null,
    attempts: task.attempts,
    created_at: task.createdAt,
    started_at: task.startedAt ?? null,
    finished_at: task.finishedAt ?? null,
  };
}

export interface TaskFilter {
  kind?: TaskKindName;
  state?: TaskState;
}

export class TaskStore {
  private readonly stmt;

  constructor(private readonly db: Db) {
    const columns = 'id, kind, state, progress, phase, message, params, summary, error_code, error_message, attempts, created_at, started_at, finished_at';
    this.stmt = {
      insert: db.prepare<[Row]>(`INSERT INTO tasks (${columns}) VALUES (@id, @kind, @state, @progress, @phase, @message, @params, @summary, @error_code, @error_message, @attempts, @created_at, @started_at, @finished_at)`),
      update: db.prepare<[Row]>(
        `UPDATE tasks SET state = @state, progress = @progress, phase = @phase, message = @message, summary = @summary, error_code = @error_code,
           error_message = @error_message, attempts = @attempts, started_at = @started_at, finished_at = @finished_at WHERE id = @id`,
      ),
      get: db.prepare<[string], Row>(`SELECT ${columns} FROM tasks WHERE id = ?`),
      list: db.prepare<{ kind: string | null; state: string | null; limit: number; offset: number }, Row>(
        `SELECT ${columns} FROM tasks WHERE (@kind IS NULL OR kind = @kind) AND (@state IS NULL OR state = @state)
           ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`,
      ),
      count: db.prepare<{ kind: string | null; state: string | null }, number>(
        'SELECT count(*) FROM tasks WHERE (@kind IS NULL OR kind = @kind) AND (@state IS NULL OR state = @state)',
      ).pluck(),
      counts: db.prepare<[], { kind: string; state: string; n: number }>('SELECT kind, state, count(*) AS n FROM tasks GROUP BY kind, state ORDER BY kind, state'),
      delete: db.prepare<[string]>('DELETE FROM tasks WHERE id = ?'),
      unfinished: db.prepare<[], Row>(`SELECT ${columns} FROM tasks WHERE state IN ('queued', 'running') ORDER BY created_at, rowid`),
      pruneOld: db.prepare<[string]>(`DELETE FROM tasks WHERE state NOT IN ('queued', 'running') AND finished_at < ?`),
      pruneExcess: db.prepare<[number]>(
        `DELETE FROM tasks WHERE id IN (
           SELECT id FROM (
             SELECT id, row_number() OVER (PARTITION BY kind ORDER BY finished_at DESC, rowid DESC) AS n
             FROM tasks WHERE state NOT IN ('queued', 'running')
           ) WHERE n > ?)`,
      ),
    };
  }

  insert(task: Task): void {
    this.stmt.insert.run(toRow(task));
  }

  update(task: Task): void {
    this.stmt.update.run(toRow(task));
  }

  get(id: string): Task | undefined {
    const row = this.stmt.get.get(id);
    return row ? toTask(row) : undefined;
  }

  list(filter: TaskFilter, page: number, pageSize: number): { items: Task[]; total: number } {
    const where = { kind: filter.kind ?? null, state: filter.state ?? null };
    const total = this.stmt.count.get(where)!;
    const items = this.stmt.list.all({ ...where, limit: pageSize, offset: (page - 1) * pageSize }).map(toTask);
    return { items, total };
  }

  counts(): { kind: string; state: string; n: number }[] {
    return this.stmt.counts.all();
  }

  delete(id: string): boolean {
    return this.stmt.delete.run(id).changes > 0;
  }

  /** Tasks left queued or running (by a server that stopped without finishing them), oldest first. */
  unfinished(): Task[] {
    return this.stmt.unfinished.all().map(toTask);
  }

  /** The retention rule: finished tasks older than `before`, and beyond the newest `keepPerKind` per kind, go. */
  prune(before: string, keepPerKind: number): number {
    return this.db.transaction(() => this.stmt.pruneOld.run(before).changes + this.stmt.pruneExcess.run(keepPerKind).changes).immediate();
  }
}
