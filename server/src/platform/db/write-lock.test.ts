/**
 * Write transactions begin IMMEDIATE, so a read-then-write (adding a symbol to a watchlist) waits
 * for another connection's write (an import in its worker) instead of failing with SQLITE_BUSY.
 */
import { Worker } from 'node:worker_threads';
import { expect, it } from 'vitest';
import { WatchlistRepository } from '../../modules/watchlist/repository';
import { tempConnections } from './testing';

/** A worker that takes the write lock, says so, writes, holds the lock a moment and commits. */
const HOLDER = `
  const { parentPort, workerData } = require('node:worker_threads');
  const Database = require(workerData.module);
  const db = new Database(workerData.file);
  db.pragma('busy_timeout = 5000');
  db.exec('BEGIN IMMEDIATE');
  db.prepare("INSERT INTO watchlists (name, position, updated_at) VALUES ('from the worker', 99, 'now')").run();
  parentPort.postMessage('locked');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
  db.exec('COMMIT');
  db.close();
  parentPort.postMessage('committed');
`;

it('waits for another connection writing, then writes', async () => {
  const { file, dbs } = tempConnections(1);
  const watchlists = new WatchlistRepository(dbs[0]!);
  const list = watchlists.create('自选');
  const worker = new Worker(HOLDER, { eval: true, workerData: { file, module: require.resolve('better-sqlite3') } });
  const messages: string[] = [];
  const committed = new Promise<void>((resolve) => worker.on('message', (m: string) => (messages.push(m), m === 'committed' && resolve())));
  await new Promise<void>((resolve) => worker.once('message', () => resolve()));
  expect(messages).toEqual(['locked']);
  expect(watchlists.addSymbol(list.id, '600000.SH').symbols).toEqual(['600000.SH']);
  await committed;
  expect(watchlists.list().map((w) => w.name)).toEqual(['自选', 'from the worker']);
});
