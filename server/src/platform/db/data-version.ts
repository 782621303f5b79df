/**
 * A number that changes whenever what a connection reads may have changed: the version key of
 * memos of database rows. No writer has to report its writes, so a new one (a backtest, a future
 * worker) cannot forget to:
 *  - `PRAGMA data_version` changes when another connection (the import worker's, on its own
 *    thread) has committed since this connection last asked;
 *  - `total_changes()` counts the rows this connection has inserted, updated or deleted, rolled
 *    back or not, so its own writes count at once, before and without a commit.
 * A check costs one statement (about 3 µs: data_version takes the WAL read lock; total_changes
 * reads a counter, about 0.1 µs).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './database';

const byConnection = new WeakMap<Db, DataVersion>();

export class DataVersion {
  private readonly others: Statement<[], number>;
  private readonly own: Statement<[], number>;
  private lastOthers = -1;
  private lastOwn = -1;
  private version = 0;

  /** The one instance of a connection, shared by all its memos (they then agree on versions). */
  static of(db: Db): DataVersion {
    let v = byConnection.get(db);
    if (!v) byConnection.set(db, (v = new DataVersion(db)));
    return v;
  }

  private constructor(db: Db) {
    this.others = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.own = db.prepare<[], number>('SELECT total_changes()').pluck();
  }

  /** Equal to the previous call's answer only if nothing was written since, here or elsewhere. */
  current(): number {
    const others = this.others.get()!;
    const own = this.own.get()!;
    if (others !== this.lastOthers || own !== this.lastOwn) {
      this.lastOthers = others;
      this.lastOwn = own;
      this.version++;
    }
    return this.version;
  }
}
