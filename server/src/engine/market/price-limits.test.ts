import { describe, expect, it } from 'vitest';
import { parseTimeString, tsOf } from '../bars/time';
import { limitPrices, limitPricesFen, NEW_LISTING_TABLE, PRICE_LIMIT_TABLE, priceLimitPct, priceLimitRow } from './price-limits';
import type { Board } from './symbols';

const day = (date: string) => parseTimeString(date)!;

describe('price-limit table', () => {
  it('has one source per row, and rows sorted by board then date', () => {
    for (const table of [PRICE_LIMIT_TABLE.map((r) => [r.board, r.since, r.source] as const), NEW_LISTING_TABLE.map((r) => [r.board, r.listedSince, r.source] as const)]) {
      for (const [, since, source] of table) {
        expect(parseTimeString(since), since).toBeDefined();
        expect(source.length).toBeGreaterThan(20);
      }
      for (let i = 1; i < table.length; i++) {
        if (table[i]![0] === table[i - 1]![0]) expect(table[i]![1] > table[i - 1]![1]).toBe(true);
      }
    }
  });

  it.each([
    // board, ST, date, pct
    ['main', false, '1996-12-13', undefined],
    ['main', false, '1996-12-16', 0.1],
    ['main', false, '2024-05-06', 0.1],
    ['main', true, '1997-06-02', 0.1], // before the ST regime there were no ST stocks: the board's row
    ['main', true, '1998-04-22', 0.05],
    ['main', true, '2025-08-05', 0.05],
    ['main', true, '2026-07-03', 0.05],
    ['main', true, '2026-07-06', 0.1],
    ['main', false, '2026-07-06', 0.1],
    ['chinext', false, '2009-10-29', undefined],
    ['chinext', false, '2009-10-30', 0.1],
    ['chinext', false, '2020-08-21', 0.1],
    ['chinext', false, '2020-08-23', 0.1],
    ['chinext', false, '2020-08-24', 0.2],
    ['chinext', true, '2020-08-23', 0.1],
    ['chinext', true, '2020-08-24', 0.2],
    ['star', false, '2019-07-19', undefined],
    ['star', false, '2019-07-22', 0.2],
    ['star', true, '2023-03-01', 0.2],
    ['bse', false, '2021-11-12', undefined],
    ['bse', false, '2021-11-15', 0.3],
    ['bse', true, '2024-01-02', 0.3],
    ['index', false, '2024-01-02', undefined],
    ['fund', false, '2024-01-02', undefined],
    ['bond', false, '2024-01-02', undefined],
    ['other', false, '2024-01-02', undefined],
  ] as [Board, boolean, string, number | undefined][])('%s ST=%s on %s: %s', (board, st, date, pct) => {
    expect(priceLimitPct(board, st, day(date))).toBe(pct);
  });

  it('takes any time of a day as that day', () => {
    expect(priceLimitPct('chinext', false, tsOf(2020, 8, 23, 23, 59))).toBe(0.1);
    expect(priceLimitPct('chinext', false, tsOf(2020, 8, 24, 9, 30))).toBe(0.2);
  });

  it('names the row and its source', () => {
    expect(priceLimitRow('chinext', false, day('2020-08-24'))?.source).toMatch(/515/);
    expect(priceLimitRow('main', true, day('2020-01-02'))).toMatchObject({ st: true, pct: 0.05 });
    expect(priceLimitRow('index', false, day('2020-01-02'))).toBeUndefined();
  });
});

describe('the first trading days after listing', () => {
  const at = (board: Board, listDate: string, date: string, tradingDay: number) =>
    priceLimitPct(board, false, day(date), { listDate: day(listDate), tradingDay });

  it('main board: the listing day only, until registration-based listings (2023-04-10) had 5 days', () => {
    expect(at('main', '2019-01-09', '2019-01-09', 1)).toBeUndefined();
    expect(at('main', '2019-01-09', '2019-01-10', 2)).toBe(0.1);
    expect(at('main', '2023-04-07', '2023-04-10', 2)).toBe(0.1);
    expect(at('main', '2023-04-10', '2023-04-14', 5)).toBeUndefined();
    expect(at('main', '2023-04-10', '2023-04-17', 6)).toBe(0.1);
  });

  it('ChiNext: the listing day before the 2020-08-24 reform, then the first 5 days', () => {
    expect(at('chinext', '2020-08-20', '2020-08-20', 1)).toBeUndefined();
    expect(at('chinext', '2020-08-20', '2020-08-21', 2)).toBe(0.1);
    // Listed under the old rules, so day 3 (the reform day) already has the new 20 % limit.
    expect(at('chinext', '2020-08-20', '2020-08-24', 3)).toBe(0.2);
    expect(at('chinext', '2020-08-24', '2020-08-28', 5)).toBeUndefined();
    expect(at('chinext', '2020-08-24', '2020-08-31', 6)).toBe(0.2);
  });

  it('STAR: the first 5 days; BSE: the listing day', () => {
    expect(at('star', '2019-07-22', '2019-07-26', 5)).toBeUndefined();
    expect(at('star', '2019-07-22', '2019-07-29', 6)).toBe(0.2);
    expect(at('bse', '2021-11-15', '2021-11-15', 1)).toBeUndefined();
    expect(at('bse', '2021-11-15', '2021-11-16', 2)).toBe(0.3);
  });

  it('ST status does not shorten the window', () => {
    expect(priceLimitPct('main', true, day('2023-04-11'), { listDate: day('2023-04-10'), tradingDay: 2 })).toBeUndefined();
  });
});

describe('limit prices', () => {
  it.each([
    // prevClose, pct, up, down (prevClose × (1 ± pct), half-up to the fen)
    [9.99, 0.1, 10.99, 8.99], // 10.989, 8.991
    [10.05, 0.1, 11.06, 9.05], // 11.055, 9.045: halves go up
    [3.33, 0.05, 3.5, 3.16], // 3.4965, 3.1635
    [1.15, 0.1, 1.27, 1.04], // 1.265, 1.035 — a float product gives 1.26499…, 1.03499…
    [2.65, 0.1, 2.92, 2.39], // 2.915, 2.385
    [4.3, 0.05, 4.52, 4.09], // 4.515, 4.085
    [4.35, 0.3, 5.66, 3.05], // 5.655, 3.045
    [12.34, 0.2, 14.81, 9.87], // 14.808, 9.872
    [10, 0.1, 11, 9],
    [0.01, 0.1, 0.01, 0.01],
    [1500.01, 0.2, 1800.01, 1200.01], // 1800.012, 1200.008
  ])('%s ±%s → %s / %s', (prevClose, pct, up, down) => {
    expect(limitPrices(prevClose, pct)).toEqual({ up, down });
  });

  it('equals exact decimal half-up rounding for every price from 0.01 to 300.00', () => {
    for (const percent of [5, 10, 20, 30]) {
      for (let fen = 1; fen <= 30_000; fen++) {
        // Percent base, BigInt: an independent route to ⌊P·(100 ± k)/100 + ½⌋.
        const upExact = Number((BigInt(fen) * BigInt(100 + percent) + 50n) / 100n);
        const downExact = Number((BigInt(fen) * BigInt(100 - percent) + 50n) / 100n);
        const got = limitPricesFen(fen / 100, percent / 100);
        if (got.up !== upExact || got.down !== downExact) expect([fen, percent, got]).toEqual([fen, percent, { up: upExact, down: downExact }]);
      }
    }
  });

  it('answers NaN for a previous close that is not a price', () => {
    for (const bad of [0, -1, NaN]) expect(limitPrices(bad, 0.1)).toEqual({ up: NaN, down: NaN });
    expect(limitPrices(10, 1.5)).toEqual({ up: NaN, down: NaN });
  });
});
