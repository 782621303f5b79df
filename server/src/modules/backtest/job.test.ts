/**
 * The worker's job on a real cache file, in process: messages in order (loading, running with
 * progress that never goes back, metrics, saving, the result), the document as JSON of the run,
 * the same bytes from the same bars, and cancel reaching the engine's loop through the shared
 * flag the task platform sets (the run stops at the next step and posts no result).
 */
import { describe, expect, it } from 'vitest';
import { allocateSeries, setBar, sliceSeries } from '../../engine/bars/series';
import { parseTimeString } from '../../engine/bars/time';
import { tempConnections } from '../../platform/db/testing';
import { NEVER_CANCELLED, sharedSignal, TaskCancelled } from '../../platform/tasks/worker';
import { mulberry32 } from '../../../../tests/helpers/random';
import { KlineService } from '../market/kline-service';
import { MarketRepository } from '../market/repository';
import { backtestConfig } from './config';
import type { BacktestDocument } from './document';
import { runBacktestJob, type BacktestMessage } from './job';

/** `days` weekdays of a random walk from 2020-01-02. */
function walk(days: number, seed: number) {
  const random = mulberry32(seed);
  const bars = allocateSeries(days);
  const date = new Date(Date.UTC(2020, 0, 2));
  let price = 20;
  for (let i = 0; i < days; ) {
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) {
      const open = price;
      price = Math.round(price * (1 + (random() - 0.5) * 0.06) * 100) / 100;
      setBar(bars, i, parseTimeString(date.toISOString().slice(0, 10))!, open, Math.max(open, price), Math.min(open, price), price, 1e6, 0);
      i++;
    }
    date.setUTCDate(date.getUTCDate() + 1);
  }
  return sliceSeries(bars, 0, days);
}

function cache() {
  const [db] = tempConnections(1).dbs;
  const market = new MarketRepository(db!);
  for (const [symbol, seed] of [['600100.SH', 1], ['000568.SZ', 2], ['000300.SH', 3]] as const) {
    market.writeBars(market.ensureSeries(market.ensureInstrument(symbol), 'day', 'none'), walk(1200, seed), 'test');
  }
  return { market, klines: new KlineService(market) };
}

const config = backtestConfig({ strategy: 'dual-ma', symbols: ['600100.SH', '000568.SZ'], start: '2020-03-01', end: '2024-06-30', benchmark: '000300.SH' } as never);

describe('the backtest job', () => {
  it('posts loading, running with progress, metrics, saving, then the result document', () => {
    const deps = cache();
    const messages: BacktestMessage[] = [];
    runBacktestJob(config, { ...deps, signal: NEVER_CANCELLED, post: (m) => messages.push(m) });
    const kinds = messages.map((m) => (m.type === 'phase' ? m.phase : m.type));
    expect(kinds[0]).toBe('loading');
    expect(kinds[1]).toBe('running');
    expect(kinds.slice(-3)).toEqual(['metrics', 'saving', 'result']);
    const progress = messages.filter((m): m is Extract<BacktestMessage, { type: 'progress' }> => m.type === 'progress');
    expect(progress.length).toBeGreaterThan(10);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.fraction).toBeGreaterThanOrEqual(progress[i - 1]!.fraction);
      expect(progress[i]!.barsProcessed).toBeGreaterThanOrEqual(progress[i - 1]!.barsProcessed);
    }
    const running = messages[1] as Extract<BacktestMessage, { type: 'phase' }>;
    expect(progress.at(-1)).toMatchObject({ fraction: 1, barsProcessed: running.barsTotal, currentDate: '2024-06-28' });

    const result = messages.at(-1) as Extract<BacktestMessage, { type: 'result' }>;
    const doc = JSON.parse(result.document) as BacktestDocument;
    expect(doc.config).toEqual(config);
    expect(doc.barsProcessed).toBe(running.barsTotal);
    expect(doc.series.dates[0]).toBe('2020-03-02');
    expect(doc.series.benchmark).toHaveLength(doc.series.dates.length);
    expect(result.headline).toMatchObject({ fingerprint: doc.fingerprint, tradeCount: doc.metrics.tradeCount, finalEquity: doc.finalEquityFen / 100 });
  });

  it('makes the same bytes from the same bars, and another fingerprint from other bars', () => {
    const documents = [0, 1].map(() => {
      const messages: BacktestMessage[] = [];
      runBacktestJob(config, { ...cache(), signal: NEVER_CANCELLED, post: (m) => messages.push(m) });
      return (messages.at(-1) as Extract<BacktestMessage, { type: 'result' }>).document;
    });
    expect(documents[0]).toBe(documents[1]);

    const other = cache();
    const bars = walk(1200, 1);
    bars.close[600] = bars.close[600]! + 0.01;
    other.market.writeBars(other.market.findSeries('600100.SH', 'day', 'none')!.id, bars, 'test');
    const messages: BacktestMessage[] = [];
    runBacktestJob(config, { ...other, signal: NEVER_CANCELLED, post: (m) => messages.push(m) });
    const changed = JSON.parse((messages.at(-1) as Extract<BacktestMessage, { type: 'result' }>).document) as BacktestDocument;
    expect(changed.fingerprint).not.toBe((JSON.parse(documents[0]!) as BacktestDocument).fingerprint);
  });

  it('stops at the next step once the shared cancel flag is set, and posts no result', () => {
    const deps = cache();
    const flag = new SharedArrayBuffer(4);
    const messages: BacktestMessage[] = [];
    const post = (m: BacktestMessage) => {
      messages.push(m);
      // What TaskService.cancel does from the main thread.
      if (m.type === 'progress' && m.fraction > 0.2) Atomics.store(new Int32Array(flag), 0, 1);
    };
    expect(() => runBacktestJob(config, { ...deps, signal: sharedSignal(flag), post })).toThrow(TaskCancelled);
    const progress = messages.filter((m) => m.type === 'progress') as Extract<BacktestMessage, { type: 'progress' }>[];
    expect(progress.at(-1)!.fraction).toBeLessThan(0.5);
    expect(messages.some((m) => m.type === 'result' || (m.type === 'phase' && m.phase === 'metrics'))).toBe(false);
  });
});
