import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../contracts/gen/error-codes';
import { testServer } from '../../../tests/helpers/server';
import { AppError, localeFrom, messageFor } from './errors';

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('ErrorCode catalogue', () => {
  it('keeps the original numbering and statuses', () => {
    expect(ErrorCodes.BAD_REQUEST).toMatchObject({ code: 1000, http: 400 });
    expect(ErrorCodes.VALIDATION_ERROR).toMatchObject({ code: 1001, http: 422 });
    expect(ErrorCodes.KLINE_DATA_NOT_FOUND).toMatchObject({ code: 2003, http: 404 });
    expect(ErrorCodes.INSUFFICIENT_POSITION.code).toBe(4100);
    expect(ErrorCodes.INSUFFICIENT_CASH.code).toBe(4200);
    expect(ErrorCodes.MARKET_CLOSED.code).toBe(4300);
    expect(ErrorCodes.EXCEED_POSITION_LIMIT.code).toBe(4401);
    expect(ErrorCodes.UNAUTHORIZED).toMatchObject({ code: 6000, http: 401 });
    expect(ErrorCodes.TOO_MANY_REQUESTS).toMatchObject({ code: 6005, http: 429 });
    expect(ErrorCodes.INTERNAL_ERROR).toMatchObject({ code: 9000, http: 500 });
    expect(ErrorCodes.SERVICE_UNAVAILABLE).toMatchObject({ code: 9002, http: 503 });
    expect(ErrorCodes.DATABASE_ERROR.code).toBe(9003);
  });

  it('puts every code in the range of its category, with both languages', () => {
    const ranges: Record<string, [number, number]> = {
      request: [1000, 1099], symbol: [1100, 1199], date: [1200, 1299], value: [1300, 1399], order: [1400, 1499],
      market: [2000, 2999], indicator: [3000, 3999], trading: [4000, 4999], strategy: [5000, 5999], auth: [6000, 6999], task: [7000, 7999], server: [9000, 9999],
    };
    for (const [name, e] of Object.entries(ErrorCodes)) {
      const range = ranges[e.category];
      expect(range, name).toBeDefined();
      expect(e.code, name).toBeGreaterThanOrEqual(range![0]);
      expect(e.code, name).toBeLessThanOrEqual(range![1]);
      expect(e.zh.length, name).toBeGreaterThan(0);
      expect(e.en.length, name).toBeGreaterThan(0);
    }
  });

  it('chooses the locale from Accept-Language, zh-CN by default', () => {
    expect(localeFrom(undefined)).toBe('zh-CN');
    expect(localeFrom('zh-CN,zh;q=0.9')).toBe('zh-CN');
    expect(localeFrom('en-GB')).toBe('en');
    expect(messageFor('MARKET_CLOSED', 'en')).toBe('The market is closed');
    expect(new AppError('SYMBOL_INVALID', 'bad').details).toEqual([{ message: 'bad' }]);
  });
});

describe('the one error path', () => {
  it('turns AppError into its code and status with details', async () => {
    server = await testServer();
    server.app.get('/test/symbol', async () => {
      throw new AppError('SYMBOL_INVALID', [{ field: 'query.symbol', message: 'must look like 600000.SH' }]);
    });
    const res = await server.request({ method: 'GET', url: '/test/symbol' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ success: false, code: 1100, details: [{ field: 'query.symbol', message: 'must look like 600000.SH' }] });
  });

  it('answers 500 with code 9000 and no stack trace or internal message', async () => {
    server = await testServer();
    server.app.get('/test/boom', async () => {
      throw new Error('secret internals at /home/user/file.ts:12');
    });
    const res = await server.request({ method: 'GET', url: '/test/boom', headers: { 'accept-language': 'en' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ success: false, code: 9000, message: 'Internal server error', requestId: expect.any(String), timestamp: expect.any(String) });
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('.ts:');
    const logged = server.context.logs.query({ page: 1, pageSize: 10, level: 'ERROR' }).items;
    expect(logged[0]?.message).toBe('unhandled error');
  });

  it('maps SQLite failures to 9003 DATABASE_ERROR', async () => {
    server = await testServer();
    const db = server.context.db;
    server.app.get('/test/db', async () => db.prepare('SELECT * FROM no_such_table').all());
    const res = await server.request({ method: 'GET', url: '/test/db' });
    expect(res.statusCode).toBe(500);
    expect(res.json().code).toBe(9003);
    expect(res.body).not.toContain('no_such_table');
  });

  it('maps an oversized body to 1004', async () => {
    server = await testServer();
    const res = await server.request({
      method: 'PATCH',
      url: '/api/system/settings',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ theme: 'x'.repeat(11 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe(1004);
  });

  it.each([
    ['an over-long path parameter', { method: 'GET', url: `/api/market/instruments/${'A'.repeat(300)}` }, 414, 1006],
    ['bad percent-encoding in the path', { method: 'GET', url: '/api/market/instruments/%E0%A4%A' }, 400, 1000],
    ['an unknown route', { method: 'GET', url: '/api/no/such/route' }, 404, 1002],
    ['a method the path does not have', { method: 'DELETE', url: '/api/system/health' }, 405, 1005],
    ['malformed JSON', { method: 'POST', url: '/api/watchlists', headers: { 'content-type': 'application/json' }, payload: '{"name": ' }, 400, 1000],
    ['an empty JSON body', { method: 'POST', url: '/api/watchlists', headers: { 'content-type': 'application/json' }, payload: '' }, 400, 1000],
    ['a content type the route does not take', { method: 'POST', url: '/api/watchlists', headers: { 'content-type': 'application/xml' }, payload: '<a/>' }, 415, 1003],
    ['Infinity in a query number', { method: 'GET', url: '/api/market/instruments/search?q=pf&limit=1e309' }, 422, 1001],
    ['Infinity in a JSON body number', { method: 'POST', url: '/api/indicators/calculate', headers: { 'content-type': 'application/json' }, payload: '{"indicators":[{"name":"SMA"}],"series":{"close":[1,1e309,3]}}' }, 422, 1001],
  ] as const)('answers %s in the envelope', async (_what, req, status, code) => {
    server ??= await testServer();
    const res = await server.request({ ...req, headers: { ...('headers' in req ? req.headers : {}) } });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ success: false, code, requestId: expect.any(String), timestamp: expect.any(String) });
    expect(res.body).not.toContain('FST_ERR');
  });

  it('names the allowed methods on 405 and the field on a non-finite number', async () => {
    server = await testServer();
    const wrong = await server.request({ method: 'PUT', url: '/api/watchlists/7' });
    expect(wrong.headers.allow).toBe('PATCH, DELETE');
    const inf = await server.request({ method: 'GET', url: '/api/market/instruments/search?q=pf&limit=-1e400' });
    expect(inf.json().details).toContainEqual({ field: 'querystring.limit', message: 'must be a finite number' });
  });
});
