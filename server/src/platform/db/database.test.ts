import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { tempDataDir } from '../../../../tests/helpers/server';
import { closeDatabase, migrate, openDatabase, schemaVersion } from './database';
import { migrations, type Migration } from './migrations';

const temps: { remove(): void }[] = [];
function dbFile(): string {
  const t = tempDataDir();
  temps.push(t);
  return path.join(t.dir, 'test.db');
}
afterEach(() => temps.splice(0).forEach((t) => t.remove()));

const v2: Migration = { version: 2, name: 'watchlists', sql: 'CREATE TABLE watchlists (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;' };

describe('database', () => {
  it('creates an empty database at the latest version with WAL and foreign keys', () => {
    const db = openDatabase(dbFile());
    expect(schemaVersion(db)).toBe(migrations.at(-1)!.version);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(migrations.map((m) => ({ version: m.version, name: m.name })));
    closeDatabase(db);
  });

  it('migrates an existing database forward, keeping its data', () => {
    const file = dbFile();
    let db = openDatabase(file, { migrations: [migrations[0]!] });
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"dark\"', 'now')").run();
    closeDatabase(db);

    db = openDatabase(file, { migrations: [migrations[0]!, v2] });
    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT value FROM settings WHERE key = ?').get('theme')).toEqual({ value: '"dark"' });
    db.prepare("INSERT INTO watchlists (name) VALUES ('自选股')").run();
    // Running again is a no-op.
    expect(migrate(db, [migrations[0]!, v2])).toBe(2);
    expect(db.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 2 });
    closeDatabase(db);
  });

  it('rolls a failing migration back completely', () => {
    const file = dbFile();
    const broken: Migration = { version: 2, name: 'broken', sql: 'CREATE TABLE half (id INTEGER); INSERT INTO nowhere VALUES (1);' };
    expect(() => openDatabase(file, { migrations: [migrations[0]!, broken] })).toThrow(/nowhere/);
    const db = openDatabase(file, { migrations: [migrations[0]!] });
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    closeDatabase(db);
  });

  it('refuses a database written by a newer version of the app', () => {
    const file = dbFile();
    closeDatabase(openDatabase(file, { migrations: [migrations[0]!, v2] }));
    expect(() => openDatabase(file, { migrations: [migrations[0]!] })).toThrow(/newer than this app understands/);
  });

  it('checkpoints the WAL on close', () => {
    const file = dbFile();
    const db = openDatabase(file);
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('a', '1', 'now')").run();
    closeDatabase(db);
    closeDatabase(db); // idempotent
    const walSize = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
    expect(walSize).toBe(0);
  });
});
