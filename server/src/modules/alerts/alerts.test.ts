/**
 * The alerts module through its public API on a real server with a real SQLite file: raise →
 * history (list, filters, pagination, unread counts, read, acknowledge, read all, delete), the test
 * alert and its notification decision under the settings, the error envelope, retention, and the
 * `alerts` stream (each alert exactly once, Last-Event-ID replay).
 */
import { Ajv } from 'ajv';
import { EventSource } from 'eventsource';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import spec from '../../../../contracts/gen/openapi.json' with { type: 'json' };
import { beijing } from '../../../../tests/helpers/market';
import { offlineFetch, TEST_TOKEN, tempDataDir, testServer } from '../../../../tests/helpers/server';
import { startServer, type RunningServer } from '../../app';
import type { BusMessage } from '../../platform/bus';
import { dereference } from '../../platform/contract';
import type { AlertInput } from './service';

type Server = Awaited<ReturnType<typeof testServer>>;

const ajv = new Ajv({ strict: false, validateFormats: false });
const schemas = spec.components.schemas as Record<string, unknown>;
const validAlertEvent = ajv.compile(dereference(schemas.AlertEvent as never) as object);

const rule = (over: Partial<AlertInput> = {}): AlertInput => ({
  ruleId: 'r1',
  ruleName: 'Stop loss 600000',
  kind: 'price_below',
  scope: { type: 'symbol', id: '600000.SH' },
  symbol: '600000.SH',
  severity: 'warning',
  title: '600000.SH below 7.00',
  message: 'Last 6.95 is below the 7.00 stop',
  value: 6.95,
  threshold: 7,
  ...over,
});

describe('alerts API', () => {
  let server: Server;
  let clock = beijing('2024-06-14 10:00');
  const published: BusMessage[] = [];

  beforeAll(async () => {
    server = await testServer({ now: () => clock });
    server.context.bus.subscribe('alerts', (m) => published.push(m));
  });
  afterAll(async () => server?.close());
  afterEach(async () => {
    server.context.db.prepare('DELETE FROM alerts').run();
    await server.request({ method: 'POST', url: '/api/system/settings/reset' });
    published.length = 0;
    clock = beijing('2024-06-14 10:00');
  });

  const get = async (url: string) => {
    const res = await server.request({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() as { code: number; data: never; details?: { field?: string }[] } };
  };
  const post = async (url: string, payload?: object) => {
    const res = await server.request({ method: 'POST', url, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() as { code: number; data: never; details?: { field?: string }[] } };
  };

  /** Five alerts a minute apart: critical 600000, warning 000001, info 600000, warning (account), critical 000001. */
  function seed(): string[] {
    const inputs: Partial<AlertInput>[] = [
      { severity: 'critical' },
      { severity: 'warning', symbol: '000001.SZ', scope: { type: 'symbol', id: '000001.SZ' } },
      { severity: 'info' },
      { severity: 'warning', scope: { type: 'account', id: 'paper' }, symbol: undefined, value: undefined, threshold: undefined, kind: 'drawdown' },
      { severity: 'critical', symbol: '000001.SZ', scope: { type: 'watchlist', id: '3' } },
    ];
    return inputs.map((over, i) => {
      clock = beijing('2024-06-14 10:00') + i * 60_000;
      return server.context.alerts.raise(rule(over)).id;
    });
  }

  it('stores a raised alert and publishes it exactly once, valid against the contract', async () => {
    const event = server.context.alerts.raise(rule());
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ topic: 'alerts', event: 'alert', data: event });
    expect(validAlertEvent(event), JSON.stringify(validAlertEvent.errors)).toBe(true);
    expect(event).toMatchObject({ ruleId: 'r1', kind: 'price_below', read: false, createdAt: '2024-06-14T02:00:00.000Z', value: 6.95, threshold: 7, notify: { show: true, sound: true, reason: 'shown' } });
    expect(event).not.toHaveProperty('acknowledgedAt');
    const list = await get('/api/alerts');
    const { notify: _notify, ...stored } = event;
    expect(list.body.data).toEqual({ items: [stored], pagination: { page: 1, pageSize: 100, total: 1 } });
  });

  it('refuses an input that is not a valid alert: nothing stored, nothing published', async () => {
    expect(() => server.context.alerts.raise(rule({ symbol: '600000' }))).toThrow(/not a valid alert/);
    expect(() => server.context.alerts.raise(rule({ value: Number.NaN }))).toThrow(/not a valid alert/);
    expect(() => server.context.alerts.raise(rule({ kind: 'Bad Kind' }))).toThrow(/not a valid alert/);
    expect(published).toHaveLength(0);
    expect((await get('/api/alerts/unread-count')).body.data).toEqual({ total: 0, bySeverity: { info: 0, warning: 0, critical: 0 } });
  });

  it('lists newest first, with filters and pages', async () => {
    const ids = seed();
    const all = await get('/api/alerts');
    expect((all.body.data as { items: { id: string }[] }).items.map((a) => a.id)).toEqual([...ids].reverse());
    const ofList = async (q: string) => ((await get(`/api/alerts?${q}`)).body.data as { items: { id: string }[]; pagination: object }).items.map((a) => a.id);
    expect(await ofList('severity=critical')).toEqual([ids[4], ids[0]]);
    expect(await ofList('symbol=000001.SZ')).toEqual([ids[4], ids[1]]);
    expect(await ofList('since=2024-06-14T10:02:00%2B08:00')).toEqual([ids[4], ids[3], ids[2]]);
    expect(await ofList('since=2024-06-14T02:03:00Z&severity=warning')).toEqual([ids[3]]);
    await post(`/api/alerts/${ids[2]}/read`);
    expect(await ofList('read=true')).toEqual([ids[2]]);
    expect(await ofList('read=false')).toEqual([ids[4], ids[3], ids[1], ids[0]]);
    const page2 = await get('/api/alerts?page=2&pageSize=2');
    expect(page2.body.data).toMatchObject({ pagination: { page: 2, pageSize: 2, total: 5 } });
    expect((page2.body.data as { items: { id: string }[] }).items.map((a) => a.id)).toEqual([ids[2], ids[1]]);
    expect(((await get('/api/alerts?page=9&pageSize=2')).body.data as { items: unknown[] }).items).toEqual([]);
  });

  it('counts unread by severity; read, acknowledge, read all and delete change them', async () => {
    const ids = seed();
    expect((await get('/api/alerts/unread-count')).body.data).toEqual({ total: 5, bySeverity: { info: 1, warning: 2, critical: 2 } });

    const read = await post(`/api/alerts/${ids[0]}/read`);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ id: ids[0], read: true });
    expect(read.body.data).not.toHaveProperty('acknowledgedAt');
    expect((await get('/api/alerts/unread-count')).body.data).toEqual({ total: 4, bySeverity: { info: 1, warning: 2, critical: 1 } });

    clock = beijing('2024-06-14 11:00');
    const ack = await post(`/api/alerts/${ids[1]}/acknowledge`);
    expect(ack.body.data).toMatchObject({ id: ids[1], read: true, acknowledgedAt: '2024-06-14T03:00:00.000Z' });
    clock = beijing('2024-06-14 12:00');
    // A second acknowledgement keeps the first time.
    expect((await post(`/api/alerts/${ids[1]}/acknowledge`)).body.data).toMatchObject({ acknowledgedAt: '2024-06-14T03:00:00.000Z' });
    expect((await get('/api/alerts/unread-count')).body.data).toEqual({ total: 3, bySeverity: { info: 1, warning: 1, critical: 1 } });

    expect((await post('/api/alerts/read-all')).body.data).toEqual({ updated: 3 });
    expect((await post('/api/alerts/read-all')).body.data).toEqual({ updated: 0 });
    expect((await get('/api/alerts/unread-count')).body.data).toEqual({ total: 0, bySeverity: { info: 0, warning: 0, critical: 0 } });

    const del = await server.request({ method: 'DELETE', url: `/api/alerts/${ids[3]}` });
    expect(del.json()).toMatchObject({ success: true, data: { deleted: ids[3] } });
    expect(((await get('/api/alerts')).body.data as { pagination: { total: number } }).pagination.total).toBe(4);
    // Nothing of this went out on the stream: only raising publishes.
    expect(published).toHaveLength(5);
  });

  it('answers unknown alerts with 404/4500 in the error envelope', async () => {
    for (const [method, url] of [
      ['POST', '/api/alerts/nope/read'],
      ['POST', '/api/alerts/nope/acknowledge'],
      ['DELETE', '/api/alerts/nope'],
    ] as const) {
      const res = await server.request({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json()).toMatchObject({ success: false, code: 4500, details: [{ field: 'params.id' }] });
    }
  });

  it('rejects bad filters and bodies with their codes', async () => {
    expect((await get('/api/alerts?severity=fatal')).body).toMatchObject({ code: 1001 });
    expect((await get('/api/alerts?symbol=600000')).body).toMatchObject({ code: 1100 });
    expect((await get('/api/alerts?since=2024-06-14')).body).toMatchObject({ code: 1200 });
    const badDate = await get('/api/alerts?since=2024-13-45T10:00:00Z');
    expect(badDate.status).toBe(422);
    expect(badDate.body).toMatchObject({ code: 1200, details: [{ field: 'querystring.since' }] });
    expect((await get('/api/alerts?read=maybe')).body).toMatchObject({ code: 1001 });
    expect((await post('/api/alerts/test', { severity: 'loud' })).body).toMatchObject({ code: 1001 });
    expect((await post('/api/alerts/test', { severity: 'info', extra: 1 })).body).toMatchObject({ code: 1001 });
    expect((await post('/api/alerts/test', {})).body).toMatchObject({ code: 1001 });
    expect(published).toHaveLength(0);
  });

  it('raises a test alert through the whole path, with the notification decision of the settings', async () => {
    const res = await post('/api/alerts/test', { severity: 'critical', message: '测试' });
    expect(res.status).toBe(201);
    expect(validAlertEvent(res.body.data), JSON.stringify(validAlertEvent.errors)).toBe(true);
    expect(res.body.data).toMatchObject({ ruleId: null, kind: 'test', severity: 'critical', message: '测试', scope: { type: 'account' }, notify: { show: true, sound: true, reason: 'shown' } });
    expect(published.map((m) => m.data)).toEqual([res.body.data]);
    expect(((await get('/api/alerts')).body.data as { items: { id: string }[] }).items[0]!.id).toBe((res.body.data as { id: string }).id);

    // Below the minimum severity (warning by default).
    expect((await post('/api/alerts/test', { severity: 'info' })).body.data).toMatchObject({ notify: { show: false, reason: 'severity' } });

    const settings = { enabled: true, minSeverity: 'info', quietHours: { enabled: true, start: '22:00', end: '07:00' }, sound: false };
    const patched = await server.request({ method: 'PATCH', url: '/api/system/settings', payload: { notifications: settings } });
    expect(patched.json().data.notifications).toEqual(settings);
    expect((await post('/api/alerts/test', { severity: 'info' })).body.data).toMatchObject({ notify: { show: true, sound: false, reason: 'shown' } });
    // 23:30 Beijing is inside 22:00–07:00 (wrapping midnight), 07:00 is not.
    clock = beijing('2024-06-14 23:30');
    expect((await post('/api/alerts/test', { severity: 'critical' })).body.data).toMatchObject({ notify: { show: false, reason: 'quiet-hours' } });
    clock = beijing('2024-06-15 07:00');
    expect((await post('/api/alerts/test', { severity: 'critical' })).body.data).toMatchObject({ notify: { show: true } });

    await server.request({ method: 'PATCH', url: '/api/system/settings', payload: { notifications: { ...settings, enabled: false } } });
    expect((await post('/api/alerts/test', { severity: 'critical' })).body.data).toMatchObject({ notify: { show: false, reason: 'disabled' } });
    expect(published).toHaveLength(6);
  });

  it('validates the notification settings', async () => {
    const base = { enabled: true, minSeverity: 'warning', quietHours: { enabled: true, start: '22:00', end: '07:00' }, sound: true };
    for (const bad of [
      { ...base, quietHours: { ...base.quietHours, start: '24:00' } },
      { ...base, quietHours: { ...base.quietHours, end: '7:00' } },
      { ...base, minSeverity: 'fatal' },
      { enabled: false },
      { ...base, extra: 1 },
    ]) {
      const res = await server.request({ method: 'PATCH', url: '/api/system/settings', payload: { notifications: bad } });
      expect(res.statusCode, JSON.stringify(bad)).toBe(422);
    }
    expect((await get('/api/system/settings')).body.data).toMatchObject({ notifications: { enabled: true, minSeverity: 'warning', quietHours: { enabled: false }, sound: true } });
  });
});

describe('alert retention', () => {
  it('keeps at most the newest N and nothing older than the age limit, pruned at start', async () => {
    const temp = tempDataDir();
    try {
      let clock = beijing('2024-01-01 10:00');
      const first = await testServer({ dataDir: temp.dir, now: () => clock });
      for (let day = 0; day < 6; day++) {
        clock = beijing('2024-01-01 10:00') + day * 86_400_000;
        first.context.alerts.raise(rule({ title: `day ${day}` }));
      }
      await first.app.close();
      // Day 5 + 3 days: days 0–1 are older than 3 days; of the rest the newest 3 stay.
      clock = beijing('2024-01-09 10:00');
      const second = await testServer({ dataDir: temp.dir, now: () => clock, alertRetention: { maxAgeDays: 3, maxCount: 3 } });
      await second.app.ready();
      expect(second.context.alerts.repository.list({}, 1, 100).items.map((a) => a.title)).toEqual(['day 5']);
      await second.app.close();
      clock = beijing('2024-01-06 10:00');
      const third = await testServer({ dataDir: temp.dir, now: () => clock, alertRetention: { maxAgeDays: 90, maxCount: 3 } });
      expect(third.context.alerts.prune()).toBe(0);
      await third.app.close();
    } finally {
      temp.remove();
    }
  });

  it('prunes by count', async () => {
    const s = await testServer({ alertRetention: { maxAgeDays: 90, maxCount: 2 } });
    try {
      for (const title of ['a', 'b', 'c', 'd']) s.context.alerts.raise(rule({ title }));
      expect(s.context.alerts.prune()).toBe(2);
      expect(s.context.alerts.repository.list({}, 1, 100).items.map((a) => a.title)).toEqual(['d', 'c']);
    } finally {
      await s.close();
    }
  });
});

describe('GET /api/stream/alerts', () => {
  let s: RunningServer;
  let temp: ReturnType<typeof tempDataDir>;

  beforeAll(async () => {
    temp = tempDataDir();
    s = await startServer({ dataDir: temp.dir, token: TEST_TOKEN, fetch: offlineFetch });
  });
  afterAll(async () => {
    await s?.close();
    temp?.remove();
  });

  function follow(lastEventId?: string) {
    const events: { id: string; data: Record<string, unknown> }[] = [];
    const others: string[] = [];
    const es = new EventSource(`${s.origin}/api/stream/alerts${lastEventId ? `?lastEventId=${lastEventId}` : ''}`, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${TEST_TOKEN}` } }),
    });
    es.addEventListener('alert', (e) => {
      const data = JSON.parse(e.data) as Record<string, unknown>;
      if (!validAlertEvent(data)) throw new Error(`alert does not match its contract: ${JSON.stringify(validAlertEvent.errors)}`);
      events.push({ id: e.lastEventId, data });
    });
    for (const name of ['reset', 'overflow']) es.addEventListener(name, () => others.push(name));
    const opened = new Promise<void>((resolve, reject) => {
      es.onopen = () => resolve();
      es.onerror = () => reject(new Error('stream failed'));
    });
    const until = async (n: number) => {
      for (let i = 0; i < 200 && events.length < n; i++) await new Promise((r) => setTimeout(r, 10));
    };
    return { events, others, opened, until, close: () => es.close() };
  }

  it('delivers each alert exactly once to every subscriber', async () => {
    const a = follow();
    const b = follow();
    await Promise.all([a.opened, b.opened]);
    const raised = [s.context.alerts.raise(rule({ title: 'one' }))];
    const res = await fetch(`${s.origin}/api/alerts/test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ severity: 'warning' }),
    });
    raised.push(((await res.json()) as { data: never }).data);
    await a.until(2);
    await b.until(2);
    // Nothing more arrives.
    await new Promise((r) => setTimeout(r, 100));
    a.close();
    b.close();
    for (const stream of [a, b]) {
      expect(stream.events.map((e) => e.data)).toEqual(raised);
      expect(stream.others).toEqual([]);
      expect(Number(stream.events[1]!.id)).toBeGreaterThan(Number(stream.events[0]!.id));
    }
  });

  it('replays what a reconnecting subscriber missed after its Last-Event-ID', async () => {
    const first = follow();
    await first.opened;
    s.context.alerts.raise(rule({ title: 'seen' }));
    await first.until(1);
    first.close();
    const missed = [s.context.alerts.raise(rule({ title: 'missed 1' })), s.context.alerts.raise(rule({ title: 'missed 2' }))];
    const resumed = follow(first.events[0]!.id);
    await resumed.opened;
    await resumed.until(2);
    await new Promise((r) => setTimeout(r, 50));
    resumed.close();
    expect(resumed.events.map((e) => e.data)).toEqual(missed);

    // An id from before this launch: a reset, then live events.
    const old = follow('1000');
    await old.opened;
    for (let i = 0; i < 100 && old.others.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    old.close();
    expect(old.others).toEqual(['reset']);
    expect(old.events).toEqual([]);
  });
});
