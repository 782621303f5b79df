/** Filling the K-line cache from Eastmoney when it is stale or empty (recorded answers, injected clock). */
import { afterEach, describe, expect, it } from 'vitest';
import { testServer } from '../../../../tests/helpers/server';
import { beijing, movableClock, seedDaily } from '../../../../tests/helpers/market';
import { FakeFetch, HOSTS, body, fixture, recordedProviders } from '../../providers/fixtures/fake-fetch';
import { finalBars } from './kline-filler';
import { parseKline } from '../../providers/eastmoney';

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(fake: FakeFetch, now: () => number): Promise<Server> {
  server = await testServer({ fetch: fake.fetch, now });
  return server;
}

const kline = (s: Server, query: string) => s.request({ method: 'GET', url: `/api/market/kline?${query}` });
const klineCalls = (fake: FakeFetch) => fake.callsTo(HOSTS.kline).map((u) => Object.fromEntries(u.searchParams));

describe('K-line cache filling', () => {
  it('fills an empty cache with the whole history, stores it as eastmoney, then serves it from the cache', async () => {
    const fake = recordedProviders();
    const s = await start(fake, () => beijing('2024-12-25 10:00'));
    const res = await kline(s, 'symbol=601872.SH&period=day');
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data).toMatchObject({ symbol: '601872.SH', count: 4, stale: false });
    expect(data.time).toEqual(['2024-12-18', '2024-12-19', '2024-12-23', '2024-12-24']);
    expect(data.close).toEqual([6.18, 6.2, 6.3, 6.35]);
    expect(data.volume[0]).toBe(84_274_300);
    expect(klineCalls(fake)).toMatchObject([{ secid: '1.601872', klt: '101', fqt: '0', beg: '0' }]);
    const repo = s.context.market;
    expect(repo.coverage('601872.SH')).toMatchObject([{ period: 'day', adjust: 'none', bars: 4, source: 'eastmoney', last: '2024-12-24' }]);
    expect(repo.getInstrument('601872.SH')).toMatchObject({ name: '招商轮船', pinyin: 'zslc' });
    expect(repo.latestTradingDay()).toBe('2024-12-24');
    // Fresh now: served from the cache without asking again.
    await kline(s, 'symbol=601872.SH&period=day');
    expect(klineCalls(fake)).toHaveLength(1);
  });

  it('fetches only from the last cached day when stale, at most once per few minutes', async () => {
    const fake = recordedProviders();
    const clock = movableClock(beijing('2024-12-25 10:00'));
    const s = await start(fake, clock.now);
    seedDaily(s.context.market, '601872.SH', '招商轮船', [
      ['2024-12-17', 6.0, 6.1, 5.9, 6.08, 1, 1],
      ['2024-12-18', 6.1, 6.2, 6.0, 6.1, 1, 1],
    ]);
    const res = await kline(s, 'symbol=601872.SH&period=day');
    expect(klineCalls(fake)).toMatchObject([{ beg: '20241218', fqt: '0' }]);
    // The fetched bar for 2024-12-18 replaces the cached one; the older cached bar stays.
    expect(res.json().data.time).toEqual(['2024-12-17', '2024-12-18', '2024-12-19', '2024-12-23', '2024-12-24']);
    expect(res.json().data.close[1]).toBe(6.18);

    // A day later the cache is stale again, but the last attempt was minutes ago: no new request.
    fake.on(HOSTS.kline, '/', () => body(fixture('eastmoney-kline-null.json').toString().replace('null', '{"code":"601872","name":"招商轮船","klines":[]}')));
    clock.set(beijing('2024-12-26 16:00'));
    await kline(s, 'symbol=601872.SH&period=day');
    expect(klineCalls(fake)).toHaveLength(2);
    clock.advance(60_000);
    const stale = await kline(s, 'symbol=601872.SH&period=day');
    expect(klineCalls(fake)).toHaveLength(2);
    expect(stale.json().data.stale).toBe(true);
    clock.advance(3 * 60_000);
    await kline(s, 'symbol=601872.SH&period=day');
    expect(klineCalls(fake)).toHaveLength(3);
  });

  it('serves the cached bars marked stale when offline, quickly and without an error', async () => {
    const fake = new FakeFetch();
    const s = await start(fake, () => beijing('2025-03-12 10:00'));
    seedDaily(s.context.market, '600000.SH', '浦发银行', [['2025-03-10', 10.2, 10.4, 10.1, 10.3, 30_000_000, 309_000_000]]);
    const res = await kline(s, 'symbol=600000.SH&period=day');
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ count: 1, stale: true });
    expect(fake.callsTo(HOSTS.kline)).toHaveLength(3); // the first try and two retries, then the cache
  });

  it('does not keep a chart with cached bars waiting on a slow provider: serves them stale, the fill lands later', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fake = recordedProviders().on(HOSTS.kline, '/api/qt/stock/kline/get', async () => {
      await gate;
      return body(fixture('eastmoney-kline-day.json'));
    });
    const s = await start(fake, () => beijing('2024-12-25 10:00'));
    seedDaily(s.context.market, '601872.SH', '招商轮船', [['2024-12-18', 6.1, 6.2, 6.0, 6.1, 1, 1]]);
    const first = await kline(s, 'symbol=601872.SH&period=day');
    expect(first.json().data).toMatchObject({ count: 1, stale: true });
    release();
    // The same fill job (no second request to the provider) completes and its bars are served.
    let data;
    do data = (await kline(s, 'symbol=601872.SH&period=day')).json().data;
    while (data.count === 1);
    expect(data).toMatchObject({ count: 4, stale: false });
    expect(klineCalls(fake)).toHaveLength(1);
  });

  it('refetches the whole 前复权 history (it is rescaled at every dividend)', async () => {
    const fake = recordedProviders();
    const s = await start(fake, () => beijing('2024-12-25 10:00'));
    seedDaily(s.context.market, '601872.SH', '招商轮船', [['2024-12-18', 6.1, 6.2, 6.0, 6.1, 1, 1]], 'qfq');
    const res = await kline(s, 'symbol=601872.SH&period=day&adjust=qfq');
    expect(klineCalls(fake)).toMatchObject([{ fqt: '1', beg: '0' }]);
    expect(res.json().data).toMatchObject({ adjust: 'qfq', adjustApplied: true, count: 4 });
    expect(s.context.market.coverage('601872.SH')).toMatchObject([{ adjust: 'qfq', source: 'eastmoney' }]);
  });

  it('fetches from the requested start when it is before the cache', async () => {
    const fake = recordedProviders();
    const s = await start(fake, () => beijing('2024-12-20 10:00'));
    seedDaily(s.context.market, '601872.SH', '招商轮船', [['2024-12-19', 6.15, 6.25, 6.12, 6.2, 1, 1]]);
    await kline(s, 'symbol=601872.SH&period=day&start=2024-12-01');
    expect(klineCalls(fake)).toMatchObject([{ beg: '20241201', end: '20500101' }]);
  });

  it('does not store bars that are not final yet', async () => {
    const fake = recordedProviders();
    // 2024-12-24 before the close: that day's bar is still forming.
    const s = await start(fake, () => beijing('2024-12-24 10:00'));
    const res = await kline(s, 'symbol=601872.SH&period=day');
    expect(res.json().data.time.at(-1)).toBe('2024-12-23');
    const m5 = parseKline(JSON.parse(fixture('eastmoney-kline-5m.json').toString()), '600000.SH')!.bars;
    expect(finalBars(m5, '5m', beijing('2025-03-12 09:42')).length).toBe(2);
    expect(finalBars(m5, '5m', beijing('2025-03-12 09:45')).length).toBe(3);
  });

  it('fills minute bars, and the daily series for derived weekly bars', async () => {
    const fake = recordedProviders().on(HOSTS.kline, 'klt=5&', () => body(fixture('eastmoney-kline-5m.json')));
    const s = await start(fake, () => beijing('2025-03-12 09:42'));
    const m5 = await kline(s, 'symbol=600000.SH&period=5m');
    expect(m5.json().data.time).toEqual(['2025-03-12 09:35', '2025-03-12 09:40']);
    const week = await kline(s, 'symbol=601872.SH&period=week');
    expect(klineCalls(fake).map((c) => c.klt)).toEqual(['5', '101']);
    expect(week.json().data).toMatchObject({ derivedFrom: 'day', time: ['2024-12-19', '2024-12-24'] });
  });

  it('answers 1101 for a symbol no provider knows, and leaves the cache alone when K-lines are off', async () => {
    const fake = new FakeFetch().on(HOSTS.kline, '/', () => body(fixture('eastmoney-kline-null.json')));
    const s = await start(fake, () => beijing('2025-03-12 10:00'));
    const res = await kline(s, 'symbol=000001.SH&period=day');
    expect(res.json().code).toBe(1101);
    expect(klineCalls(fake).map((c) => c.secid)).toEqual(['1.000001', '2.000001']);
    await s.request({ method: 'PATCH', url: '/api/system/settings', payload: { providers: [{ id: 'eastmoney', enabled: false }, { id: 'sina', enabled: true }] } });
    const off = await kline(s, 'symbol=600000.SH&period=day');
    expect(off.json().code).toBe(1101);
    expect(klineCalls(fake)).toHaveLength(2);
  });
});
