/**
 * Live quotes: the poller publishes changes only, only in trading sessions, nothing offline; the
 * stream delivers `quote` events to a real EventSource client. Clock and fetch are injected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventSource } from 'eventsource';
import { Ajv } from 'ajv';
import spec from '../../../../contracts/gen/openapi.json' with { type: 'json' };
import { startServer, type RunningServer, type ServerOptions } from '../../app';
import { dereference } from '../../platform/contract';
import { TEST_TOKEN, tempDataDir, testServer } from '../../../../tests/helpers/server';
import { beijing, movableClock, seedDaily } from '../../../../tests/helpers/market';
import { FakeFetch, HOSTS, body } from '../../providers/fixtures/fake-fetch';
import type { Quote } from '../../providers/types';

const validateQuote = new Ajv({ strict: false }).compile(dereference(spec.components.schemas.Quote as never) as object);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A ulist.np answer (fltt=2) with the given last prices, dated at the injected clock's day. */
function ulist(prices: Record<string, number>, unixSeconds: number): Response {
  const diff = Object.entries(prices).map(([secid, price]) => {
    const [market, code] = secid.split('.');
    return { f2: price, f3: 0, f4: 0, f5: Math.round(price * 1000), f6: price * 100_000, f12: code, f13: Number(market), f14: `名称${code}`, f15: price, f16: price, f17: price, f18: 10, f124: unixSeconds };
  });
  return body(JSON.stringify({ rc: 0, data: { total: diff.length, diff } }));
}

/** Eastmoney only, answering with whatever `prices` holds at the time of the call. */
function livePrices(clock: { now(): number }) {
  const prices: Record<string, number> = { '1.600000': 10.5, '0.000001': 11.8 };
  const fake = new FakeFetch().on(HOSTS.eastmoney, '/ulist.np/', () => ulist(prices, Math.floor(clock.now() / 1000)));
  return { fake, prices };
}

const EASTMONEY_ONLY = [{ id: 'eastmoney' as const, enabled: true }];

async function injected(options: Partial<ServerOptions>) {
  const s = await testServer(options);
  cleanups.push(() => s.close());
  await s.request({ method: 'PATCH', url: '/api/system/settings', payload: { providers: EASTMONEY_ONLY } });
  const published: Quote[] = [];
  s.context.bus.subscribe('quotes', (m) => published.push(m.data as Quote));
  return { s, published };
}

describe('quote poller', () => {
  it('publishes each watched symbol once, then only what changed', async () => {
    const clock = movableClock(beijing('2025-03-12 10:00'));
    const { fake, prices } = livePrices(clock);
    const { s, published } = await injected({ fetch: fake.fetch, now: clock.now });
    const poller = s.context.online.poller;
    const unwatch = poller.watch(['600000.SH', '000001.SZ']);
    await poller.tick();
    expect(published.map((q) => [q.symbol, q.price, q.source, q.stale])).toEqual([
      ['600000.SH', 10.5, 'eastmoney', false],
      ['000001.SZ', 11.8, 'eastmoney', false],
    ]);
    clock.advance(5_000);
    expect(await poller.tick()).toBe(0); // same values, newer time: nothing
    prices['1.600000'] = 10.51;
    clock.advance(5_000);
    expect(await poller.tick()).toBe(1);
    expect(published.at(-1)).toMatchObject({ symbol: '600000.SH', price: 10.51 });
    expect(fake.calls.at(-1)!.searchParams.get('secids')).toBe('1.600000,0.000001');
    unwatch();
    expect(poller.watchedSymbols()).toEqual([]);
    expect(await poller.tick()).toBe(0);
  });

  it('polls only during trading sessions on trading days', async () => {
    const clock = movableClock(beijing('2025-03-12 12:00'));
    const { fake } = livePrices(clock);
    const { s, published } = await injected({ fetch: fake.fetch, now: clock.now });
    const poller = s.context.online.poller;
    poller.watch(['600000.SH']);
    const polledAt = async (time: string) => {
      clock.set(beijing(time));
      const before = fake.calls.length;
      await poller.tick();
      return fake.calls.length > before;
    };
    expect(await polledAt('2025-03-12 12:00')).toBe(false); // lunch break
    expect(await polledAt('2025-03-12 09:15')).toBe(false); // before the open
    expect(await polledAt('2025-03-12 15:05')).toBe(false); // after the close
    expect(await polledAt('2025-03-15 10:00')).toBe(false); // Saturday
    s.context.market.addTradingDays(['2024-09-30', '2024-10-08']);
    expect(await polledAt('2024-10-02 10:00')).toBe(false); // National Day, known from the cache
    expect(await polledAt('2025-03-12 13:00')).toBe(true);
    expect(published).toHaveLength(1);
  });

  it('publishes nothing when the providers are offline, and stops asking once the breaker opens', async () => {
    const clock = movableClock(beijing('2025-03-12 10:00'));
    const fake = new FakeFetch();
    const { s, published } = await injected({ fetch: fake.fetch, now: clock.now });
    const poller = s.context.online.poller;
    poller.watch(['600000.SH']);
    for (let i = 0; i < 5; i++) await poller.tick();
    expect(published).toEqual([]);
    expect(fake.calls).toHaveLength(6); // 3 failed polls × (1 + 1 retry), then the breaker is open
    expect(s.context.online.registry.status()[0]!.breaker).toBe('open');
  });

  it('rests for the day when the quotes are from an earlier day (an unknown holiday)', async () => {
    const clock = movableClock(beijing('2025-10-01 10:00'));
    const yesterday = Math.floor(beijing('2025-09-30 15:00') / 1000);
    const fake = new FakeFetch().on(HOSTS.eastmoney, '/ulist.np/', () => ulist({ '1.600000': 10.5 }, yesterday));
    const { s, published } = await injected({ fetch: fake.fetch, now: clock.now });
    const poller = s.context.online.poller;
    poller.watch(['600000.SH']);
    await poller.tick();
    expect(published).toEqual([]);
    expect(s.context.online.calendar.known('2025-10-01')).toBe(false);
    await poller.tick();
    expect(fake.calls).toHaveLength(1);
  });

  it('gives a snapshot: the last provider quote (stale outside sessions or when old), else the cache', async () => {
    const clock = movableClock(beijing('2025-03-12 10:00'));
    const { fake } = livePrices(clock);
    const { s } = await injected({ fetch: fake.fetch, now: clock.now });
    seedDaily(s.context.market, '600519.SH', '贵州茅台', [['2025-03-11', 1500, 1520, 1490, 1510, 1e6, 1.5e9]]);
    const poller = s.context.online.poller;
    poller.watch(['600000.SH']);
    await poller.tick();
    expect(poller.snapshot(['600000.SH', '600519.SH', '601398.SH']).map((q) => [q.symbol, q.source, q.stale])).toEqual([
      ['600000.SH', 'eastmoney', false],
      ['600519.SH', 'cache', true],
    ]);
    clock.advance(2 * 60_000);
    expect(poller.snapshot(['600000.SH'])[0]!.stale).toBe(true);
    clock.set(beijing('2025-03-12 16:00'));
    expect(poller.snapshot(['600000.SH'])[0]!.stale).toBe(true);
  });
});

describe('GET /api/stream/quotes', () => {
  async function server(fetchImpl: typeof fetch, now: () => number): Promise<RunningServer> {
    const temp = tempDataDir();
    const s = await startServer({ dataDir: temp.dir, token: TEST_TOKEN, fetch: fetchImpl, now, sse: { retryMs: 20 } });
    cleanups.push(() => temp.remove(), () => s.close());
    s.context.market.ensureInstrument('600000.SH', '浦发银行');
    s.context.market.ensureInstrument('000001.SZ', '平安银行');
    await s.app.inject({
      method: 'PATCH',
      url: '/api/system/settings',
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
      payload: { providers: EASTMONEY_ONLY },
    });
    return s;
  }

  function subscribe(s: RunningServer, symbols: string) {
    const received: { id: string; quote: Quote }[] = [];
    const es = new EventSource(`${s.origin}/api/stream/quotes?symbols=${symbols}`, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${TEST_TOKEN}` } }),
    });
    es.addEventListener('quote', (e) => {
      const quote = JSON.parse(e.data) as Quote;
      if (!validateQuote(quote)) throw new Error('quote payload does not match its contract');
      received.push({ id: e.lastEventId, quote });
    });
    cleanups.push(() => es.close());
    return { es, received };
  }

  async function until(condition: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('delivers the requested symbols’ quotes as they change, and stops polling when the client leaves', async () => {
    const clock = movableClock(beijing('2025-03-12 10:00'));
    const { fake, prices } = livePrices(clock);
    const s = await server(fake.fetch, clock.now);
    const client = subscribe(s, '600000.SH');
    // A new stream gets a poll at once (not after a full interval).
    await until(() => client.received.length === 1, 'the first quote');
    expect(client.received[0]!.quote).toMatchObject({ symbol: '600000.SH', price: 10.5, source: 'eastmoney', stale: false });
    expect(s.context.online.poller.watchedSymbols()).toEqual(['600000.SH']);

    prices['1.600000'] = 10.6;
    prices['0.000001'] = 12; // not requested by this client: filtered out
    await s.context.online.poller.tick();
    await until(() => client.received.length === 2, 'the changed quote');
    expect(client.received[1]!.quote).toMatchObject({ symbol: '600000.SH', price: 10.6 });
    expect(Number(client.received[1]!.id)).toBeGreaterThan(Number(client.received[0]!.id));

    // A second client gets the latest known quote at once, then live ones.
    const second = subscribe(s, '600000.SH,000001.SZ');
    await until(() => second.received.length >= 1, 'the snapshot');
    expect(second.received[0]!.quote).toMatchObject({ symbol: '600000.SH', price: 10.6, stale: false });

    client.es.close();
    second.es.close();
    await until(() => s.context.online.poller.watchedSymbols().length === 0, 'the watchers to go');
    expect(s.context.hub.status().topics.find((t) => t.topic === 'quotes')!.connections).toBe(0);
  });

  it('sends the cached close, marked stale, outside trading hours, and does not poll', async () => {
    const clock = movableClock(beijing('2025-03-15 10:00')); // Saturday
    const { fake } = livePrices(clock);
    const s = await server(fake.fetch, clock.now);
    seedDaily(s.context.market, '600000.SH', '浦发银行', [['2025-03-14', 10.3, 10.5, 10.25, 10.39, 35_000_000, 362_000_000]]);
    const client = subscribe(s, '600000.SH');
    await until(() => client.received.length === 1, 'the snapshot');
    expect(client.received[0]!.quote).toMatchObject({ symbol: '600000.SH', price: 10.39, source: 'cache', stale: true });
    await s.context.online.poller.tick();
    expect(fake.calls).toHaveLength(0);
  });

  it('answers 1100 for malformed symbols and 1101 when none is known', async () => {
    const clock = movableClock(beijing('2025-03-12 10:00'));
    const s = await server(new FakeFetch().fetch, clock.now);
    const auth = { authorization: `Bearer ${TEST_TOKEN}` };
    const malformed = await fetch(`${s.origin}/api/stream/quotes?symbols=60000.SH`, { headers: auth });
    expect(malformed.status).toBe(422);
    expect(((await malformed.json()) as { code: number }).code).toBe(1100);
    const unknown = await fetch(`${s.origin}/api/stream/quotes?symbols=601398.SH`, { headers: auth });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: number }).code).toBe(1101);
    expect(s.context.online.poller.watchedSymbols()).toEqual([]);
  });
});
