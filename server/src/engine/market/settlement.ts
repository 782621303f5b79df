/**
 * Market rules — when shares bought can be sold (交收/回转交易): A shares are T+1, shares bought on
 * a day become sellable the next trading day. A holding therefore has two quantities: the total
 * and the available (sellable) part; the portfolio moves today's buys into the available part at
 * the start of the next trading day (portfolio/portfolio.ts `startDay`). Shares sold today give
 * their cash at once (the cash may buy again the same day: "T+0 资金回转" for cash, T+1 for shares).
 *
 * A day without a bar for the stock (suspension, 停牌) is not a trading day for it: no order fills;
 * the matcher refuses with 'suspended' (portfolio/matcher.ts).
 *
 * Before 1995-01-01 the rule differed (SSE allowed same-day resale, T+0, from 1992-05-21 and SZSE
 * from 1993-11-22, both from secondary sources); the lookup answers the 1995 row for earlier days
 * too — documented, not modelled, since the data this workstation imports rarely starts earlier.
 */
import type { Board } from './symbols';
import { tableDay } from '../bars/time';

export interface SettlementRow {
  /** First trading day the row applies to, YYYY-MM-DD. */
  since: string;
  /** Whether shares bought on a day may be sold the same day (T+0). */
  sameDayResale: boolean;
  source: string;
}

export const SETTLEMENT_TABLE: readonly SettlementRow[] = [
  {
    since: '1995-01-01',
    sameDayResale: false,
    source:
      'SSE/SZSE: A-share T+1 (回转交易 not allowed for shares) from 1995-01-01, per the CSRC decision of late 1994; today in the SSE/SZSE Trading Rules ' +
      '(shares bought may be sold from the next trading day), STAR/ChiNext/BSE included. Date from secondary sources (market histories)',
  },
];

const rows = SETTLEMENT_TABLE.map((row) => ({ from: tableDay(row.since), row }));

/** Whether shares of `board` bought on `day` can be sold the same day (false for every A share since 1995). */
export function sameDayResale(_board: Board, day: number): boolean {
  let found = rows[0]!;
  for (const r of rows) if (r.from <= day && r.from >= found.from) found = r;
  return found.row.sameDayResale;
}
