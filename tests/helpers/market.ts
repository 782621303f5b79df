/** Test helpers for market data: seeding the cache with daily bars, and Beijing-time instants. */
import type { components } from '../../contracts/gen/api';
import type { MarketRepository } from '../../server/src/modules/market/repository';
import { allocateSeries, sliceSeries } from '../../server/src/engine/bars/series';
import { parseTimeString } from '../../server/src/engine/bars/time';

/** [date, open, high, low, close, volume (shares), amount (CNY)] */
export type DailyRow = [string, number, number, number, number, number, number];

export function seedDaily(repo: MarketRepository, symbol: string, name: string, rows: DailyRow[], adjust: 'none' | 'qfq' | 'hfq' = 'none'): void {
  const id = repo.ensureInstrument(symbol, name);
  if (rows.length === 0) return;
  const series = repo.ensureSeries(id, 'day', adjust);
  const bars = allocateSeries(rows.length);
  rows.forEach(([date, o, h, l, c, v, a], i) => {
    bars.ts[i] = parseTimeString(date)!;
    bars.open[i] = o;
    bars.high[i] = h;
    bars.low[i] = l;
    bars.close[i] = c;
    bars.volume[i] = v;
    bars.amount[i] = a;
  });
  repo.writeBars(series, sliceSeries(bars, 0, rows.length), 'test');
}

/** Unix ms of a Beijing wall-clock time, `YYYY-MM-DD HH:mm[:ss]`. */
export function beijing(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (!m) throw new Error(`bad time ${text}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]) - 8, Number(m[5]), Number(m[6] ?? 0));
}

/** A clock tests can move. */
export function movableClock(start: number) {
  let t = start;
  return { now: () => t, set: (ms: number) => (t = ms), advance: (ms: number) => (t += ms) };
}

/**
 * A quote as the live poller publishes it (`source: eastmoney`) at a Beijing time `YYYY-MM-DD HH:mm`:
 * the previous close and open at 10, the price as the day's high and low; `extra` overrides.
 */
export function liveQuote(symbol: string, price: number, time: string, extra: Partial<components['schemas']['Quote']> = {}): components['schemas']['Quote'] {
  return {
    symbol,
    name: symbol === '600000.SH' ? '浦发银行' : '平安银行',
    price,
    prevClose: 10,
    open: 10,
    high: price,
    low: price,
    volume: 100_000,
    change: 0,
    changePercent: 0,
    time: `${time.replace(' ', 'T')}:00+08:00`,
    source: 'eastmoney',
    stale: false,
    ...extra,
  };
}
