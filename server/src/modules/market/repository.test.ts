/** The repository's remembered series rows follow every write, with no call from the writer. */
import { describe, expect, it } from 'vitest';
import { allocateSeries, sliceSeries, type BarSeries } from '../../engine/bars/series';
import { parseTimeString } from '../../engine/bars/time';
import type { Db } from '../../platform/db/database';
import { tempConnections } from '../../platform/db/testing';
import { MarketRepository } from './repository';

function connections(): { repo: MarketRepository; other: MarketRepository; otherDb: Db } {
  const [db, otherDb] = tempConnections(2).dbs as [Db, Db];
  return { repo: new MarketRepository(db), other: new MarketRepository(otherDb), otherDb };
}

function daily(dates: string[]): BarSeries {
  const bars = allocateSeries(dates.length);
  dates.forEach((d, i) => {
    bars.ts[i] = parseTimeString(d)!;
    bars.open[i] = bars.high[i] = bars.low[i] = bars.close[i] = 10 + i;
  });
  return sliceSeries(bars, 0, dates.length);
}

const seriesOf = (repo: MarketRepository, symbol: string) => repo.ensureSeries(repo.ensureInstrument(symbol), 'day', 'none');

describe('remembered series rows', () => {
  it("see another connection's commits on the next read, without any call", () => {
    const { repo, other } = connections();
    expect(repo.findSeries('600000.SH', 'day', 'none')).toBeUndefined();
    other.writeBars(seriesOf(other, '600000.SH'), daily(['2025-03-10', '2025-03-11']), 'worker');
    expect(repo.findSeries('600000.SH', 'day', 'none')).toMatchObject({ bars: 2 });
    expect(repo.findSeries('600000.SH', 'day', 'none')).toMatchObject({ bars: 2 });
    other.writeBars(seriesOf(other, '600000.SH'), daily(['2025-03-12']), 'worker');
    expect(repo.findSeries('600000.SH', 'day', 'none')).toMatchObject({ bars: 3, lastTs: parseTimeString('2025-03-12') });
    other.deleteBars('600000.SH');
    expect(repo.findSeries('600000.SH', 'day', 'none')).toBeUndefined();
  });

  it("see this connection's writes at once", () => {
    const { repo } = connections();
    expect(repo.findSeries('600000.SH', 'day', 'none')).toBeUndefined();
    repo.writeBars(seriesOf(repo, '600000.SH'), daily(['2025-03-10']), 'test');
    expect(repo.findSeries('600000.SH', 'day', 'none')).toMatchObject({ bars: 1 });
  });

  it('are not remembered from inside a transaction that then rolls back', () => {
    const { repo, other, otherDb } = connections();
    other.writeBars(seriesOf(other, '600000.SH'), daily(['2025-03-10']), 'worker');
    expect(() =>
      otherDb.transaction(() => {
        other.writeBars(seriesOf(other, '600000.SH'), daily(['2025-03-11']), 'worker');
        expect(other.findSeries('600000.SH', 'day', 'none')).toMatchObject({ bars: 2 });
        throw new Error('roll back');
      })(),
    ).toThrow('roll back');
    expect(other.findSeries('600000.SH', 'day', 'none')).toMatchObject({ bars: 1 });
    expect(repo.findSeries('600000.SH', 'day', 'none')).toMatchObject({ bars: 1 });
  });
});

/** `n` one-minute bars from 2025-03-10 09:31, close = `price(i)`. */
function minutes(n: number, price = (i: number) => 10 + i / 100, from = 0): BarSeries {
  const bars = allocateSeries(n);
  for (let i = 0; i < n; i++) {
    bars.ts[i] = parseTimeString('2025-03-10 09:31')! + (from + i) * 60;
    bars.open[i] = bars.high[i] = bars.low[i] = bars.close[i] = price(from + i);
  }
  return sliceSeries(bars, 0, n);
}

describe('writing bars (one upsert path for imports and the filler)', () => {
  it('counts only new or changed bars, in multi-row batches and the rest, and keeps the coverage', () => {
    const { repo } = connections();
    const id = repo.ensureSeries(repo.ensureInstrument('600000.SH'), '1m', 'none');
    const progress: number[] = [];
    expect(repo.writeBars(id, minutes(20_000), 'tdx', (w) => progress.push(w))).toBe(20_000);
    expect(progress).toEqual([16_384]);
    const all = repo.findSeries('600000.SH', '1m', 'none')!;
    expect(all).toMatchObject({ bars: 20_000, firstTs: minutes(1).ts[0], lastTs: minutes(20_000).ts[19_999] });
    expect(repo.writeBars(id, minutes(20_000), 'tdx')).toBe(0);
    // Two changed bars, one in a 64-row batch and one in the tail.
    expect(repo.writeBars(id, minutes(20_000, (i) => (i === 5 || i === 19_999 ? 99 : 10 + i / 100)), 'tdx')).toBe(2);
    expect(repo.readBars(repo.findSeries('600000.SH', '1m', 'none')!, -Infinity, Infinity, 1).close[0]).toBe(99);
  });

  it('computes the coverage of appended bars and rescans it after an overlapping write', () => {
    const { repo } = connections();
    const id = repo.ensureSeries(repo.ensureInstrument('600000.SH'), '1m', 'none');
    repo.writeBars(id, minutes(100, undefined, 50), 'a');
    expect(repo.writeBars(id, minutes(70, undefined, 150), 'b')).toBe(70);
    expect(repo.findSeries('600000.SH', '1m', 'none')).toMatchObject({ bars: 170, firstTs: minutes(1, undefined, 50).ts[0], lastTs: minutes(1, undefined, 219).ts[0] });
    // Older bars overlapping the first ones: 50 new, 10 the same.
    expect(repo.writeBars(id, minutes(60), 'c')).toBe(50);
    expect(repo.findSeries('600000.SH', '1m', 'none')).toMatchObject({ bars: 220, firstTs: minutes(1).ts[0], lastTs: minutes(1, undefined, 219).ts[0] });
    expect(repo.coverage('600000.SH')).toMatchObject([{ bars: 220, source: 'c' }]);
  });

  it('takes a batch that repeats a time (the later bar wins) without miscounting the coverage', () => {
    const { repo } = connections();
    const id = repo.ensureSeries(repo.ensureInstrument('600000.SH'), 'day', 'none');
    const bars = daily(['2025-03-10', '2025-03-11', '2025-03-11']);
    repo.writeBars(id, bars, 'test');
    const series = repo.findSeries('600000.SH', 'day', 'none')!;
    expect(series.bars).toBe(2);
    expect(Array.from(repo.readBars(series).close)).toEqual([10, 12]);
  });

  it('adds trading days many at a time, ignoring known ones', () => {
    const { repo } = connections();
    const days = Array.from({ length: 130 }, (_, i) => `2025-${String(1 + Math.floor(i / 28)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`);
    repo.addTradingDays(days.slice(0, 10));
    repo.addTradingDays(days);
    expect(repo.tradingDays()).toEqual(days);
    expect(repo.latestTradingDay()).toBe(days.at(-1));
  });
});
