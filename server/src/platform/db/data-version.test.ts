import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { DataVersion } from './data-version';
import { tempConnections } from './testing';

const connections = (n: number) => tempConnections(n).dbs;

describe('DataVersion', () => {
  it('stays put while nothing is written', () => {
    const [db] = connections(1);
    const v = DataVersion.of(db!);
    const first = v.current();
    db!.prepare('SELECT count(*) FROM settings').get();
    expect(v.current()).toBe(first);
    expect(DataVersion.of(db!)).toBe(v);
  });

  it("changes with this connection's own writes, at once and even when rolled back", () => {
    const [db] = connections(1);
    const v = DataVersion.of(db!);
    const before = v.current();
    db!.prepare("INSERT INTO settings VALUES ('a', '1', 'x')").run();
    const afterWrite = v.current();
    expect(afterWrite).not.toBe(before);
    expect(() =>
      db!.transaction(() => {
        db!.prepare("UPDATE settings SET value = '2'").run();
        expect(v.current()).not.toBe(afterWrite);
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(v.current()).not.toBe(afterWrite);
  });

  it("changes after another connection's commit, not before it", () => {
    const [db, other] = connections(2);
    const v = DataVersion.of(db!);
    const before = v.current();
    other!.transaction(() => {
      other!.prepare("INSERT INTO settings VALUES ('b', '1', 'x')").run();
      expect(v.current()).toBe(before);
    })();
    expect(v.current()).not.toBe(before);
  });

  it("changes after a commit from another thread's connection (as the import worker writes)", async () => {
    const [db] = connections(1);
    const v = DataVersion.of(db!);
    const before = v.current();
    const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    const source = `const Database = require(${JSON.stringify(sqlite)});
      const db = new Database(${JSON.stringify(db!.name)});
      db.prepare("INSERT INTO settings VALUES ('w', '1', 'x')").run();
      db.close();`;
    await new Promise((resolve, reject) => new Worker(source, { eval: true }).on('exit', resolve).on('error', reject));
    expect(v.current()).not.toBe(before);
  });
});
