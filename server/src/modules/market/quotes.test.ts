/** Quotes, the market overview, provider status and the instrument-list refresh over the API. Offline: recorded answers. */
import { afterEach, describe, expect, it } from 'vitest';
import { testServer } from '../../../../tests/helpers/server';
import { beijing, seedDaily } from '../../../../tests/helpers/market';
import { FakeFetch, HOSTS, body, fixture, recordedProviders } from '../../providers/fixtures/fake-fetch';
import type { ServerOptions } from '../../app';

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const NOW = beijing('2025-03-12 15:30');

async function start(fake: FakeFetch, options: Partial<ServerOptions> = {}): Promise<Server> {
  server = await testServer({ fetch: fake.fetch, now: () => NOW, ...options });
  return server;
}

const quotes = (s: Server, symbols: string) => s.request({ method: 'GET', url: `/api/market/quotes?symbols=${symbols}` });

describe('GET /api/market/quotes', () => {
  it('answers from the first enabled provider, in the order asked, and learns the instruments', async () => {
    const fake = recordedProviders();
    const s = await start(fake);
    const res = await quotes(s, '600000.SH,000001.SH,000001.SZ');
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data.map((q: { symbol: string; name: string; source: string; stale: boolean }) => [q.symbol, q.name, q.source, q.stale])).toEqual([
      ['600000.SH', '浦发银行', 'eastmoney', false],
      ['000001.SH', '上证指数', 'eastmoney', false],
      ['000001.SZ', '平安银行', 'eastmoney', false],
    ]);
    expect(data[0]).toMatchObject({ price: 10.52, prevClose: 10.39, volume: 40_231_100, amount: 421_936_455, time: '2025-03-12T15:00:03+08:00' });
    expect(fake.callsTo(HOSTS.sina)).toHaveLength(0);
    const instrument = await s.request({ method: 'GET', url: '/api/market/instruments/600000.SH' });
    expect(instrument.json().data).toMatchObject({ name: '浦发银行', pinyin: 'pfyh', kind: 'stock' });
  });

  it('falls back to the next provider when one fails, and asks the next one for what the first lacks', async () => {
    const fake = recordedProviders().on(HOSTS.eastmoney, '/ulist.np/', () => body('busy', 503));
    const s = await start(fake);
    const res = await quotes(s, '600000.SH,162411.SZ');
    expect(res.json().data.map((q: { symbol: string; source: string }) => [q.symbol, q.source])).toEqual([
      ['600000.SH', 'sina'],
      ['162411.SZ', 'sina'],
    ]);
    expect(fake.callsTo(HOSTS.eastmoney)).toHaveLength(2); // one retry
    // Eastmoney back: 162411.SZ is not in its answer, so Sina is asked for that one only.
    const healthy = recordedProviders();
    await server!.close();
    const s2 = await start(healthy);
    const mixed = await quotes(s2, '600000.SH,162411.SZ');
    expect(mixed.json().data.map((q: { symbol: string; source: string }) => [q.symbol, q.source])).toEqual([
      ['600000.SH', 'eastmoney'],
      ['162411.SZ', 'sina'],
    ]);
    expect(healthy.callsTo(HOSTS.sina)[0]!.pathname).toContain('list=sz162411');
  });

  it('follows the provider order and switches in the settings', async () => {
    const fake = recordedProviders();
    const s = await start(fake);
    const patch = await s.request({
      method: 'PATCH',
      url: '/api/system/settings',
      payload: { providers: [{ id: 'tencent', enabled: true }, { id: 'eastmoney', enabled: false }, { id: 'sina', enabled: true }] },
    });
    expect(patch.statusCode).toBe(200);
    const res = await quotes(s, '600519.SH');
    expect(res.json().data[0]).toMatchObject({ symbol: '600519.SH', name: '贵州茅台', source: 'tencent', volume: 2_770_500, amount: 994_112_865 });
    expect(fake.callsTo(HOSTS.eastmoney)).toHaveLength(0);
    const status = await s.request({ method: 'GET', url: '/api/market/providers' });
    expect(status.json().data.map((p: { id: string; priority: number }) => [p.id, p.priority])).toEqual([
      ['tencent', 1],
      ['eastmoney', 0],
      ['sina', 2],
    ]);
    const bad = await s.request({ method: 'PATCH', url: '/api/system/settings', payload: { providers: [{ id: 'yahoo', enabled: true }] } });
    expect(bad.statusCode).toBe(422);
    const slow = await s.request({ method: 'PATCH', url: '/api/system/settings', payload: { quotePollSeconds: 1 } });
    expect(slow.statusCode).toBe(422);
  });

  it('serves the cache’s last close, marked stale, when every provider is down', async () => {
    const fake = new FakeFetch(); // no network at all
    const s = await start(fake);
    seedDaily(s.context.market, '600000.SH', '浦发银行', [
      ['2025-03-10', 10.2, 10.4, 10.1, 10.3, 30_000_000, 309_000_000],
      ['2025-03-11', 10.3, 10.5, 10.25, 10.39, 35_000_000, 362_000_000],
    ]);
    const res = await quotes(s, '600000.SH,601398.SH');
    expect(res.statusCode).toBe(200);
    // 601398.SH is unknown (not cached, no provider answered): left out.
    expect(res.json().data).toEqual([
      {
        symbol: '600000.SH',
        name: '浦发银行',
        price: 10.39,
        prevClose: 10.3,
        open: 10.3,
        high: 10.5,
        low: 10.25,
        volume: 35_000_000,
        amount: 362_000_000,
        change: 0.09,
        changePercent: 0.87,
        time: '2025-03-11T15:00:00+08:00',
        source: 'cache',
        stale: true,
      },
    ]);
    // Every provider tried (with one retry each), nothing invented.
    expect(fake.calls.map((u) => u.host)).toEqual([HOSTS.eastmoney, HOSTS.eastmoney, HOSTS.sina, HOSTS.sina, HOSTS.tencent, HOSTS.tencent]);
  });

  it('fails fast once the breakers are open, and says so in the provider status', async () => {
    const fake = new FakeFetch();
    const s = await start(fake, { providers: { http: { sleep: async () => undefined }, breaker: { failureThreshold: 1, cooldownMs: 60_000 } } });
    seedDaily(s.context.market, '600000.SH', '浦发银行', [['2025-03-11', 10.3, 10.5, 10.25, 10.39, 35_000_000, 362_000_000]]);
    await quotes(s, '600000.SH');
    const before = fake.calls.length;
    const res = await quotes(s, '600000.SH');
    expect(res.json().data[0]).toMatchObject({ source: 'cache', stale: true, price: 10.39, prevClose: 10.39, change: 0 });
    expect(fake.calls.length).toBe(before);
    const status = (await s.request({ method: 'GET', url: '/api/market/providers' })).json().data;
    expect(status.map((p: { id: string; breaker: string }) => [p.id, p.breaker])).toEqual([
      ['eastmoney', 'open'],
      ['sina', 'open'],
      ['tencent', 'open'],
    ]);
    expect(status[0].retryAt).toBe(new Date(NOW + 60_000).toISOString());
    expect(status[0].lastError).toMatch(/cannot reach push2\.eastmoney\.com/);
  });

  it('does not wait for providers that hang beyond the deadline', async () => {
    const hanging: typeof fetch = () => new Promise(() => undefined);
    const s = await start(new FakeFetch(), { fetch: hanging, providers: { quoteDeadlineMs: 30 } });
    seedDaily(s.context.market, '600000.SH', '浦发银行', [['2025-03-11', 10.3, 10.5, 10.25, 10.39, 35_000_000, 362_000_000]]);
    const res = await quotes(s, '600000.SH');
    expect(res.json().data[0]).toMatchObject({ source: 'cache', stale: true });
  });

  it('uses no provider when all are disabled', async () => {
    const fake = recordedProviders();
    const s = await start(fake);
    await s.request({ method: 'PATCH', url: '/api/system/settings', payload: { providers: [] } });
    seedDaily(s.context.market, '600000.SH', '浦发银行', [['2025-03-11', 10.3, 10.5, 10.25, 10.39, 35_000_000, 362_000_000]]);
    expect((await quotes(s, '600000.SH')).json().data[0].source).toBe('cache');
    expect(fake.calls).toHaveLength(0);
    const none = await quotes(s, '601398.SH');
    expect(none.statusCode).toBe(503);
    expect(none.json()).toMatchObject({ code: 2001, details: [{ message: 'no enabled provider for quotes' }] });
  });

  it('answers 1100 for a malformed symbol, 1101 for unknown ones, 2001 offline, 2004 without any quote', async () => {
    const fake = recordedProviders();
    const s = await start(fake);
    const malformed = await quotes(s, '600000');
    expect(malformed.statusCode).toBe(422);
    expect(malformed.json().code).toBe(1100);
    const unknown = await quotes(s, '601398.SH');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe(1101);
    s.context.market.ensureInstrument('601398.SH', '工商银行');
    const noQuote = await quotes(s, '601398.SH');
    expect(noQuote.json().code).toBe(2004);
    await server!.close();
    const offline = await start(new FakeFetch());
    const res = await quotes(offline, '601398.SH');
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe(2001);
    expect(res.json().details[0].message).toMatch(/eastmoney: cannot reach/);
  });

  it('answers 2005 when a provider answers in an unexpected shape', async () => {
    const fake = new FakeFetch().on(HOSTS.eastmoney, '/', () => body('<html>maintenance</html>'));
    const s = await start(fake);
    await s.request({ method: 'PATCH', url: '/api/system/settings', payload: { providers: [{ id: 'eastmoney', enabled: true }] } });
    const res = await quotes(s, '600000.SH');
    expect(res.statusCode).toBe(502);
    expect(res.json().code).toBe(2005);
  });
});

describe('GET /api/market/overview', () => {
  it('gives the major indices from providers, else from the cache, never failing', async () => {
    const s = await start(recordedProviders());
    seedDaily(s.context.market, '399001.SZ', '', [
      ['2025-03-10', 10800, 10900, 10750, 10850, 4e10, 5e11],
      ['2025-03-11', 10850, 10950, 10800, 10900, 4.2e10, 5.1e11],
    ]);
    const res = await s.request({ method: 'GET', url: '/api/market/overview' });
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data.asOf).toBe('2025-03-12T15:30:00+08:00');
    expect(data.indices.map((q: { symbol: string; name: string; source: string }) => [q.symbol, q.name, q.source])).toEqual([
      ['000001.SH', '上证指数', 'eastmoney'],
      ['399001.SZ', '深证成指', 'cache'],
    ]);
    await server!.close();
    const offline = await start(new FakeFetch());
    const empty = await offline.request({ method: 'GET', url: '/api/market/overview' });
    expect(empty.json().data.indices).toEqual([]);
  });
});

describe('POST /api/market/instruments/refresh', () => {
  it('fills the instruments from the Eastmoney A-share list, then finds nothing new', async () => {
    const fake = recordedProviders();
    const s = await start(fake);
    s.context.market.ensureInstrument('600000.SH', '浦发银行');
    s.context.market.ensureInstrument('000001.SZ', 'PAYH');
    const res = await s.request({ method: 'POST', url: '/api/market/instruments/refresh' });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({ source: 'eastmoney', total: 5, added: 3, renamed: 1 });
    const found = await s.request({ method: 'GET', url: `/api/market/instruments/search?q=${encodeURIComponent('美尔雅')}` });
    expect(found.json().data[0]).toMatchObject({ symbol: '600107.SH', name: '美尔雅' });
    expect((await s.request({ method: 'GET', url: '/api/market/instruments/430047.BJ' })).json().data).toMatchObject({ board: 'bse', name: '诺思兰德' });
    const again = await s.request({ method: 'POST', url: '/api/market/instruments/refresh' });
    expect(again.json().data).toEqual({ source: 'eastmoney', total: 5, added: 0, renamed: 0 });
  });

  it('answers 2001 offline or when the list provider is disabled', async () => {
    const s = await start(new FakeFetch());
    const offline = await s.request({ method: 'POST', url: '/api/market/instruments/refresh' });
    expect(offline.statusCode).toBe(503);
    expect(offline.json().code).toBe(2001);
    await s.request({ method: 'PATCH', url: '/api/system/settings', payload: { providers: [{ id: 'sina', enabled: true }] } });
    const disabled = await s.request({ method: 'POST', url: '/api/market/instruments/refresh' });
    expect(disabled.json()).toMatchObject({ code: 2001, details: [{ message: 'no enabled provider offers the instrument list' }] });
    expect(fixture('eastmoney-clist-p2.jsonp').toString()).toContain('万达轴承');
  });
});
