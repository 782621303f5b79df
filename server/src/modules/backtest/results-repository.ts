/**
 * Stored backtest results (migration 6, `backtest_results`): the document as the run produced it,
 * its SHA-256 digest, and the headline the history list shows. Documents are kept as text and
 * answered as text (never parsed to be re-serialized), so a stored result is byte for byte what
 * the run made.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { components } from '../../../../contracts/gen/api';
import type { Db } from '../../platform/db/database';
import type { BacktestConfig } from './config';

export type BacktestResultMeta = components['schemas']['BacktestResultMeta'];
export type BacktestHeadline = components['schemas']['BacktestHeadline'];

interface Row {
  id: string;
  task_id: string;
  name: string;
  strategy: string;
  symbols: string;
  period: string;
  start: string;
  end: string;
  created_at: string;
  engine_version: string;
  fingerprint: string;
  digest: string;
  headline: string;
}

const META_COLUMNS = 'id, task_id, name, strategy, symbols, period, start, "end", created_at, engine_version, fingerprint, digest, headline';

function toMeta(row: Row): BacktestResultMeta {
  return {
    id: row.id,
    taskId: row.task_id,
    name: row.name,
    strategy: row.strategy,
    symbols: JSON.parse(row.symbols) as string[],
    period: row.period,
    start: row.start,
    end: row.end,
    createdAt: row.created_at,
    engineVersion: row.engine_version,
    fingerprint: row.fingerprint,
    digest: row.digest,
    headline: JSON.parse(row.headline) as BacktestHeadline,
  };
}

export interface NewResult {
  taskId: string;
  config: BacktestConfig;
  engineVersion: string;
  fingerprint: string;
  headline: BacktestHeadline;
  /** The document's JSON, stored as is. */
  document: string;
}

export class BacktestResults {
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.stmt = {
      insert: db.prepare(
        `INSERT INTO backtest_results (${META_COLUMNS}, document)
         VALUES (@id, @task_id, @name, @strategy, @symbols, @period, @start, @end, @created_at, @engine_version, @fingerprint, @digest, @headline, @document)`,
      ),
      meta: db.prepare<[string], Row>(`SELECT ${META_COLUMNS} FROM backtest_results WHERE id = ?`),
      document: db.prepare<[string], { document: string }>('SELECT document FROM backtest_results WHERE id = ?'),
      delete: db.prepare<[string]>('DELETE FROM backtest_results WHERE id = ?'),
    };
  }

  /** Stores a result; answers its meta. A task retried and run again replaces its earlier result. */
  insert(result: NewResult): BacktestResultMeta {
    const row: Row & { document: string } = {
      id: randomUUID(),
      task_id: result.taskId,
      name: result.config.name,
      strategy: result.config.strategy,
      symbols: JSON.stringify(result.config.symbols),
      period: result.config.period,
      start: result.config.start,
      end: result.config.end,
      created_at: new Date(this.now()).toISOString(),
      engine_version: result.engineVersion,
      fingerprint: result.fingerprint,
      digest: createHash('sha256').update(result.document).digest('hex'),
      headline: JSON.stringify(result.headline),
      document: result.document,
    };
    this.db
      .transaction(() => {
        this.db.prepare('DELETE FROM backtest_results WHERE task_id = ?').run(result.taskId);
        this.stmt.insert.run(row);
      })
      .immediate();
    return toMeta(row);
  }

  meta(id: string): BacktestResultMeta | undefined {
    const row = this.stmt.meta.get(id);
    return row ? toMeta(row) : undefined;
  }

  /** The stored document's JSON text. */
  document(id: string): string | undefined {
    return this.stmt.document.get(id)?.document;
  }

  /** Newest first, optionally of one strategy or with one symbol. */
  list(filter: { strategy?: string; symbol?: string }, page: number, pageSize: number): { items: BacktestResultMeta[]; total: number } {
    const where: string[] = [];
    const args: Record<string, string | number> = {};
    if (filter.strategy) {
      where.push('strategy = @strategy');
      args.strategy = filter.strategy;
    }
    if (filter.symbol) {
      where.push('EXISTS (SELECT 1 FROM json_each(symbols) WHERE value = @symbol)');
      args.symbol = filter.symbol;
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = this.db.prepare<Record<string, string | number>, { n: number }>(`SELECT count(*) AS n FROM backtest_results ${clause}`).get(args)!.n;
    const rows = this.db
      .prepare<Record<string, string | number>, Row>(`SELECT ${META_COLUMNS} FROM backtest_results ${clause} ORDER BY created_at DESC, rowid DESC LIMIT @limit OFFSET @offset`)
      .all({ ...args, limit: pageSize, offset: (page - 1) * pageSize });
    return { items: rows.map(toMeta), total };
  }

  delete(id: string): boolean {
    return this.stmt.delete.run(id).changes > 0;
  }
}
