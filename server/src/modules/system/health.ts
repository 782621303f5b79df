/** Health figures measured on each call: database round trip, process, data-dir disk space. */
import { statfs, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { components } from '../../../../contracts/gen/api';
import { schemaVersion, type Db } from '../../platform/db/database';

export type Health = components['schemas']['Health'];

const LOW_DISK_BYTES = 1024 ** 3;

export interface HealthContext {
  db: Db;
  dbFile: string;
  dataDir: string;
  appVersion: string;
  startedAt: Date;
}

async function fileSize(file: string): Promise<number> {
  try {
    return (await stat(file)).size;
  } catch {
    return 0;
  }
}

export async function measureHealth(ctx: HealthContext): Promise<Health> {
  let dbOk = true;
  const t0 = performance.now();
  let sqliteVersion = 'unknown';
  let journalMode = 'unknown';
  let version = 0;
  try {
    sqliteVersion = (ctx.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    journalMode = ctx.db.pragma('journal_mode', { simple: true }) as string;
    version = schemaVersion(ctx.db);
  } catch {
    dbOk = false;
  }
  const latencyMs = performance.now() - t0;
  const sizeBytes = (await fileSize(ctx.dbFile)) + (await fileSize(`${ctx.dbFile}-wal`));
  const fs = await statfs(ctx.dataDir);
  const freeBytes = fs.bavail * fs.bsize;
  const memory = process.memoryUsage();
  return {
    status: dbOk && freeBytes >= LOW_DISK_BYTES ? 'ok' : 'degraded',
    uptimeSeconds: (Date.now() - ctx.startedAt.getTime()) / 1000,
    startedAt: ctx.startedAt.toISOString(),
    versions: {
      app: ctx.appVersion,
      node: process.versions.node,
      ...(process.versions.electron ? { electron: process.versions.electron } : {}),
      sqlite: sqliteVersion,
      platform: `${process.platform}-${process.arch}`,
    },
    database: { ok: dbOk, path: ctx.dbFile, sizeBytes, schemaVersion: version, journalMode, latencyMs },
    disk: { dataDir: ctx.dataDir, freeBytes, totalBytes: fs.blocks * fs.bsize },
    memory: { rssBytes: memory.rss, heapUsedBytes: memory.heapUsed },
  };
}
