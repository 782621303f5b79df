/**
 * Stored optimizations and their trials (migration 13: `optimizations`, `optimization_trials`).
 * The main thread writes (the kind's `apply` inserts each trial as its message arrives); the
 * coordinator reads what an earlier attempt stored through its own connection (`storedTrials`).
 * Block statistics are a BLOB of Float64 (little-endian, as every platform Node runs on).
 */
import { randomUUID } from 'node:crypto';
import type { components } from '../../../../contracts/gen/api';
import type { ReturnMoments } from '../../engine/optimize/objective';
import type { Db } from '../../platform/db/database';
import type { OptimizationConfig } from './config';
import type { TrialResult } from './trial';

export type OptimizationTrial = components['schemas']['OptimizationTrial'];
export type LeaderboardEntry = components['schemas']['LeaderboardEntry'];
export type Overfitting = components['schemas']['Overfitting'];

export interface OptimizationRow {
  id: string;
  task_id: string;
  name: string;
  created_at: string;
  config: string;
  strategy: string;
  symbols: string;
  method: string;
  objective: string;
  trials_total: number | null;
  fingerprint: string | null;
  engine_version: string;
  blocks: number | null;
  overfitting: string | null;
}

interface TrialRow {
  trial_index: number;
  params: string;
  objective: number | null;
  eligible: number;
  headline: string;
  digest: string;
}

/** What a resumed run needs of a stored trial. */
export interface StoredTrial {
  index: number;
  params: Record<string, number>;
  objective: number | null;
  eligible: boolean;
  moments: ReturnMoments;
  blocks: Float64Array | null;
}

const TRIAL_COLUMNS = 'trial_index, params, objective, eligible, headline, digest';

export function toTrial(row: TrialRow): OptimizationTrial {
  return {
    index: row.trial_index,
    params: JSON.parse(row.params) as Record<string, number>,
    objective: row.objective,
    eligible: row.eligible === 1,
    headline: JSON.parse(row.headline) as OptimizationTrial['headline'],
    digest: row.digest,
  };
}

/** A trial as the leaderboard carries it: with the headline metrics the live view shows. */
export function toEntry(t: { index: number; params: Record<string, number>; objective: number | null; eligible: boolean; headline: Pick<OptimizationTrial['headline'], 'tradeCount' | 'sharpe' | 'annualReturn' | 'maxDrawdown' | 'totalReturn'> }): LeaderboardEntry {
  const h = t.headline;
  return { index: t.index, params: t.params, objective: t.objective, eligible: t.eligible, tradeCount: h.tradeCount, sharpe: h.sharpe, annualReturn: h.annualReturn, maxDrawdown: h.maxDrawdown, totalReturn: h.totalReturn };
}

/** Reads of one optimization for its coordinator (any connection). */
export function storedState(db: Db, id: string): { row: OptimizationRow | undefined; trials: () => IterableIterator<StoredTrial> } {
  const row = db.prepare<[string], OptimizationRow>('SELECT * FROM optimizations WHERE id = ?').get(id);
  const stmt = db.prepare<[string], { trial_index: number; params: string; objective: number | null; eligible: number; n: number; mean: number | null; std: number | null; skew: number | null; kurt: number | null; blocks: Buffer | null }>(
    'SELECT trial_index, params, objective, eligible, n, mean, std, skew, kurt, blocks FROM optimization_trials WHERE optimization_id = ? ORDER BY trial_index',
  );
  function* trials(): IterableIterator<StoredTrial> {
    for (const r of stmt.iterate(id)) {
      yield {
        index: r.trial_index,
        params: JSON.parse(r.params) as Record<string, number>,
        objective: r.objective,
        eligible: r.eligible === 1,
        moments: { n: r.n, mean: r.mean, std: r.std, skew: r.skew, kurt: r.kurt },
        blocks: r.blocks ? new Float64Array(r.blocks.buffer.slice(r.blocks.byteOffset, r.blocks.byteOffset + r.blocks.byteLength)) : null,
      };
    }
  }
  return { row, trials };
}

export class OptimizationRepository {
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.stmt = {
      get: db.prepare<[string], OptimizationRow>('SELECT * FROM optimizations WHERE id = ?'),
      insertTrial: db.prepare(
        `INSERT OR REPLACE INTO optimization_trials (optimization_id, trial_index, params, objective, eligible, headline, digest, n, mean, std, skew, kurt, blocks)
         VALUES (@optimization_id, @trial_index, @params, @objective, @eligible, @headline, @digest, @n, @mean, @std, @skew, @kurt, @blocks)`,
      ),
      count: db.prepare<[string], { n: number; eligible: number | null }>('SELECT count(*) AS n, sum(eligible) AS eligible FROM optimization_trials WHERE optimization_id = ?'),
      top: db.prepare<[string, number], TrialRow>(
        `SELECT ${TRIAL_COLUMNS} FROM optimization_trials WHERE optimization_id = ? ORDER BY eligible DESC, objective DESC, trial_index ASC LIMIT ?`,
      ),
      trial: db.prepare<[string, number], TrialRow>(`SELECT ${TRIAL_COLUMNS} FROM optimization_trials WHERE optimization_id = ? AND trial_index = ?`),
    };
  }

  create(input: { taskId: string; config: OptimizationConfig; engineVersion: string }): string {
    const id = randomUUID();
    const { config } = input;
    this.db
      .prepare(
        `INSERT INTO optimizations (id, task_id, name, created_at, config, strategy, symbols, method, objective, engine_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.taskId, config.name, new Date(this.now()).toISOString(), JSON.stringify(config), config.strategy, JSON.stringify(config.symbols), config.method, config.objective, input.engineVersion);
    return id;
  }

  setTask(id: string, taskId: string): void {
    this.db.prepare('UPDATE optimizations SET task_id = ? WHERE id = ?').run(taskId, id);
  }

  get(id: string): OptimizationRow | undefined {
    return this.stmt.get.get(id);
  }

  /** The bars, engine and space an attempt runs on; `reset` forgets trials stored from other bars or another engine. */
  start(id: string, s: { fingerprint: string; engineVersion: string; trialsTotal: number; partitions: number; reset: boolean }): void {
    this.db
      .transaction(() => {
        if (s.reset) this.db.prepare('DELETE FROM optimization_trials WHERE optimization_id = ?').run(id);
        this.db.prepare('UPDATE optimizations SET fingerprint = ?, engine_version = ?, trials_total = ?, blocks = ?, overfitting = NULL WHERE id = ?').run(s.fingerprint, s.engineVersion, s.trialsTotal, s.partitions, id);
      })
      .immediate();
  }

  /** Stores a batch of finished trials (one transaction, committed at once: a crash keeps them). */
  insertTrials(id: string, trials: TrialResult[]): void {
    this.db.transaction(() => {
      for (const t of trials) {
        this.stmt.insertTrial.run({
          optimization_id: id,
          trial_index: t.index,
          params: JSON.stringify(t.params),
          objective: t.objective,
          eligible: t.eligible ? 1 : 0,
          headline: JSON.stringify(t.headline),
          digest: t.digest,
          n: t.moments.n,
          mean: t.moments.mean,
          std: t.moments.std,
          skew: t.moments.skew,
          kurt: t.moments.kurt,
          blocks: t.blocks ? Buffer.from(t.blocks.buffer, t.blocks.byteOffset, t.blocks.byteLength) : null,
        });
      }
    })();
  }

  setOverfitting(id: string, overfitting: Overfitting): void {
    this.db.prepare('UPDATE optimizations SET overfitting = ? WHERE id = ?').run(JSON.stringify(overfitting), id);
  }

  counts(id: string): { done: number; eligible: number } {
    const r = this.stmt.count.get(id)!;
    return { done: r.n, eligible: r.eligible ?? 0 };
  }

  /** The best `limit` trials: eligible first, by objective descending, then by index. */
  top(id: string, limit: number): OptimizationTrial[] {
    return this.stmt.top.all(id, limit).map(toTrial);
  }

  trial(id: string, index: number): OptimizationTrial | undefined {
    const row = this.stmt.trial.get(id, index);
    return row ? toTrial(row) : undefined;
  }

  trials(id: string, sort: 'objective' | 'index', page: number, pageSize: number): OptimizationTrial[] {
    const order = sort === 'index' ? 'trial_index ASC' : 'eligible DESC, objective DESC, trial_index ASC';
    return this.db
      .prepare<[string, number, number], TrialRow>(`SELECT ${TRIAL_COLUMNS} FROM optimization_trials WHERE optimization_id = ? ORDER BY ${order} LIMIT ? OFFSET ?`)
      .all(id, pageSize, (page - 1) * pageSize)
      .map(toTrial);
  }

  /** Newest first. */
  list(page: number, pageSize: number): { rows: OptimizationRow[]; total: number } {
    const total = this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM optimizations').get()!.n;
    const rows = this.db.prepare<[number, number], OptimizationRow>('SELECT * FROM optimizations ORDER BY created_at DESC, id LIMIT ? OFFSET ?').all(pageSize, (page - 1) * pageSize);
    return { rows, total };
  }

  /**
   * The best eligible objective at each (x, y) of two params, with the index of the trial that has
   * it: the leaderboard order within the cell (objective descending, then the lowest index), so a
   * tie opens the trial the leaderboard would rank first.
   */
  heatmap(id: string, x: string, y: string): { x: number; y: number; v: number; index: number }[] {
    return this.db
      .prepare<[string, string, string], { x: number; y: number; v: number; index: number }>(
        `SELECT x, y, v, "index" FROM (
           SELECT x, y, v, "index", row_number() OVER (PARTITION BY x, y ORDER BY v DESC, "index" ASC) AS rn FROM (
             SELECT json_extract(params, '$.' || ?) AS x, json_extract(params, '$.' || ?) AS y, objective AS v, trial_index AS "index"
             FROM optimization_trials WHERE optimization_id = ? AND eligible = 1))
         WHERE rn = 1`,
      )
      .all(x, y, id);
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM optimizations WHERE id = ?').run(id).changes > 0;
  }
}
