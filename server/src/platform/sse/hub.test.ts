import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { EventSource } from 'eventsource';
import { Ajv } from 'ajv';
import spec from '../../../../contracts/gen/openapi.json' with { type: 'json' };
import { SseEventSchemas, type SseEventName } from '../../../../contracts/gen/sse-events';
import { startServer, type RunningServer } from '../../app';
import { dereference } from '../contract';
import { TEST_TOKEN, tempDataDir } from '../../../../tests/helpers/server';
import type { HubOptions } from './hub';

const ajv = new Ajv({ strict: false });
const validators = Object.fromEntries(
  Object.entries(SseEventSchemas).map(([event, schema]) => [
    event,
    ajv.compile(dereference((spec.components.schemas as unknown as Record<string, never>)[schema]!) as object),
  ]),
) as Record<SseEventName, ReturnType<Ajv['compile']>>;

interface Received {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(sse: Partial<HubOptions> = {}): Promise<RunningServer> {
  const temp = tempDataDir();
  const s = await startServer({ dataDir: temp.dir, token: TEST_TOKEN, sse: { retryMs: 20, ...sse } });
  cleanups.push(() => temp.remove(), () => s.close());
  return s;
}

/** A real EventSource client (the `eventsource` package), authenticated with the Bearer token. */
function subscribe(s: RunningServer, path: string, events: string[] = ['log', 'reset', 'overflow']) {
  const received: Received[] = [];
  const states: string[] = [];
  const es = new EventSource(`${s.origin}${path}`, {
    fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${TEST_TOKEN}` } }),
  });
  for (const event of events) {
    es.addEventListener(event, (e) => {
      const data = JSON.parse(e.data) as Record<string, unknown>;
      const validate = validators[event as SseEventName];
      if (!validate(data)) throw new Error(`${event} payload does not match its contract: ${ajv.errorsText(validate.errors)}`);
      received.push({ id: e.lastEventId, event, data });
    });
  }
  es.addEventListener('open', () => states.push('open'));
  es.addEventListener('error', () => states.push('error'));
  cleanups.push(() => es.close());
  return { es, received, states };
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function logMessages(received: Received[]): string[] {
  return received.filter((r) => r.event === 'log').map((r) => String(r.data.message));
}

/** Raw HTTP stream reader (sees comments and lets a test stop reading). */
function rawStream(s: RunningServer, path: string, headers: Record<string, string> = {}) {
  let text = '';
  let status = 0;
  let ended = false;
  let response: http.IncomingMessage | undefined;
  const req = http.get({ host: '127.0.0.1', port: s.port, path, headers: { authorization: `Bearer ${TEST_TOKEN}`, ...headers } }, (res) => {
    response = res;
    status = res.statusCode ?? 0;
    res.setEncoding('utf8');
    res.on('data', (c: string) => (text += c));
    res.on('end', () => (ended = true));
    res.on('error', () => (ended = true));
  });
  req.on('error', () => (ended = true));
  cleanups.push(() => void req.destroy());
  return {
    text: () => text,
    status: () => status,
    ended: () => ended,
    pause: () => response?.pause(),
    headers: () => response?.headers ?? {},
  };
}

describe('SSE hub', () => {
  it('sends ids that increase, named events, and payloads that match the contract', async () => {
    const s = await server();
    const client = subscribe(s, '/api/stream/logs');
    await until(() => client.states.includes('open'), 'open');
    for (let i = 1; i <= 5; i++) s.app.log.info({ module: 'test' }, `event ${i}`);
    await until(() => logMessages(client.received).filter((m) => m.startsWith('event ')).length === 5, '5 events');
    const ids = client.received.map((r) => Number(r.id));
    expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
    expect(ids[0]).toBeGreaterThan(Date.parse('2020-01-01') * 1000);
    const mine = client.received.filter((r) => String(r.data.message).startsWith('event '));
    expect(mine[0]!.data).toMatchObject({ level: 'INFO', module: 'test', message: 'event 1' });
  });

  it('answers with SSE headers and retry:, and sends comment heartbeats', async () => {
    const s = await server({ heartbeatMs: 30 });
    const stream = rawStream(s, '/api/stream/logs');
    await until(() => stream.text().includes(': heartbeat\n\n'), 'a heartbeat');
    expect(stream.status()).toBe(200);
    expect(stream.headers()['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(stream.headers()['cache-control']).toContain('no-cache');
    expect(stream.headers()['x-accel-buffering']).toBe('no');
    expect(stream.headers()['content-encoding']).toBeUndefined();
    expect(stream.text().startsWith('retry: 20\n\n')).toBe(true);
    expect(stream.text().match(/retry:/g)).toHaveLength(1);
  });

  it('resumes after a forced disconnect with no gap and no duplicate', async () => {
    const s = await server();
    const client = subscribe(s, '/api/stream/logs?level=WARNING');
    await until(() => client.states.includes('open'), 'open');
    for (let i = 1; i <= 3; i++) s.app.log.warn({ module: 'test' }, `m${i}`);
    await until(() => logMessages(client.received).length === 3, 'first three');

    s.app.server.closeAllConnections(); // the network drops
    for (let i = 4; i <= 6; i++) s.app.log.warn({ module: 'test' }, `m${i}`); // published while disconnected
    await until(() => client.states.filter((x) => x === 'open').length === 2, 'reconnect');
    s.app.log.warn({ module: 'test' }, 'm7');
    await until(() => logMessages(client.received).length >= 7, 'all seven');
    expect(logMessages(client.received)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    expect(client.received.some((r) => r.event === 'reset')).toBe(false);
  });

  it('sends reset when Last-Event-ID is older than the buffer or unknown', async () => {
    const s = await server({ bufferSize: 5 });
    const first = subscribe(s, '/api/stream/logs');
    await until(() => first.states.includes('open'), 'open');
    for (let i = 1; i <= 12; i++) s.app.log.info({ module: 'test' }, `n${i}`);
    await until(() => logMessages(first.received).includes('n12'), 'n12');
    const oldId = first.received.find((r) => r.data.message === 'n1')!.id;

    const late = rawStream(s, '/api/stream/logs', { 'last-event-id': oldId });
    await until(() => late.text().includes('event: reset'), 'reset');
    const reset = JSON.parse(/event: reset\ndata: (.*)\n/.exec(late.text())![1]!);
    expect(reset).toMatchObject({ reason: 'too-old', requestedId: oldId });
    expect(validators.reset(reset)).toBe(true);
    expect(late.text()).not.toContain('"message":"n12"');

    const fromEarlierLaunch = rawStream(s, '/api/stream/logs?lastEventId=12');
    await until(() => fromEarlierLaunch.text().includes('event: reset'), 'reset for an id from an earlier launch');
    const future = rawStream(s, `/api/stream/logs?lastEventId=${Number(oldId) + 1_000_000}`);
    await until(() => future.text().includes('"reason":"unknown-id"'), 'unknown-id reset');

    // The query fallback replays exactly what came after a buffered id.
    const n10 = first.received.find((r) => r.data.message === 'n10')!.id;
    const resumed = rawStream(s, `/api/stream/logs?lastEventId=${n10}`);
    await until(() => resumed.text().includes('"message":"n12"'), 'replay');
    expect(resumed.text()).toContain('"message":"n11"');
    expect(resumed.text()).not.toContain('"message":"n10"');
  });

  it('drops a client that stops reading while a fast one keeps receiving, and memory stays bounded', async () => {
    const s = await server({ maxBufferedBytes: 256 * 1024 });
    const fast = subscribe(s, '/api/stream/logs');
    const slow = rawStream(s, '/api/stream/logs');
    await until(() => fast.states.includes('open') && slow.status() === 200, 'both open');
    slow.pause();
    const padding = 'x'.repeat(16 * 1024);
    let sent = 0;
    // Rounds well under the limit; each waits for the fast client, so only the stalled one falls behind.
    for (let round = 0; round < 2000 && s.context.hub.status().totals.dropped === 0; round++) {
      for (let i = 0; i < 4; i++) s.app.log.info({ module: 'test', padding }, `bulk ${sent++}`);
      await until(() => logMessages(fast.received).length === sent, `round ${round}`);
    }
    const status = s.context.hub.status();
    expect(status.totals.dropped).toBe(1);
    expect(status.topics.find((t) => t.topic === 'logs')!.connections).toBe(1);
    s.app.log.info({ module: 'test' }, 'after the drop');
    await until(() => logMessages(fast.received).includes('after the drop'), 'fast client keeps receiving');
    expect(logMessages(fast.received).filter((m) => m.startsWith('bulk '))).toHaveLength(sent);
  });

  it('caps concurrent connections with 503 and code 9002', async () => {
    const s = await server({ maxConnections: 2 });
    const a = rawStream(s, '/api/stream/logs');
    const b = rawStream(s, '/api/stream/logs');
    await until(() => a.status() === 200 && b.status() === 200, 'two streams');
    const c = rawStream(s, '/api/stream/logs');
    await until(() => c.ended(), 'refusal');
    expect(c.status()).toBe(503);
    expect(JSON.parse(c.text())).toMatchObject({ success: false, code: 9002 });
    expect(s.context.hub.status()).toMatchObject({ connections: 2, maxConnections: 2, totals: { rejected: 1 } });
  });

  it('needs the token or the session cookie, like REST', async () => {
    const s = await server();
    const anonymous = rawStream(s, '/api/stream/logs', { authorization: '' });
    await until(() => anonymous.ended(), 'refusal');
    expect(anonymous.status()).toBe(401);
    const session = await fetch(`${s.origin}/api/auth/session`, { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    const cookie = session.headers.get('set-cookie')!.split(';')[0]!;
    const withCookie = rawStream(s, '/api/stream/logs', { authorization: '', cookie });
    await until(() => withCookie.status() === 200, 'cookie stream');
  });

  it('filters the log stream by level on the server', async () => {
    const s = await server();
    const client = subscribe(s, '/api/stream/logs?level=ERROR');
    await until(() => client.states.includes('open'), 'open');
    s.app.log.info({ module: 'test' }, 'quiet');
    s.app.log.warn({ module: 'test' }, 'louder');
    s.app.log.error({ module: 'test' }, 'loudest');
    await until(() => logMessages(client.received).includes('loudest'), 'error entry');
    expect(logMessages(client.received)).toEqual(['loudest']);
  });

  it('reports status and ends every stream cleanly on shutdown', async () => {
    const temp = tempDataDir();
    cleanups.push(() => temp.remove());
    const s = await startServer({ dataDir: temp.dir, token: TEST_TOKEN });
    const stream = rawStream(s, '/api/stream/logs');
    await until(() => stream.status() === 200, 'open');
    s.app.log.info({ module: 'test' }, 'hello');
    const res = await fetch(`${s.origin}/api/stream/status`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    const status = ((await res.json()) as { data: ReturnType<RunningServer['context']['hub']['status']> }).data;
    expect(status.connections).toBe(1);
    expect(status.topics.find((t: { topic: string }) => t.topic === 'logs')).toMatchObject({ connections: 1 });
    expect(status.totals.published).toBeGreaterThan(0);
    expect(status.totals.sent).toBeGreaterThan(0);
    await s.close();
    await until(() => stream.ended(), 'stream end');
  });
});
