/** The trading clock, quote diffing (engine) and the cache's trading-day knowledge. */
import { afterEach, describe, expect, it } from 'vitest';
import { beijingClock, beijingIso, inTradingSession, isoFromWallSeconds, isTradingDay } from '../../engine/market/trading-clock';
import { changeOf, quoteChanged, roundTo } from '../../engine/market/quote-diff';
import { beijing } from '../../../../tests/helpers/market';
import { testServer } from '../../../../tests/helpers/server';

type Server = Awaited<ReturnType<typeof testServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('trading clock', () => {
  it('knows the sessions: 09:30–11:30 and 13:00–15:00 Beijing, end minute included', () => {
    const at = (t: string) => inTradingSession(beijing(`2025-03-12 ${t}`));
    expect(['09:29:59', '09:30:00', '10:15:00', '11:30:59', '11:31:00', '12:59:59', '13:00:00', '15:00:59', '15:01:00', '23:00:00'].map(at)).toEqual([
      false, true, true, true, false, false, true, true, false, false,
    ]);
  });

  it('has no sessions at weekends or on days known to be closed', () => {
    expect(inTradingSession(beijing('2025-03-15 10:00'))).toBe(false); // Saturday
    expect(inTradingSession(beijing('2025-03-16 10:00'))).toBe(false); // Sunday
    expect(inTradingSession(beijing('2025-10-01 10:00'), (d) => (d === '2025-10-01' ? false : undefined))).toBe(false);
    expect(inTradingSession(beijing('2025-10-09 10:00'), () => undefined)).toBe(true);
    expect(isTradingDay(beijingClock(beijing('2025-03-12 10:00')), () => true)).toBe(true);
  });

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

describe('trading calendar', () => {
  it('takes a date missing inside the known range as closed, and knows nothing outside it', async () => {
    server = await testServer();
    const { calendar } = server.app.online;
    expect(calendar.known('2025-03-12')).toBeUndefined();
    server.app.mystocks.market.addTradingDays(['2024-09-30', '2024-10-08']);
    expect(calendar.known('2024-09-30')).toBe(true);
    expect(calendar.known('2024-10-01')).toBe(false);
    expect(calendar.known('2024-10-09')).toBeUndefined();
    expect(calendar.known('2024-09-01')).toBeUndefined();
    calendar.markClosed('2025-03-12');
    expect(calendar.known('2025-03-12')).toBe(false);
  });
});
