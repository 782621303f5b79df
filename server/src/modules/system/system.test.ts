import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { TEST_TOKEN, tempDataDir, testServer } from '../../../../tests/helpers/server';
import { buildServer } from '../../app';
import { migrations } from '../../platform/db/migrations';
import { closeDatabase, openDatabase } from '../../platform/db/database';
import { SampleState } from '../data/sample';

type Server = Awaited<ReturnType<typeof testServer>>;
/** The online-provider and notification settings' defaults (resources/default-settings.json). */
const PROVIDER_DEFAULTS = {
  providers: [
    { id: 'eastmoney', enabled: true },
    { id: 'sina', enabled: true },
    { id: 'tencent', enabled: true },
  ],
  quotePollSeconds: 5,
  notifications: { enabled: true, minSeverity: 'warning', quietHours: { enabled: false, start: '22:00', end: '07:00' }, sound: true },
  distributed: { enabled: false },
};
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('system module', () => {
  it('answers liveness without a token, in the envelope', async () => {
    server = await testServer();
    const res = await server.app.inject({ method: 'GET', url: '/api/health/live' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ success: true, code: 0, data: { status: 'ok' } });
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(body.timestamp))).toBe(false);
  });

  it('reports real health figures', async () => {
    server = await testServer();
    const res = await server.request({ method: 'GET', url: '/api/system/health' });
    expect(res.statusCode).toBe(200);
    const h = res.json().data;
    expect(h.database).toMatchObject({ ok: true, schemaVersion: migrations.at(-1)!.version, journalMode: 'wal', path: path.join(server.dataDir, 'mystocks.db') });
    expect(h.database.sizeBytes).toBeGreaterThan(0);
    expect(h.versions.node).toBe(process.versions.node);
    expect(h.versions.sqlite).toMatch(/^3\.\d+\.\d+$/);
    expect(h.disk.totalBytes).toBeGreaterThan(h.disk.freeBytes);
    expect(h.disk.dataDir).toBe(server.dataDir);
    expect(h.memory.rssBytes).toBeGreaterThan(0);
    expect(['ok', 'degraded']).toContain(h.status);
  });

  it('returns defaults, applies a partial update and keeps it across a restart', async () => {
    const temp = tempDataDir();
    try {
      let app = (await buildServer({ dataDir: temp.dir, token: TEST_TOKEN })).app;
      const auth = { authorization: `Bearer ${TEST_TOKEN}` };
      const before = await app.inject({ method: 'GET', url: '/api/system/settings', headers: auth });
      expect(before.json().data).toEqual({ language: 'zh-CN', theme: 'light', priceColors: 'red-up', logLevel: 'INFO', ...PROVIDER_DEFAULTS });
      const patched = await app.inject({ method: 'PATCH', url: '/api/system/settings', headers: auth, payload: { theme: 'dark', language: 'en' } });
      expect(patched.statusCode).toBe(200);
      expect(patched.json().data).toEqual({ language: 'en', theme: 'dark', priceColors: 'red-up', logLevel: 'INFO', ...PROVIDER_DEFAULTS });
      await app.close();

      app = (await buildServer({ dataDir: temp.dir, token: TEST_TOKEN })).app;
      const after = await app.inject({ method: 'GET', url: '/api/system/settings', headers: auth });
      expect(after.json().data).toMatchObject({ language: 'en', theme: 'dark' });
      // Distributed trials: a Redis URL or nothing (local pool).
      const redis = await app.inject({ method: 'PATCH', url: '/api/system/settings', headers: auth, payload: { distributed: { enabled: true, redisUrl: 'redis://10.0.0.5:6379/1' } } });
      expect(redis.json().data.distributed).toEqual({ enabled: true, redisUrl: 'redis://10.0.0.5:6379/1' });
      const http = await app.inject({ method: 'PATCH', url: '/api/system/settings', headers: auth, payload: { distributed: { enabled: true, redisUrl: 'http://10.0.0.5:6379' } } });
      expect(http.statusCode).toBe(422);
      expect(http.json().details[0].field).toBe('body.distributed.redisUrl');
      const reset = await app.inject({ method: 'POST', url: '/api/system/settings/reset', headers: auth });
      expect(reset.json().data).toEqual({ language: 'zh-CN', theme: 'light', priceColors: 'red-up', logLevel: 'INFO', ...PROVIDER_DEFAULTS });
      await app.close();
    } finally {
      temp.remove();
    }
  });

  it('resets every settings row and leaves the app state (the sample-import flag) alone', async () => {
    server = await testServer();
    const db = openDatabase(path.join(server.dataDir, 'mystocks.db'));
    try {
      new SampleState(db).markImported(3);
      await server.request({ method: 'PATCH', url: '/api/system/settings', payload: { theme: 'dark', quotePollSeconds: 10 } });
      expect(db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(2);
      const reset = await server.request({ method: 'POST', url: '/api/system/settings/reset' });
      expect(reset.json().data.theme).toBe('light');
      expect(db.prepare('SELECT count(*) FROM settings').pluck().get()).toBe(0);
      expect(new SampleState(db).imported()).toBe(true);
    } finally {
      closeDatabase(db);
    }
  });

  it('moves the sample flag an older version kept in the settings table into app_state (migration 4)', () => {
    const temp = tempDataDir();
    try {
      const file = path.join(temp.dir, 'mystocks.db');
      let db = openDatabase(file, { migrations: migrations.filter((m) => m.version < 4) });
      db.prepare("INSERT INTO settings VALUES ('meta.sampleDataImported', '{\"version\":1}', 'then'), ('theme', '\"dark\"', 'then')").run();
      closeDatabase(db);
      db = openDatabase(file);
      expect(db.prepare('SELECT key, value FROM settings').all()).toEqual([{ key: 'theme', value: '"dark"' }]);
      expect(db.prepare('SELECT key, value FROM app_state').all()).toEqual([{ key: 'sampleDataImported', value: '{"version":1}' }]);
      expect(new SampleState(db).imported()).toBe(true);
      closeDatabase(db);
    } finally {
      temp.remove();
    }
  });

  it('rejects invalid and unknown settings with field details and changes nothing', async () => {
    server = await testServer();
    const res = await server.request({ method: 'PATCH', url: '/api/system/settings', payload: { theme: 'blue', colour: 'x' } });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe(1001);
    expect(body.success).toBe(false);
    expect(body.details).toEqual(
      expect.arrayContaining([
        { field: 'body.theme', message: 'must be one of light, dark, system' },
        { field: 'body.colour', message: 'is not an allowed field' },
      ]),
    );
    const empty = await server.request({ method: 'PATCH', url: '/api/system/settings', payload: {} });
    expect(empty.statusCode).toBe(422);
    const settings = await server.request({ method: 'GET', url: '/api/system/settings' });
    expect(settings.json().data.theme).toBe('light');
  });

  it('changes the live log level when the setting changes', async () => {
    server = await testServer();
    expect(server.app.log.level).toBe('info');
    await server.request({ method: 'PATCH', url: '/api/system/settings', payload: { logLevel: 'DEBUG' } });
    expect(server.app.log.level).toBe('debug');
    // Request lines are DEBUG; now they reach the ring.
    await server.request({ method: 'GET', url: '/api/health/live' });
    const logs = await server.request({ method: 'GET', url: '/api/system/logs?level=DEBUG&q=http' });
    expect(logs.json().data.items.some((e: { module: string }) => e.module === 'http')).toBe(true);
  });

  it('queries log history by level, text and page, newest first', async () => {
    server = await testServer();
    server.app.log.info({ module: 'alpha' }, 'first message');
    server.app.log.warn({ module: 'beta' }, 'second message');
    server.app.log.error({ module: 'beta', symbol: '600000.SH' }, 'third message');
    const warn = await server.request({ method: 'GET', url: '/api/system/logs?level=WARNING' });
    const items = warn.json().data.items;
    expect(items.map((e: { message: string }) => e.message)).toEqual(['third message', 'second message']);
    expect(items[0]).toMatchObject({ level: 'ERROR', module: 'beta', context: { symbol: '600000.SH' } });
    expect(items[0].id).toBeGreaterThan(items[1].id);

    const text = await server.request({ method: 'GET', url: '/api/system/logs?q=FIRST' });
    expect(text.json().data.items).toHaveLength(1);
    const page = await server.request({ method: 'GET', url: '/api/system/logs?q=message&page=2&pageSize=1' });
    expect(page.json().data).toMatchObject({ items: [{ message: 'second message' }], pagination: { page: 2, pageSize: 1, total: 3 } });
    const future = await server.request({ method: 'GET', url: `/api/system/logs?from=${encodeURIComponent('2999-01-01T00:00:00Z')}` });
    expect(future.json().data.items).toEqual([]);
    const bad = await server.request({ method: 'GET', url: '/api/system/logs?level=LOUD&pageSize=0' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().details.map((d: { field: string }) => d.field).sort()).toEqual(['querystring.level', 'querystring.pageSize']);
  });

  it('falls back to the default when a stored value is no longer valid', async () => {
    const temp = tempDataDir();
    try {
      let app = (await buildServer({ dataDir: temp.dir, token: TEST_TOKEN })).app;
      await app.close();
      const db = new Database(path.join(temp.dir, 'mystocks.db'));
      db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('theme', '\"neon\"', 'x'), ('language', 'not json', 'x'), ('retired', '1', 'x')").run();
      db.close();
      app = (await buildServer({ dataDir: temp.dir, token: TEST_TOKEN })).app;
      const res = await app.inject({ method: 'GET', url: '/api/system/settings', headers: { authorization: `Bearer ${TEST_TOKEN}` } });
      expect(res.json().data).toEqual({ language: 'zh-CN', theme: 'light', priceColors: 'red-up', logLevel: 'INFO', ...PROVIDER_DEFAULTS });
      await app.close();
    } finally {
      temp.remove();
    }
  });
});
