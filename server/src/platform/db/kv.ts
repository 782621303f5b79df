/**
 * A table of JSON values by key: `(key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT
 * NULL)`, like `settings`. Every such table is read and written through this one class, so there is
 * one upsert for all of them.
 */
import type { Db } from './database';

export class KeyValueTable {
  private readonly stmt;

  constructor(
    private readonly db: Db,
    table: string,
  ) {
    // The name goes into SQL text (identifiers cannot be bound): only plain names.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new Error(`not a table name: ${table}`);
    this.stmt = {
      one: db.prepare<[string], string>(`SELECT value FROM ${table} WHERE key = ?`).pluck(),
      all: db.prepare<[], { key: string; value: string }>(`SELECT key, value FROM ${table} ORDER BY key`),
      upsert: db.prepare<[string, string, string]>(
        `INSERT INTO ${table} (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
      deleteAll: db.prepare(`DELETE FROM ${table}`),
    };
  }

  has(key: string): boolean {
    return this.stmt.one.get(key) !== undefined;
  }

  /** The value, or undefined when absent or not JSON (a row some other version left behind). */
  get(key: string): unknown {
    const text = this.stmt.one.get(key);
    return text === undefined ? undefined : parse(text);
  }

  /** Every row whose value is JSON, by key. */
  entries(): [string, unknown][] {
    const out: [string, unknown][] = [];
    for (const row of this.stmt.all.all()) {
      const value = parse(row.value);
      if (value !== undefined) out.push([row.key, value]);
    }
    return out;
  }

  set(key: string, value: unknown): void {
    this.setMany({ [key]: value });
  }

  /** All in one transaction: either every value is stored or none. `undefined` values are skipped. */
  setMany(values: Record<string, unknown>): void {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(values)) {
        if (value !== undefined) this.stmt.upsert.run(key, JSON.stringify(value), now);
      }
    }).immediate();
  }

  deleteAll(): void {
    this.stmt.deleteAll.run();
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
