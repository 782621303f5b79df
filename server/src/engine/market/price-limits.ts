/**
 * Market rules — the price-limit table (涨跌幅限制): how far a stock's price may move from the
 * previous close in one day, by board, ST status, date and listing age. Part of the A-share
 * market rules (docs/ARCHITECTURE.md, "Market rules"): one dated table per rule, each row with its
 * source, and a pure lookup; the backtest's T+1, lot-size and fee tables join this folder the same way.
 *
 * Dates are bar times (bars/time.ts: Beijing wall-clock seconds, a day at its 00:00). A row applies
 * from its `since` day on, until a later row for the same board (and ST status) replaces it.
 *
 * The limit price (SSE/SZSE trading rules: "涨跌幅限制价格 = 前收盘价 × (1 ± 涨跌幅限制比例)", the result
 * "按四舍五入原则取至价格最小变动单位") is prevClose × (1 ± pct) rounded half-up to the fen (0.01).
 * `limitPrices` computes it in integer fen, exactly (see there), never as a float product.
 *
 * Not modelled — the lookup answers `undefined` (no symmetric limit it knows of) for:
 * - days before the first row of a board (main board before 1996-12-16: the early 1990s limits);
 * - the main-board/ChiNext IPO first-day band (since 2014-06-13 orders must lie within 64 %–144 % of
 *   the issue price; no limit before that): not a daily limit on the previous close, so no
 *   limit-up/down day can be classified — the listing day has no limit here;
 * - the first day of a relisting (重新上市) and of the delisting-consolidation period (退市整理期),
 *   delisting-consolidation limits, and the 1999–2002 PT stocks (5 % up only);
 * - indices (no limit: they are computed, not traded);
 * - funds and bonds: they DO have limits on the exchanges (ETFs/LOFs ±10 %, or ±20 % when they
 *   track STAR/ChiNext indices; convertible bonds ±20 % since 2022-08-01) but their rules are not
 *   in this table yet, so they answer `undefined` too;
 * - B shares and other instruments.
 * The previous close is the exchange's reference price (前收盘价): on an ex-rights/ex-dividend day
 * the exchange uses the ex-rights reference price, which a bar series does not carry.
 */
import type { Board } from './symbols';
import { tableDay } from '../bars/time';

/** The boards that have a daily price limit in this table. */
export type LimitBoard = 'main' | 'chinext' | 'star' | 'bse';

export interface PriceLimitRow {
  board: LimitBoard;
  /** ST/*ST (risk warning, 风险警示) only (`true`), ordinary stocks only (`false`), or both (absent). */
  st?: boolean;
  /** First trading day the row applies to, YYYY-MM-DD. */
  since: string;
  /** The limit as a fraction of the previous close (0.1 = ±10 %). */
  pct: number;
  source: string;
}

export interface NewListingRow {
  board: LimitBoard;
  /** Applies to stocks whose listing day is on or after this date, YYYY-MM-DD. */
  listedSince: string;
  /** The first `freeDays` trading days after listing (listing day = day 1) have no daily limit. */
  freeDays: number;
  source: string;
}

/** The daily limit by board, ST status and date. Sorted by board, then date. */
export const PRICE_LIMIT_TABLE: readonly PriceLimitRow[] = [
  {
    board: 'main',
    since: '1996-12-16',
    pct: 0.1,
    source: 'SSE/SZSE notices of 1996-12 on price limits for stocks and funds (关于对股票和基金交易实行价格涨跌幅限制的通知), in force 1996-12-16',
  },
  {
    board: 'main',
    st: true,
    since: '1998-04-22',
    pct: 0.05,
    source:
      'SSE/SZSE special treatment (ST) of 1998-04-22; SSE Trading Rules (2023) 4.4.10 and SZSE Trading Rules (2023) 4.5.5: risk-warning stocks 5 %',
  },
  {
    board: 'main',
    st: true,
    since: '2026-07-06',
    pct: 0.1,
    source:
      'SSE Trading Rules (2026 revision, 上证发〔2026〕41号, published 2026-04-24, in force 2026-07-06): "将主板风险警示股票价格涨跌幅限制比例由5%调整为10%"; ' +
      'SZSE Trading Rules (2026 revision, 深证上〔2026〕551号) 3.3.13 main board 10 % with no ST carve-out, 10.9 in force 2026-07-06. ' +
      'The exchanges first proposed it on 2025-06-27 (征求意见稿); nothing changed in 2025. Read from copies quoting the exchange texts',
  },
  {
    board: 'chinext',
    since: '2009-10-30',
    pct: 0.1,
    source: 'ChiNext (创业板) opened 2009-10-30 under the SZSE Trading Rules: 10 % (ChiNext had no ST designation before its 2020 reform)',
  },
  {
    board: 'chinext',
    since: '2020-08-24',
    pct: 0.2,
    source: 'SZSE ChiNext Trading Special Provisions (创业板交易特别规定, 深证上〔2020〕515号), in force 2020-08-24: 20 %, risk-warning stocks included',
  },
  {
    board: 'star',
    since: '2019-07-22',
    pct: 0.2,
    source: 'SSE STAR Market Trading Special Provisions (科创板股票交易特别规定, 2019); first listings traded 2019-07-22: 20 %, risk-warning stocks included',
  },
  {
    board: 'bse',
    since: '2021-11-15',
    pct: 0.3,
    source: 'BSE Trading Rules (北京证券交易所交易规则（试行）), BSE opened 2021-11-15: 30 %, risk-warning stocks included',
  },
];

/** The IPO window without a daily limit, by board and listing date. Sorted by board, then date. */
export const NEW_LISTING_TABLE: readonly NewListingRow[] = [
  {
    board: 'main',
    listedSince: '1996-12-16',
    freeDays: 1,
    source: 'Listing day: no limit, and since 2014-06-13 (上证发〔2014〕37号) the 144 %/64 % issue-price band — not a symmetric daily limit',
  },
  {
    board: 'main',
    listedSince: '2023-04-10',
    freeDays: 5,
    source:
      'SSE/SZSE Trading Rules (2023): "首次公开发行上市的股票，上市后的前5个交易日不实行价格涨跌幅限制", from the first registration-based main-board listing day 2023-04-10 ' +
      '(a few approval-based IPOs listed after that kept the first-day band; they get the 5 days here)',
  },
  { board: 'chinext', listedSince: '2009-10-30', freeDays: 1, source: 'Listing day: no limit / the 144 %/64 % issue-price band, as the main board' },
  { board: 'chinext', listedSince: '2020-08-24', freeDays: 5, source: 'SZSE ChiNext Trading Special Provisions (2020): first 5 trading days without limit' },
  { board: 'star', listedSince: '2019-07-22', freeDays: 5, source: 'SSE STAR Market Trading Special Provisions (2019): first 5 trading days without limit' },
  { board: 'bse', listedSince: '2021-11-15', freeDays: 1, source: 'BSE Trading Rules: listing day without limit' },
];

/** Where a trading day sits in a stock's life: its listing date and the day's ordinal since listing. */
export interface ListingAge {
  /** The listing day (first trading day on the exchange), bar time. */
  listDate: number;
  /** 1 on the listing day, 2 on the next trading day, … */
  tradingDay: number;
}


interface DatedRow<R> {
  from: number;
  row: R;
}

const limitRows: readonly DatedRow<PriceLimitRow>[] = PRICE_LIMIT_TABLE.map((row) => ({ from: tableDay(row.since), row }));
const listingRows: readonly DatedRow<NewListingRow>[] = NEW_LISTING_TABLE.map((row) => ({ from: tableDay(row.listedSince), row }));

const isLimitBoard = (board: Board): board is LimitBoard => board === 'main' || board === 'chinext' || board === 'star' || board === 'bse';

/**
 * The row of PRICE_LIMIT_TABLE in force on `day` for a stock of `board`, or undefined. An ST stock
 * takes the latest row for its board that is ST-only or for both, an ordinary stock the latest
 * that is ordinary-only or for both.
 */
export function priceLimitRow(board: Board, st: boolean, day: number): PriceLimitRow | undefined {
  if (!isLimitBoard(board)) return undefined;
  let found: DatedRow<PriceLimitRow> | undefined;
  for (const r of limitRows) {
    if (r.row.board !== board || r.from > day) continue;
    if (r.row.st !== undefined && r.row.st !== st) continue;
    if (!found || r.from >= found.from) found = r;
  }
  return found?.row;
}

/**
 * The daily price limit (fraction of the previous close) of a stock on `day`, or undefined when it
 * has none — or none this table models (see the header): indices, funds, bonds, days before a
 * board's first row, and the IPO window. `listing` places the day in the stock's life; without it
 * the stock is taken as long listed.
 */
export function priceLimitPct(board: Board, st: boolean, day: number, listing?: ListingAge): number | undefined {
  const row = priceLimitRow(board, st, day);
  if (!row) return undefined;
  if (listing) {
    let window: DatedRow<NewListingRow> | undefined;
    for (const r of listingRows) {
      if (r.row.board === board && r.from <= listing.listDate && (!window || r.from >= window.from)) window = r;
    }
    if (window && listing.tradingDay <= window.row.freeDays) return undefined;
  }
  return row.pct;
}

/** Limit-up and limit-down prices in fen (integers). */
export interface LimitFen {
  up: number;
  down: number;
}

/**
 * The limit prices in fen: prevClose × (1 ± pct) rounded half-up to the fen, computed exactly in
 * integers. Exchange prices are whole fen, so the previous close is first taken to the nearest fen
 * (absorbing its binary representation: 10.05 is 10.0499999…), and pct to the nearest basis point;
 * then up = ⌊(P·(10000 + b) + 5000) / 10000⌋ and down = ⌊(P·(10000 − b) + 5000) / 10000⌋ with P in
 * fen and b in basis points — integer products far below 2^53, so no float rounding can flip a half.
 * (A float product fails exactly there: 1.15 × 1.1 is 1.26499999… in binary, which Math.round takes
 * to 1.26; the exchange's limit is 1.27. Likewise 2.65 × 0.9, 4.30 × 1.05, 4.35 × 1.3.) NaN for a
 * previous close that is not a positive price, or a pct outside [0, 1).
 */
export function limitPricesFen(prevClose: number, pct: number): LimitFen {
  const p = Math.round(prevClose * 100);
  if (!(p > 0) || !(pct >= 0 && pct < 1)) return { up: NaN, down: NaN };
  const b = Math.round(pct * 10_000);
  return {
    up: Math.floor((p * (10_000 + b) + 5_000) / 10_000),
    down: Math.floor((p * (10_000 - b) + 5_000) / 10_000),
  };
}

/** The limit prices in yuan (the double nearest the fen value, as a price parsed from text is). */
export function limitPrices(prevClose: number, pct: number): { up: number; down: number } {
  const fen = limitPricesFen(prevClose, pct);
  return { up: fen.up / 100, down: fen.down / 100 };
}
