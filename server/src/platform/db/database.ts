/**
 * Opens the SQLite cache in the data directory: WAL, foreign keys, migrations on start.
 * `nativeBinding` lets Electron load a better-sqlite3 built for its own ABI while plain Node
 * (tests, `npm run serve`) uses the one in node_modules.
 *
 * Two connections write to the file: the main thread's and an import worker's. Every write
 * transaction therefore begins IMMEDIATE (`db.transaction(fn).immediate()`): it takes the write
 * lock first, waiting up to busy_timeout for the other writer. A deferred one that reads and then
 * writes fails at once with SQLITE_BUSY when the other connection committed in between.
 */
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { migrations as defaultMigrations, type Migration } from './migrations';

export type Db = SqliteDatabase;

export interface OpenDatabaseOptions {
  nativeBinding?: string;
  migrations?: readonly Migration[];
}

export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Db {
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    // Bars are written in long runs and read in ranges: 16 KiB pages hold ~200 bars each, so
    // imports touch a quarter of the B-tree pages (about 1.4× faster here). Only a new database
    // takes it (before WAL is set); an existing one keeps its page size. 32 MiB of page cache
    // per connection keeps a whole series' pages while it is imported or read.
    db.pragma('page_size = 16384');
    db.pragma('cache_size = -32768');
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? defaultMigrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, list: readonly Migration[]): number {
  const current = schemaVersion(db);
  const latest = list.reduce((max, m) => Math.max(max, m.version), 0);
  if (current > latest) {
    throw new Error(`database schema version ${current} is newer than this app understands (${latest}); update the app`);
  }
  const pending = [...list].filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        m.version,
        m.name,
        new Date().toISOString(),
      );
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return schemaVersion(db);
}

/** Flushes the WAL into the main file and closes; used on graceful shutdown. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
