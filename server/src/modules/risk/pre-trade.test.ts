/**
 * Pre-trade rules on a real server: each kind refuses the order that breaks it with 4401 and a
 * detail naming the rule and the value against the limit, accepts the one just under the limit,
 * leaves no trace of a refused order; disabled rules and another account's rules do not apply.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { beijing } from '../../../../tests/helpers/market';
import { testServer } from '../../../../tests/helpers/server';
import type { PaperAccountView, PaperOrderView } from '../trading/book';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const clock = { now: beijing('2024-06-17 10:00') };

async function setup() {
  const server = await testServer({ now: () => clock.now, riskIntervalMs: 0 });
  cleanups.push(async () => {
    await server.context.online.poller.tick().catch(() => 0);
    await new Promise((r) => setImmediate(r));
    await server.close();
  });
  server.context.market.ensureInstrument('600000.SH', '浦发银行');
  server.context.market.ensureInstrument('000001.SZ', '平安银行');
  const call = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => {
    const res = await server.request({ method, url, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() as { code: number; data: never; details?: { field?: string; message: string }[] } };
  };
  const account = async (name: string) => (await call('POST', '/api/trade/accounts', { name, initialCash: 1_000_000, mode: 'live' })).body.data as PaperAccountView;
  const rule = async (accountId: number, condition: object, extra: object = {}) => {
    const r = await call('POST', '/api/risk/rules', { name: '单笔上限', condition, scope: { type: 'account', accountId }, ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.data as { id: string };
  };
  const order = (id: number, body: object) => call('POST', `/api/trade/accounts/${id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'limit', ...body });
  const orders = async (id: number) => (await call('GET', `/api/trade/accounts/${id}/orders`)).body.data as PaperOrderView[];
  const quote = (symbol: string, price: number) =>
    server.context.bus.publish('quotes', 'quote', {
      symbol, name: symbol, price, prevClose: 10, open: 10, high: price, low: price, volume: 100_000, change: 0, changePercent: 0,
      time: '2024-06-17T10:00:00+08:00', source: 'eastmoney', stale: false,
    });
  return { server, call, account, rule, order, orders, quote };
}

describe('pre-trade rules', () => {
  it('max-order-value: refuses 4401 naming the rule and value > limit, accepts the order at the limit, leaves no trace', async () => {
    const t = await setup();
    const a = await t.account('A');
    const r = await t.rule(a.id, { kind: 'max-order-value', maxValue: 100_000 });
    const refused = await t.order(a.id, { quantity: 12_000, limitPrice: 10 });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe(4401);
    expect(refused.body.details).toEqual([{ field: 'body.quantity', message: `rule "单笔上限" (${r.id}): order value 120,000.00 > 100,000.00` }]);
    expect(await t.orders(a.id)).toEqual([]);
    expect((await t.order(a.id, { quantity: 10_000, limitPrice: 10 })).status).toBe(201);
    // A market order is valued at the last quote.
    t.quote('000001.SZ', 11);
    const market = await t.order(a.id, { symbol: '000001.SZ', type: 'market', quantity: 10_000 });
    expect(market.body.code).toBe(4401);
    expect(market.body.details![0]!.message).toContain('order value 110,000.00 > 100,000.00');
  });

  it('max-position-weight: the weight after a buy at the limit price, held shares counted; a sell passes', async () => {
    const t = await setup();
    const a = await t.account('A');
    await t.rule(a.id, { kind: 'max-position-weight', thresholdPercent: 20 }, { message: '{symbol} 仓位 {value} 超过 {threshold}' });
    const refused = await t.order(a.id, { quantity: 20_100, limitPrice: 10 });
    expect(refused.body.code).toBe(4401);
    expect(refused.body.details![0]!.message).toMatch(/^rule "单笔上限" \(.+\): 600000\.SH 仓位 20\.10% 超过 20\.00%$/);
    expect((await t.order(a.id, { quantity: 20_000, limitPrice: 10 })).status).toBe(201);
    t.quote('600000.SH', 10); // fills: 200,000 of ~1,000,000 held
    expect((await t.order(a.id, { quantity: 100, limitPrice: 10 })).body.code).toBe(4401);
    // A sell passes the rule and reaches the book (which refuses today's shares: T+1).
    expect((await t.order(a.id, { side: 'sell', quantity: 100, limitPrice: 10 })).body.code).toBe(4101);
  });

  it('max-daily-orders counts the day’s orders (cancelled ones too); max-active-orders only open ones', async () => {
    const t = await setup();
    const a = await t.account('A');
    await t.rule(a.id, { kind: 'max-daily-orders', maxCount: 2 });
    const first = await t.order(a.id, { quantity: 100, limitPrice: 9 });
    await t.call('POST', `/api/trade/accounts/${a.id}/orders/${(first.body.data as PaperOrderView).id}/cancel`);
    expect((await t.order(a.id, { quantity: 100, limitPrice: 9.1 })).status).toBe(201);
    const third = await t.order(a.id, { quantity: 100, limitPrice: 9.2 });
    expect(third.body.code).toBe(4401);
    expect(third.body.details![0]!.message).toContain("orders on the account's trading day 3 > 2");

    const b = await t.account('B');
    await t.rule(b.id, { kind: 'max-active-orders', maxCount: 1 });
    const one = await t.order(b.id, { quantity: 100, limitPrice: 9 });
    const two = await t.order(b.id, { quantity: 100, limitPrice: 9.1 });
    expect(two.body.code).toBe(4401);
    expect(two.body.details![0]!.message).toContain('open orders 2 > 1');
    await t.call('POST', `/api/trade/accounts/${b.id}/orders/${(one.body.data as PaperOrderView).id}/cancel`);
    expect((await t.order(b.id, { quantity: 100, limitPrice: 9.1 })).status).toBe(201);
  });

  it('no-duplicate-order: the same order as an open one, or within windowSeconds; a different one passes', async () => {
    const t = await setup();
    const a = await t.account('A');
    await t.rule(a.id, { kind: 'no-duplicate-order', windowSeconds: 30 });
    const first = await t.order(a.id, { quantity: 100, limitPrice: 9 });
    const dup = await t.order(a.id, { quantity: 100, limitPrice: 9 });
    expect(dup.body.code).toBe(4401);
    expect(dup.body.details![0]!.message).toMatch(/duplicate of open order o1$/);
    expect((await t.order(a.id, { quantity: 200, limitPrice: 9 })).status).toBe(201);
    await t.call('POST', `/api/trade/accounts/${a.id}/orders/${(first.body.data as PaperOrderView).id}/cancel`);
    clock.now += 10_000;
    expect((await t.order(a.id, { quantity: 100, limitPrice: 9 })).body.details![0]!.message).toMatch(/duplicate of order o1 placed 10 s ago$/);
    clock.now += 25_000;
    expect((await t.order(a.id, { quantity: 100, limitPrice: 9 })).status).toBe(201);
    clock.now = beijing('2024-06-17 10:00');
  });

  it('a disabled rule, another account’s rule and another symbol’s rule do not refuse; they raise no alert', async () => {
    const t = await setup();
    const a = await t.account('A');
    const b = await t.account('B');
    await t.rule(a.id, { kind: 'max-order-value', maxValue: 1_000 }, { enabled: false });
    await t.rule(b.id, { kind: 'max-order-value', maxValue: 1_000 });
    const r = await t.call('POST', '/api/risk/rules', { name: 'sym', condition: { kind: 'max-order-value', maxValue: 1_000 }, scope: { type: 'symbol', symbol: '000001.SZ', accountId: a.id } });
    expect(r.status).toBe(201);
    expect((await t.order(a.id, { quantity: 1000, limitPrice: 9 })).status).toBe(201);
    expect((await t.order(a.id, { symbol: '000001.SZ', quantity: 1000, limitPrice: 9 })).body.code).toBe(4401);
    expect((await t.order(b.id, { quantity: 1000, limitPrice: 9 })).body.code).toBe(4401);
    expect((await t.call('GET', '/api/alerts')).body.data).toMatchObject({ items: [] });
  });

  it('an edit applies at once: disabled, then a market rule and back to a pre-trade rule', async () => {
    const t = await setup();
    const a = await t.account('A');
    const r = await t.rule(a.id, { kind: 'max-order-value', maxValue: 1_000 });
    const body = { name: 'edited', scope: { type: 'account', accountId: a.id } };
    expect((await t.order(a.id, { quantity: 1000, limitPrice: 9 })).body.code).toBe(4401);
    expect((await t.call('PUT', `/api/risk/rules/${r.id}`, { ...body, enabled: false, condition: { kind: 'max-order-value', maxValue: 1_000 } })).status).toBe(200);
    expect((await t.order(a.id, { quantity: 1000, limitPrice: 9 })).status).toBe(201);
    const market = { name: 'cross', condition: { kind: 'price-cross', level: 11, direction: 'up' }, scope: { type: 'symbol', symbol: '600000.SH' } };
    expect((await t.call('PUT', `/api/risk/rules/${r.id}`, market)).status).toBe(200);
    expect((await t.order(a.id, { quantity: 1000, limitPrice: 9.01 })).status).toBe(201);
    expect((await t.call('PUT', `/api/risk/rules/${r.id}`, { ...body, condition: { kind: 'max-active-orders', maxCount: 2 } })).status).toBe(200);
    const refused = await t.order(a.id, { quantity: 1000, limitPrice: 9.02 });
    expect(refused.body.details![0]!.message).toBe(`rule "edited" (${r.id}): open orders 3 > 2`);
    expect((await t.call('POST', `/api/risk/rules/${r.id}/rearm`)).status).toBe(200);
  });

  it('refuses parameters of another kind and a watchlist scope (1001)', async () => {
    const t = await setup();
    const a = await t.account('A');
    const bad = await t.call('POST', '/api/risk/rules', { name: 'x', condition: { kind: 'max-daily-orders', maxValue: 3 }, scope: { type: 'account', accountId: a.id } });
    expect(bad.body.code).toBe(1001);
    expect(bad.body.details!.map((d) => d.field).sort()).toEqual(['body.condition.maxCount', 'body.condition.maxValue']);
  });
});
