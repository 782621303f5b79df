import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { effectScope } from 'vue';
import type { SseEventPayloads } from '@contracts/gen/sse-events';
import { envelope, errorEnvelope } from '@/test/helpers';
import { FakeEventSource } from '@/test/fake-event-source';
import { setApiToken, sessionLost } from './auth';
import { EventStream, streamPath, useEventStream, type StreamHandlers } from './sse';

vi.mock('element-plus', () => ({ ElMessage: vi.fn() }));

const latest = () => FakeEventSource.latest();

const entry: SseEventPayloads['log'] = {
  id: 7,
  timestamp: '2026-01-02T03:04:05.678Z',
  level: 'INFO',
  module: 'system',
  message: 'settings updated',
  context: { changed: ['theme'] },
};

/**
 * Liveness answers `live`; the authenticated status route answers `status`. The probes call
 * fetch(url, init) and the API client fetch(Request): both are recorded as Requests.
 */
function stubServer(options: { live?: 'up' | 'down'; status?: number } = {}) {
  const requests: Request[] = [];
  const handle = (request: Request): Response => {
    const path = new URL(request.url).pathname;
    if (path === '/api/health/live') {
      if (options.live === 'down') throw new TypeError('Failed to fetch');
      return envelope({ status: 'ok' });
    }
    if (path === '/api/stream/status') {
      return options.status === 401 ? errorEnvelope(401, { code: 6000, message: 'Unauthorized' }) : envelope({});
    }
    if (path === '/api/auth/session') return envelope({ cookieName: 'mystocks_session_1' });
    return errorEnvelope(404, { code: 1004, message: 'not found' });
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(new URL(String(input), window.location.href), init);
      requests.push(request);
      return handle(request);
    }),
  );
  return { requests };
}

function createStream(on: StreamHandlers<'streamLogs'> = {}, extra: { onOpen?: (info: { resumed: boolean }) => void } = {}) {
  return new EventStream('streamLogs', {
    query: { level: 'INFO' },
    on,
    random: () => 1, // the top of each jitter window: deterministic delays
    ...extra,
  });
}

beforeEach(() => {
  FakeEventSource.instances = [];
  vi.stubGlobal('EventSource', FakeEventSource);
  vi.useFakeTimers();
  setApiToken(null);
  sessionLost.value = false;
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('EventStream', () => {
  it('opens the stream path with the query, then reports open', () => {
    const onOpen = vi.fn();
    const stream = createStream({}, { onOpen });
    expect(stream.state.value).toBe('closed');

    stream.start();
    expect(stream.state.value).toBe('connecting');
    expect(new URL(latest().url, 'http://x').pathname).toBe('/api/stream/logs');
    expect(latest().query.get('level')).toBe('INFO');
    expect(latest().query.has('lastEventId')).toBe(false);

    latest().open();
    expect(stream.state.value).toBe('open');
    expect(onOpen).toHaveBeenCalledWith({ resumed: false });
    stream.close();
    expect(stream.state.value).toBe('closed');
    expect(latest().closed).toBe(true);
  });

  it('dispatches typed payloads, parsing each event once, and ignores data that is not JSON', () => {
    const messages: string[] = [];
    const ids: string[] = [];
    const stream = createStream({
      log: (log, meta) => {
        messages.push(`${log.level} ${log.module} ${log.message}`); // typed as LogEntry
        ids.push(meta.id);
      },
    });
    stream.start();
    latest().open();
    const parse = vi.spyOn(JSON, 'parse');

    latest().send('log', entry, '1700000000000007');
    expect(parse).toHaveBeenCalledTimes(1);
    expect(messages).toEqual(['INFO system settings updated']);
    expect(ids).toEqual(['1700000000000007']);
    expect(stream.lastEventId.value).toBe('1700000000000007');

    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    latest().send('log', '{not json', '1700000000000008');
    expect(messages).toHaveLength(1);
    stream.close();
  });

  it('reconnects after an error, resuming after the last id it saw', async () => {
    stubServer();
    const onOpen = vi.fn();
    const stream = createStream({ log: () => undefined }, { onOpen });
    stream.start();
    latest().open();
    latest().send('log', entry, '1700000000000007');

    const first = latest();
    first.fail();
    expect(first.closed).toBe(true); // the browser's own retry is not used
    expect(stream.state.value).toBe('reconnecting');
    expect(stream.attempts.value).toBe(1);
    expect(stream.lastError.value).toBe('network');

    await vi.advanceTimersByTimeAsync(500);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(latest().query.get('lastEventId')).toBe('1700000000000007');
    expect(latest().query.get('level')).toBe('INFO');
    expect(stream.state.value).toBe('reconnecting');

    latest().open();
    expect(stream.state.value).toBe('open');
    expect(stream.attempts.value).toBe(0);
    expect(stream.lastError.value).toBeNull();
    expect(onOpen).toHaveBeenLastCalledWith({ resumed: true });
    stream.close();
  });

  it('backs off exponentially with full jitter up to the cap, and starts over after an open', async () => {
    const stream = new EventStream('streamLogs', { on: {}, random: () => 1, backoff: { initialMs: 500, maxMs: 30_000 } });
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => stream.delayFor(n))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    const jittered = new EventStream('streamLogs', { on: {}, random: () => 0.25 });
    expect(jittered.delayFor(3)).toBe(500); // anywhere in [0, 2000]: a quarter of it here

    // While the server is down, each probe fails and the wait doubles; no EventSource is created.
    stubServer({ live: 'down' });
    stream.start();
    latest().fail();
    await vi.advanceTimersByTimeAsync(500); // probe 1 fails
    expect(stream.attempts.value).toBe(2);
    expect(stream.lastError.value).toBe('unreachable');
    await vi.advanceTimersByTimeAsync(999);
    expect(stream.attempts.value).toBe(2);
    await vi.advanceTimersByTimeAsync(1); // probe 2 fails
    expect(stream.attempts.value).toBe(3);
    expect(FakeEventSource.instances).toHaveLength(1);

    // The server is back: the next probe passes and the stream reopens.
    stubServer();
    await vi.advanceTimersByTimeAsync(2000);
    expect(FakeEventSource.instances).toHaveLength(2);
    latest().open();
    expect(stream.attempts.value).toBe(0);

    // The next failure waits the first step again.
    latest().fail();
    expect(stream.attempts.value).toBe(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(FakeEventSource.instances).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.instances).toHaveLength(3);
    stream.close();
  });

  it('passes `reset` to the feature and resumes after its id', async () => {
    stubServer();
    const onReset = vi.fn();
    const stream = createStream({ reset: onReset });
    stream.start();
    latest().open();
    const reset: SseEventPayloads['reset'] = { reason: 'too-old', requestedId: '5', oldestId: 1800000000000001, latestId: 1800000000000009 };
    latest().send('reset', reset, '1800000000000009');
    expect(onReset).toHaveBeenCalledWith(reset, { id: '1800000000000009' });

    latest().fail();
    await vi.advanceTimersByTimeAsync(500);
    expect(latest().query.get('lastEventId')).toBe('1800000000000009');
    stream.close();
  });

  it('reconnects at once on `overflow`, resuming after the last id', async () => {
    stubServer();
    const onOverflow = vi.fn();
    const stream = createStream({ overflow: onOverflow, log: () => undefined });
    stream.start();
    latest().open();
    latest().send('log', entry, '1700000000000007');
    const dropped = latest();
    dropped.send('overflow', { reason: 'slow-consumer', bufferedBytes: 2_000_000 }, '1700000000000007');

    expect(onOverflow).toHaveBeenCalledOnce();
    expect(dropped.closed).toBe(true);
    expect(stream.state.value).toBe('reconnecting');
    dropped.fail(); // the server's close that follows changes nothing
    expect(stream.attempts.value).toBe(1);

    await vi.advanceTimersByTimeAsync(500);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(latest().query.get('lastEventId')).toBe('1700000000000007');
    stream.close();
  });

  it('on a refused stream with the cookie rejected, gets a new cookie with the token in memory', async () => {
    const { requests } = stubServer({ status: 401 });
    setApiToken('token-in-memory-0123456789');
    const stream = createStream();
    stream.start();
    latest().fail('http');
    expect(stream.lastError.value).toBe('http');

    await vi.advanceTimersByTimeAsync(500);
    const paths = requests.map((r) => `${r.method} ${new URL(r.url).pathname}`);
    expect(paths).toEqual(['GET /api/health/live', 'GET /api/stream/status', 'POST /api/auth/session']);
    // The probe tests the cookie, so it must not carry the token; the exchange does.
    expect(requests[1]!.headers.has('Authorization')).toBe(false);
    expect(requests[2]!.headers.get('Authorization')).toBe('Bearer token-in-memory-0123456789');
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(sessionLost.value).toBe(false);
    stream.close();
  });

  it('on a refused stream with no token, flags the lost session and stops', async () => {
    stubServer({ status: 401 });
    const stream = createStream();
    stream.start();
    latest().fail('http');
    await vi.advanceTimersByTimeAsync(500);
    expect(sessionLost.value).toBe(true);
    expect(stream.state.value).toBe('closed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it('keeps retrying a refused stream whose session is fine (e.g. the connection cap, 503)', async () => {
    stubServer({ status: 200 });
    const stream = createStream();
    stream.start();
    latest().fail('http');
    await vi.advanceTimersByTimeAsync(500);
    expect(FakeEventSource.instances).toHaveLength(2);
    expect(sessionLost.value).toBe(false);
    stream.close();
  });

  it('restart({ fresh }) reconnects at once without the last id, reading the query again', () => {
    let level: 'INFO' | 'ERROR' = 'INFO';
    const onOpen = vi.fn();
    const stream = new EventStream('streamLogs', { query: () => ({ level }), on: { log: () => undefined }, onOpen });
    stream.start();
    latest().open();
    latest().send('log', entry, '1700000000000007');
    const old = latest();

    level = 'ERROR';
    stream.restart({ fresh: true });
    expect(old.closed).toBe(true);
    expect(latest().query.get('level')).toBe('ERROR');
    expect(latest().query.has('lastEventId')).toBe(false);
    old.send('log', entry, '1700000000000008'); // a late event from the old source is ignored
    expect(stream.lastEventId.value).toBeNull();
    latest().open();
    expect(onOpen).toHaveBeenLastCalledWith({ resumed: false });
    stream.close();
  });

  it('useEventStream starts at once, resumes from a given id, and closes with its scope', async () => {
    stubServer();
    const scope = effectScope();
    const stream = scope.run(() => useEventStream('streamLogs', { on: {}, lastEventId: '1700000000000042' }))!;
    expect(stream.state.value).toBe('connecting');
    expect(latest().query.get('lastEventId')).toBe('1700000000000042');
    latest().fail();
    scope.stop();
    expect(stream.state.value).toBe('closed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeEventSource.instances).toHaveLength(1);
  });

  it('fills in path parameters (encoded) and keeps them across reconnects', async () => {
    stubServer();
    const progress = vi.fn();
    const stream = new EventStream('streamBacktest', { path: { taskId: 'bt_7' }, on: { progress }, random: () => 1 });
    stream.start();
    expect(new URL(latest().url, 'http://x').pathname).toBe('/api/stream/backtest/bt_7');
    latest().open();
    const event: SseEventPayloads['progress'] = { taskId: 'bt_7', state: 'running', progress: 42, phase: 'running', barsProcessed: 420, barsTotal: 1000 };
    latest().send('progress', event, '1700000000000009');
    expect(progress).toHaveBeenCalledWith(event, { id: '1700000000000009' });

    latest().fail();
    await vi.advanceTimersByTimeAsync(500);
    expect(new URL(latest().url, 'http://x').pathname).toBe('/api/stream/backtest/bt_7');
    expect(latest().query.get('lastEventId')).toBe('1700000000000009');
    stream.close();

    expect(streamPath('/api/stream/backtest/{taskId}', { taskId: 'a/b c' })).toBe('/api/stream/backtest/a%2Fb%20c');
    expect(() => streamPath('/api/stream/backtest/{taskId}', {})).toThrow(/taskId/);
    expect(streamPath('/api/stream/logs', undefined)).toBe('/api/stream/logs');
  });

  it('delivers a server event named `error` as an event, not as a dropped connection', () => {
    const onError = vi.fn();
    const stream = new EventStream('streamBacktest', { path: { taskId: 'bt_9' }, on: { error: onError }, random: () => 1 });
    stream.start();
    latest().open();
    const failed: SseEventPayloads['error'] = { taskId: 'bt_9', state: 'failed', code: 2003, message: 'No bars for 688001.SH' };
    latest().send('error', failed, '1700000000000011');
    expect(onError).toHaveBeenCalledWith(failed, { id: '1700000000000011' });
    expect(stream.state.value).toBe('open');
    expect(stream.attempts.value).toBe(0);
    expect(FakeEventSource.instances).toHaveLength(1);
    stream.close();
  });
});
