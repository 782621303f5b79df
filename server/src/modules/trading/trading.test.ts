/**
 * Paper trading on a real server and SQLite file: live quotes published on the bus as the poller
 * does, a real market replay over cached bars, the clock injected. Fills with hand-worked fees,
 * T+1, limits crossing, lots, cash, limit-up, day end, orders waiting for the session, reset,
 * live/replay isolation, a restart, and the trades stream (exactly once, Last-Event-ID).
 */
import { Ajv } from 'ajv';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import spec from '../../../../contracts/gen/openapi.json' with { type: 'json' };
import { beijing, liveQuote } from '../../../../tests/helpers/market';
import { offlineFetch, TEST_TOKEN, tempDataDir, testServer } from '../../../../tests/helpers/server';
import { startServer } from '../../app';
import { allocateSeries, setBar, sliceSeries } from '../../engine/bars/series';
import { parseTimeString } from '../../engine/bars/time';
import { dereference } from '../../platform/contract';
import { Portfolio } from '../../engine/portfolio';
import { PaperBook, wallSeconds, type PaperAccountView, type PaperFillView, type PaperOrderView, type PaperPositionView, type Quote } from './book';

type Server = Awaited<ReturnType<typeof testServer>>;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let clock = beijing('2024-06-17 10:00');

/**
 * Closes a server once its quote poller has no poll in flight: live accounts have it watch their
 * symbols, and a poll (offline here) that ends after the database closed would ask the settings
 * for its next interval then (QuotePoller's timer reads pollSeconds() in its `finally` before
 * checking that it was closed).
 */
async function settleAndClose(server: { context: Server['context']; close(): Promise<void> }): Promise<void> {
  await server.context.online.poller.tick().catch(() => 0);
  await new Promise((r) => setImmediate(r));
  await server.close();
}

async function setup(options: { dataDir?: string } = {}) {
  const server = await testServer({ now: () => clock, ...options });
  cleanups.push(() => settleAndClose(server));
  server.context.market.ensureInstrument('600000.SH', '浦发银行');
  server.context.market.ensureInstrument('000001.SZ', '平安银行');
  return api(server);
}

function api(server: Server) {
  const call = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => {
    const res = await server.request({ method, url, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() as { code: number; data: never; details?: unknown[] } };
  };
  const data = async <T>(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object): Promise<T> => {
    const r = await call(method, url, payload);
    if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.data as T;
  };
  const account = (body: object) => data<PaperAccountView>('POST', '/api/trade/accounts', body);
  const order = (id: number, body: object) => call('POST', `/api/trade/accounts/${id}/orders`, body);
  const orders = (id: number, query = '') => data<PaperOrderView[]>('GET', `/api/trade/accounts/${id}/orders${query}`);
  const fills = (id: number) => data<PaperFillView[]>('GET', `/api/trade/accounts/${id}/fills`);
  const positions = (id: number) => data<PaperPositionView[]>('GET', `/api/trade/accounts/${id}/positions`);
  const get = (id: number) => data<PaperAccountView>('GET', `/api/trade/accounts/${id}`);
  /** A live quote, as the poller publishes it. */
  const quote = (symbol: string, price: number, time: string, extra: Partial<Quote> = {}) => server.context.bus.publish('quotes', 'quote', liveQuote(symbol, price, time, extra));
  return { server, call, data, account, order, orders, fills, positions, get, quote };
}

describe('paper trading (live quotes)', () => {
  it('buys at market on the next quote with the fees, and T+1 refuses a same-day sell (4101) until the next day', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    const a = await t.account({ name: 'Main', initialCash: 100_000, mode: 'live' });
    expect(a).toMatchObject({ cash: 100_000, equity: 100_000, mode: 'live', slippageBps: 0 });

    const placed = await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 1000 });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.body.data).toMatchObject({ id: 'o1', status: 'open', filledQuantity: 0, day: '2024-06-17' });

    // The poller now watches the symbol, for the order and then the position.
    expect(t.server.context.online.poller.watchedSymbols()).toEqual(['600000.SH']);
    t.quote('600000.SH', 10, '2024-06-17 10:00');
    // value 10 000.00; commission 0.025 % = 2.50 → the 5.00 minimum; no buy stamp duty; transfer fee 0.001 % = 0.10.
    expect(await t.fills(a.id)).toEqual([
      expect.objectContaining({ orderId: 'o1', side: 'buy', quantity: 1000, price: 10, value: 10_000, commission: 5, stampDuty: 0, transferFee: 0.1, cashFlow: -10_005.1, day: '2024-06-17', time: '2024-06-17T10:00:00+08:00' }),
    ]);
    expect((await t.orders(a.id))[0]).toMatchObject({ status: 'filled', filledQuantity: 1000, avgFillPrice: 10 });
    expect(await t.positions(a.id)).toEqual([
      { symbol: '600000.SH', name: '浦发银行', quantity: 1000, available: 0, costBasis: 10_005.1, avgCost: 10.0051, lastPrice: 10, marketValue: 10_000, unrealizedPnl: -5.1, realizedPnl: 0 },
    ]);
    expect(await t.get(a.id)).toMatchObject({ cash: 89_994.9, marketValue: 10_000, equity: 99_994.9, pnlTotal: -5.1, pnlToday: -5.1, day: '2024-06-17', sessionOpen: true });

    // T+1: today's shares are not sellable today.
    const sameDay = await t.order(a.id, { symbol: '600000.SH', side: 'sell', type: 'market', quantity: 1000 });
    expect(sameDay).toMatchObject({ status: 422, body: { code: 4101 } });
    // More than held: 4100.
    expect(await t.order(a.id, { symbol: '600000.SH', side: 'sell', type: 'market', quantity: 2000 })).toMatchObject({ status: 422, body: { code: 4100 } });
    // A refused order leaves no trace.
    expect((await t.orders(a.id)).map((o) => o.id)).toEqual(['o1']);

    clock = beijing('2024-06-18 09:40');
    expect((await t.positions(a.id))[0]).toMatchObject({ quantity: 1000, available: 1000 });
    const sell = await t.order(a.id, { symbol: '600000.SH', side: 'sell', type: 'market', quantity: 1000 });
    expect(sell.status, JSON.stringify(sell.body)).toBe(201);
    t.quote('600000.SH', 10.5, '2024-06-18 09:40', { prevClose: 10 });
    // value 10 500.00; commission 2.63 → 5.00; stamp duty 0.05 % (sells, since 2023-08-28) = 5.25; transfer 0.105 → 0.11.
    expect((await t.fills(a.id))[0]).toMatchObject({ side: 'sell', price: 10.5, value: 10_500, commission: 5, stampDuty: 5.25, transferFee: 0.11, cashFlow: 10_489.64, realizedPnl: 484.54 });
    expect(await t.positions(a.id)).toEqual([]);
    expect(t.server.context.online.poller.watchedSymbols()).toEqual([]);
    expect(await t.get(a.id)).toMatchObject({ cash: 100_484.54, equity: 100_484.54, pnlTotal: 484.54 });
    expect(await t.data('GET', `/api/trade/accounts/${a.id}/statistics`)).toMatchObject({
      orders: 2, filledOrders: 2, fills: 2, buys: 1, sells: 1, closingSells: 1, wins: 1, losses: 0, winRate: 1, turnover: 20_500, commission: 10, stampDuty: 5.25, transferFee: 0.21, fees: 15.46, realizedPnl: 484.54, unrealizedPnl: 0, tradingDays: 2,
    });
    expect(t.server.context.trading.book(a.id).reconciles()).toBe(true);
  });

  it('fills limit orders when the price crosses, at the quote (the limit or better), with slippage never beyond the limit', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    const a = await t.account({ name: 'Limits', initialCash: 100_000, mode: 'live', slippageBps: 10 });
    await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'limit', quantity: 500, limitPrice: 9.8 });
    t.quote('600000.SH', 10, '2024-06-17 10:01');
    t.quote('600000.SH', 9.81, '2024-06-17 10:02');
    expect(await t.fills(a.id)).toEqual([]);
    // 9.79 ≤ 9.80: fills at 9.79 + 10 bps (0.0098 → 0.01) = 9.80, not beyond the limit.
    t.quote('600000.SH', 9.79, '2024-06-17 10:03');
    expect((await t.fills(a.id))[0]).toMatchObject({ price: 9.8, quantity: 500 });
    // A market buy pays the price + slippage: 9.90 + 0.0099 → 9.91.
    await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    t.quote('600000.SH', 9.9, '2024-06-17 10:04');
    expect((await t.fills(a.id))[0]).toMatchObject({ price: 9.91, quantity: 100 });

    clock = beijing('2024-06-18 10:00');
    await t.order(a.id, { symbol: '600000.SH', side: 'sell', type: 'limit', quantity: 600, limitPrice: 10.2 });
    t.quote('600000.SH', 10.19, '2024-06-18 10:00', { prevClose: 9.9 });
    expect((await t.fills(a.id)).length).toBe(2);
    // 10.25 ≥ 10.20: 10.25 − 0.01 = 10.24.
    t.quote('600000.SH', 10.25, '2024-06-18 10:01', { prevClose: 9.9 });
    expect((await t.fills(a.id))[0]).toMatchObject({ side: 'sell', price: 10.24, quantity: 600 });
  });

  it('refuses lots (1401), cash (4200), a limit price outside the day (4402), bad prices and unknown things', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    const a = await t.account({ name: 'Rules', initialCash: 10_000, mode: 'live' });
    expect(await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 101 })).toMatchObject({ status: 422, body: { code: 1401, details: [{ field: 'body.quantity' }] } });
    expect(await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'limit', quantity: 1000, limitPrice: 10 })).toMatchObject({ status: 422, body: { code: 4200 } });
    // A market buy is checked against the last price known.
    t.quote('600000.SH', 10, '2024-06-17 10:00');
    expect(await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 1000 })).toMatchObject({ status: 422, body: { code: 4200 } });
    // The day's limits from the quote's prevClose 10.00: 9.00–11.00.
    expect(await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'limit', quantity: 100, limitPrice: 11.01 })).toMatchObject({ status: 422, body: { code: 4402 } });
    expect(await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'limit', quantity: 100 })).toMatchObject({ status: 422, body: { code: 1402 } });
    expect(await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'limit', quantity: 100, limitPrice: 10.005 })).toMatchObject({ status: 422, body: { code: 1402 } });
    expect(await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100, limitPrice: 10 })).toMatchObject({ status: 422, body: { code: 1400 } });
    expect(await t.order(a.id, { symbol: '600999.SH', side: 'buy', type: 'market', quantity: 100 })).toMatchObject({ status: 404, body: { code: 1101 } });
    expect(await t.order(999, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 })).toMatchObject({ status: 404, body: { code: 4003 } });
    expect(await t.call('POST', `/api/trade/accounts/${a.id}/orders/o9/cancel`)).toMatchObject({ status: 404, body: { code: 4002 } });
    expect(await t.orders(a.id)).toEqual([]);

    const ok = await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'limit', quantity: 100, limitPrice: 9.5 });
    expect(ok.status).toBe(201);
    expect((await t.call('POST', `/api/trade/accounts/${a.id}/orders/o1/cancel`)).body.data).toMatchObject({ id: 'o1', status: 'cancelled', reason: 'cancelled' });
    expect(await t.call('POST', `/api/trade/accounts/${a.id}/orders/o1/cancel`)).toMatchObject({ status: 409, body: { code: 4001 } });
  });

  it('does not fill a buy at limit-up; the day end cancels what is left, with the reason', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    const a = await t.account({ name: 'Day end', initialCash: 100_000, mode: 'live' });
    await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    await t.order(a.id, { symbol: '000001.SZ', side: 'buy', type: 'limit', quantity: 100, limitPrice: 9.5 });
    t.quote('600000.SH', 11, '2024-06-17 10:01'); // limit-up of prevClose 10.00 (10 %)
    t.quote('000001.SZ', 9.6, '2024-06-17 10:01');
    expect(await t.fills(a.id)).toEqual([]);
    expect(await t.orders(a.id, '?status=open')).toHaveLength(2);

    clock = beijing('2024-06-17 15:00');
    expect(await t.orders(a.id, '?status=open')).toHaveLength(2); // the closing minute still trades
    clock = beijing('2024-06-17 15:01');
    const ended = await t.orders(a.id);
    expect(ended.map((o) => [o.id, o.status, o.reason])).toEqual([
      ['o2', 'cancelled', 'limit-not-reached'],
      ['o1', 'cancelled', 'price-limit'],
    ]);
    expect(await t.get(a.id)).toMatchObject({ cash: 100_000, day: '2024-06-17', sessionOpen: false });
    expect(await t.orders(a.id, '?symbol=000001.SZ&day=2024-06-17')).toHaveLength(1);
    expect(await t.orders(a.id, '?day=2024-06-18')).toHaveLength(0);
  });

  it('orders placed outside the session wait for it: before the open, and after the close for the next day', async () => {
    clock = beijing('2024-06-17 08:00');
    const t = await setup();
    const a = await t.account({ name: 'Early', initialCash: 100_000, mode: 'live' });
    const early = await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    expect(early.body.data).toMatchObject({ status: 'open', day: '2024-06-17' });
    // A quote outside the session is not traded on (the poller's last print before the open).
    t.quote('600000.SH', 10.1, '2024-06-17 09:20');
    expect(await t.fills(a.id)).toEqual([]);
    clock = beijing('2024-06-17 09:31');
    t.quote('600000.SH', 10.2, '2024-06-17 09:31');
    expect((await t.fills(a.id))[0]).toMatchObject({ price: 10.2, day: '2024-06-17' });

    clock = beijing('2024-06-17 16:30');
    const late = await t.order(a.id, { symbol: '600000.SH', side: 'sell', type: 'limit', quantity: 100, limitPrice: 10.3 });
    // For the next trading day, when today's buy has settled (T+1): accepted.
    expect(late.body.data).toMatchObject({ status: 'open', day: '2024-06-18' });
    expect((await t.positions(a.id))[0]).toMatchObject({ quantity: 100, available: 100 });
    // The evening's clock does not end the day it was placed for.
    clock = beijing('2024-06-17 23:00');
    expect((await t.orders(a.id, '?status=open')).map((o) => o.day)).toEqual(['2024-06-18']);
    clock = beijing('2024-06-18 10:00');
    t.quote('600000.SH', 10.35, '2024-06-18 10:00', { prevClose: 10.2 });
    expect((await t.fills(a.id))[0]).toMatchObject({ side: 'sell', price: 10.35, day: '2024-06-18' });
    // Friday evening → Monday.
    clock = beijing('2024-06-21 20:00');
    const weekend = await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    expect(weekend.body.data).toMatchObject({ day: '2024-06-24' });
  });

  it('resets an account to its initial cash with its orders and fills cleared, and deletes it', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    const a = await t.account({ name: 'Reset me', initialCash: 50_000, mode: 'live' });
    await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'limit', quantity: 100, limitPrice: 9 });
    t.quote('600000.SH', 10, '2024-06-17 10:00');
    expect(await t.fills(a.id)).toHaveLength(1);
    // The peak follows the equity up, never down.
    t.quote('600000.SH', 11, '2024-06-17 10:01');
    const up = await t.data<PaperAccountView>('GET', `/api/trade/accounts/${a.id}`);
    expect(up.equity).toBeGreaterThan(50_000);
    expect(up.peakEquity).toBe(up.equity);
    t.quote('600000.SH', 10.5, '2024-06-17 10:02');
    expect(await t.data<PaperAccountView>('GET', `/api/trade/accounts/${a.id}`)).toMatchObject({ peakEquity: up.equity });
    const reset = await t.data<PaperAccountView>('POST', `/api/trade/accounts/${a.id}/reset`);
    expect(reset).toMatchObject({ id: a.id, name: 'Reset me', cash: 50_000, equity: 50_000, pnlTotal: 0, peakEquity: 50_000 });
    expect(reset.day).toBeUndefined();
    expect(await t.orders(a.id)).toEqual([]);
    expect(await t.fills(a.id)).toEqual([]);
    expect(await t.positions(a.id)).toEqual([]);
    // Still trades after the reset.
    expect((await t.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 })).body.data).toMatchObject({ id: 'o1' });

    expect((await t.call('DELETE', `/api/trade/accounts/${a.id}`)).status).toBe(200);
    expect(await t.call('GET', `/api/trade/accounts/${a.id}`)).toMatchObject({ status: 404, body: { code: 4003 } });
    expect(await t.data('GET', '/api/trade/accounts')).toEqual([]);
  });

  it('keeps positions, cash, orders and fills across a restart on the same data folder', async () => {
    clock = beijing('2024-06-17 10:00');
    const temp = tempDataDir();
    cleanups.push(() => temp.remove());
    const first = await testServer({ now: () => clock, dataDir: temp.dir });
    first.context.market.ensureInstrument('600000.SH', '浦发银行');
    const t1 = api(first);
    const a = await t1.account({ name: 'Durable', initialCash: 100_000, mode: 'live' });
    await t1.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 300 });
    await t1.order(a.id, { symbol: '600000.SH', side: 'buy', type: 'limit', quantity: 200, limitPrice: 9.9 });
    t1.quote('600000.SH', 10.01, '2024-06-17 10:00');
    const read = async (t: ReturnType<typeof api>) => ({
      account: await t.get(a.id),
      positions: await t.positions(a.id),
      orders: await t.orders(a.id),
      fills: await t.fills(a.id),
    });
    const before = await read(t1);
    expect(before.fills).toHaveLength(1);
    await settleAndClose(first);

    const second = await testServer({ now: () => clock, dataDir: temp.dir });
    cleanups.push(() => settleAndClose(second));
    const t2 = api(second);
    expect(await read(t2)).toEqual(before);
    // The peak equity is the account's own: kept across the restart.
    expect(before.account.peakEquity).toBe(100_000);
    // The open limit order still meets quotes, and T+1 still holds for this morning's buy.
    t2.quote('600000.SH', 9.85, '2024-06-17 10:05');
    expect((await t2.fills(a.id))[0]).toMatchObject({ orderId: 'o2', price: 9.85 });
    expect(await t2.order(a.id, { symbol: '600000.SH', side: 'sell', type: 'market', quantity: 100 })).toMatchObject({ status: 422, body: { code: 4101 } });
  });
});

function bars(rows: [string, number, number, number, number, number][]) {
  const out = allocateSeries(rows.length);
  rows.forEach(([time, open, high, low, close, volume], i) => setBar(out, i, parseTimeString(time)!, open, high, low, close, volume, volume * close));
  return sliceSeries(out, 0, rows.length);
}

describe('paper trading (replay)', () => {
  it('trades a replay account on replayed quotes only, and a live account on live ones only', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    const { market } = t.server.context;
    market.writeBars(market.ensureSeries(market.ensureInstrument('600100.SH', '同方股份'), 'day', 'none'), bars([
      ['2024-03-01', 10, 10.5, 9.9, 10.2, 1000],
      ['2024-03-04', 10.2, 10.6, 10.1, 10.5, 1100],
      ['2024-03-05', 10.5, 10.5, 9.8, 9.9, 1200],
      ['2024-03-06', 9.9, 10.1, 9.7, 10, 900],
    ]), 'test');
    const replay = await t.account({ name: 'Replay', initialCash: 100_000, mode: 'replay' });
    const live = await t.account({ name: 'Live', initialCash: 100_000, mode: 'live' });
    // No replay has reached the account: there is no session to place an order in.
    expect(await t.order(replay.id, { symbol: '600100.SH', side: 'buy', type: 'market', quantity: 100 })).toMatchObject({ status: 422, body: { code: 4300 } });
    await t.order(live.id, { symbol: '600100.SH', side: 'buy', type: 'market', quantity: 100 });

    const step = () => t.data('POST', '/api/replay/control', { action: 'step' });
    await t.data('POST', '/api/replay/start', { symbols: ['600100.SH'], start: '2024-03-01', paused: true });
    await step(); // 2024-03-01 at 10.20: the live order does not take it
    expect(await t.fills(live.id)).toEqual([]);
    expect(await t.get(replay.id)).toMatchObject({ clock: '2024-03-01T15:00:00+08:00', day: '2024-03-01' });

    // After 03-01's bar (15:00) an order is for the next trading day, 03-04.
    const placed = await t.order(replay.id, { symbol: '600100.SH', side: 'buy', type: 'market', quantity: 100 });
    expect(placed.body.data).toMatchObject({ status: 'open', day: '2024-03-04' });
    await step(); // 2024-03-04 at 10.50
    expect(await t.fills(replay.id)).toEqual([expect.objectContaining({ price: 10.5, day: '2024-03-04', time: '2024-03-04T15:00:00+08:00' })]);
    // T+1 on the replay clock: sellable on 03-05.
    const sell = await t.order(replay.id, { symbol: '600100.SH', side: 'sell', type: 'limit', quantity: 100, limitPrice: 9.9 });
    expect(sell.body.data).toMatchObject({ day: '2024-03-05' });
    await step(); // 2024-03-05 at 9.90
    expect((await t.fills(replay.id))[0]).toMatchObject({ side: 'sell', price: 9.9 });

    // A live quote leaves the replay account alone, and fills the live one.
    t.quote('600100.SH', 10, '2024-06-17 10:00', { name: '同方股份' });
    expect(await t.fills(replay.id)).toHaveLength(2);
    expect(await t.fills(live.id)).toEqual([expect.objectContaining({ price: 10, day: '2024-06-17' })]);
    expect((await t.positions(replay.id))).toEqual([]);
    // The replay ends after its last bar: the day ends with it.
    const last = await t.order(replay.id, { symbol: '600100.SH', side: 'buy', type: 'limit', quantity: 100, limitPrice: 9 });
    expect(last.body.data).toMatchObject({ day: '2024-03-06' });
    await step(); // 2024-03-06 at 10.00, finished
    expect((await t.orders(replay.id))[0]).toMatchObject({ id: 'o3', status: 'cancelled', reason: 'limit-not-reached' });
    expect(await t.get(replay.id)).toMatchObject({ day: '2024-03-06', sessionOpen: false });
  });
});

describe('GET /api/stream/trades', () => {
  it('delivers each order and fill event exactly once, and what a reconnect missed', async () => {
    clock = beijing('2024-06-17 10:00');
    const temp = tempDataDir();
    const s = await startServer({ dataDir: temp.dir, token: TEST_TOKEN, fetch: offlineFetch, now: () => clock });
    cleanups.push(() => temp.remove());
    cleanups.push(() => settleAndClose(s));
    s.context.market.ensureInstrument('600000.SH', '浦发银行');
    const ajv = new Ajv({ strict: false, allErrors: true });
    const schemas = (dereference(spec as never) as { components: { schemas: Record<string, object> } }).components.schemas;
    const valid = { order: ajv.compile(schemas.PaperOrder!), fill: ajv.compile(schemas.PaperFill!) };

    const follow = (query: string) => {
      const events: { id: string; event: string; data: { id: string; accountId: number; status?: string } }[] = [];
      const es = new EventSource(`${s.origin}/api/stream/trades${query}`, {
        fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization: `Bearer ${TEST_TOKEN}` } }),
      });
      for (const name of ['order', 'fill', 'reset'] as const) {
        es.addEventListener(name, (e) => {
          const data = JSON.parse(e.data) as (typeof events)[number]['data'];
          if (name !== 'reset' && !valid[name](data)) throw new Error(`${name} does not match its contract: ${JSON.stringify(valid[name].errors)}`);
          events.push({ id: e.lastEventId, event: name, data });
        });
      }
      const opened = new Promise<void>((resolve, reject) => {
        es.onopen = () => resolve();
        es.onerror = () => reject(new Error('stream failed'));
      });
      const until = async (n: number) => {
        for (let i = 0; i < 200 && events.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      };
      return { events, opened, until, close: () => es.close() };
    };
    const post = async (url: string, body: object) =>
      (await fetch(`${s.origin}${url}`, { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ data: { id: number } }>;

    const a = (await post('/api/trade/accounts', { name: 'A', initialCash: 100_000, mode: 'live' })).data;
    const b = (await post('/api/trade/accounts', { name: 'B', initialCash: 100_000, mode: 'live' })).data;
    const all = follow('');
    const onlyA = follow(`?accountId=${a.id}`);
    await Promise.all([all.opened, onlyA.opened]);
    await post(`/api/trade/accounts/${a.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    await post(`/api/trade/accounts/${b.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'limit', quantity: 100, limitPrice: 9 });
    // Refused: no event.
    await post(`/api/trade/accounts/${a.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 150 });
    s.context.bus.publish('quotes', 'quote', { symbol: '600000.SH', name: '浦发银行', price: 10, prevClose: 10, volume: 1000, change: 0, changePercent: 0, time: '2024-06-17T10:00:00+08:00', source: 'sina', stale: false });
    await all.until(4);
    await onlyA.until(3);
    await new Promise((r) => setTimeout(r, 100));
    onlyA.close();
    const seen = (x: typeof all) => x.events.map((e) => `${e.data.accountId} ${e.event} ${e.data.id}${e.data.status ? ` ${e.data.status}` : ''}`);
    expect(seen(all)).toEqual([`${a.id} order o1 open`, `${b.id} order o1 open`, `${a.id} fill f1`, `${a.id} order o1 filled`]);
    expect(seen(onlyA)).toEqual([`${a.id} order o1 open`, `${a.id} fill f1`, `${a.id} order o1 filled`]);

    // Missed while away: the cancel of b's order, replayed after the last id seen.
    all.close();
    await post(`/api/trade/accounts/${b.id}/orders/o1/cancel`, {});
    const resumed = follow(`?lastEventId=${all.events.at(-1)!.id}`);
    await resumed.opened;
    await resumed.until(1);
    await new Promise((r) => setTimeout(r, 100));
    resumed.close();
    expect(seen(resumed)).toEqual([`${b.id} order o1 cancelled`]);
  });
});

describe('accounts of the first format (the whole account in paper_accounts.state)', () => {
  it('are read, and their history moved to the tables at start', async () => {
    clock = beijing('2024-06-17 10:00');
    const temp = tempDataDir();
    cleanups.push(() => temp.remove());
    const p = new Portfolio({ initialCashFen: 10_000_000, fillModel: 'close' });
    const day = parseTimeString('2024-06-17')!;
    p.startDay(day);
    p.submit({ symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    p.processBar('600000.SH', { bar: { open: 10, high: 10, low: 10, close: 10, volume: 100 } });
    const state = { v: 1, portfolio: p.snapshot(), orders: { o1: { createdAt: '2024-06-17T02:00:00.000Z', updatedAt: '2024-06-17T02:00:01.000Z' } }, fills: { f1: { time: '2024-06-17T10:00:00+08:00' } }, quotes: {} };
    const first = await testServer({ now: () => clock, dataDir: temp.dir });
    first.context.db
      .prepare("INSERT INTO paper_accounts (name, mode, initial_cash_fen, slippage_bps, created_at, updated_at, state) VALUES ('old', 'live', 10000000, 0, 'x', 'x', ?)")
      .run(JSON.stringify(state));
    await settleAndClose(first);
    const t = api(await testServer({ now: () => clock, dataDir: temp.dir }));
    cleanups.push(() => settleAndClose(t.server));
    expect(await t.fills(1)).toEqual([expect.objectContaining({ id: 'f1', price: 10, time: '2024-06-17T10:00:00+08:00' })]);
    expect((await t.orders(1))[0]).toMatchObject({ id: 'o1', status: 'filled', createdAt: '2024-06-17T02:00:00.000Z' });
    expect(t.server.context.db.prepare('SELECT count(*) FROM paper_ledger WHERE account_id = 1').pluck().get()).toBeGreaterThan(0);
    expect(JSON.parse(t.server.context.db.prepare('SELECT state FROM paper_accounts WHERE id = 1').pluck().get() as string)).toMatchObject({ v: 2 });
  });
});

describe('an order placed after the close before an unannounced holiday', () => {
  const quote = (price: number, time: string, source = 'replay'): Quote => ({ symbol: '600000.SH', name: '浦发银行', price, prevClose: price, volume: 100, change: 0, changePercent: 0, time, source, stale: false });
  const at = (text: string) => wallSeconds(beijing(text));
  const book = (mode: 'live' | 'replay') => new PaperBook({ id: 1, name: 'x', mode, slippage_bps: 0, initial_cash_fen: 10_000_000, created_at: '2024-09-30T00:00:00.000Z', state: PaperBook.initialState(10_000_000, 0) });
  const unknown = () => undefined;

  it('replay: is carried to the next replayed session instead of expiring on the day that had none', () => {
    const b = book('replay');
    b.onQuote(quote(10, '2024-09-30T15:00:00+08:00'), at('2024-09-30 15:00'), unknown, 'now');
    b.changes();
    // The calendar does not know of the National Day holiday: the order is for 10-01.
    const moved = b.orderDay(b.clock!, unknown, 'now');
    b.changes();
    expect(moved.day).toBe(parseTimeString('2024-10-01'));
    b.submit({ symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 }, 'now');
    b.changes();
    // The replay's next bar is 10-08's: the order meets it.
    const events = b.onQuote(quote(10.5, '2024-10-08T09:31:00+08:00'), at('2024-10-08 09:31'), unknown, 'now');
    expect(events.map((e) => e.kind)).toEqual(['fill', 'order']);
    expect(b.orders({})[0]).toMatchObject({ status: 'filled', day: '2024-10-08' });
    expect(b.reconciles()).toBe(true);
  });

  it('live: is carried over a day the calendar found closed, and still expires after a real session', () => {
    const b = book('live');
    b.advance(at('2024-09-30 16:00'), unknown, 'now');
    b.orderDay(at('2024-09-30 16:00'), unknown, 'now');
    b.changes();
    b.submit({ symbol: '600000.SH', side: 'buy', type: 'limit', quantity: 100, limitPrice: 9 }, 'now');
    b.changes();
    // The poller found 10-01 closed: that day's end cancels nothing, and 10-08 opens with the order.
    const closed = (date: string) => (date >= '2024-10-01' && date <= '2024-10-07' ? false : undefined);
    expect(b.advance(at('2024-10-01 15:30'), closed, 'now')).toEqual([]);
    expect(b.advance(at('2024-10-08 08:00'), closed, 'now')).toEqual([]);
    expect(b.orders({})[0]).toMatchObject({ status: 'open', day: '2024-10-08' });
    expect(b.account()).toMatchObject({ day: '2024-10-08', sessionOpen: true });
    // 10-08 was a session: its end cancels the order.
    expect(b.advance(at('2024-10-08 15:30'), closed, 'now').map((e) => e.kind === 'order' && e.order.status)).toEqual(['cancelled']);
  });
});
