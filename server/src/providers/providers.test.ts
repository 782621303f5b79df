/** The adapters against recorded answers in the documented shapes: parsing, units, ids. Offline. */
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './breaker';
import { ProviderClient } from './client';
import {
  EastmoneyProvider,
  clistUrl,
  eastmoneySecids,
  klineUrl,
  parseClist,
  parseKline,
  parseUlist,
  symbolFromEastmoney,
  ulistUrl,
} from './eastmoney';
import { HttpClient, decodeBody } from './http';
import { isoBeijing, isoFromCompact, num, unwrapJsonp } from './parse';
import { SinaProvider, parseSina, prefixedCode, sinaUrl } from './sina';
import { TencentProvider, parseTencent, tencentUrl } from './tencent';
import { FakeFetch, HOSTS, body, fixture, recordedProviders } from './fixtures/fake-fetch';
import { formatTs } from '../engine/bars/time';
import type { ProviderId } from './types';

const NOW = Date.UTC(2025, 2, 12, 7, 0, 10); // 2025-03-12 15:00:10 Beijing
const json = (name: string) => JSON.parse(fixture(name).toString('utf8')) as unknown;
const gbk = (name: string) => decodeBody(fixture(name), 'gbk');

function client(id: ProviderId, fake: FakeFetch): ProviderClient {
  const http = new HttpClient({ fetch: fake.fetch, sleep: async () => undefined, now: () => NOW });
  return new ProviderClient(id, http, new CircuitBreaker({ failureThreshold: 3, cooldownMs: 30_000, now: () => NOW }));
}

describe('Eastmoney ids', () => {
  it('maps symbols to secids, keeping the SSE Composite apart from 平安银行', () => {
    expect(eastmoneySecids('600000.SH')).toEqual(['1.600000']);
    expect(eastmoneySecids('688981.SH')).toEqual(['1.688981']);
    expect(eastmoneySecids('000001.SZ')).toEqual(['0.000001']);
    expect(eastmoneySecids('000001.SH')).toEqual(['1.000001', '2.000001']);
    expect(eastmoneySecids('000300.SH')).toEqual(['1.000300', '2.000300']);
    expect(eastmoneySecids('399006.SZ')).toEqual(['0.399006']);
    expect(eastmoneySecids('430047.BJ')).toEqual(['0.430047']);
    expect(eastmoneySecids('920002.BJ')).toEqual(['0.920002']);
    expect(eastmoneySecids('nonsense')).toEqual([]);
  });

  it('maps list rows back to symbols, Beijing codes included', () => {
    expect(symbolFromEastmoney(1, '600000')).toBe('600000.SH');
    expect(symbolFromEastmoney(0, '000001')).toBe('000001.SZ');
    expect(symbolFromEastmoney(0, '300750')).toBe('300750.SZ');
    expect(symbolFromEastmoney(0, '430047')).toBe('430047.BJ');
    expect(symbolFromEastmoney(0, '832000')).toBe('832000.BJ');
    expect(symbolFromEastmoney(0, '870204')).toBe('870204.BJ');
    expect(symbolFromEastmoney(0, '920002')).toBe('920002.BJ');
    expect(symbolFromEastmoney(116, '00700')).toBeUndefined();
    expect(symbolFromEastmoney(105, 'AAPL')).toBeUndefined();
  });

  it('asks kline/get with klt and fqt for every period and adjustment', () => {
    const url = new URL(klineUrl('1.600000', { symbol: '600000.SH', period: 'day', adjust: 'qfq', begin: '20240101' }));
    expect(url.host).toBe(HOSTS.kline);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ secid: '1.600000', klt: '101', fqt: '1', beg: '20240101', end: '20500101' });
    expect(url.searchParams.get('fields2')).toBe('f51,f52,f53,f54,f55,f56,f57,f58,f59,f60,f61');
    const klt = (period: Parameters<typeof klineUrl>[1]['period']) => new URL(klineUrl('0.000001', { symbol: '000001.SZ', period, adjust: 'none' })).searchParams.get('klt');
    expect(['1m', '5m', '15m', '30m', '60m', 'day', 'week', 'month'].map((p) => klt(p as never))).toEqual(['1', '5', '15', '30', '60', '101', '102', '103']);
    expect(new URL(klineUrl('0.000001', { symbol: '000001.SZ', period: 'day', adjust: 'hfq' })).searchParams.get('fqt')).toBe('2');
    expect(new URL(klineUrl('0.000001', { symbol: '000001.SZ', period: 'day', adjust: 'none' })).searchParams.get('beg')).toBe('0');
  });
});

describe('Eastmoney K-lines', () => {
  it('parses the documented daily line: close before high, volume lots → shares, amount in CNY', () => {
    const result = parseKline(json('eastmoney-kline-day.json'), '601872.SH')!;
    expect(result.name).toBe('招商轮船');
    const bars = result.bars;
    // The all-`-` row is skipped; a row with `-` volume/amount keeps its prices with 0 volume.
    expect(bars.length).toBe(4);
    expect(formatTs(bars.ts[0]!, 'day')).toBe('2024-12-18');
    expect([bars.open[0], bars.high[0], bars.low[0], bars.close[0]]).toEqual([6.11, 6.28, 6.1, 6.18]);
    expect(bars.volume[0]).toBe(84_274_300);
    expect(bars.amount[0]).toBe(542_829_495);
    expect(formatTs(bars.ts[2]!, 'day')).toBe('2024-12-23');
    expect([bars.volume[2], bars.amount[2]]).toEqual([0, 0]);
    // Extra trailing fields are ignored.
    expect(bars.close[3]).toBe(6.35);
  });

  it('parses an index line (CSI 300) and minute bars dated at their end', () => {
    const index = parseKline(json('eastmoney-kline-index.json'), '000300.SH')!.bars;
    expect([index.open[0], index.close[0], index.high[0], index.low[0]]).toEqual([3946.86, 3927.23, 3953.61, 3921.47]);
    expect(index.volume[0]).toBe(15_673_219_000);
    const m5 = parseKline(json('eastmoney-kline-5m.json'), '600000.SH')!.bars;
    expect(Array.from(m5.ts, (t) => formatTs(t, '5m'))).toEqual(['2025-03-12 09:35', '2025-03-12 09:40', '2025-03-12 09:45']);
  });

  it('treats data: null as an unknown symbol and an empty klines list as no bars', () => {
    expect(parseKline(json('eastmoney-kline-null.json'), '000001.SH')).toBeUndefined();
    expect(parseKline({ rc: 0, data: { code: '600000', name: '浦发银行', klines: [] } }, '600000.SH')!.bars.length).toBe(0);
    expect(parseKline({ rc: 0, data: { code: '600000' } }, '600000.SH')!.bars.length).toBe(0);
    expect(() => parseKline('nope', '600000.SH')).toThrow(/not an object/);
  });

  it('tries market 1 and then market 2 for an SSE index code, stopping at the first non-null data', async () => {
    const fake = new FakeFetch()
      .on(HOSTS.kline, 'secid=1.000300', () => body(fixture('eastmoney-kline-null.json')))
      .on(HOSTS.kline, 'secid=2.000300', () => body(fixture('eastmoney-kline-index.json')));
    const em = new EastmoneyProvider(client('eastmoney', fake), () => NOW);
    const result = await em.klines({ symbol: '000300.SH', period: 'day', adjust: 'none' });
    expect(result!.bars.length).toBe(1);
    expect(fake.calls.map((u) => u.searchParams.get('secid'))).toEqual(['1.000300', '2.000300']);
    fake.on(HOSTS.kline, 'secid=0.000002', () => body(fixture('eastmoney-kline-null.json')));
    expect(await em.klines({ symbol: '000002.SZ', period: 'day', adjust: 'none' })).toBeUndefined();
  });
});

describe('Eastmoney quotes and list', () => {
  const bySecid = new Map([
    ['1.600000', '600000.SH'],
    ['0.000001', '000001.SZ'],
    ['1.000001', '000001.SH'],
    ['0.300059', '300059.SZ'],
    ['1.600001', '600001.SH'],
    ['1.688981', '688981.SH'],
  ]);

  it('normalises ulist.np rows (fltt=2) and keeps 1.000001 and 0.000001 apart', () => {
    const quotes = parseUlist(json('eastmoney-ulist.json'), bySecid, NOW);
    const by = new Map(quotes.map((q) => [q.symbol, q]));
    expect(by.get('600000.SH')).toEqual({
      symbol: '600000.SH',
      name: '浦发银行',
      price: 10.52,
      prevClose: 10.39,
      open: 10.4,
      high: 10.6,
      low: 10.35,
      volume: 40_231_100,
      amount: 421_936_455,
      change: 0.13,
      changePercent: 1.25,
      time: '2025-03-12T15:00:03+08:00',
      source: 'eastmoney',
      stale: false,
    });
    expect(by.get('000001.SH')).toMatchObject({ name: '上证指数', price: 3371.92 });
    expect(by.get('000001.SZ')).toMatchObject({ name: '平安银行', price: 11.8, volume: 100_935_600 });
    // All `-`: no quote at all. Only the previous close: shown unchanged, no open/high/low.
    expect(by.has('600001.SH')).toBe(false);
    expect(by.get('688981.SH')).toMatchObject({ price: 88.5, prevClose: 88.5, change: 0, changePercent: 0 });
    expect(by.get('688981.SH')!.open).toBeUndefined();
    // A row nobody asked for is ignored.
    expect(parseUlist(json('eastmoney-ulist.json'), new Map([['1.600000', '600000.SH']]), NOW)).toHaveLength(1);
  });

  it('asks for several secids in one request and answers in the order asked', async () => {
    const fake = recordedProviders();
    const em = new EastmoneyProvider(client('eastmoney', fake), () => NOW);
    const quotes = await em.quotes(['300059.SZ', '000001.SH', '600000.SH']);
    expect(quotes.map((q) => q.symbol)).toEqual(['300059.SZ', '000001.SH', '600000.SH']);
    // 000001.SH was found as 1.000001: no second round with 2.000001.
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]!.searchParams.get('secids')).toBe('0.300059,1.000001,1.600000');
    expect(fake.calls[0]!.searchParams.get('fltt')).toBe('2');
    expect(new URL(ulistUrl(['1.600000'])).host).toBe(HOSTS.eastmoney);
  });

  it('asks market 2 for an SSE index missing from market 1', async () => {
    const fake = new FakeFetch()
      .on(HOSTS.eastmoney, 'secids=1.000859', () => body('{"rc":0,"data":{"total":0,"diff":[]}}'))
      .on(HOSTS.eastmoney, 'secids=2.000859', () => body('{"rc":0,"data":{"total":1,"diff":[{"f2":1000.5,"f3":1,"f4":9.9,"f12":"000859","f13":2,"f14":"国企一带一路","f18":990.6,"f124":1741762803}]}}'));
    const quotes = await new EastmoneyProvider(client('eastmoney', fake), () => NOW).quotes(['000859.SH']);
    expect(quotes).toMatchObject([{ symbol: '000859.SH', price: 1000.5 }]);
  });

  it('reads the JSONP-wrapped A-share list page by page (page count from what the server sent)', async () => {
    expect(unwrapJsonp(fixture('eastmoney-clist-p1.jsonp').toString()).startsWith('{"rc":0')).toBe(true);
    const page = parseClist(JSON.parse(unwrapJsonp(fixture('eastmoney-clist-p1.jsonp').toString())));
    expect(page.total).toBe(5);
    expect(page.instruments).toEqual([
      { symbol: '600107.SH', name: '美尔雅' },
      { symbol: '430047.BJ', name: '诺思兰德' },
      { symbol: '000001.SZ', name: '平安银行' },
    ]);
    const fake = recordedProviders();
    const list = await new EastmoneyProvider(client('eastmoney', fake), () => NOW).instruments();
    expect(list.map((i) => i.symbol)).toEqual(['600107.SH', '430047.BJ', '000001.SZ', '920002.BJ', '600000.SH']);
    expect(fake.calls.map((u) => u.searchParams.get('pn'))).toEqual(['1', '2']);
    expect(fake.calls[0]!.searchParams.get('fs')).toBe('m:0 t:6,m:0 t:80,m:1 t:2,m:1 t:23,m:0 t:81 s:2048');
    expect(fake.calls[0]!.searchParams.get('fields')).toBe('f12,f13,f14');
    expect(new URL(clistUrl(3, 100)).searchParams.get('pz')).toBe('100');
  });

  it('refuses an empty list and accepts diff as an object', async () => {
    const empty = new FakeFetch().on(HOSTS.eastmoney, '/clist/', () => body('{"rc":0,"data":null}'));
    await expect(new EastmoneyProvider(client('eastmoney', empty), () => NOW).instruments()).rejects.toMatchObject({ kind: 'parse' });
    expect(parseClist({ data: { total: 1, diff: { 0: { f12: '600000', f13: 1, f14: '浦发银行' } } } }).instruments).toHaveLength(1);
  });
});

describe('Sina quotes', () => {
  it('decodes GBK and reads fields by index: volume already in shares, amount in CNY', () => {
    const text = gbk('sina-quotes.gbk.txt');
    expect(text).toContain('华宝油气');
    const by = new Map(parseSina(text, NOW).map((q) => [q.symbol, q]));
    expect(by.get('162411.SZ')).toEqual({
      symbol: '162411.SZ',
      name: '华宝油气',
      price: 0.491,
      prevClose: 0.488,
      open: 0.489,
      high: 0.492,
      low: 0.488,
      volume: 133_819_867,
      amount: 65_623_147.285,
      change: 0.003,
      changePercent: 0.61,
      time: '2019-03-12T15:00:03+08:00',
      source: 'sina',
      stale: false,
    });
    // Empty string (unknown or suspended): skipped. Trailing fields after index 32: ignored.
    expect(by.has('160923.SZ')).toBe(false);
    expect(by.get('600000.SH')).toMatchObject({ name: '浦发银行', price: 10.52, volume: 40_231_100, change: 0.13, changePercent: 1.25 });
    expect(by.get('000001.SH')).toMatchObject({ name: '上证指数', price: 3371.92 });
    // Before the first trade the last price is 0: the previous close, unchanged.
    expect(by.get('600001.SH')).toMatchObject({ price: 5, prevClose: 5, change: 0, volume: 0 });
    expect(by.get('600001.SH')!.open).toBeUndefined();
  });

  it('sends the Sina Referer and asks for sh/sz/bj codes', async () => {
    const fake = recordedProviders();
    const seen: Headers[] = [];
    const spy: typeof fetch = (input, init) => {
      seen.push(new Headers(init?.headers));
      return fake.fetch(input, init);
    };
    const http = new HttpClient({ fetch: spy, sleep: async () => undefined, now: () => NOW });
    const sina = new SinaProvider(new ProviderClient('sina', http, new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1, now: () => NOW })), () => NOW);
    const quotes = await sina.quotes(['600000.SH', '162411.SZ', '160923.SZ']);
    expect(quotes.map((q) => q.symbol)).toEqual(['600000.SH', '162411.SZ']);
    expect(seen[0]!.get('referer')).toBe('https://finance.sina.com.cn/');
    expect(fake.calls[0]!.pathname).toBe(`/rn=${NOW}&list=sh600000,sz162411,sz160923`);
    expect(prefixedCode('430047.BJ')).toBe('bj430047');
    expect(sinaUrl(['sh600000'], 1)).toBe('https://hq.sinajs.cn/rn=1&list=sh600000');
  });
});

describe('Tencent quotes', () => {
  it('reads the documented capture: lots → shares, amount from field 35 in CNY', () => {
    const by = new Map(parseTencent(gbk('tencent-quotes.gbk.txt'), NOW).map((q) => [q.symbol, q]));
    expect(by.get('600519.SH')).toEqual({
      symbol: '600519.SH',
      name: '贵州茅台',
      price: 358.74,
      prevClose: 361.29,
      open: 361.88,
      high: 362.43,
      low: 357.18,
      volume: 2_770_500,
      amount: 994_112_865,
      change: -2.55,
      changePercent: -0.71,
      time: '2017-02-21T15:05:53+08:00',
      source: 'tencent',
      stale: false,
    });
    // Field 35 without an amount: field 37 in 万元.
    expect(by.get('000001.SZ')).toMatchObject({ name: '平安银行', volume: 100_935_600, amount: 1_190_000_000 });
    // v_pv_none_match and records with too few fields are skipped.
    expect([...by.keys()].sort()).toEqual(['000001.SZ', '600519.SH']);
  });

  it('batches codes in one request and decodes GBK', async () => {
    const fake = recordedProviders();
    const quotes = await new TencentProvider(client('tencent', fake), () => NOW).quotes(['000001.SZ', '600519.SH', '000002.SZ']);
    expect(quotes.map((q) => [q.symbol, q.name])).toEqual([
      ['000001.SZ', '平安银行'],
      ['600519.SH', '贵州茅台'],
    ]);
    expect(fake.calls[0]!.pathname).toBe('/q=sz000001,sh600519,sz000002');
    expect(tencentUrl(['sh600519'])).toBe('https://qt.gtimg.cn/q=sh600519');
  });
});

describe('parsing helpers', () => {
  it('treats -, empty and non-numbers as missing', () => {
    expect([num('-'), num(''), num(' 1.5 '), num(null), num(Number.NaN), num('--'), num(2), num('x')]).toEqual([undefined, undefined, 1.5, undefined, undefined, undefined, 2, undefined]);
  });

  it('unwraps JSONP and leaves JSON alone', () => {
    expect(unwrapJsonp('cb({"a":1});')).toBe('{"a":1}');
    expect(unwrapJsonp(' {"a":1} ')).toBe('{"a":1}');
    expect(unwrapJsonp('garbage')).toBe('garbage');
  });

  it('formats Beijing times as ISO with +08:00', () => {
    expect(isoBeijing('2025-03-12', '09:31')).toBe('2025-03-12T09:31:00+08:00');
    expect(isoBeijing('2025-3-12', '09:31')).toBeUndefined();
    expect(isoFromCompact('20170221150553')).toBe('2017-02-21T15:05:53+08:00');
    expect(isoFromCompact('')).toBeUndefined();
  });
});
