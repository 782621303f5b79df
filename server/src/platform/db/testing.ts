/**
 * Test support: connections to one new cache file (migrated, WAL, like the app's and the import
 * worker's), closed and removed when the calling test finishes. Call only from inside a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { closeDatabase, openDatabase, type Db } from './database';

export function tempConnections(n: number): { file: string; dbs: Db[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mystocks-test-'));
  const file = path.join(dir, 'test.db');
  const dbs = Array.from({ length: n }, () => openDatabase(file));
  onTestFinished(() => {
    dbs.forEach(closeDatabase);
    rmSync(dir, { recursive: true, force: true });
  });
  return { file, dbs };
}
