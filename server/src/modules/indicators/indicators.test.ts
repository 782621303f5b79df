import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer } from '../../../../tests/helpers/server';
import { seedDaily, type DailyRow } from '../../../../tests/helpers/market';
import { isoDate, referenceBars, tdxReference } from '../../../../tests/helpers/reference';
import { skipWithoutSharedData } from '../../../../tests/helpers/shared-data';

const noData = skipWithoutSharedData('the requests on 600000.SH, its real bars (indicators.test.ts)');
/** 600000.SH's real daily bars, seeded below when ../shared/data is there. */
let rows: DailyRow[] = [];
const tdxCase = (id: string) => tdxReference().cases.find((c) => c.id === id)!.outputs;
const close = (a: number | null, e: number | null) => a === e || (a !== null && e !== null && Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)));

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server;
beforeAll(async () => {
  server = await testServer();
  if (noData) return;
  const b = referenceBars();
  rows = b.date.map((d, i) => [isoDate(d), b.open[i]!, b.high[i]!, b.low[i]!, b.close[i]!, b.volume[i]!, b.amount[i]!]);
  seedDaily(server.context.market, '600000.SH', '浦发银行', rows);
  seedDaily(server.context.market, '600004.SH', '白云机场', rows.slice(0, 10));
});
afterAll(async () => {
  await server.close();
});

const post = (url: string, payload: object) => server.request({ method: 'POST', url, payload });

describe('GET /api/indicators/registry', () => {
  it('describes every indicator: labels, category, pane, parameters with ranges, outputs', async () => {
    const res = await server.request({ method: 'GET', url: '/api/indicators/registry' });
    expect(res.statusCode).toBe(200);
    const list = res.json().data as { name: string; convention: string; pane: string; params: { name: string; default: number }[]; outputs: { name: string }[] }[];
    const macd = list.find((d) => d.name === 'MACD' && d.convention === 'tdx')!;
    expect(macd).toMatchObject({ pane: 'oscillator', category: 'momentum', label: { zh: '平滑异同移动平均', en: 'MACD' } });
    expect(macd.params.map((p) => [p.name, p.default])).toEqual([
      ['fast', 12],
      ['slow', 26],
      ['signal', 9],
    ]);
    expect(macd.outputs.map((o) => o.name)).toEqual(['dif', 'dea', 'macd']);
    expect(list.find((d) => d.name === 'BOLL' && d.convention === 'tdx')!.pane).toBe('overlay');
  });
});

describe('POST /api/indicators/calculate', () => {
  it.skipIf(noData)('gives the TDX terminal values for MACD and KDJ on 600000.SH (the tdx-formula reference)', async () => {
    const res = await post('/api/indicators/calculate', {
      symbol: '600000.SH',
      period: 'day',
      convention: 'tdx',
      indicators: [{ name: 'MACD' }, { name: 'KDJ', params: { n: 9, m1: 3, m2: 3 } }],
    });
    expect(res.statusCode).toBe(200);
    const data = res.json().data;
    expect(data).toMatchObject({ symbol: '600000.SH', period: 'day', count: rows.length });
    expect(data.time.at(-1)).toBe('2025-08-05');
    const [macd, kdj] = data.results;
    expect(macd).toMatchObject({ name: 'MACD', convention: 'tdx', params: { fast: 12, slow: 26, signal: 9 }, start: 0 });
    expect(kdj.start).toBe(8);
    for (const [result, id] of [
      [macd, 'MACD_CN_12_26_9'],
      [kdj, 'KDJ_9_3_3'],
    ] as const) {
      for (const [output, expected] of Object.entries(tdxCase(id))) {
        const actual = result.outputs[output] as (number | null)[];
        expect(actual).toHaveLength(expected.length);
        expect(actual.every((v, i) => close(v, expected[i]!)), `${id}.${output}`).toBe(true);
      }
    }
  });

  it.skipIf(noData)('warms up on the bars before the range: the values shown are those of the whole chart', async () => {
    const whole = (await post('/api/indicators/calculate', { symbol: '600000.SH', period: 'day', convention: 'tdx', indicators: [{ name: 'MACD' }] })).json().data;
    const res = await post('/api/indicators/calculate', { symbol: '600000.SH', period: 'day', start: '2025-01-01', end: '2025-06-30', convention: 'tdx', indicators: [{ name: 'MACD' }] });
    const part = res.json().data;
    const first = whole.time.indexOf(part.time[0]);
    expect(part.time[0] >= '2025-01-01' && part.time.at(-1) <= '2025-06-30').toBe(true);
    expect(part.results[0].start).toBe(0);
    expect(part.results[0].outputs.dea).toEqual(whole.results[0].outputs.dea.slice(first, first + part.count));
  });

  it('computes over inline arrays, null during warm-up', async () => {
    const res = await post('/api/indicators/calculate', { series: { close: [1, 2, 3, 4, 5, 6] }, convention: 'tdx', indicators: [{ name: 'MA', params: { period: 3 } }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toEqual({ count: 6, results: [{ name: 'MA', convention: 'tdx', params: { period: 3 }, start: 2, outputs: { ma: [null, null, 2, 3, 4, 5] } }] });
  });

  it.each([
    ['an unknown indicator', { series: { close: [1, 2] }, indicators: [{ name: 'NOPE' }] }, 404, 3000, 'body.indicators[0].name'],
    ['an unknown parameter', { series: { close: [1, 2, 3] }, convention: 'tdx', indicators: [{ name: 'MA', params: { length: 2 } }] }, 422, 3003, 'body.indicators[0].length'],
    ['a parameter out of range', { series: { close: [1, 2, 3] }, convention: 'tdx', indicators: [{ name: 'MA', params: { period: 0 } }] }, 422, 3003, 'body.indicators[0].period'],
    ['a fractional period', { series: { close: [1, 2, 3] }, convention: 'tdx', indicators: [{ name: 'MA', params: { period: 2.5 } }] }, 422, 3003, 'body.indicators[0].period'],
    ['a null input', { series: { close: [1, null, 3] }, convention: 'tdx', indicators: [{ name: 'MA', params: { period: 2 } }] }, 422, 3003, 'body.series.close[1]'],
    ['a missing input column', { series: { close: [1, 2, 3] }, convention: 'tdx', indicators: [{ name: 'KDJ' }] }, 422, 3003, 'body.series.high'],
    ['columns of different lengths', { series: { close: [1, 2, 3], high: [1, 2] }, convention: 'tdx', indicators: [{ name: 'MA' }] }, 422, 3003, 'body.series.close'],
    ['a series shorter than the warm-up', { series: { close: [1, 2, 3] }, convention: 'tdx', indicators: [{ name: 'MA', params: { period: 5 } }] }, 422, 3002, 'body.indicators[0]'],
    ['both a symbol and a series', { symbol: '600000.SH', period: 'day', series: { close: [1] }, indicators: [{ name: 'MA' }] }, 422, 1001, 'body'],
  ])('answers %s with its code', async (_label, payload, status, code, field) => {
    const res = await post('/api/indicators/calculate', payload);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ success: false, code });
    expect(res.json().details[0].field).toBe(field);
  });

  it.skipIf(noData)('answers the K-line codes for symbols and ranges', async () => {
    const unknown = await post('/api/indicators/calculate', { symbol: '601398.SH', period: 'day', indicators: [{ name: 'MACD', convention: 'tdx' }] });
    expect(unknown.json()).toMatchObject({ code: 1101 });
    const empty = await post('/api/indicators/calculate', { symbol: '600000.SH', period: 'day', start: '2030-01-01', indicators: [{ name: 'MACD', convention: 'tdx' }] });
    expect(empty.json()).toMatchObject({ code: 2003 });
  });
});

describe.skipIf(noData)('POST /api/indicators/calculate/batch', () => {
  it('answers each symbol on its own, with the last bars only when asked', async () => {
    const res = await post('/api/indicators/calculate/batch', {
      symbols: ['600000.SH', '600004.SH', '601398.SH'],
      period: 'day',
      convention: 'tdx',
      tail: 1,
      indicators: [{ name: 'MA', params: { period: 20 } }],
    });
    expect(res.statusCode).toBe(200);
    const [ok, short, missing] = res.json().data;
    expect(ok.result).toMatchObject({ count: 1, time: ['2025-08-05'] });
    const ma20 = rows.slice(-20).reduce((s, r) => s + r[4], 0) / 20;
    expect(ok.result.results[0].outputs.ma[0]).toBeCloseTo(ma20, 9);
    expect(short).toMatchObject({ symbol: '600004.SH', error: { code: 3002 } });
    expect(missing).toMatchObject({ symbol: '601398.SH', error: { code: 1101 } });
  });
});

describe('indicator sets', () => {
  it('saves, lists, replaces and deletes named sets, checking indicators and names', async () => {
    const created = await post('/api/indicators/sets', { name: '短线', convention: 'tdx', indicators: [{ name: 'MACD' }, { name: 'KDJ', params: { n: 6 } }] });
    expect(created.statusCode).toBe(201);
    const set = created.json().data;
    expect(set).toMatchObject({ name: '短线', convention: 'tdx', indicators: [{ name: 'MACD' }, { name: 'KDJ', params: { n: 6 } }] });

    expect((await post('/api/indicators/sets', { name: '短线', convention: 'tdx', indicators: [{ name: 'MA' }] })).json()).toMatchObject({ code: 1300 });
    expect((await post('/api/indicators/sets', { name: 'x', convention: 'tdx', indicators: [{ name: 'NOPE' }] })).json()).toMatchObject({ code: 3000 });
    expect((await post('/api/indicators/sets', { name: 'x', convention: 'tdx', indicators: [{ name: 'MA', params: { period: -1 } }] })).json()).toMatchObject({ code: 3003 });

    const replaced = await server.request({ method: 'PUT', url: `/api/indicators/sets/${set.id}`, payload: { name: '波段', convention: 'tdx', indicators: [{ name: 'BOLL' }] } });
    expect(replaced.json().data).toMatchObject({ id: set.id, name: '波段', indicators: [{ name: 'BOLL' }] });
    const list = (await server.request({ method: 'GET', url: '/api/indicators/sets' })).json().data;
    expect(list.map((s: { name: string }) => s.name)).toEqual(['波段']);

    expect((await server.request({ method: 'DELETE', url: `/api/indicators/sets/${set.id}` })).json().data).toEqual({ id: set.id });
    expect((await server.request({ method: 'DELETE', url: `/api/indicators/sets/${set.id}` })).statusCode).toBe(404);
  });
});

describe.skipIf(noData)('GET /api/technical/{symbol}/signals', () => {
  const signals = (symbol: string, query = '') => server.request({ method: 'GET', url: `/api/technical/${symbol}/signals${query}` });

  it('finds MA crosses and limit days on 600000.SH, oldest first, with the values that made them', async () => {
    const res = await signals('600000.SH', '?start=2015-01-01&end=2015-12-31');
    expect(res.statusCode).toBe(200);
    const data = res.json().data as { count: number; signals: { time: string; rule: string; kind: string; direction: string; close: number; values: Record<string, number> }[] };
    const year = rows.filter((r) => r[0].startsWith('2015'));
    expect(data.count).toBe(year.length);
    const times = data.signals.map((s) => s.time);
    expect(times).toEqual([...times].sort());
    expect(times.every((t) => t.startsWith('2015'))).toBe(true);
    // 2015-01-19: 16.47 → 14.82, a −10% limit-down close (checked by hand in the engine's tests).
    expect(data.signals).toContainEqual(expect.objectContaining({ time: '2015-01-19', rule: 'limit', kind: 'limit_down', direction: 'bearish', close: 14.82 }));
    const golden = data.signals.find((s) => s.rule === 'ma_cross' && s.kind === 'golden')!;
    expect(golden.values.fast!).toBeGreaterThan(golden.values.slow!);
  });

  it('runs only the rules asked for; the limit rule needs daily unadjusted bars', async () => {
    const res = await signals('600000.SH', '?rules=macd_cross,kdj_cross&start=2024-01-01');
    expect(new Set(res.json().data.signals.map((s: { rule: string }) => s.rule))).toEqual(new Set(['macd_cross', 'kdj_cross']));
    const weekly = await signals('600000.SH', '?period=week&start=2020-01-01');
    expect(weekly.statusCode).toBe(200);
    expect(weekly.json().data.signals.some((s: { rule: string }) => s.rule === 'limit')).toBe(false);
    expect((await signals('600000.SH', '?period=week&rules=limit')).json()).toMatchObject({ code: 1300 });
    expect((await signals('600000.SH', '?rules=moon')).json()).toMatchObject({ code: 1300 });
    expect((await signals('601398.SH')).json()).toMatchObject({ code: 1101 });
  });
});
