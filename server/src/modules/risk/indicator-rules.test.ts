/**
 * indicator-cross rules end to end on a real server and SQLite file: created through the API
 * (validation of the lines against the indicator registry, 1001 with the field), fed the daily bar
 * closes of a market replay of cached bars (the alerts are exactly the bars where the close crossed
 * below SMA(20), computed here independently over the cached closes) and of live quotes (the first
 * quote at or after 15:00 closes the day; a missed close is closed by the next day's first quote).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { beijing, liveQuote, seedDaily, type DailyRow } from '../../../../tests/helpers/market';
import { mulberry32 } from '../../../../tests/helpers/random';
import { testServer } from '../../../../tests/helpers/server';
import type { AlertEvent } from '../alerts/service';
import type { Quote } from '../trading/book';
import type { RiskRuleView } from './definition';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const server = await testServer({ now: () => beijing('2024-06-17 10:00'), riskIntervalMs: 0 });
  cleanups.push(() => server.close());
  server.context.market.ensureInstrument('600000.SH', '浦发银行');
  const alerts: AlertEvent[] = [];
  server.context.bus.subscribe('alerts', (m) => alerts.push(m.data as AlertEvent));
  const call = async (body: object) => {
    const res = await server.request({ method: 'POST', url: '/api/risk/rules', payload: body });
    return { status: res.statusCode, body: res.json() as { code: number; data: RiskRuleView; details?: { field: string; message: string }[] } };
  };
  const quote = (price: number, time: string, extra: Partial<Quote> = {}) => server.context.bus.publish('quotes', 'quote', liveQuote('600000.SH', price, time, extra));
  return { server, alerts, call, quote };
}

const scope = { type: 'symbol', symbol: '600000.SH' };
const belowMa20 = {
  name: 'Below MA20',
  condition: { kind: 'indicator-cross', period: 'day', line: 'close', against: { indicator: 'SMA', params: { period: 20 } }, direction: 'down' },
  scope,
  // Every crossing, each as its own alert; {time} is the bar's, so the test can read which bar.
  frequency: { mode: 'every', cooldownSeconds: 0 },
  message: '{time} {value} {threshold}',
};

/** Weekdays from 2024-01-02, `n` of them, as YYYY-MM-DD. */
function weekdays(n: number): string[] {
  const out: string[] = [];
  for (let t = Date.UTC(2024, 0, 2); out.length < n; t += 86_400_000) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
  }
  return out;
}

/** A seeded random walk of daily bars around 10 CNY: crosses its MA20 often. */
function walk(n: number, seed: number): DailyRow[] {
  const rand = mulberry32(seed);
  let close = 10;
  return weekdays(n).map((date) => {
    const open = close;
    close = Math.round(Math.max(1, close * (1 + (rand() - 0.5) * 0.06)) * 100) / 100;
    return [date, open, Math.max(open, close) + 0.05, Math.min(open, close) - 0.05, close, 100_000 + Math.round(rand() * 50_000), close * 100_000];
  });
}

/** SMA(period) of the closes, computed here, NaN before the first full window. */
function sma(closes: number[], period: number): number[] {
  return closes.map((_, i) => (i + 1 < period ? NaN : closes.slice(i + 1 - period, i + 1).reduce((a, b) => a + b, 0) / period));
}

describe('indicator-cross rules: validation', () => {
  it('takes close / an indicator / a level and refuses what the registry does not know, with the field', async () => {
    const t = await setup();
    const fields = async (condition: object) => {
      const r = await t.call({ name: 'x', condition: { kind: 'indicator-cross', period: 'day', line: 'close', direction: 'down', ...condition }, scope });
      return { status: r.status, code: r.body.code, fields: (r.body.details ?? []).map((d) => d.field) };
    };
    const ok = await t.call(belowMa20);
    expect(ok.status).toBe(201);
    expect(ok.body.data).toMatchObject({ condition: belowMa20.condition, symbols: ['600000.SH'] });
    // TDX's MA, an RSI against a level, MACD's second line.
    for (const condition of [
      { against: { indicator: 'MA', convention: 'tdx', params: { period: 20 } } },
      { line: { indicator: 'RSI', params: { period: 14 } }, against: 70 },
      { line: { indicator: 'MACD', convention: 'tdx', output: 'dif' }, against: { indicator: 'MACD', convention: 'tdx', output: 'dea' } },
    ]) {
      expect((await fields(condition)).status, JSON.stringify(condition)).toBe(201);
    }
    const bad = (field: string) => ({ status: 422, code: 1001, fields: [field] });
    expect(await fields({ against: { indicator: 'NOPE' } })).toEqual(bad('body.condition.against.indicator'));
    expect(await fields({ against: { indicator: 'MA', params: { period: 20 } } })).toEqual(bad('body.condition.against.indicator')); // MA is TDX's; talib has SMA
    expect(await fields({ against: { indicator: 'SMA', params: { period: 0 } } })).toEqual(bad('body.condition.against.params.period'));
    expect(await fields({ against: { indicator: 'SMA', params: { span: 20 } } })).toEqual(bad('body.condition.against.params.span'));
    expect(await fields({ line: { indicator: 'MACD', output: 'nope' }, against: 0 })).toEqual(bad('body.condition.line.output'));
    expect(await fields({ period: '5m', against: { indicator: 'SMA' } })).toEqual(bad('body.condition.period'));
    expect(await fields({ against: 'close' })).toEqual(bad('body.condition.against'));
    expect(await fields({ against: undefined })).toEqual(bad('body.condition.against'));
    expect(await fields({ level: 10, against: 10 })).toEqual(bad('body.condition.level'));
    // The schema's: a line that is neither close nor an indicator, a lower-case name.
    expect((await fields({ line: 'open', against: 10 })).code).toBe(1001);
    expect((await fields({ against: { indicator: 'sma' } })).code).toBe(1001);
    expect((await fields({ against: { indicator: 'SMA', colour: 'red' } })).code).toBe(1001);
  });
});

describe('indicator-cross rules: bar closes', () => {
  it('a replay of cached daily bars raises exactly on the bars where the close crossed below SMA(20)', async () => {
    const t = await setup();
    const rows = walk(160, 7);
    seedDaily(t.server.context.market, '600000.SH', '浦发银行', rows);
    const rule = await t.call(belowMa20);
    expect(rule.status).toBe(201);

    // Start after 40 bars: the first SMA(20) values come from the cached history before the replay.
    const first = 40;
    const replay = t.server.context.replay;
    replay.start({ symbols: ['600000.SH'], period: 'day', start: rows[first]![0], paused: true });
    for (let i = first; i < rows.length; i++) replay.control({ action: 'step' });
    expect(replay.state()).toMatchObject({ state: 'finished', stepsDone: rows.length - first });

    const closes = rows.map((r) => r[4]);
    const ma = sma(closes, 20);
    const expected: string[] = [];
    for (let i = first; i < rows.length; i++) if (closes[i - 1]! >= ma[i - 1]! && closes[i]! < ma[i]!) expected.push(rows[i]![0]);
    expect(expected.length).toBeGreaterThan(5);
    expect(t.alerts.map((a) => a.message.slice(0, 10))).toEqual(expected);
    // Value and threshold: the close and the SMA at that bar.
    for (const a of t.alerts) {
      const i = rows.findIndex((r) => r[0] === a.message.slice(0, 10));
      expect(a).toMatchObject({ ruleId: rule.body.data.id, symbol: '600000.SH', kind: 'indicator-cross', value: closes[i] });
      expect(a.threshold).toBeCloseTo(ma[i]!, 9);
    }

    // A replay started again earlier reloads the history: the same alerts again, no more, no fewer.
    const before = t.alerts.length;
    replay.start({ symbols: ['600000.SH'], period: 'day', start: rows[first]![0], paused: true });
    for (let i = first; i < rows.length; i++) replay.control({ action: 'step' });
    expect(t.alerts.slice(before).map((a) => a.message.slice(0, 10))).toEqual(expected);
  });

  it('live: the first quote at or after 15:00 closes the day; a day without one is closed by the next day\'s first quote', async () => {
    const t = await setup();
    // 25 days at 10.00 before Monday 2024-06-17: SMA(20) = 10 and the close sits on it.
    const dates = weekdays(200).filter((d) => d < '2024-06-17').slice(-25);
    seedDaily(t.server.context.market, '600000.SH', '浦发银行', dates.map((d) => [d, 10, 10.1, 9.9, 10, 100_000, 1_000_000] as DailyRow));
    // A cached bar of the day itself (a filler's partial bar) is not history: the quote is that day.
    seedDaily(t.server.context.market, '600000.SH', '浦发银行', [['2024-06-17', 10, 10, 9, 9, 1, 9]]);
    const rule = await t.call({ ...belowMa20, condition: { ...belowMa20.condition, direction: 'either' } });
    expect(rule.status).toBe(201);

    t.quote(9.5, '2024-06-17 10:00');
    t.quote(9.5, '2024-06-17 14:59');
    expect(t.alerts).toEqual([]); // below the MA all afternoon, but the bar has not closed
    t.quote(9.5, '2024-06-17 15:00', { open: 10, high: 10.05, low: 9.4, volume: 250_000 });
    expect(t.alerts).toHaveLength(1);
    // close 9.5 below (19 × 10 + 9.5) / 20 after sitting on 10.
    expect(t.alerts[0]).toMatchObject({ symbol: '600000.SH', value: 9.5, message: '2024-06-17 15:00:00 9.50 9.975' });
    expect(t.alerts[0]!.threshold).toBeCloseTo(9.975, 9);
    t.quote(9.52, '2024-06-17 15:00', { time: '2024-06-17T15:00:30+08:00' });
    expect(t.alerts).toHaveLength(1); // the day closes once

    // 06-18: the last quote seen is 14:50 (the 15:00 print missed); 06-19's first quote closes 06-18.
    t.quote(10.6, '2024-06-18 14:50');
    expect(t.alerts).toHaveLength(1);
    t.quote(10.4, '2024-06-19 09:31');
    expect(t.alerts).toHaveLength(2);
    expect(t.alerts[1]).toMatchObject({ value: 10.6, message: expect.stringMatching(/^2024-06-18 15:00:00 10\.60 /) });
    expect(t.alerts[1]!.threshold).toBeCloseTo((18 * 10 + 9.5 + 10.6) / 20, 9);

    // A stale quote (a cached close) closes nothing.
    t.quote(9, '2024-06-19 15:00', { stale: true });
    expect(t.alerts).toHaveLength(2);
  });
});
