/**
 * One trading calendar on the server: the cache's trading_days (and days found closed at run time)
 * decide K-line staleness, the filler's fetches and its final bars. Injected clocks only.
 */
import { describe, expect, it } from 'vitest';
import { beijing } from '../../../../tests/helpers/market';
import { allocateSeries, sliceSeries } from '../../engine/bars/series';
import { formatDate, parseTimeString } from '../../engine/bars/time';
import type { Db } from '../../platform/db/database';
import { tempConnections } from '../../platform/db/testing';
import type { ProviderRegistry } from '../../providers/registry';
import type { KlineRequest } from '../../providers/types';
import { KlineFiller, finalBars } from './kline-filler';
import { KlineService } from './kline-service';
import { MarketRepository } from './repository';

function cache(): { db: Db; repo: MarketRepository } {
  const db = tempConnections(1).dbs[0]!;
  return { db, repo: new MarketRepository(db) };
}

/** Daily bars on `dates` (prices do not matter here). */
function seedDaily(repo: MarketRepository, symbol: string, dates: string[]): void {
  const bars = allocateSeries(dates.length);
  dates.forEach((d, i) => {
    bars.ts[i] = parseTimeString(d)!;
    bars.open[i] = bars.high[i] = bars.low[i] = bars.close[i] = 10;
  });
  repo.writeBars(repo.ensureSeries(repo.ensureInstrument(symbol), 'day', 'none'), sliceSeries(bars, 0, dates.length), 'test');
}

/** 600000.SH through 2025-09-30; the index through 2025-10-10, so National Day (10-01 … 10-08) is inside the known range. */
function seedAroundNationalDay(repo: MarketRepository): void {
  seedDaily(repo, '600000.SH', ['2025-09-26', '2025-09-29', '2025-09-30']);
  const days = ['2025-09-26', '2025-09-29', '2025-09-30', '2025-10-09', '2025-10-10'];
  seedDaily(repo, '000001.SH', days);
  repo.addTradingDays(days);
}

/** A provider that records what it is asked and knows no new bars. */
function recordingRegistry() {
  const asked: KlineRequest[] = [];
  const registry = {
    klineProviders: () => [
      {
        id: 'eastmoney',
        klines: async (request: KlineRequest) => {
          asked.push(request);
          return { symbol: request.symbol, bars: allocateSeries(0) };
        },
      },
    ],
  } as unknown as ProviderRegistry;
  return { asked, registry };
}

describe('the trading calendar of the cache', () => {
  it('takes a date missing inside the known range as closed, knows nothing outside it, and sees new days at once', () => {
    const { repo } = cache();
    const calendar = repo.calendar;
    expect(calendar.known('2025-03-12')).toBeUndefined();
    repo.addTradingDays(['2024-09-30', '2024-10-08']);
    expect(calendar.known('2024-09-30')).toBe(true);
    expect(calendar.known('2024-10-01')).toBe(false);
    expect(calendar.known('2024-10-09')).toBeUndefined();
    repo.addTradingDays(['2024-10-09']);
    expect(calendar.known('2024-10-09')).toBe(true);
  });

  it("sees another connection's trading days without being told (as the import worker writes them)", () => {
    const [db, other] = tempConnections(2).dbs as [Db, Db];
    const repo = new MarketRepository(db);
    expect(repo.calendar.known('2025-10-01')).toBeUndefined();
    new MarketRepository(other).addTradingDays(['2025-09-30', '2025-10-09']);
    expect(repo.calendar.known('2025-10-01')).toBe(false);
  });

  it('is one per cache: the poller, the filler and K-lines share days found closed at run time', () => {
    const { repo } = cache();
    repo.calendar.markClosed('2025-03-12');
    expect(repo.calendar.known('2025-03-12')).toBe(false);
  });
});

describe('K-line staleness by the calendar', () => {
  it('is not stale during a holiday known from trading_days when the series ends on the last trading day before it', () => {
    const { repo } = cache();
    seedAroundNationalDay(repo);
    for (const t of ['2025-10-01 16:00', '2025-10-05 10:00', '2025-10-08 15:30', '2025-10-09 09:00']) {
      const klines = new KlineService(repo, () => beijing(t));
      expect(klines.get({ symbol: '600000.SH', period: 'day' }).stale, t).toBe(false);
    }
    // The first session after the holiday has closed: now it is.
    expect(new KlineService(repo, () => beijing('2025-10-09 15:00')).get({ symbol: '600000.SH', period: 'day' }).stale).toBe(true);
  });

  it('counts weekdays outside the known range', () => {
    const { repo } = cache();
    seedDaily(repo, '600000.SH', ['2025-09-30']);
    repo.addTradingDays(['2025-09-30']);
    // 2025-10-01 is a Wednesday the cache knows nothing about: its session counts.
    expect(new KlineService(repo, () => beijing('2025-10-01 16:00')).get({ symbol: '600000.SH', period: 'day' }).stale).toBe(true);
    expect(new KlineService(repo, () => beijing('2025-10-01 14:00')).get({ symbol: '600000.SH', period: 'day' }).stale).toBe(false);
  });

  it('does not send the filler to fetch during a known holiday, and does once its knowledge runs out', async () => {
    const { db, repo } = cache();
    seedAroundNationalDay(repo);
    let now = beijing('2025-10-05 10:00');
    const { asked, registry } = recordingRegistry();
    const filler = new KlineFiller({ db, repo, registry, now: () => now, minIntervalMs: 0 });
    expect(filler.fill({ symbol: '600000.SH', period: 'day' })).toBeUndefined();
    now = beijing('2025-10-10 16:00');
    await filler.fill({ symbol: '600000.SH', period: 'day' });
    expect(asked).toMatchObject([{ symbol: '600000.SH', period: 'day', begin: '20250930' }]);
  });

  it("stores as final only the bars of closed sessions, a known holiday's fetch included", () => {
    const { repo } = cache();
    seedAroundNationalDay(repo);
    const fetched = sliceSeries(allocateSeries(3), 0, 3);
    ['2025-09-29', '2025-09-30', '2025-10-09'].forEach((d, i) => (fetched.ts[i] = parseTimeString(d)!));
    const known = repo.calendar.knowledge();
    const during = finalBars(fetched, 'day', beijing('2025-10-09 14:00'), known);
    expect(Array.from(during.ts, formatDate)).toEqual(['2025-09-29', '2025-09-30']);
    expect(finalBars(fetched, 'day', beijing('2025-10-09 15:00'), known).length).toBe(3);
  });

  it('rests on a day the quote poller found closed, for staleness too', () => {
    const { repo } = cache();
    seedDaily(repo, '600000.SH', ['2025-03-11']);
    repo.addTradingDays(['2025-03-11']);
    const klines = new KlineService(repo, () => beijing('2025-03-12 16:00'));
    expect(klines.get({ symbol: '600000.SH', period: 'day' }).stale).toBe(true);
    repo.calendar.markClosed('2025-03-12');
    expect(klines.get({ symbol: '600000.SH', period: 'day' }).stale).toBe(false);
  });
});
