import { describe, expect, it } from 'vitest';
import { inTradingSession, isTradingDay, latestClosedSession, nextTradingDay, previousTradingDay, tradingDaysBetween, type DayKnowledge } from './calendar';

/** Unix ms of a Beijing wall-clock time `YYYY-MM-DD HH:mm[:ss]`. */
const beijing = (text: string) => Date.parse(`${text.replace(' ', 'T')}+08:00`);

/** Knowledge like the cache's: 2025-09-26 … 2025-10-10 known, National Day (10-01 … 10-08) missing. */
const known: DayKnowledge = (date) => {
  if (date < '2025-09-26' || date > '2025-10-10') return undefined;
  return !(date >= '2025-10-01' && date <= '2025-10-08');
};

describe('trading calendar (engine)', () => {
  it('knows the sessions: 09:30–11:30 and 13:00–15:00 Beijing, end minute included', () => {
    const at = (t: string) => inTradingSession(beijing(`2025-03-12 ${t}`));
    expect(['09:29:59', '09:30:00', '10:15:00', '11:30:59', '11:31:00', '12:59:59', '13:00:00', '15:00:59', '15:01:00', '23:00:00'].map(at)).toEqual([
      false, true, true, true, false, false, true, true, false, false,
    ]);
  });

  it('has no sessions at weekends or on days known to be closed; unknown weekdays trade', () => {
    expect(inTradingSession(beijing('2025-03-15 10:00'))).toBe(false); // Saturday
    expect(inTradingSession(beijing('2025-03-16 10:00'))).toBe(false); // Sunday
    expect(inTradingSession(beijing('2025-10-01 10:00'), known)).toBe(false);
    expect(inTradingSession(beijing('2025-10-09 10:00'), known)).toBe(true);
    expect(inTradingSession(beijing('2025-10-01 10:00'), () => undefined)).toBe(true);
    expect(isTradingDay('2025-03-12', () => true)).toBe(true);
    expect(isTradingDay('2025-03-15', () => true)).toBe(false);
    expect(() => isTradingDay('2025-3-12')).toThrow(RangeError);
  });

  it('finds the latest closed session by the 15:00 close and weekends', () => {
    // 2026-11-20 is a Friday.
    expect(latestClosedSession(beijing('2026-11-20 14:59:59'))).toBe('2026-11-19');
    expect(latestClosedSession(beijing('2026-11-20 15:00'))).toBe('2026-11-20');
    expect(latestClosedSession(beijing('2026-11-22 12:00'))).toBe('2026-11-20'); // Sunday
    expect(latestClosedSession(beijing('2026-11-23 09:00'))).toBe('2026-11-20'); // Monday morning
  });

  it('skips known holidays: during National Day the latest closed session is the day before it', () => {
    for (const t of ['2025-10-01 16:00', '2025-10-05 10:00', '2025-10-08 20:00', '2025-10-09 14:59']) {
      expect(latestClosedSession(beijing(t), known), t).toBe('2025-09-30');
    }
    expect(latestClosedSession(beijing('2025-10-09 15:00'), known)).toBe('2025-10-09');
    // Without the knowledge, weekdays count.
    expect(latestClosedSession(beijing('2025-10-05 10:00'))).toBe('2025-10-03');
  });

  it('steps to the previous and next trading days and lists the ones between', () => {
    expect(nextTradingDay('2025-09-30', known)).toBe('2025-10-09');
    expect(previousTradingDay('2025-10-09', known)).toBe('2025-09-30');
    expect(nextTradingDay('2025-09-30')).toBe('2025-10-01');
    expect(nextTradingDay('2026-11-20')).toBe('2026-11-23'); // Friday → Monday
    expect(previousTradingDay('2026-11-23')).toBe('2026-11-20');
    expect(tradingDaysBetween('2025-09-26', '2025-10-10', known)).toEqual(['2025-09-26', '2025-09-29', '2025-09-30', '2025-10-09', '2025-10-10']);
    expect(tradingDaysBetween('2025-10-04', '2025-10-05')).toEqual([]);
    expect(tradingDaysBetween('2025-10-10', '2025-10-09')).toEqual([]);
    // Across a year end and a leap day, outside any knowledge.
    expect(tradingDaysBetween('2023-12-29', '2024-01-02')).toEqual(['2023-12-29', '2024-01-01', '2024-01-02']);
    expect(nextTradingDay('2024-02-28')).toBe('2024-02-29');
  });

  it('does not loop forever on knowledge that closes every day', () => {
    expect(() => nextTradingDay('2025-01-01', () => false)).toThrow(RangeError);
  });
});
