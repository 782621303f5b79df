/**
 * The market replay on a real server and cache: quotes built from the bars (price, the day so far,
 * the previous day's close) published on the `quotes` topic in time order, stepping, pausing,
 * speeds, the end, stop, the state events, and request errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { allocateSeries, setBar, sliceSeries } from '../../engine/bars/series';
import { parseTimeString } from '../../engine/bars/time';
import type { BusMessage } from '../../platform/bus';
import { testServer } from '../../../../tests/helpers/server';
import type { Quote } from './quotes';
import type { ReplayState } from './service';

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function bars(rows: [string, number, number, number, number, number][]) {
  const out = allocateSeries(rows.length);
  rows.forEach(([time, open, high, low, close, volume], i) => setBar(out, i, parseTimeString(time)!, open, high, low, close, volume, volume * close));
  return sliceSeries(out, 0, rows.length);
}

async function setup() {
  server = await testServer();
  const { market } = server.context;
  const write = (symbol: string, name: string, period: 'day' | '1m', b: ReturnType<typeof bars>) =>
    market.writeBars(market.ensureSeries(market.ensureInstrument(symbol, name), period, 'none'), b, 'test');
  write('600100.SH', '同方股份', 'day', bars([
    ['2024-03-01', 10, 10.5, 9.9, 10.2, 1000],
    ['2024-03-04', 10.2, 10.6, 10.1, 10.5, 1100],
    ['2024-03-05', 10.5, 10.5, 9.8, 9.9, 1200],
    ['2024-03-06', 9.9, 10.1, 9.7, 10, 900],
  ]));
  write('000568.SZ', '泸州老窖', 'day', bars([
    ['2024-03-04', 150, 152, 149, 151, 500],
    ['2024-03-06', 151, 155, 150, 154, 600],
  ]));
  write('600101.SH', '明星电力', '1m', bars([
    ['2024-03-04 14:59', 5, 5.1, 4.9, 5, 100],
    ['2024-03-04 15:00', 5, 5.05, 5, 5.02, 100],
    ['2024-03-05 09:31', 5.1, 5.2, 5.05, 5.15, 300],
    ['2024-03-05 09:32', 5.15, 5.3, 5.1, 5.25, 200],
  ]));
  const published: BusMessage[] = [];
  server.context.bus.subscribe('quotes', (m) => published.push(m));
  const post = async (url: string, payload: object) => server!.request({ method: 'POST', url, payload });
  return { published, post };
}

const quotes = (published: BusMessage[]) => published.filter((m) => m.event === 'quote').map((m) => m.data as Quote);
const states = (published: BusMessage[]) => published.filter((m) => m.event === 'replay').map((m) => (m.data as ReplayState).state);

describe('market replay', () => {
  it('steps through the merged clock, one quote per symbol with a bar, with the previous day\'s close', async () => {
    const { published, post } = await setup();
    const start = await post('/api/replay/start', { symbols: ['600100.SH', '000568.SZ'], start: '2024-03-04', paused: true });
    expect(start.statusCode, start.body).toBe(200);
    expect(start.json().data).toMatchObject({ state: 'paused', symbols: ['600100.SH', '000568.SZ'], period: 'day', speed: '1', stepsDone: 0, steps: 3 });

    const step = async () => (await post('/api/replay/control', { action: 'step' })).json().data as ReplayState;
    expect(await step()).toMatchObject({ state: 'paused', clock: '2024-03-04', stepsDone: 1, quotesPublished: 2 });
    expect(quotes(published)).toEqual([
      { symbol: '600100.SH', name: '同方股份', price: 10.5, prevClose: 10.2, open: 10.2, high: 10.6, low: 10.1, volume: 1100, amount: 11550, change: 0.3, changePercent: 2.94, time: '2024-03-04T15:00:00+08:00', source: 'replay', stale: false },
      // No bar before the start: the first open stands in for the previous close.
      { symbol: '000568.SZ', name: '泸州老窖', price: 151, prevClose: 150, open: 150, high: 152, low: 149, volume: 500, amount: 75500, change: 1, changePercent: 0.67, time: '2024-03-04T15:00:00+08:00', source: 'replay', stale: false },
    ]);
    const second = await step();
    // 000568.SZ has no bar on 03-05 (suspended): no quote for it.
    expect(quotes(published).slice(2).map((q) => q.symbol)).toEqual(['600100.SH']);
    // The state carries each symbol's last quote, for a page that opens mid-replay: 000568.SZ's is still 03-04's.
    expect(second.quotes).toEqual([quotes(published)[2], quotes(published)[1]]);
    expect((await server!.request({ method: 'GET', url: '/api/replay' })).json().data.quotes).toEqual(second.quotes);
    expect(await step()).toMatchObject({ state: 'finished', clock: '2024-03-06', stepsDone: 3, quotesPublished: 5 });
    expect(quotes(published).at(-1)).toMatchObject({ symbol: '000568.SZ', price: 154, prevClose: 151 });
    expect(states(published)).toEqual(['paused', 'paused', 'paused', 'finished', 'finished']);
    // A finished replay steps no further.
    expect(await step()).toMatchObject({ state: 'finished', stepsDone: 3 });
  });

  it('builds minute quotes from the day so far', async () => {
    const { published, post } = await setup();
    await post('/api/replay/start', { symbols: ['600101.SH'], period: '1m', start: '2024-03-05', paused: true });
    await post('/api/replay/control', { action: 'step' });
    await post('/api/replay/control', { action: 'step' });
    expect(quotes(published)).toEqual([
      expect.objectContaining({ price: 5.15, prevClose: 5.02, open: 5.1, high: 5.2, low: 5.05, volume: 300, time: '2024-03-05T09:31:00+08:00' }),
      expect.objectContaining({ price: 5.25, prevClose: 5.02, open: 5.1, high: 5.3, low: 5.05, volume: 500, change: 0.23, changePercent: 4.58, time: '2024-03-05T09:32:00+08:00' }),
    ]);
  });

  it('runs to the end as fast as possible, in time order, and stops back to idle', async () => {
    const { published, post } = await setup();
    await post('/api/replay/start', { symbols: ['600100.SH', '000568.SZ'], start: '2024-03-01', end: '2024-03-05', speed: 'max' });
    await expect.poll(() => server!.context.replay.state().state).toBe('finished');
    expect(quotes(published).map((q) => `${q.time.slice(0, 10)} ${q.symbol}`)).toEqual([
      '2024-03-01 600100.SH',
      '2024-03-04 600100.SH',
      '2024-03-04 000568.SZ',
      '2024-03-05 600100.SH',
    ]);
    expect((await post('/api/replay/control', { action: 'stop' })).json().data).toMatchObject({ state: 'idle', steps: 0 });
    expect(states(published).at(-1)).toBe('idle');
  });

  it('pauses, resumes and changes speed', async () => {
    const { post } = await setup();
    await post('/api/replay/start', { symbols: ['600100.SH'], start: '2024-03-01', speed: '1' });
    expect((await post('/api/replay/control', { action: 'pause' })).json().data).toMatchObject({ state: 'paused', stepsDone: 0 });
    expect((await post('/api/replay/control', { action: 'speed', speed: 'max' })).json().data).toMatchObject({ state: 'paused', speed: 'max' });
    expect((await post('/api/replay/control', { action: 'resume' })).json().data).toMatchObject({ state: 'running' });
    await expect.poll(() => server!.context.replay.state()).toMatchObject({ state: 'finished', stepsDone: 4 });
  });

  it('answers bad requests with their codes', async () => {
    const { post } = await setup();
    expect((await post('/api/replay/control', { action: 'pause' })).json()).toMatchObject({ code: 1002 });
    expect((await post('/api/replay/start', { symbols: ['600999.SH'], start: '2024-03-01' })).json()).toMatchObject({ code: 1101, details: [{ field: 'body.symbols.0' }] });
    expect((await post('/api/replay/start', { symbols: ['600100.SH'], start: '2024-02-30' })).json()).toMatchObject({ code: 1200 });
    expect((await post('/api/replay/start', { symbols: ['600100.SH'], start: '2024-03-05', end: '2024-03-01' })).json()).toMatchObject({ code: 1201 });
    expect((await post('/api/replay/start', { symbols: ['600100.SH'], start: '2030-01-01' })).json()).toMatchObject({ code: 2003 });
    expect((await post('/api/replay/start', { symbols: ['600100.SH'], start: '2024-03-01', speed: '2' })).statusCode).toBe(422);
    await post('/api/replay/start', { symbols: ['600100.SH'], start: '2024-03-01', paused: true });
    expect((await post('/api/replay/control', { action: 'speed' })).json()).toMatchObject({ code: 1001, details: [{ field: 'body.speed' }] });
    expect((await server!.request({ method: 'GET', url: '/api/replay' })).json().data).toMatchObject({ state: 'paused', symbols: ['600100.SH'] });
  });
});
