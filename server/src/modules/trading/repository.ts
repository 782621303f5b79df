/**
 * Paper accounts in SQLite: `paper_accounts` (migration 8), one row per account whose `state`
 * column holds its head as JSON (book.ts `AccountHead`: cash, positions, the day, last quotes), and
 * its history in `paper_orders`, `paper_fills` and `paper_ledger` (migration 10), a JSON row per
 * order, fill and ledger entry by its sequence. Every change of an account is one transaction —
 * the head and the rows it touched — written before the change is published.
 */
import type { Db } from '../../platform/db/database';
import type { AccountChanges, AccountHistory } from './book';

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

const HISTORY = ['paper_orders', 'paper_fills', 'paper_ledger'] as const;

export class PaperAccountsRepository {
  private readonly stmt;

  constructor(private readonly db: Db) {
    const rows = (table: string) => db.prepare<[number], string>(`SELECT data FROM ${table} WHERE account_id = ? ORDER BY seq`).pluck();
    const put = (table: string) => db.prepare<[number, number, string]>(`INSERT OR REPLACE INTO ${table} (account_id, seq, data) VALUES (?, ?, ?)`);
    const clear = (table: string) => db.prepare<[number]>(`DELETE FROM ${table} WHERE account_id = ?`);
    this.stmt = {
      all: db.prepare<[], AccountRow>('SELECT * FROM paper_accounts ORDER BY id'),
      insert: db.prepare<[string, string, number, number, string, string, string]>(
        'INSERT INTO paper_accounts (name, mode, initial_cash_fen, slippage_bps, created_at, updated_at, state) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      head: db.prepare<[string, string, number]>('UPDATE paper_accounts SET state = ?, updated_at = ? WHERE id = ?'),
      delete: db.prepare<[number]>('DELETE FROM paper_accounts WHERE id = ?'),
      rows: HISTORY.map(rows),
      put: HISTORY.map(put),
      clear: HISTORY.map(clear),
    };
  }

  all(): AccountRow[] {
    return this.stmt.all.all();
  }

  history(id: number): AccountHistory {
    const [orders, fills, ledger] = this.stmt.rows.map((s) => s.all(id));
    return { orders: orders!, fills: fills!, ledger: ledger! };
  }

  insert(row: NewAccountRow): number {
    const info = this.stmt.insert.run(row.name, row.mode, row.initialCashFen, row.slippageBps, row.createdAt, row.createdAt, row.state);
    return Number(info.lastInsertRowid);
  }

  /** Writes a change: the head and the history rows, in one transaction. */
  save(id: number, changes: AccountChanges, updatedAt: string): void {
    this.db
      .transaction(() => {
        this.stmt.head.run(changes.head, updatedAt, id);
        [changes.orders, changes.fills, changes.ledger].forEach((list, k) => {
          for (const r of list) this.stmt.put[k]!.run(id, r.seq, r.data);
        });
      })
      .immediate();
  }

  /** Back to a fresh head with no history, in one transaction. */
  reset(id: number, head: string, updatedAt: string): void {
    this.db
      .transaction(() => {
        for (const s of this.stmt.clear) s.run(id);
        this.stmt.head.run(head, updatedAt, id);
      })
      .immediate();
  }

  delete(id: number): boolean {
    return this.stmt.delete.run(id).changes > 0;
  }
}
