import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { KeyValueTable } from './kv';

function table() {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT');
  return { db, kv: new KeyValueTable(db, 'state') };
}

describe('KeyValueTable', () => {
  it('stores JSON values by key, replacing on a second write', () => {
    const { kv } = table();
    expect(kv.has('a')).toBe(false);
    expect(kv.get('a')).toBeUndefined();
    kv.set('a', { version: 1 });
    kv.set('a', { version: 2 });
    kv.set('b', 'x');
    expect(kv.get('a')).toEqual({ version: 2 });
    expect(kv.entries()).toEqual([
      ['a', { version: 2 }],
      ['b', 'x'],
    ]);
  });

  it('writes many keys in one transaction, all or none', () => {
    const { db, kv } = table();
    kv.setMany({ a: 1, b: undefined, c: [1, 2] });
    expect(kv.entries()).toEqual([
      ['a', 1],
      ['c', [1, 2]],
    ]);
    db.exec("CREATE TRIGGER no_d BEFORE INSERT ON state WHEN NEW.key = 'd' BEGIN SELECT RAISE(ABORT, 'no d'); END");
    expect(() => kv.setMany({ a: 2, d: 1 })).toThrow('no d');
    expect(kv.get('a')).toBe(1);
  });

  it('skips values that are not JSON, still counts them as present, and deletes everything', () => {
    const { db, kv } = table();
    db.prepare("INSERT INTO state VALUES ('bad', 'not json', 'x'), ('good', 'true', 'x')").run();
    expect(kv.has('bad')).toBe(true);
    expect(kv.get('bad')).toBeUndefined();
    expect(kv.entries()).toEqual([['good', true]]);
    kv.deleteAll();
    expect(kv.entries()).toEqual([]);
  });

  it('takes only plain table names', () => {
    const db = new Database(':memory:');
    expect(() => new KeyValueTable(db, 'settings; DROP TABLE x')).toThrow('not a table name');
  });
});
