/**
 * The bar-close feed alone, over a counting fake of the K-line history: unwatched symbols cost
 * nothing, the cached history is read once per symbol and source and extended bar by bar, the
 * series is bounded by its window, and a day closes once.
 */
import { describe, expect, it } from 'vitest';
import { liveQuote } from '../../../../tests/helpers/market';
import { allocateSeries, setBar, sliceSeries } from '../../engine/bars/series';
import { parseTimeString } from '../../engine/bars/time';
import type { KlineQuery } from '../market/kline-service';
import { BarCloseFeed, type BarCloseDeps } from './bar-closes';

function feed(history = 30) {
  const calls: KlineQuery[] = [];
  const bars = allocateSeries(history);
  for (let i = 0; i < history; i++) setBar(bars, i, parseTimeString('2024-01-01')! + i * 86_400, 10, 10, 10, 10 + i / 100, 1, 1);
  const klines = {
    history(query: KlineQuery) {
      calls.push(query);
      return { bars: sliceSeries(bars, 0, history) } as ReturnType<BarCloseDeps['klines']['history']>;
    },
  };
  return { calls, feed: new BarCloseFeed({ klines, replayAdjust: () => 'qfq' }) };
}

describe('bar-close feed', () => {
  it('looks at watched symbols only, reads the history once and appends each later day', () => {
    const { calls, feed: f } = feed();
    f.watch(new Map([['600000.SH', 500]]));
    expect(f.onQuote(liveQuote('000001.SZ', 9, '2024-06-17 15:00'))).toEqual([]);
    expect(calls).toEqual([]);
    const first = f.onQuote(liveQuote('600000.SH', 9, '2024-06-17 15:00'));
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ symbol: '600000.SH', period: 'day', timeMs: Date.parse('2024-06-17T15:00:00+08:00') });
    expect(first[0]!.closes).toHaveLength(31);
    expect(first[0]!.closes.at(-1)).toBe(9);
    expect(calls).toEqual([{ symbol: '600000.SH', period: 'day', adjust: 'none', end: '2024-06-16' }]);
    const second = f.onQuote(liveQuote('600000.SH', 9.5, '2024-06-18 15:00'));
    expect(Array.from(second[0]!.closes.slice(-2))).toEqual([9, 9.5]);
    expect(calls).toHaveLength(1);
    // A replayed quote is another series, with the replay's adjustment.
    f.onQuote({ ...liveQuote('600000.SH', 9.5, '2024-06-18 15:00'), source: 'replay' });
    expect(calls.at(-1)).toMatchObject({ adjust: 'qfq', end: '2024-06-17' });
  });

  it('keeps at most the window; a day closes once; unwatching drops the state', () => {
    const { calls, feed: f } = feed();
    f.watch(new Map([['600000.SH', 10]]));
    expect(f.onQuote(liveQuote('600000.SH', 9, '2024-06-17 15:00'))[0]!.closes).toHaveLength(10);
    expect(f.onQuote(liveQuote('600000.SH', 9, '2024-06-17 15:00'))).toEqual([]);
    expect(f.onQuote(liveQuote('600000.SH', 9, '2024-06-18 15:00'))[0]!.closes).toHaveLength(10);
    f.watch(new Map());
    expect(f.onQuote(liveQuote('600000.SH', 9, '2024-06-19 15:00'))).toEqual([]);
    f.watch(new Map([['600000.SH', 10]]));
    f.onQuote(liveQuote('600000.SH', 9, '2024-06-20 15:00'));
    expect(calls).toHaveLength(2);
  });
});
