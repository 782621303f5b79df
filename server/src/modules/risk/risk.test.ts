/**
 * The risk module on a real server and SQLite file: rules CRUD and validation errors with their
 * fields, quotes published on the bus as the poller (and a replay) does, alerts checked on the bus
 * and through the alerts API (stored and published exactly once), frequency and cooldown, a
 * position-loss rule on a paper account bought through the trading API (the acceptance
 * path), account rules on the schedule, watchlists followed, the risk metrics against
 * `computeRisk` on the same inputs, and rules (and a spent `once`) surviving a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { beijing, liveQuote, seedDaily, type DailyRow } from '../../../../tests/helpers/market';
import { tempDataDir, testServer } from '../../../../tests/helpers/server';
import { computeRisk } from '../../engine/risk';
import type { AlertEvent } from '../alerts/service';
import type { PaperAccountView, Quote } from '../trading/book';
import type { RiskRuleView } from './definition';
import type { RiskMetrics } from './metrics';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

let clock = beijing('2024-06-17 10:00');

async function setup(options: { dataDir?: string; riskIntervalMs?: number } = {}) {
  const server = await testServer({ now: () => clock, riskIntervalMs: 0, ...options });
  let closed = false;
  const close = async () => {
    if (!closed) await server.close();
    closed = true;
  };
  cleanups.push(close);
  server.context.market.ensureInstrument('600000.SH', '浦发银行');
  server.context.market.ensureInstrument('000001.SZ', '平安银行');
  const alerts: AlertEvent[] = [];
  server.context.bus.subscribe('alerts', (m) => alerts.push(m.data as AlertEvent));
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object) => {
    const res = await server.request({ method, url, ...(payload ? { payload } : {}) });
    return { status: res.statusCode, body: res.json() as { code: number; data: never; details?: { field?: string; message: string }[] } };
  };
  const data = async <T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<T> => {
    const r = await call(method, url, payload);
    if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.data as T;
  };
  const rule = (body: object) => data<RiskRuleView>('POST', '/api/risk/rules', body);
  const account = () => data<PaperAccountView>('POST', '/api/trade/accounts', { name: 'Main', initialCash: 100_000, mode: 'live' });
  /** A quote as the poller (or, with source replay, a replay) publishes it. */
  const quote = (symbol: string, price: number, time: string, extra: Partial<Quote> = {}) => server.context.bus.publish('quotes', 'quote', liveQuote(symbol, price, time, extra));
  const stored = async () => (await data<{ items: (AlertEvent & { ruleId: string })[] }>('GET', '/api/alerts?pageSize=100')).items;
  return { server, alerts, call, data, rule, account, quote, stored, close };
}

const priceCross = { name: 'Breakout', condition: { kind: 'price-cross', level: 10, direction: 'up' }, scope: { type: 'symbol', symbol: '600000.SH' } };

describe('risk rules: CRUD and validation', () => {
  it('creates, lists with filters, reads, replaces, re-arms and deletes; unknown ids are 4501', async () => {
    const t = await setup();
    const created = await t.rule(priceCross);
    expect(created).toMatchObject({
      name: 'Breakout',
      enabled: true,
      severity: 'warning',
      frequency: { mode: 'once' },
      expiresAt: null,
      symbols: ['600000.SH'],
      expired: false,
      armed: true,
      lastFiredAt: null,
      condition: { kind: 'price-cross', level: 10, direction: 'up' },
      scope: { type: 'symbol', symbol: '600000.SH' },
    });
    const other = await t.rule({ name: 'Drop', enabled: false, severity: 'critical', condition: { kind: 'price-change', minutes: 5, thresholdPercent: 2, direction: 'down' }, scope: { type: 'symbol', symbol: '000001.SZ' }, frequency: { mode: 'every', cooldownSeconds: 60 }, expiresAt: '2024-06-17T09:00:00+08:00', message: '{name} fell {value}' });
    expect(other).toMatchObject({ enabled: false, expired: true, message: '{name} fell {value}', frequency: { mode: 'every', cooldownSeconds: 60 } });

    const ids = (rules: RiskRuleView[]) => rules.map((r) => r.id);
    expect(ids(await t.data('GET', '/api/risk/rules'))).toEqual([created.id, other.id]);
    expect(ids(await t.data('GET', '/api/risk/rules?enabled=true'))).toEqual([created.id]);
    expect(ids(await t.data('GET', '/api/risk/rules?kind=price-change'))).toEqual([other.id]);
    expect(ids(await t.data('GET', '/api/risk/rules?symbol=000001.SZ'))).toEqual([other.id]);
    expect(await t.data('GET', `/api/risk/rules/${created.id}`)).toEqual(created);

    const replaced = await t.data<RiskRuleView>('PUT', `/api/risk/rules/${created.id}`, { ...priceCross, name: 'Breakout 11', condition: { kind: 'price-cross', level: 11, direction: 'either' } });
    expect(replaced).toMatchObject({ id: created.id, name: 'Breakout 11', condition: { level: 11, direction: 'either' }, createdAt: created.createdAt });
    expect(await t.data('POST', `/api/risk/rules/${created.id}/rearm`)).toMatchObject({ id: created.id, armed: true });
    expect(await t.data('DELETE', `/api/risk/rules/${created.id}`)).toEqual({ deleted: created.id });
    expect(ids(await t.data('GET', '/api/risk/rules'))).toEqual([other.id]);
    for (const [method, url] of [['GET', `/api/risk/rules/${created.id}`], ['DELETE', `/api/risk/rules/${created.id}`], ['POST', '/api/risk/rules/nope/rearm'], ['GET', '/api/risk/rules/bad!id']] as const) {
      expect(await t.call(method, url), `${method} ${url}`).toMatchObject({ status: 404, body: { code: 4501 } });
    }
    expect(await t.call('PUT', `/api/risk/rules/${created.id}`, priceCross)).toMatchObject({ status: 404, body: { code: 4501 } });
  });

  it('answers 1001 with the field for what a kind, a scope or the engine refuses; 4003/1002 for an unknown account or watchlist', async () => {
    const t = await setup();
    const a = await t.account();
    const fields = async (body: object) => {
      const r = await t.call('POST', '/api/risk/rules', body);
      return { status: r.status, code: r.body.code, fields: (r.body.details ?? []).map((d) => d.field) };
    };
    const scope = { type: 'symbol', symbol: '600000.SH' };
    expect(await fields({ name: 'x', condition: { kind: 'price-cross', direction: 'up' }, scope })).toEqual({ status: 422, code: 1001, fields: ['body.condition.level'] });
    expect(await fields({ name: 'x', condition: { kind: 'price-cross', level: 10, direction: 'up', minutes: 5 }, scope })).toEqual({ status: 422, code: 1001, fields: ['body.condition.minutes'] });
    expect(await fields({ name: 'x', condition: { kind: 'price-cross', level: 10, direction: 'up' }, scope: { type: 'symbol' } })).toEqual({ status: 422, code: 1001, fields: ['body.scope.symbol'] });
    expect(await fields({ name: 'x', condition: { kind: 'price-cross', level: 10, direction: 'up' }, scope: { ...scope, accountId: a.id } })).toEqual({ status: 422, code: 1001, fields: ['body.scope.accountId'] });
    expect(await fields({ name: 'x', condition: { kind: 'position-loss', thresholdPercent: 3 }, scope })).toEqual({ status: 422, code: 1001, fields: ['body.scope.accountId'] });
    expect(await fields({ name: 'x', condition: { kind: 'price-cross', level: 10, direction: 'up' }, scope, frequency: { mode: 'every' } })).toEqual({ status: 422, code: 1001, fields: ['body.frequency.cooldownSeconds'] });
    expect(await fields({ name: 'x', condition: { kind: 'price-cross', level: 10, direction: 'up' }, scope, frequency: { mode: 'once', bar: 'day' } })).toEqual({ status: 422, code: 1001, fields: ['body.frequency.bar'] });
    // The engine's own checks: a loss over 100 %, a drawdown on a symbol.
    expect(await fields({ name: 'x', condition: { kind: 'position-loss', thresholdPercent: 150 }, scope: { ...scope, accountId: a.id } })).toEqual({ status: 422, code: 1001, fields: ['body.condition.thresholdPercent'] });
    expect(await fields({ name: 'x', condition: { kind: 'drawdown', thresholdPercent: 10 }, scope: { ...scope, accountId: a.id } })).toEqual({ status: 422, code: 1001, fields: ['body.scope.type'] });
    expect(await fields({ name: 'x', condition: { kind: 'price-cross', level: 10, direction: 'up' }, scope, expiresAt: '2024-13-45T10:00:00+08:00' })).toEqual({ status: 422, code: 1001, fields: ['body.expiresAt'] });
    // The schema's: an unknown kind, a bad symbol (1100), an unknown field.
    expect(await fields({ name: 'x', condition: { kind: 'moon-phase' }, scope })).toMatchObject({ status: 422, code: 1001, fields: ['body.condition.kind'] });
    expect((await fields({ name: 'x', condition: { kind: 'price-cross', level: 10, direction: 'up' }, scope: { type: 'symbol', symbol: '600000' } })).code).toBe(1100);
    expect(await fields({ name: 'x', condition: { kind: 'hhi', threshold: 0.5 }, scope: { type: 'account', accountId: a.id }, colour: 'red' })).toMatchObject({ status: 422, code: 1001, fields: ['body.colour'] });
    // References that do not exist.
    expect(await fields({ name: 'x', condition: { kind: 'hhi', threshold: 0.5 }, scope: { type: 'account', accountId: 99 } })).toEqual({ status: 404, code: 4003, fields: ['body.scope.accountId'] });
    expect(await fields({ name: 'x', condition: { kind: 'limit-touch', side: 'up' }, scope: { type: 'watchlist', watchlistId: 99 } })).toEqual({ status: 404, code: 1002, fields: ['body.scope.watchlistId'] });
    expect(await t.data('GET', '/api/risk/rules')).toEqual([]);
    // A bad edit leaves the rule as it was.
    const ok = await t.rule(priceCross);
    expect((await t.call('PUT', `/api/risk/rules/${ok.id}`, { ...priceCross, condition: { kind: 'price-cross', level: 10 } })).status).toBe(422);
    expect(await t.data('GET', `/api/risk/rules/${ok.id}`)).toEqual(ok);
  });
});

describe('risk rules: evaluation on quotes', () => {
  it('a price-cross rule trips once on a crafted sequence; the alert is stored and published exactly once; re-arm lets it fire again', async () => {
    const t = await setup();
    const r = await t.rule({ ...priceCross, severity: 'critical' });
    t.quote('600000.SH', 10.2, '2024-06-17 10:00'); // a first quote beyond the level: no crossing
    t.quote('600000.SH', 9.9, '2024-06-17 10:01');
    t.quote('000001.SZ', 10.5, '2024-06-17 10:01'); // another symbol: not watched
    expect(t.alerts).toEqual([]);
    t.quote('600000.SH', 10, '2024-06-17 10:02'); // reaches the level from below: the crossing
    t.quote('600000.SH', 9.95, '2024-06-17 10:03');
    t.quote('600000.SH', 10.05, '2024-06-17 10:04'); // crosses again: a once rule stays quiet
    expect(t.alerts).toHaveLength(1);
    expect(t.alerts[0]).toMatchObject({
      ruleId: r.id,
      ruleName: 'Breakout',
      kind: 'price-cross',
      scope: { type: 'symbol', id: '600000.SH' },
      symbol: '600000.SH',
      severity: 'critical',
      value: 10,
      threshold: 10,
      unit: 'price',
      // The default message in the settings' language (zh-CN by default).
      message: '浦发银行 上穿 10.00，现价 10.00',
      notify: { show: true },
    });
    const stored = await t.stored();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: t.alerts[0]!.id, ruleId: r.id, symbol: '600000.SH', value: 10, threshold: 10, unit: 'price' });
    expect(await t.data('GET', `/api/risk/rules/${r.id}`)).toMatchObject({ armed: false, lastFiredAt: new Date(clock).toISOString() });

    // Re-armed, it fires again; now in English, the language the settings were switched to.
    await t.data('POST', `/api/risk/rules/${r.id}/rearm`);
    await t.data('PATCH', '/api/system/settings', { language: 'en' });
    t.quote('600000.SH', 9.9, '2024-06-17 10:05');
    t.quote('600000.SH', 10.1, '2024-06-17 10:06');
    expect(t.alerts).toHaveLength(2);
    expect(t.alerts[1]!.message).toBe('浦发银行 crossed up 10.00 at 10.10');
    expect(await t.stored()).toHaveLength(2);
  });

  it('every + cooldown limits alerts on the server clock; once-per-bar once per bar; replayed quotes count; a disabled or deleted rule is silent', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    const every = await t.rule({ name: 'Every', condition: { kind: 'price-cross', level: 10, direction: 'either' }, scope: { type: 'symbol', symbol: '600000.SH' }, frequency: { mode: 'every', cooldownSeconds: 60 } });
    const perBar = await t.rule({ name: 'Per bar', condition: { kind: 'price-cross', level: 10, direction: 'either' }, scope: { type: 'symbol', symbol: '000001.SZ' }, frequency: { mode: 'once-per-bar', bar: '5m' } });
    const fired = (id: string) => t.alerts.filter((a) => a.ruleId === id).length;
    const zigzag = (symbol: string, minute: string, source: Quote['source'] = 'eastmoney') => {
      t.quote(symbol, 9.9, `2024-06-17 ${minute}`, { source });
      t.quote(symbol, 10.1, `2024-06-17 ${minute}`, { source });
    };
    zigzag('600000.SH', '10:00');
    expect(fired(every.id)).toBe(1);
    clock += 30_000;
    zigzag('600000.SH', '10:00');
    expect(fired(every.id)).toBe(1); // within the cooldown
    clock += 31_000;
    zigzag('600000.SH', '10:01');
    expect(fired(every.id)).toBe(2);

    zigzag('000001.SZ', '10:01');
    zigzag('000001.SZ', '10:04');
    expect(fired(perBar.id)).toBe(1); // one 5-minute bar (10:00–10:05)
    zigzag('000001.SZ', '10:05', 'replay'); // the next bar, from a replay: the market is the market
    expect(fired(perBar.id)).toBe(2);

    await t.data('PUT', `/api/risk/rules/${perBar.id}`, { name: 'Per bar', enabled: false, condition: { kind: 'price-cross', level: 10, direction: 'either' }, scope: { type: 'symbol', symbol: '000001.SZ' }, frequency: { mode: 'once-per-bar', bar: '5m' } });
    zigzag('000001.SZ', '10:11');
    expect(fired(perBar.id)).toBe(2);
    await t.data('DELETE', `/api/risk/rules/${every.id}`);
    clock += 120_000;
    zigzag('600000.SH', '10:20');
    expect(fired(every.id)).toBe(2);
    expect(await t.stored()).toHaveLength(4);
  });

  it('a watchlist rule follows its list (re-expanded on the schedule) and fires once per symbol', async () => {
    const t = await setup();
    const list = await t.data<{ id: number }>('POST', '/api/watchlists', { name: 'Banks', symbols: ['600000.SH'] });
    const r = await t.rule({ name: 'Banks up', condition: { kind: 'price-cross', level: 10, direction: 'up' }, scope: { type: 'watchlist', watchlistId: list.id } });
    expect(r.symbols).toEqual(['600000.SH']);
    expect((await t.data<RiskRuleView[]>('GET', '/api/risk/rules?symbol=600000.SH')).map((x) => x.id)).toEqual([r.id]);
    expect(await t.data('GET', '/api/risk/rules?symbol=000001.SZ')).toEqual([]);

    await t.data('POST', `/api/watchlists/${list.id}/items`, { symbol: '000001.SZ' });
    expect((await t.data<RiskRuleView[]>('GET', '/api/risk/rules?symbol=000001.SZ')).map((x) => x.id)).toEqual([r.id]);
    t.server.context.riskRules.evaluateAccounts(); // the schedule
    expect((await t.data<RiskRuleView>('GET', `/api/risk/rules/${r.id}`)).symbols).toEqual(['600000.SH', '000001.SZ']);
    for (const symbol of ['600000.SH', '000001.SZ']) {
      t.quote(symbol, 9.9, '2024-06-17 10:00');
      t.quote(symbol, 10.1, '2024-06-17 10:01');
      t.quote(symbol, 9.9, '2024-06-17 10:02');
      t.quote(symbol, 10.1, '2024-06-17 10:03');
    }
    expect(t.alerts.map((a) => [a.symbol, a.scope])).toEqual([
      ['600000.SH', { type: 'watchlist', id: String(list.id) }],
      ['000001.SZ', { type: 'watchlist', id: String(list.id) }],
    ]);
  });
});

describe('risk rules: paper accounts', () => {
  it('position-loss: bought on paper, quotes falling more than 3 % below the cost → one alert (the acceptance path)', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    const a = await t.account();
    const r = await t.rule({ name: 'Stop 3%', condition: { kind: 'position-loss', thresholdPercent: 3 }, scope: { type: 'symbol', symbol: '600000.SH', accountId: a.id } });
    const order = await t.call('POST', `/api/trade/accounts/${a.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 1000 });
    expect(order.status).toBe(201);
    t.quote('600000.SH', 10, '2024-06-17 10:00'); // fills: cost 10 005.10 → 10.0051 a share
    expect(await t.data('GET', `/api/trade/accounts/${a.id}/positions`)).toMatchObject([{ symbol: '600000.SH', quantity: 1000, avgCost: 10.0051 }]);
    t.quote('600000.SH', 9.8, '2024-06-17 10:01'); // −2.05 %
    t.quote('600000.SH', 9.72, '2024-06-17 10:02'); // −2.85 %
    expect(t.alerts).toEqual([]);
    t.quote('600000.SH', 9.7, '2024-06-17 10:03'); // −3.05 %
    t.quote('600000.SH', 9.5, '2024-06-17 10:04');
    t.quote('000001.SZ', 5, '2024-06-17 10:04'); // not held
    t.quote('600000.SH', 9.5, '2024-06-17 10:05', { source: 'replay' }); // not this live account's market
    expect(t.alerts).toHaveLength(1);
    expect(t.alerts[0]).toMatchObject({ ruleId: r.id, kind: 'position-loss', symbol: '600000.SH', scope: { type: 'symbol', id: '600000.SH' }, threshold: 3, message: '浦发银行 持仓亏损 3.05%（阈值 3.00%），现价 9.70' });
    expect(t.alerts[0]!.value).toBeCloseTo(((10_005.1 - 9_700) / 10_005.1) * 100, 10);
    expect(await t.stored()).toHaveLength(1);
  });

  it('an account-wide position-loss rule added after the buy knows the position; daily-loss runs on the schedule and after fills', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    const a = await t.account();
    await t.call('POST', `/api/trade/accounts/${a.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 1000 });
    t.quote('600000.SH', 10, '2024-06-17 10:00');
    const loss = await t.rule({ name: 'Any position -5%', condition: { kind: 'position-loss', thresholdPercent: 5 }, scope: { type: 'account', accountId: a.id } });
    // The day's loss so far: the fees (5.10 CNY = 510 fen), below 1 000 fen.
    const daily = await t.rule({ name: 'Day -10 CNY', severity: 'critical', condition: { kind: 'daily-loss', unit: 'fen', threshold: 1000 }, scope: { type: 'account', accountId: a.id }, frequency: { mode: 'every', cooldownSeconds: 0 } });
    expect(t.alerts).toEqual([]);
    t.quote('600000.SH', 9.99, '2024-06-17 10:01'); // equity −15.10 CNY, seen at the next snapshot
    expect(t.alerts).toEqual([]);
    t.server.context.riskRules.evaluateAccounts();
    expect(t.alerts.map((x) => [x.ruleId, x.value, x.scope])).toEqual([[daily.id, 1510, { type: 'account', id: String(a.id) }]]);
    t.quote('600000.SH', 9.49, '2024-06-17 10:02'); // −5.15 %
    expect(t.alerts.map((x) => x.ruleId)).toEqual([daily.id, loss.id]);
    expect(t.alerts[1]).toMatchObject({ symbol: '600000.SH', scope: { type: 'account', id: String(a.id) } });
    // A fill snapshots the account at once (no schedule here): the day's loss is seen again.
    await t.call('POST', `/api/trade/accounts/${a.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    t.quote('600000.SH', 9.49, '2024-06-17 10:03');
    expect(t.alerts.map((x) => x.ruleId)).toEqual([daily.id, loss.id, daily.id]);
    expect(t.alerts[2]!.value).toBe(100_000_00 - Math.round(Number((await t.data<PaperAccountView>('GET', `/api/trade/accounts/${a.id}`)).equity) * 100));
  });

  it('the schedule evaluates account rules on its own (every riskIntervalMs)', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup({ riskIntervalMs: 20 });
    const a = await t.account();
    await t.call('POST', `/api/trade/accounts/${a.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 1000 });
    t.quote('600000.SH', 10, '2024-06-17 10:00');
    const r = await t.rule({ name: 'Drawdown 1%', condition: { kind: 'drawdown', thresholdPercent: 1 }, scope: { type: 'account', accountId: a.id } });
    t.quote('600000.SH', 9, '2024-06-17 10:01'); // limit-down; equity 98 994.90: −1.005 % from the peak (the initial cash)
    expect(t.alerts).toEqual([]);
    await expect.poll(() => t.alerts.length).toBe(1);
    expect(t.alerts[0]).toMatchObject({ ruleId: r.id, kind: 'drawdown', threshold: 1, scope: { type: 'account', id: String(a.id) } });
    expect(t.alerts[0]!.value).toBeCloseTo(((100_000 - 98_994.9) / 100_000) * 100, 10);
  });

  it("a drawdown is measured from the account's own peak: a reset starts it again at the initial cash", async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    const a = await t.account();
    await t.call('POST', `/api/trade/accounts/${a.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 5000 });
    t.quote('600000.SH', 10, '2024-06-17 10:00');
    t.quote('600000.SH', 10.9, '2024-06-17 10:01'); // the peak: 4 500 up, less the fees
    const peak = (await t.data<PaperAccountView>('GET', `/api/trade/accounts/${a.id}`)).peakEquity;
    expect(peak).toBeGreaterThan(104_000);
    const r = await t.rule({ name: 'Drawdown 3%', condition: { kind: 'drawdown', thresholdPercent: 3 }, scope: { type: 'account', accountId: a.id }, frequency: { mode: 'every', cooldownSeconds: 0 } });
    t.quote('600000.SH', 10.2, '2024-06-17 10:02'); // 3 500 under the peak: more than 3 %
    t.server.context.riskRules.evaluateAccounts(); // the schedule's pass
    expect(t.alerts.map((x) => x.ruleId)).toEqual([r.id]);
    expect(t.alerts[0]!.value).toBeCloseTo(((peak - Number((await t.data<PaperAccountView>('GET', `/api/trade/accounts/${a.id}`)).equity)) / peak) * 100, 9);

    // After a reset the old peak is gone: at the initial cash there is no drawdown.
    await t.data('POST', `/api/trade/accounts/${a.id}/reset`);
    t.quote('600000.SH', 10.2, '2024-06-17 10:03');
    t.server.context.riskRules.evaluateAccounts();
    expect(t.alerts).toHaveLength(1);
  });

  it('the risk metrics of a paper account with two positions equal computeRisk on the same cached closes', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    const days: string[] = [];
    for (let d = new Date(Date.UTC(2024, 4, 1)); days.length < 30; d.setUTCDate(d.getUTCDate() + 1)) if (d.getUTCDay() % 6 !== 0) days.push(d.toISOString().slice(0, 10));
    const rows = (base: number, wiggle: number, skip?: number): DailyRow[] =>
      days.flatMap((day, i) => {
        if (i === skip) return [];
        const close = Math.round(base * (1 + wiggle * Math.sin(i * 1.7) + 0.002 * i) * 100) / 100;
        return [[day, close, close, close, close, 1e6, 1e6 * close] as DailyRow];
      });
    seedDaily(t.server.context.market, '600000.SH', '浦发银行', rows(10, 0.03));
    seedDaily(t.server.context.market, '000001.SZ', '平安银行', rows(11, 0.05, 12)); // a suspension
    seedDaily(t.server.context.market, '000001.SH', '上证指数', rows(3000, 0.01));
    const a = await t.account();
    await t.call('POST', `/api/trade/accounts/${a.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 1000 });
    await t.call('POST', `/api/trade/accounts/${a.id}/orders`, { symbol: '000001.SZ', side: 'buy', type: 'market', quantity: 2000 });
    t.quote('600000.SH', 10, '2024-06-17 10:00');
    t.quote('000001.SZ', 11.2, '2024-06-17 10:00', { prevClose: 11 });
    t.quote('000001.SZ', 11.35, '2024-06-17 10:01', { prevClose: 11 });

    const m = await t.data<RiskMetrics>('GET', `/api/risk/metrics?account=${a.id}&days=20`);
    const closesOf = (r: DailyRow[]) => new Map(r.map((x) => [x[0], x[4]]));
    const dates = days.slice(-20);
    const align = (r: DailyRow[]) => dates.map((d) => closesOf(r).get(d) ?? null);
    const expected = computeRisk({
      dates,
      positions: [
        // In the account's order of positions (by symbol).
        { symbol: '000001.SZ', quantity: 2000, lastPrice: 1135, closes: align(rows(11, 0.05, 12)) },
        { symbol: '600000.SH', quantity: 1000, lastPrice: 1000, closes: align(rows(10, 0.03)) },
      ],
      index: align(rows(3000, 0.01)),
    });
    expect(m).toEqual({
      accountId: a.id,
      index: '000001.SH',
      days: 20,
      adjust: 'none',
      ...expected,
      series: { dates, returns: Array.from(expected.series.returns), valueIndex: Array.from(expected.series.valueIndex) },
    });
    expect(m.value).toBe(1000 * 1000 + 2000 * 1135);
    expect(m.var[0]!.historical.var).not.toBeNull();
    expect(m.beta).not.toBeNull();
    expect(m.positions[0]).toMatchObject({ symbol: '000001.SZ', industry: 'unknown', filledDays: 1 });

    // A replay account at its clock sees no history after it: its metrics end on the replay's day.
    const r = await t.data<PaperAccountView>('POST', '/api/trade/accounts', { name: 'Replay', initialCash: 100_000, mode: 'replay' });
    const clockDay = days[20]!;
    t.quote('600000.SH', 10, `${clockDay} 10:00`, { source: 'replay' }); // the replay's clock
    await t.call('POST', `/api/trade/accounts/${r.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 1000 });
    t.quote('600000.SH', 10, `${clockDay} 10:01`, { source: 'replay' }); // fills the buy
    expect((await t.data<unknown[]>('GET', `/api/trade/accounts/${r.id}/positions`)).length).toBe(1);
    const replayed = await t.data<RiskMetrics>('GET', `/api/risk/metrics?account=${r.id}`);
    expect(replayed.asOf).toBe(clockDay);
    expect(replayed.days).toBe(21);
    expect(replayed.series.dates.at(-1)).toBe(clockDay);

    // The defaults: 250 days (all 30 here); an index without bars: no beta.
    const all = await t.data<RiskMetrics>('GET', `/api/risk/metrics?account=${a.id}`);
    expect(all.days).toBe(30);
    expect(await t.data('GET', `/api/risk/metrics?account=${a.id}&index=399001.SZ`)).toMatchObject({ index: null, beta: null, correlation: null });
    expect(await t.call('GET', '/api/risk/metrics?account=99')).toMatchObject({ status: 404, body: { code: 4003, details: [{ field: 'querystring.account' }] } });
    expect(await t.call('GET', '/api/risk/metrics')).toMatchObject({ status: 422, body: { code: 1001 } });

    // A var rule reads the 95 % historical VaR of the default report.
    const v = all.var[0]!.historical;
    const rule = await t.rule({ name: 'VaR', condition: { kind: 'var', unit: 'fen', threshold: Math.max(1, v.varLossFen! - 1) }, scope: { type: 'account', accountId: a.id } });
    expect(t.alerts.filter((x) => x.ruleId === rule.id).map((x) => x.value)).toEqual([v.varLossFen]);
  });
});

describe('risk rules: a real replay', () => {
  it('replayed quotes drive market rules and a replay account\'s position-loss rule', async () => {
    clock = beijing('2024-06-17 10:00');
    const t = await setup();
    // Daily bars: 10.00, 10.00 (the buy fills), 9.80 (−2.05 %), 9.60 (−4.05 %, crosses 9.70 down), 9.50.
    const rows: DailyRow[] = [['2024-03-04', 10], ['2024-03-05', 10], ['2024-03-06', 9.8], ['2024-03-07', 9.6], ['2024-03-08', 9.5]].map(([d, c]) => [d as string, c as number, c as number, c as number, c as number, 1e6, 1e7]);
    seedDaily(t.server.context.market, '600000.SH', '浦发银行', rows);
    const a = await t.data<PaperAccountView>('POST', '/api/trade/accounts', { name: 'Replay', initialCash: 100_000, mode: 'replay' });
    const loss = await t.rule({ name: 'Stop 3%', condition: { kind: 'position-loss', thresholdPercent: 3 }, scope: { type: 'account', accountId: a.id } });
    const cross = await t.rule({ name: 'Below 9.70', condition: { kind: 'price-cross', level: 9.7, direction: 'down' }, scope: { type: 'symbol', symbol: '600000.SH' } });
    expect((await t.call('POST', '/api/replay/start', { symbols: ['600000.SH'], start: '2024-03-04', paused: true })).status).toBe(200);
    const step = () => t.call('POST', '/api/replay/control', { action: 'step' });
    await step();
    expect((await t.call('POST', `/api/trade/accounts/${a.id}/orders`, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 1000 })).status).toBe(201);
    await step(); // fills at 10.00
    expect(await t.data('GET', `/api/trade/accounts/${a.id}/positions`)).toMatchObject([{ symbol: '600000.SH', quantity: 1000, avgCost: 10.0051 }]);
    await step();
    expect(t.alerts).toEqual([]);
    await step();
    expect(t.alerts.map((x) => x.ruleId).sort()).toEqual([loss.id, cross.id].sort());
    expect(t.alerts.find((x) => x.ruleId === loss.id)).toMatchObject({ symbol: '600000.SH', scope: { type: 'account', id: String(a.id) }, threshold: 3 });
    await step();
    expect(t.alerts).toHaveLength(2);
    expect(await t.stored()).toHaveLength(2);
  });
});

describe('risk rules: restart', () => {
  it('rules survive a restart on the same data folder, and a spent once rule stays spent', async () => {
    clock = beijing('2024-06-17 10:00');
    const data = tempDataDir();
    cleanups.push(() => data.remove());
    const first = await setup({ dataDir: data.dir });
    const spent = await first.rule(priceCross);
    const other = await first.rule({ ...priceCross, name: 'Other', scope: { type: 'symbol', symbol: '000001.SZ' } });
    first.quote('600000.SH', 9.9, '2024-06-17 10:00');
    first.quote('600000.SH', 10.1, '2024-06-17 10:01');
    expect(first.alerts.map((a) => a.ruleId)).toEqual([spent.id]);
    await first.close();

    const second = await setup({ dataDir: data.dir });
    const rules = await second.data<RiskRuleView[]>('GET', '/api/risk/rules');
    expect(rules.map((r) => [r.id, r.armed])).toEqual([[spent.id, false], [other.id, true]]);
    for (const symbol of ['600000.SH', '000001.SZ']) {
      second.quote(symbol, 9.9, '2024-06-17 10:02');
      second.quote(symbol, 10.1, '2024-06-17 10:03');
    }
    expect(second.alerts.map((a) => a.ruleId)).toEqual([other.id]);
    await second.data('POST', `/api/risk/rules/${spent.id}/rearm`);
    second.quote('600000.SH', 9.9, '2024-06-17 10:04');
    second.quote('600000.SH', 10.1, '2024-06-17 10:05');
    expect(second.alerts.map((a) => a.ruleId)).toEqual([other.id, spent.id]);
    expect(await second.stored()).toHaveLength(3);
  });

  it('a restart keeps a cooldown running and a bar spent (every, once-per-bar)', async () => {
    clock = beijing('2024-06-17 10:00');
    const data = tempDataDir();
    cleanups.push(() => data.remove());
    const first = await setup({ dataDir: data.dir });
    const every = await first.rule({ ...priceCross, name: 'Every', condition: { kind: 'price-cross', level: 10, direction: 'either' }, frequency: { mode: 'every', cooldownSeconds: 600 } });
    const perBar = await first.rule({ ...priceCross, name: 'Per day', scope: { type: 'symbol', symbol: '000001.SZ' }, condition: { kind: 'price-cross', level: 10, direction: 'either' }, frequency: { mode: 'once-per-bar', bar: 'day' } });
    const zigzag = (t: typeof first, minute: string) => {
      for (const symbol of ['600000.SH', '000001.SZ']) {
        t.quote(symbol, 9.9, `2024-06-17 ${minute}`);
        t.quote(symbol, 10.1, `2024-06-17 ${minute}`);
      }
    };
    zigzag(first, '10:00');
    expect(first.alerts.map((a) => a.ruleId)).toEqual([every.id, perBar.id]);
    await first.close();

    // Five minutes later, after a restart: within the cooldown and the same day, nothing.
    clock = beijing('2024-06-17 10:05');
    const second = await setup({ dataDir: data.dir });
    zigzag(second, '10:05');
    expect(second.alerts).toEqual([]);
    // Past the cooldown: the every rule fires; the per-day rule waits for the next day.
    clock = beijing('2024-06-17 10:11');
    zigzag(second, '10:11');
    expect(second.alerts.map((a) => a.ruleId)).toEqual([every.id]);
    await second.close();

    // An edit re-arms: what was remembered goes with it.
    clock = beijing('2024-06-17 10:12');
    const third = await setup({ dataDir: data.dir });
    await third.data('PUT', `/api/risk/rules/${perBar.id}`, { name: 'Per day', scope: { type: 'symbol', symbol: '000001.SZ' }, condition: { kind: 'price-cross', level: 10, direction: 'either' }, frequency: { mode: 'once-per-bar', bar: 'day' } });
    zigzag(third, '10:12');
    expect(third.alerts.map((a) => a.ruleId)).toEqual([perBar.id]);
  });
});
