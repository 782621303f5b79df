import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer } from '../../../../tests/helpers/server';
import { allocateSeries, sliceSeries } from '../../engine/bars/series';
import { parseTimeString } from '../../engine/bars/time';
import { Ajv } from 'ajv';
import { contractOperation } from '../../platform/contract';
import { openDatabase } from '../../platform/db/database';
import { MarketRepository } from './repository';

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server;

/** 60 weekdays of synthetic daily bars from 2024-01-01, close = 10 + i / 10. */
function seed(s: Server, symbol = '600000.SH', name = '浦发银行') {
  const repo = s.context.market;
  const id = repo.ensureInstrument(symbol, name);
  const series = repo.ensureSeries(id, 'day', 'none');
  const bars = allocateSeries(100);
  let n = 0;
  for (let d = 0; n < 60; d++) {
    const ts = parseTimeString('2024-01-01')! + d * 86_400;
    const weekday = new Date(ts * 1000).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const c = 10 + n / 10;
    bars.ts[n] = ts;
    bars.open[n] = c - 0.05;
    bars.high[n] = c + 0.1;
    bars.low[n] = c - 0.1;
    bars.close[n] = c;
    bars.volume[n] = 1000 + n;
    bars.amount[n] = (1000 + n) * c;
    n++;
  }
  return { repo, series, bars: sliceSeries(bars, 0, n), written: repo.writeBars(series, sliceSeries(bars, 0, n), 'test') };
}

beforeEach(async () => {
  server = await testServer();
});
afterEach(async () => {
  await server.close();
});

describe('market repository', () => {
  it('writes bars idempotently and keeps coverage up to date', () => {
    const { repo, series, bars, written } = seed(server);
    expect(written).toBe(60);
    expect(repo.writeBars(series, bars, 'test')).toBe(0);
    bars.close[59] = 99;
    expect(repo.writeBars(series, bars, 'test')).toBe(1);
    expect(repo.coverage('600000.SH')).toEqual([
      expect.objectContaining({ symbol: '600000.SH', name: '浦发银行', period: 'day', adjust: 'none', first: '2024-01-01', bars: 60, source: 'test' }),
    ]);
  });

  it('sees series changes made through this connection, and those of another one (the import worker) without being told', () => {
    const { repo, series, bars } = seed(server);
    expect(repo.findSeries('600000.SH', 'day', 'none')).toMatchObject({ bars: 60 });
    const otherDb = openDatabase(server.context.dbFile);
    const other = new MarketRepository(otherDb);
    const next = allocateSeries(1);
    next.ts[0] = bars.ts[59]! + 3 * 86_400;
    next.open[0] = next.high[0] = next.low[0] = next.close[0] = 42;
    other.writeBars(series, sliceSeries(next, 0, 1), 'test');
    otherDb.close();
    expect(repo.findSeries('600000.SH', 'day', 'none')).toMatchObject({ bars: 61 });
    expect(repo.findSeries('600000.SH', '5m', 'none')).toBeUndefined();
    repo.writeBars(repo.ensureSeries(repo.ensureInstrument('600000.SH'), '5m', 'none'), sliceSeries(next, 0, 1), 'test');
    expect(repo.findSeries('600000.SH', '5m', 'none')).toMatchObject({ bars: 1 });
  });

  it('derives code, exchange, board, pinyin initials and the ST flag', () => {
    const { repo } = seed(server);
    repo.ensureInstrument('300750.SZ', '宁德时代');
    repo.ensureInstrument('600666.SH', '*ST瑞德');
    expect(repo.getInstrument('600000.SH')).toEqual({
      symbol: '600000.SH', code: '600000', exchange: 'SH', name: '浦发银行', pinyin: 'pfyh', kind: 'stock', board: 'main', isSt: false, listDate: null,
    });
    expect(repo.getInstrument('300750.SZ')).toMatchObject({ board: 'chinext', pinyin: 'ndsd' });
    expect(repo.getInstrument('600666.SH')).toMatchObject({ isSt: true, pinyin: 'strd' });
  });
});

describe('instrument search', () => {
  it('finds by code, pinyin initials and name, best matches first', async () => {
    seed(server);
    seed(server, '000001.SZ', '平安银行');
    seed(server, '000001.SH', '上证指数');
    const byPinyin = await server.request({ method: 'GET', url: '/api/market/instruments/search?q=pfyh' });
    expect(byPinyin.json().data.map((i: { symbol: string }) => i.symbol)).toEqual(['600000.SH']);
    const byCode = await server.request({ method: 'GET', url: '/api/market/instruments/search?q=000001' });
    expect(byCode.json().data.map((i: { symbol: string }) => i.symbol)).toEqual(['000001.SZ', '000001.SH']);
    for (const q of ['000001.SH', 'sh000001']) {
      const exact = await server.request({ method: 'GET', url: `/api/market/instruments/search?q=${q}` });
      expect(exact.json().data.map((i: { symbol: string }) => i.symbol)).toEqual(['000001.SH', '000001.SZ']);
    }
    const byName = await server.request({ method: 'GET', url: `/api/market/instruments/search?q=${encodeURIComponent('银行')}` });
    expect(byName.json().data).toHaveLength(2);
    const wildcard = await server.request({ method: 'GET', url: '/api/market/instruments/search?q=%25' });
    expect(wildcard.json().data).toEqual([]);
    const one = await server.request({ method: 'GET', url: '/api/market/instruments/600000.SH' });
    expect(one.json().data.name).toBe('浦发银行');
  });
});

describe('GET /api/market/kline', () => {
  const kline = (query: string) => server.request({ method: 'GET', url: `/api/market/kline?${query}` });

  it('returns aligned columns for a range', async () => {
    seed(server);
    const res = await kline('symbol=600000.SH&period=day&start=2024-01-02&end=2024-01-05');
    expect(res.statusCode).toBe(200);
    const k = res.json().data;
    expect(k).toMatchObject({ symbol: '600000.SH', period: 'day', adjust: 'none', adjustApplied: true, count: 4, stale: true });
    expect(k.time).toEqual(['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']);
    expect(k.close).toEqual([10.1, 10.2, 10.3, 10.4]);
    expect(k.volume).toEqual([1001, 1002, 1003, 1004]);
  });

  it('answers exactly what the contract says (the route uses the native serializer)', async () => {
    seed(server);
    const res = await kline('symbol=600000.SH&period=week&limit=2');
    const schema = contractOperation('getKline').schema.response as Record<string, object>;
    const validate = new Ajv({ strict: false, allErrors: true }).addFormat('date-time', true).compile(schema['200']!);
    expect(validate(res.json()), JSON.stringify(validate.errors)).toBe(true);
    expect(Object.keys(res.json().data).sort()).toEqual(
      ['symbol', 'period', 'adjust', 'adjustApplied', 'derivedFrom', 'count', 'time', 'open', 'high', 'low', 'close', 'volume', 'amount', 'stale'].sort(),
    );
    const error = await kline('symbol=601398.SH&period=day');
    expect(Object.keys(error.json()).sort()).toEqual(['code', 'details', 'message', 'requestId', 'success', 'timestamp']);
  });

  it('answers a repeated request from its kept JSON until the series changes', async () => {
    const { repo, series, bars } = seed(server);
    const first = await kline('symbol=600000.SH&period=day&limit=5');
    const again = await kline('symbol=600000.SH&period=day&limit=5');
    expect(again.json().data).toEqual(first.json().data);
    expect(Object.keys(again.json())).toEqual(['success', 'code', 'message', 'data', 'requestId', 'timestamp']);
    expect(again.json().requestId).not.toBe(first.json().requestId);
    expect(again.headers['content-type']).toBe('application/json; charset=utf-8');

    const next = allocateSeries(1);
    next.ts[0] = bars.ts[bars.length - 1]! + 3 * 86_400;
    next.open[0] = next.high[0] = next.low[0] = next.close[0] = 42;
    repo.writeBars(series, sliceSeries(next, 0, 1), 'test');
    const changed = (await kline('symbol=600000.SH&period=day&limit=5')).json().data;
    expect(changed.close.at(-1)).toBe(42);
    expect(changed.close.slice(0, 4)).toEqual(first.json().data.close.slice(1));
  });

  it('returns the newest bars with limit', async () => {
    seed(server);
    const k = (await kline('symbol=600000.SH&period=day&limit=3')).json().data;
    expect(k.count).toBe(3);
    expect(k.close).toEqual([15.7, 15.8, 15.9]);
  });

  it('derives weekly and monthly bars from daily ones', async () => {
    seed(server);
    const w = (await kline('symbol=600000.SH&period=week')).json().data;
    expect(w).toMatchObject({ period: 'week', derivedFrom: 'day', count: 12 });
    expect(w.time[0]).toBe('2024-01-05');
    expect([w.open[0], w.close[0], w.volume[0]]).toEqual([9.95, 10.4, 1000 + 1001 + 1002 + 1003 + 1004]);
    const m = (await kline('symbol=600000.SH&period=month&limit=1')).json().data;
    expect(m).toMatchObject({ count: 1, time: ['2024-03-22'] });
  });

  it('says when a requested adjustment could not be applied', async () => {
    seed(server);
    const k = (await kline('symbol=600000.SH&period=day&adjust=qfq&limit=1')).json().data;
    expect(k).toMatchObject({ adjust: 'none', adjustApplied: false });
  });

  it.each([
    ['symbol=600000&period=day', 422, 1100],
    ['symbol=600000.SH&period=2h', 422, 2002],
    ['symbol=600000.SH&period=day&start=2024/01/01', 422, 1200],
    ['symbol=600000.SH&period=day&start=2024-02-30', 422, 1200],
    ['symbol=600000.SH&period=day&start=2024-03-01&end=2024-01-01', 422, 1201],
    ['symbol=600000.SH&period=day&start=2030-01-01', 404, 2003],
    ['symbol=600000.SH&period=5m', 404, 2003],
    ['symbol=601398.SH&period=day', 404, 1101],
    ['period=day', 422, 1100],
  ])('%s → %i / %i', async (query, status, code) => {
    seed(server);
    const res = await kline(query);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ success: false, code });
  });
});

describe('watchlists', () => {
  it('creates, orders, edits and deletes lists and their symbols', async () => {
    const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) => server.request({ method, url, payload });
    const a = await req('POST', '/api/watchlists', { name: '自选股', symbols: ['600000.SH', '000001.SZ'] });
    expect(a.statusCode).toBe(201);
    const b = (await req('POST', '/api/watchlists', { name: 'Banks' })).json().data;
    expect(b).toMatchObject({ name: 'Banks', position: 1, symbols: [] });
    const idA = a.json().data.id;

    expect((await req('POST', `/api/watchlists/${idA}/items`, { symbol: '600036.SH', position: 0 })).json().data.symbols).toEqual(['600036.SH', '600000.SH', '000001.SZ']);
    // Adding a symbol already in the list moves it.
    expect((await req('POST', `/api/watchlists/${idA}/items`, { symbol: '600036.SH' })).json().data.symbols).toEqual(['600000.SH', '000001.SZ', '600036.SH']);
    expect((await req('DELETE', `/api/watchlists/${idA}/items/000001.SZ`)).json().data.symbols).toEqual(['600000.SH', '600036.SH']);
    expect((await req('DELETE', `/api/watchlists/${idA}/items/000001.SZ`)).statusCode).toBe(404);

    await req('PATCH', `/api/watchlists/${b.id}`, { position: 0, name: '银行' });
    const lists = (await req('GET', '/api/watchlists')).json().data;
    expect(lists.map((l: { name: string; position: number }) => [l.name, l.position])).toEqual([['银行', 0], ['自选股', 1]]);

    expect((await req('DELETE', `/api/watchlists/${b.id}`)).statusCode).toBe(200);
    expect((await req('GET', '/api/watchlists')).json().data).toEqual([expect.objectContaining({ name: '自选股', position: 0 })]);
    expect((await req('PATCH', '/api/watchlists/999', { name: 'x' })).statusCode).toBe(404);
  });

  it('rejects bad symbols and duplicate symbols with the right codes', async () => {
    const bad = await server.request({ method: 'POST', url: '/api/watchlists', payload: { name: 'x', symbols: ['600000'] } });
    expect(bad.json().code).toBe(1100);
    const dup = await server.request({ method: 'POST', url: '/api/watchlists', payload: { name: 'x', symbols: ['600000.SH', '600000.SH'] } });
    expect(dup.statusCode).toBe(422);
    expect(dup.json().code).toBe(1001);
    const empty = await server.request({ method: 'POST', url: '/api/watchlists', payload: { name: '' } });
    expect(empty.statusCode).toBe(422);
    expect((await server.request({ method: 'GET', url: '/api/watchlists' })).json().data).toEqual([]);
  });
});
