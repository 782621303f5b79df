/**
 * Industries from the providers: Eastmoney's stock/get answer (PROVIDERS.md §2c, f127 industry,
 * f189 listing date) parsed; the filler asks in the background, one symbol at a time, stores what
 * it learns in `instruments`, remembers a symbol the provider had nothing for, retries a failure;
 * and a paper account's risk metrics show the industry once known (offline: "unknown").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { seedDaily } from '../../../../tests/helpers/market';
import { testServer } from '../../../../tests/helpers/server';
import { parseProfile, stockUrl } from '../../providers/eastmoney';
import { body, FakeFetch, fixture, HOSTS } from '../../providers/fixtures/fake-fetch';
import type { RiskMetrics } from '../risk/metrics';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('Eastmoney instrument profile', () => {
  it('reads the industry and the listing date; null data or another code is no profile; "-" is no industry', () => {
    expect(stockUrl('1.600000')).toBe('https://push2.eastmoney.com/api/qt/stock/get?fltt=2&invt=2&fields=f57%2Cf58%2Cf127%2Cf189&secid=1.600000');
    expect(parseProfile(JSON.parse(fixture('eastmoney-stock-profile.json').toString()), '600000.SH')).toEqual({ symbol: '600000.SH', industry: '银行', listDate: '1999-11-10' });
    expect(parseProfile(JSON.parse(fixture('eastmoney-stock-null.json').toString()), '600000.SH')).toBeUndefined();
    expect(parseProfile({ data: { f57: '600001', f127: '银行' } }, '600000.SH')).toBeUndefined();
    expect(parseProfile({ data: { f57: '600000', f127: '-', f189: '-' } }, '600000.SH')).toEqual({ symbol: '600000.SH' });
    expect(() => parseProfile('nope', '600000.SH')).toThrow(/not an object/);
  });
});

async function setup(fake: FakeFetch, now = () => Date.parse('2026-01-05T02:00:00Z')) {
  const server = await testServer({ fetch: fake.fetch, now, riskIntervalMs: 0 });
  cleanups.push(() => server.close());
  return server;
}

describe('ProfileFiller', () => {
  it('asks in the background, stores the industry and listing date, and does not ask again', async () => {
    const fake = new FakeFetch().on(HOSTS.eastmoney, '/api/qt/stock/get', () => body(fixture('eastmoney-stock-profile.json')));
    const server = await setup(fake);
    const { market, online } = server.context;
    market.ensureInstrument('600000.SH', '浦发银行');
    expect(online.profiles.industries(['600000.SH'])).toEqual(new Map([['600000.SH', undefined]]));
    await online.profiles.idle();
    expect(online.profiles.industries(['600000.SH'])).toEqual(new Map([['600000.SH', '银行']]));
    expect(market.getInstrument('600000.SH')?.listDate).toBe('1999-11-10');
    expect(fake.callsTo(HOSTS.eastmoney)).toHaveLength(1);
    // A symbol not in the cache is nobody's business here: not asked.
    expect(online.profiles.industries(['600001.SH']).get('600001.SH')).toBeUndefined();
    await online.profiles.idle();
    expect(fake.callsTo(HOSTS.eastmoney)).toHaveLength(1);
  });

  it('remembers a symbol the provider has nothing for until the retry time; a failure is asked again', async () => {
    let now = Date.parse('2026-01-05T02:00:00Z');
    // 600000.SH: the provider has no such stock; anything else: no network.
    const fake = new FakeFetch().on(HOSTS.eastmoney, 'secid=1.600000', () => body(fixture('eastmoney-stock-null.json')));
    const server = await setup(fake, () => now);
    const { market, online } = server.context;
    market.ensureInstrument('600000.SH', '浦发银行');
    online.profiles.industries(['600000.SH']);
    await online.profiles.idle();
    expect(market.profileOf('600000.SH')).toEqual({ industry: null, profiledAt: '2026-01-05T02:00:00.000Z' });
    online.profiles.industries(['600000.SH']);
    await online.profiles.idle();
    expect(fake.callsTo(HOSTS.eastmoney)).toHaveLength(1);
    now += 8 * 24 * 3_600_000; // past the retry time
    online.profiles.industries(['600000.SH']);
    await online.profiles.idle();
    expect(fake.callsTo(HOSTS.eastmoney)).toHaveLength(2);

    // Offline (the call fails): nothing is stored, so the next request asks again.
    market.ensureInstrument('000001.SZ', '平安银行');
    const before = fake.calls.length;
    online.profiles.industries(['000001.SZ']);
    await online.profiles.idle();
    expect(market.profileOf('000001.SZ')).toEqual({ industry: null, profiledAt: null });
    expect(fake.calls.length).toBeGreaterThan(before);
  });

  it("a paper account's risk metrics show the position's industry once the provider has answered", async () => {
    const fake = new FakeFetch().on(HOSTS.eastmoney, '/api/qt/stock/get', () => body(fixture('eastmoney-stock-profile.json')));
    const server = await setup(fake);
    seedDaily(server.context.market, '600000.SH', '浦发银行', [
      ['2026-01-02', 10, 10.2, 9.9, 10.1, 1e6, 1e7],
      ['2026-01-05', 10.1, 10.3, 10, 10.2, 1e6, 1e7],
    ]);
    const get = async <T>(url: string, method: 'GET' | 'POST' = 'GET', payload?: object) => (await server.request({ method, url, ...(payload ? { payload } : {}) })).json<{ data: T }>().data;
    const account = await get<{ id: number }>('/api/trade/accounts', 'POST', { name: 'Main', initialCash: 100_000, mode: 'replay' });
    server.context.bus.publish('quotes', 'quote', {
      symbol: '600000.SH',
      name: '浦发银行',
      price: 10.2,
      prevClose: 10.1,
      open: 10.1,
      high: 10.3,
      low: 10,
      volume: 1e6,
      amount: 1e7,
      change: 0.1,
      changePercent: 0.99,
      time: '2026-01-05T10:00:00+08:00',
      source: 'replay',
      stale: false,
    });
    await get('/api/trade/accounts/' + account.id + '/orders', 'POST', { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    server.context.bus.publish('quotes', 'quote', {
      symbol: '600000.SH',
      name: '浦发银行',
      price: 10.25,
      prevClose: 10.1,
      open: 10.1,
      high: 10.3,
      low: 10,
      volume: 1.1e6,
      amount: 1.1e7,
      change: 0.15,
      changePercent: 1.49,
      time: '2026-01-05T10:01:00+08:00',
      source: 'replay',
      stale: false,
    });
    const first = await get<RiskMetrics>(`/api/risk/metrics?account=${account.id}`);
    expect(first.positions.map((p) => [p.symbol, p.industry])).toEqual([['600000.SH', 'unknown']]);
    await server.context.online.profiles.idle();
    const later = await get<RiskMetrics>(`/api/risk/metrics?account=${account.id}`);
    expect(later.positions.map((p) => [p.symbol, p.industry])).toEqual([['600000.SH', '银行']]);
    expect(later.industries).toMatchObject([{ industry: '银行', weight: 1, symbols: ['600000.SH'] }]);
  });
});
