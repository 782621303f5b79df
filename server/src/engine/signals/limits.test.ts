import { describe, expect, it } from 'vitest';
import { allocateSeries, setBar, type BarSeries } from '../bars/series';
import { parseTimeString } from '../bars/time';
import { limitDays } from './limits';

/** Daily bars from [date, high, low, close] rows (open = close; volume and amount unused). */
function daily(rows: [string, number, number, number][]): BarSeries {
  const s = allocateSeries(rows.length + 8); // capacity beyond length, as the cache hands it out
  rows.forEach(([date, high, low, close], i) => setBar(s, i, parseTimeString(date)!, close, high, low, close, 1000, 1000 * close));
  s.length = rows.length;
  return s;
}

/** The series from bar k on (views, no copy). */
function fromBar(s: BarSeries, k: number): BarSeries {
  const view = (c: Float64Array) => c.subarray(k, s.length);
  return { length: s.length - k, ts: view(s.ts), open: view(s.open), high: view(s.high), low: view(s.low), close: view(s.close), volume: view(s.volume), amount: view(s.amount) };
}

const brief = (events: { index: number; kind: string }[]) => events.map((e) => `${e.index}:${e.kind}`);
const day = (date: string) => parseTimeString(date)!;

describe('limit days', () => {
  const main = daily([
    ['2024-03-01', 10.0, 10.0, 10.0],
    ['2024-03-04', 11.0, 10.5, 11.0], // +10 %: limit-up close
    ['2024-03-05', 10.5, 9.9, 9.9], // 11 × 0.9 = 9.90: limit-down close
    ['2024-03-06', 10.89, 9.8, 10.5], // high 10.89 = 9.9 × 1.1: touched, closed below
    ['2024-03-07', 11.0, 9.45, 9.6], // low 9.45 = 10.5 × 0.9: touched, closed above
    ['2024-03-08', 10.56, 8.64, 10.0], // both limits reached (9.6 × 1.1 = 10.56, × 0.9 = 8.64)
    ['2024-03-11', 10.99, 10.0, 10.99], // 10 × 1.1 = 11.00: 10.99 is not the limit
  ]);

  it('finds limit-up and limit-down closes and touches on the main board (±10 %)', () => {
    const events = limitDays(main, { board: 'main' });
    expect(brief(events)).toEqual(['1:limit_up', '2:limit_down', '3:limit_up_touched', '4:limit_down_touched', '5:limit_up_touched', '5:limit_down_touched']);
    expect(events[0]).toEqual({ index: 1, kind: 'limit_up', prevClose: 10, pct: 0.1, limitUp: 11, limitDown: 9, close: 11 });
    expect(brief(limitDays(main, { board: 'main' }, { touched: false }))).toEqual(['1:limit_up', '2:limit_down']);
  });

  it('uses ±5 % for ST stocks, per day when the status changes', () => {
    const st = daily([
      ['2024-03-01', 3.33, 3.33, 3.33],
      ['2024-03-04', 3.5, 3.4, 3.5], // 3.33 × 1.05 = 3.4965 → 3.50
      ['2024-03-05', 3.85, 3.6, 3.85], // 3.5 × 1.1 = 3.85: a limit only once the stock is no longer ST
    ]);
    expect(brief(limitDays(st, { board: 'main', st: true }))).toEqual(['1:limit_up']);
    expect(brief(limitDays(st, { board: 'main', st: (ts) => ts < day('2024-03-05') }))).toEqual(['1:limit_up', '2:limit_up']);
  });

  it('switches ChiNext from ±10 % to ±20 % on 2020-08-24', () => {
    const bars = daily([
      ['2020-08-20', 10, 10, 10],
      ['2020-08-21', 11, 10, 11], // +10 %: limit-up under the old rule
      ['2020-08-24', 13.2, 11, 13.2], // +20 %: limit-up under the new rule
      ['2020-08-25', 14.52, 13, 14.52], // +10 %: no longer a limit
    ]);
    expect(brief(limitDays(bars, { board: 'chinext' }))).toEqual(['1:limit_up', '2:limit_up']);
  });

  it('has no limit in the IPO window, counted in bars from the listing day', () => {
    const star = daily([
      ['2019-07-22', 50, 30, 40], // listing day
      ['2019-07-23', 48, 40, 48], // +20 % on day 2: no limit yet
      ['2019-07-24', 57.6, 48, 57.6],
      ['2019-07-25', 69.12, 57.6, 69.12],
      ['2019-07-26', 82.94, 69, 82.94], // day 5: 69.12 × 1.2 = 82.944 → 82.94, still free
      ['2019-07-29', 99.53, 82.94, 99.53], // day 6: 82.94 × 1.2 = 99.528 → 99.53, a limit-up
    ]);
    const listDate = day('2019-07-22');
    expect(brief(limitDays(star, { board: 'star', listDate }))).toEqual(['5:limit_up']);
    // Without the listing date the stock is taken as long listed.
    expect(brief(limitDays(star, { board: 'star' }))).toEqual(['1:limit_up', '2:limit_up', '3:limit_up', '4:limit_up', '5:limit_up']);
    // A series that starts after the listing day: day ordinals are lower bounds (bar 0 is at least
    // day 2), so bars that may be inside the window are skipped.
    expect(brief(limitDays(fromBar(star, 1), { board: 'star', listDate }))).toEqual(['4:limit_up']);
  });

  it('skips bars before the listing day and instruments without a limit', () => {
    // A 2024 main-board listing has 5 free days: listed on bar 0, bar 5 is day 6.
    expect(limitDays(main, { board: 'main', listDate: day('2024-03-01') }).map((e) => e.index)).toEqual([5, 5]);
    // Listed on bar 1: bar 0 is before listing, bars 1–5 are days 1–5, bar 6 has no limit day.
    expect(limitDays(main, { board: 'main', listDate: day('2024-03-04') })).toEqual([]);
    expect(limitDays(main, { board: 'index' })).toEqual([]);
    expect(limitDays(main, { board: 'fund' })).toEqual([]);
  });

  it('uses the exchange reference prices when given (ex-dividend days)', () => {
    // 2024-03-04 is an ex-date: reference 9.50 after a 0.50 dividend; 9.50 × 1.1 = 10.45.
    const bars = daily([
      ['2024-03-01', 10, 10, 10],
      ['2024-03-04', 10.45, 9.5, 10.45],
    ]);
    expect(limitDays(bars, { board: 'main' })).toEqual([]);
    const prevClose = Float64Array.from([NaN, 9.5]);
    expect(limitDays(bars, { board: 'main' }, { prevClose })).toEqual([
      { index: 1, kind: 'limit_up', prevClose: 9.5, pct: 0.1, limitUp: 10.45, limitDown: 8.55, close: 10.45 },
    ]);
    expect(() => limitDays(bars, { board: 'main' }, { prevClose: Float64Array.from([1]) })).toThrow(/prevClose/);
  });
});
