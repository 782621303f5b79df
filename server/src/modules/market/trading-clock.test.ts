/** The exchange's wall clock and quote diffing (engine). Sessions and trading days: engine/market/calendar.test.ts, calendar-staleness.test.ts. */
import { describe, expect, it } from 'vitest';
import { beijingClock, beijingIso, isoFromWallSeconds } from '../../engine/market/trading-clock';
import { changeOf, quoteChanged, roundTo } from '../../engine/market/quote-diff';

describe('trading clock', () => {
  it('reads Beijing wall-clock parts whatever the machine time zone', () => {
    // 2025-03-12 23:30 UTC is already the 13th in Beijing.
    expect(beijingClock(Date.UTC(2025, 2, 12, 23, 30))).toMatchObject({ date: '2025-03-13', weekday: 4, minute: 7 * 60 + 30 });
    expect(beijingIso(Date.UTC(2025, 2, 12, 7, 0, 3))).toBe('2025-03-12T15:00:03+08:00');
    expect(isoFromWallSeconds(Date.UTC(2025, 2, 12, 15, 0, 3) / 1000)).toBe('2025-03-12T15:00:03+08:00');
  });
});

describe('quote diffing', () => {
  const q = { name: '浦发银行', price: 10.52, prevClose: 10.39, open: 10.4, high: 10.6, low: 10.35, volume: 100, amount: 1000 };

  it('sees a change in any value but not in the time alone', () => {
    expect(quoteChanged(undefined, q)).toBe(true);
    expect(quoteChanged(q, { ...q })).toBe(false);
    expect(quoteChanged(q, { ...q, volume: 200 })).toBe(true);
    expect(quoteChanged(q, { ...q, price: 10.53 })).toBe(true);
    expect(quoteChanged(q, { ...q, time: 'later' } as typeof q)).toBe(false);
  });

  it('computes change and change % without float noise', () => {
    expect(changeOf(0.491, 0.488)).toEqual({ change: 0.003, changePercent: 0.61 });
    expect(changeOf(10, 0)).toEqual({ change: 0, changePercent: 0 });
    expect(roundTo(0.1 + 0.2, 3)).toBe(0.3);
  });
});
