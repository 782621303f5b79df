/**
 * GET /api/trade/rules on a real server and SQLite file: lots, the day's limit prices and cost
 * rates of a symbol for an account's trading day, from the engine's tables — and the same limits
 * the order submission refuses a limit price outside of (4402). Values worked out by hand.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { beijing, liveQuote, seedDaily } from '../../../../tests/helpers/market';
import { testServer } from '../../../../tests/helpers/server';
import type { TradingRules } from './rules';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let clock = beijing('2024-06-17 10:00');

async function setup() {
  const server = await testServer({ now: () => clock });
  cleanups.push(async () => {
    await server.context.online.poller.tick().catch(() => 0);
    await new Promise((r) => setImmediate(r));
    await server.close();
  });
  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await server.request({ method, url, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() as { code: number; data: never; details?: { field?: string }[] } };
  };
  const rules = async (query: string): Promise<TradingRules> => {
    const r = await call('GET', `/api/trade/rules?${query}`);
    if (r.status !== 200) throw new Error(`rules ${query} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.data;
  };
  const account = async (body: object): Promise<{ id: number }> => (await call('POST', '/api/trade/accounts', body)).body.data;
  return { server, market: server.context.market, call, rules, account };
}

const COSTS_2024 = { commissionRate: 0.00025, minCommission: 5, stampDutyBuyRate: 0, stampDutySellRate: 0.0005, transferFeeRate: 0.00001 };

describe('GET /api/trade/rules', () => {
  it('main board: lots 100/100, ±10 % of the account quote’s prevClose half-up to the fen, the account’s costs — and submission refuses exactly outside them', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    t.market.ensureInstrument('600000.SH', '浦发银行');
    const a = await t.account({ name: 'Live', initialCash: 100_000, mode: 'live', slippageBps: 10 });
    // 10.05 × 1.1 = 11.055 → 11.06; 10.05 × 0.9 = 9.045 → 9.05 (half-up, exactly: a float product says 11.05).
    t.server.context.bus.publish('quotes', 'quote', liveQuote('600000.SH', 10.2, '2024-06-17 10:00', { prevClose: 10.05 }));
    expect(await t.rules(`symbol=600000.SH&accountId=${a.id}`)).toEqual({
      symbol: '600000.SH',
      name: '浦发银行',
      accountId: a.id,
      board: 'main',
      tradable: true,
      day: '2024-06-17',
      st: false,
      lot: { minBuy: 100, step: 100, oddLotSellAll: true },
      prevClose: 10.05,
      prevCloseSource: 'quote',
      limitPct: 0.1,
      limitUp: 11.06,
      limitDown: 9.05,
      costs: { ...COSTS_2024, slippageBps: 10 },
    });
    const order = (limitPrice: number) => t.call('POST', `/api/trade/accounts/${a.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'limit', quantity: 100, limitPrice });
    expect(await order(11.07)).toMatchObject({ status: 422, body: { code: 4402 } });
    expect(await order(9.04)).toMatchObject({ status: 422, body: { code: 4402 } });
    expect((await order(11.06)).status).toBe(201);
    expect((await order(9.05)).status).toBe(201);
  });

  it('STAR: lots 200/1 and ±20 % of the last cached close before the day (no account: defaults, the server’s day)', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    seedDaily(t.market, '688001.SH', '华兴源创', [
      ['2024-06-13', 33, 34, 32, 33.2, 1000, 33_200],
      ['2024-06-14', 33.2, 34, 33, 33.33, 1000, 33_330],
      ['2024-06-17', 33.33, 40, 33, 39, 1000, 39_000], // today's bar: not the previous close
    ]);
    // 33.33 × 1.2 = 39.996 → 40.00; × 0.8 = 26.664 → 26.66.
    expect(await t.rules('symbol=688001.SH')).toEqual({
      symbol: '688001.SH',
      name: '华兴源创',
      board: 'star',
      tradable: true,
      day: '2024-06-17',
      st: false,
      lot: { minBuy: 200, step: 1, oddLotSellAll: true },
      prevClose: 33.33,
      prevCloseSource: 'bar',
      limitPct: 0.2,
      limitUp: 40,
      limitDown: 26.66,
      costs: { ...COSTS_2024, slippageBps: 0 },
    });
    // After the close an order is for the next trading day: 06-17's close is its previous close.
    clock = beijing('2024-06-17 15:30');
    expect(await t.rules('symbol=688001.SH')).toMatchObject({ day: '2024-06-18', prevClose: 39, limitUp: 46.8, limitDown: 31.2 });
  });

  it('an ST name: ±5 % on the main board (until the 2026-07-06 rule change: 10 %); the IPO window and an index: no limit', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    seedDaily(t.market, '600090.SH', '*ST某某', [['2024-06-14', 4.3, 4.3, 4.3, 4.3, 100, 430]]);
    // 4.30 × 1.05 = 4.515 → 4.52; × 0.95 = 4.085 → 4.09.
    expect(await t.rules('symbol=600090.SH')).toMatchObject({ st: true, limitPct: 0.05, limitUp: 4.52, limitDown: 4.09 });
    clock = beijing('2026-07-06 10:00');
    expect(await t.rules('symbol=600090.SH')).toMatchObject({ day: '2026-07-06', st: true, limitPct: 0.1, limitUp: 4.73, limitDown: 3.87 });

    // A name not known: ST unknown (taken as not ST).
    clock = beijing('2024-06-17 10:00');
    seedDaily(t.market, '600091.SH', '', [['2024-06-14', 5, 5, 5, 5, 100, 500]]);
    expect(await t.rules('symbol=600091.SH')).toMatchObject({ st: null, limitPct: 0.1, limitUp: 5.5, limitDown: 4.5 });
    expect((await t.rules('symbol=600091.SH')).name).toBeUndefined();

    // STAR listed 2024-06-13: 06-17 is its 3rd trading day, inside the 5 days without a limit.
    t.market.ensureInstrument('688999.SH', '新股', '2024-06-13');
    expect(await t.rules('symbol=688999.SH')).toMatchObject({ board: 'star', limitPct: null, limitUp: null, limitDown: null, prevClose: null, prevCloseSource: null });
    clock = beijing('2024-06-20 10:00'); // the 6th
    expect(await t.rules('symbol=688999.SH')).toMatchObject({ limitPct: 0.2, limitUp: null, limitDown: null });

    t.market.ensureInstrument('000001.SH', '上证指数');
    const index = await t.rules('symbol=000001.SH');
    expect(index).toMatchObject({ board: 'index', tradable: false, limitPct: null, limitUp: null });
    expect(index.lot).toBeUndefined();
  });

  it('a replay account: its clock’s day (2022: stamp duty 0.1 %, transfer fee 0.002 % before 2022-04-29), its last replayed quote; a live one on the same symbol: 2024 (0.05 %)', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    seedDaily(t.market, '600100.SH', '同方股份', [
      ['2022-03-01', 10, 10.5, 9.9, 10.2, 1000, 10_200],
      ['2022-03-02', 10.2, 10.6, 10.1, 10.5, 1100, 11_550],
    ]);
    const replay = await t.account({ name: 'Replay', initialCash: 100_000, mode: 'replay', slippageBps: 5 });
    const live = await t.account({ name: 'Live', initialCash: 100_000, mode: 'live' });
    await t.call('POST', '/api/replay/start', { symbols: ['600100.SH'], start: '2022-03-01', paused: true });
    await t.call('POST', '/api/replay/control', { action: 'step' }); // 2022-03-01 15:00 at 10.20
    // After the 15:00 bar an order is for 03-02; its previous close is 03-01's (the quote's price).
    expect(await t.rules(`symbol=600100.SH&accountId=${replay.id}`)).toMatchObject({
      day: '2022-03-02',
      prevClose: 10.2,
      prevCloseSource: 'quote',
      limitUp: 11.22,
      limitDown: 9.18,
      costs: { commissionRate: 0.00025, minCommission: 5, stampDutyBuyRate: 0, stampDutySellRate: 0.001, transferFeeRate: 0.00002, slippageBps: 5 },
    });
    expect(await t.rules(`symbol=600100.SH&accountId=${live.id}`)).toMatchObject({
      day: '2024-06-17',
      prevClose: 10.5,
      prevCloseSource: 'bar',
      costs: { stampDutySellRate: 0.0005, slippageBps: 0 },
    });
    // The ticket's limits are the submission's: 11.23 is refused on the replay account, 11.22 taken.
    const order = (limitPrice: number) => t.call('POST', `/api/trade/accounts/${replay.id}/orders`, { symbol: '600100.SH', side: 'buy', type: 'limit', quantity: 100, limitPrice });
    expect(await order(11.23)).toMatchObject({ status: 422, body: { code: 4402 } });
    expect((await order(11.22)).status).toBe(201);
  });

  it('errors: a malformed symbol (1100), one not in the cache (1101), no symbol (1100 too), an unknown account (4003)', async () => {
    const t = await setup();
    t.market.ensureInstrument('600000.SH', '浦发银行');
    expect(await t.call('GET', '/api/trade/rules?symbol=600000')).toMatchObject({ status: 422, body: { code: 1100 } });
    expect(await t.call('GET', '/api/trade/rules?symbol=600999.SH')).toMatchObject({ status: 404, body: { code: 1101, details: [{ field: 'querystring.symbol' }] } });
    expect(await t.call("GET", "/api/trade/rules")).toMatchObject({ status: 422, body: { code: 1100 } });
    expect(await t.call('GET', '/api/trade/rules?symbol=600000.SH&accountId=99')).toMatchObject({ status: 404, body: { code: 4003, details: [{ field: 'querystring.accountId' }] } });
    expect(await t.call('GET', '/api/trade/rules?symbol=600000.SH&accountId=0')).toMatchObject({ status: 422, body: { code: 1001 } });
  });
});
