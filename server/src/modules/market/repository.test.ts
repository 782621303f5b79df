/** The repository's remembered series rows follow every write, with no call from the writer. */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../../../tests/helpers/server';
import { allocateSeries, sliceSeries, type BarSeries } from '../../engine/bars/series';
import { parseTimeString } from '../../engine/bars/time';
import { closeDatabase, openDatabase, type Db } from '../../platform/db/database';
import { MarketRepository } from './repository';

const cleanup: (() => void)[] = [];
afterEach(() => cleanup.splice(0).reverse().forEach((f) => f()));

function connections(): { repo: MarketRepository; other: MarketRepository; otherDb: Db } {
  const t = tempDataDir();
  const file = path.join(t.dir, 'test.db');
  const db = openDatabase(file);
  const otherDb = openDatabase(file);
  cleanup.push(() => t.remove(), () => closeDatabase(db), () => closeDatabase(otherDb));
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
    other.importBars(seriesOf(other, '600000.SH'), daily(['2025-03-12']), 'worker');
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
