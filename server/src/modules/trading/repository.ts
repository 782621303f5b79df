/**
 * Paper accounts in SQLite (migration 8, `paper_accounts`): one row per account whose `state`
 * column holds the whole account as JSON (book.ts `AccountDoc`). Every change of an account is one
 * UPDATE of that row — a single statement, so atomic — written before the change is published.
 */
import type { Db } from '../../platform/db/database';

export type AccountMode = 'live' | 'replay';

export interface AccountRow {
  id: number;
  name: string;
  mode: AccountMode;
  initial_cash_fen: number;
  slippage_bps: number;
  created_at: string;
  updated_at: string;
  state: string;
}

export interface NewAccountRow {
  name: string;
  mode: AccountMode;
  initialCashFen: number;
  slippageBps: number;
  createdAt: string;
  state: string;
}

export class PaperAccountsRepository {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      all: db.prepare<[], AccountRow>('SELECT * FROM paper_accounts ORDER BY id'),
      insert: db.prepare<[string, string, number, number, string, string, string]>(
        'INSERT INTO paper_accounts (name, mode, initial_cash_fen, slippage_bps, created_at, updated_at, state) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      save: db.prepare<[string, string, number]>('UPDATE paper_accounts SET state = ?, updated_at = ? WHERE id = ?'),
      delete: db.prepare<[number]>('DELETE FROM paper_accounts WHERE id = ?'),
    };
  }

  all(): AccountRow[] {
    return this.stmt.all.all();
  }

  insert(row: NewAccountRow): number {
    const info = this.stmt.insert.run(row.name, row.mode, row.initialCashFen, row.slippageBps, row.createdAt, row.createdAt, row.state);
    return Number(info.lastInsertRowid);
  }

  /** Replaces the account's state (one statement: all of it or nothing). */
  save(id: number, state: string, updatedAt: string): void {
    this.stmt.save.run(state, updatedAt, id);
  }

  /** Runs `fn` in one IMMEDIATE transaction (reset: the state and anything else in one go). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  delete(id: number): boolean {
    return this.stmt.delete.run(id).changes > 0;
  }
}
