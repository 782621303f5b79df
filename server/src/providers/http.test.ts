/** Timeouts, retries with backoff, the per-host rate limit, the circuit breaker and the registry order. */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker';
import { ProviderClient } from './client';
import { ProviderError, unavailable } from './errors';
import { HttpClient, TokenBucket, backoffDelay, type HttpOptions } from './http';
import { ProviderRegistry, orderProviders } from './registry';
import { EastmoneyProvider } from './eastmoney';
import { FakeFetch, HOSTS, body, fixture, offlineError, recordedProviders } from './fixtures/fake-fetch';
import type { ProviderSettings } from './types';

/** A fake clock that sleeping advances, recording every sleep. */
function fakeTime(start = 1_000_000) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    advance: (ms: number) => (t += ms),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

function http(fake: FakeFetch, time = fakeTime(), extra: Partial<HttpOptions> = {}) {
  return new HttpClient({ fetch: fake.fetch, now: time.now, sleep: time.sleep, random: () => 0.5, ...extra });
}

const URL_SINA = 'https://hq.sinajs.cn/list=sh600000';

describe('HttpClient', () => {
  it('retries network errors, 5xx and 429 with growing, jittered delays, then succeeds', async () => {
    const time = fakeTime();
    const fake = new FakeFetch()
      .on(HOSTS.sina, '/', () => body('ok'), 1)
      .on(HOSTS.sina, '/', () => body('slow down', 429), 1)
      .on(HOSTS.sina, '/', () => body('busy', 503), 1)
      .on(HOSTS.sina, '/', offlineError, 1);
    const client = http(fake, time, { retries: 3, burst: 100 });
    expect(await client.getText(URL_SINA)).toBe('ok');
    expect(fake.calls).toHaveLength(4);
    // base 300: steps 300, 600, 1200 → with random 0.5: 225, 450, 900.
    expect(time.sleeps).toEqual([225, 450, 900]);
    expect(client.stats.retries).toBe(3);
  });

  it('gives up after the last retry with the last error', async () => {
    const fake = new FakeFetch().on(HOSTS.sina, '/', () => body('busy', 502));
    await expect(http(fake, fakeTime(), { retries: 2 }).getText(URL_SINA, { provider: 'sina' })).rejects.toMatchObject({ kind: 'http', status: 502, provider: 'sina' });
    expect(fake.calls).toHaveLength(3);
  });

  it('does not retry other 4xx answers', async () => {
    const fake = new FakeFetch().on(HOSTS.sina, '/', () => body('forbidden', 403));
    await expect(http(fake).getText(URL_SINA)).rejects.toMatchObject({ kind: 'http', status: 403 });
    expect(fake.calls).toHaveLength(1);
  });

  it('honours Retry-After within the backoff cap', async () => {
    const time = fakeTime();
    const fake = new FakeFetch().on(HOSTS.sina, '/', () => body('ok'), 1).on(HOSTS.sina, '/', () => body('', 429, { 'retry-after': '2' }), 1);
    await http(fake, time).getText(URL_SINA);
    expect(time.sleeps).toEqual([2000]);
    expect(backoffDelay(10, { backoffBaseMs: 300, backoffMaxMs: 4000, random: () => 1 })).toBe(4000);
    expect(backoffDelay(0, { backoffBaseMs: 300, backoffMaxMs: 4000, random: () => 0 }, 60_000)).toBe(4000);
  });

  it('times out a request that never answers', async () => {
    const fake = new FakeFetch();
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    const client = new HttpClient({ fetch: hanging, sleep: async () => undefined, retries: 1 });
    await expect(client.getText(URL_SINA, { timeoutMs: 20 })).rejects.toMatchObject({ kind: 'timeout' });
    expect(client.stats.requests).toBe(2);
    expect(fake.calls).toHaveLength(0);
  });

  it('decodes GBK bodies', async () => {
    const fake = recordedProviders();
    const text = await http(fake).getText('https://qt.gtimg.cn/q=sh600519', { encoding: 'gbk' });
    expect(text).toContain('贵州茅台');
  });

  it('sends a desktop User-Agent and the caller headers', async () => {
    let headers = new Headers();
    const client = new HttpClient({ fetch: async (_i, init) => ((headers = new Headers(init?.headers)), body('ok')), sleep: async () => undefined });
    await client.getText(URL_SINA, { headers: { Referer: 'https://finance.sina.com.cn/' } });
    expect(headers.get('user-agent')).toMatch(/^Mozilla\/5\.0/);
    expect(headers.get('referer')).toBe('https://finance.sina.com.cn/');
  });
});

describe('rate limit', () => {
  it('lets a burst through, then spaces requests at the rate', async () => {
    const time = fakeTime();
    const bucket = new TokenBucket(2, 2, time.now, time.sleep);
    const waits = [];
    for (let i = 0; i < 5; i++) waits.push(await bucket.acquire());
    expect(waits).toEqual([0, 0, 500, 500, 500]);
    time.advance(10_000);
    expect(await bucket.acquire()).toBe(0);
  });

  it('queues concurrent callers in order', async () => {
    const time = { t: 0 };
    const sleeps: number[] = [];
    const bucket = new TokenBucket(4, 1, () => time.t, async (ms) => void sleeps.push(ms));
    await Promise.all([bucket.acquire(), bucket.acquire(), bucket.acquire()]);
    expect(sleeps).toEqual([250, 500]);
  });

  it('limits per host', async () => {
    const time = fakeTime();
    const fake = new FakeFetch().on(HOSTS.sina, '/', () => body('a')).on(HOSTS.tencent, '/', () => body('b'));
    const client = http(fake, time, { ratePerSecond: 1, burst: 1 });
    await client.getText(URL_SINA);
    await client.getText('https://qt.gtimg.cn/q=sh600519');
    expect(time.sleeps).toEqual([]);
    await client.getText(URL_SINA);
    expect(time.sleeps).toEqual([1000]);
    expect(client.stats.throttledMs).toBe(1000);
  });
});

describe('circuit breaker', () => {
  it('opens after N consecutive failures, probes once after the cool-down, closes on success', () => {
    const time = fakeTime();
    const changes: string[] = [];
    const b = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 30_000, now: time.now, onChange: (from, to) => changes.push(`${from}→${to}`) });
    b.failure('x');
    b.failure('x');
    b.success();
    expect(b.status()).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
    for (let i = 0; i < 3; i++) b.failure('down');
    expect(b.status()).toMatchObject({ state: 'open', consecutiveFailures: 3, lastError: 'down', retryAt: time.now() + 30_000 });
    expect(b.allow()).toBe(false);
    time.advance(30_000);
    expect(b.status().state).toBe('half-open');
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false); // one probe at a time
    b.failure('still down');
    expect(b.status().state).toBe('open');
    expect(b.allow()).toBe(false);
    time.advance(30_000);
    expect(b.allow()).toBe(true);
    b.success();
    expect(b.status()).toMatchObject({ state: 'closed', lastSuccessAt: time.now() });
    expect(changes).toEqual(['closed→open', 'open→half-open', 'half-open→open', 'open→half-open', 'half-open→closed']);
  });

  it('makes a provider fail fast without touching the network while open', async () => {
    const time = fakeTime();
    const fake = new FakeFetch();
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 10_000, now: time.now });
    const client = new ProviderClient('sina', http(fake, time, { retries: 0 }), breaker);
    await expect(client.getText(URL_SINA)).rejects.toMatchObject({ kind: 'network' });
    await expect(client.getText(URL_SINA)).rejects.toMatchObject({ kind: 'network' });
    expect(fake.calls).toHaveLength(2);
    await expect(client.getText(URL_SINA)).rejects.toMatchObject({ kind: 'circuit-open', provider: 'sina' });
    expect(fake.calls).toHaveLength(2);
    // Back online: after the cool-down one probe goes out and closes the breaker.
    fake.on(HOSTS.sina, '/', () => body('ok'));
    time.advance(10_000);
    expect(await client.getText(URL_SINA)).toBe('ok');
    expect(breaker.status().state).toBe('closed');
  });

  it('does not count an answer in an unexpected shape as the provider being down', async () => {
    const time = fakeTime();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10_000, now: time.now });
    const fake = new FakeFetch().on(HOSTS.eastmoney, '/', () => body('<html>maintenance</html>'));
    const em = new EastmoneyProvider(new ProviderClient('eastmoney', http(fake, time), breaker), time.now);
    await expect(em.quotes(['600000.SH'])).rejects.toMatchObject({ kind: 'parse', unreachable: false });
    expect(breaker.status().state).toBe('closed');
  });
});

describe('provider errors', () => {
  it('maps offline failures to 2001 and bad answers to 2005', () => {
    expect(unavailable([new ProviderError('sina', 'network', 'x'), new ProviderError('eastmoney', 'circuit-open', 'y')], 'quotes').errorName).toBe('MARKET_DATA_UNAVAILABLE');
    expect(unavailable([new ProviderError('sina', 'parse', 'x')], 'quotes').errorName).toBe('PROVIDER_ERROR');
    expect(unavailable([], 'quotes').details).toEqual([{ message: 'no enabled provider for quotes' }]);
  });
});

describe('registry', () => {
  it('orders enabled providers by the setting, ignores repeats and turns unlisted ones off', () => {
    expect(orderProviders([{ id: 'tencent', enabled: true }, { id: 'sina', enabled: false }, { id: 'tencent', enabled: false }])).toEqual([
      { id: 'tencent', enabled: true },
      { id: 'sina', enabled: false },
      { id: 'eastmoney', enabled: false },
    ]);
  });

  it('follows the settings on every call', () => {
    let settings: ProviderSettings = [
      { id: 'eastmoney', enabled: true },
      { id: 'sina', enabled: true },
      { id: 'tencent', enabled: true },
    ];
    const registry = new ProviderRegistry({ fetch: new FakeFetch().fetch, settings: () => settings });
    expect(registry.quoteProviders().map((p) => p.id)).toEqual(['eastmoney', 'sina', 'tencent']);
    expect(registry.klineProviders().map((p) => p.id)).toEqual(['eastmoney']);
    expect(registry.listProviders().map((p) => p.id)).toEqual(['eastmoney']);
    settings = [{ id: 'tencent', enabled: true }, { id: 'eastmoney', enabled: false }, { id: 'sina', enabled: true }];
    expect(registry.quoteProviders().map((p) => p.id)).toEqual(['tencent', 'sina']);
    expect(registry.klineProviders()).toEqual([]);
    expect(registry.offline('kline')).toBe(true);
    expect(registry.status().map((s) => [s.id, s.enabled, s.priority, s.breaker])).toEqual([
      ['tencent', true, 1, 'closed'],
      ['eastmoney', false, 0, 'closed'],
      ['sina', true, 2, 'closed'],
    ]);
    expect(registry.status()[1]!.capabilities).toEqual(['quotes', 'kline', 'instruments']);
  });

  it('reports a provider offline once its breaker opens', async () => {
    const time = fakeTime();
    const changes: string[] = [];
    const registry = new ProviderRegistry({
      fetch: new FakeFetch().fetch,
      settings: () => [{ id: 'sina', enabled: true }],
      now: time.now,
      http: { sleep: time.sleep, retries: 0 },
      breaker: { failureThreshold: 1 },
      onBreakerChange: (id, from, to) => changes.push(`${id} ${from}→${to}`),
    });
    expect(registry.offline('quotes')).toBe(false);
    await expect(registry.quoteProviders()[0]!.quotes(['600000.SH'])).rejects.toMatchObject({ kind: 'network' });
    expect(registry.offline('quotes')).toBe(true);
    expect(registry.status()[0]).toMatchObject({ id: 'sina', breaker: 'open', consecutiveFailures: 1 });
    expect(registry.status()[0]!.lastError).toMatch(/cannot reach hq\.sinajs\.cn \(ENOTFOUND\)/);
    expect(registry.client('sina').breaker.status().state).toBe('open');
    expect(changes).toEqual(['sina closed→open']);
    expect(fixture('eastmoney-kline-null.json').length).toBeGreaterThan(0);
  });
});
