/**
 * Market rules — order quantities (申报数量) by board: the lot table and the checks an order's
 * quantity must pass. Part of the A-share market rules (docs/ARCHITECTURE.md, "Market rules"): one
 * dated table, each row with its source, and pure lookups. Dates as in price-limits.ts.
 *
 * The rule for every board has the same shape: a buy is at least `minBuy` shares and grows in steps
 * of `step` (main board and ChiNext 100/100, STAR 200/1, BSE 100/1). A holding below the minimum —
 * an odd lot (零股), left by a bonus issue or a partial sell — cannot be bought, only sold, and
 * then all at once ("余额不足…的部分，应当一次性申报卖出").
 *
 * Sell quantities accepted (`position` is what the holder can sell today, see t1.ts):
 * - step > 1 (main board, ChiNext): a multiple of the step, or the odd remainder of the position
 *   (position mod step) together with any number of whole lots — so of 350 shares one may sell
 *   100, 300, 50 or 350, but not 120;
 * - step = 1 (STAR, BSE): at least `minBuy`, or the whole position — of 250 STAR shares one may sell
 *   200…250, not 50 (a remainder below 200 only goes all at once, when it is all there is).
 *
 * The sell rule as brokers explain it: of 4 880 shares one may sell 4 880, whole lots in one or more
 * orders, or the 80 odd shares alone or with whole lots (380, 580), but never 60 of the 80.
 *
 * Not modelled: the per-order maximum (main board below 1 000 000 shares; STAR 100 000 limit /
 * 50 000 market orders; ChiNext and BSE have their own, not verified here) and block trades (大宗交易).
 */
import type { Board } from './symbols';
import { tableDay } from '../bars/time';

export type LotBoard = 'main' | 'chinext' | 'star' | 'bse';

export interface LotRow {
  board: LotBoard;
  /** First trading day the row applies to, YYYY-MM-DD. */
  since: string;
  /** The smallest buy. */
  minBuy: number;
  /** Buys above the minimum grow in steps of this many shares. */
  step: number;
  source: string;
}

/** Lot sizes by board and date. Sorted by board, then date. */
export const LOT_TABLE: readonly LotRow[] = [
  {
    board: 'main',
    since: '1990-12-19',
    minBuy: 100,
    step: 100,
    source:
      'SSE and SZSE Trading Rules (2023 texts, the order-quantity provisions of chapter 3): "通过竞价交易买入股票…的，申报数量应当为100股（份）或其整数倍"; ' +
      '"卖出股票…时，余额不足100股（份）部分，应当一次性申报卖出". 100-share lots since the exchanges opened (1990-12-19 SSE)',
  },
  {
    board: 'chinext',
    since: '2009-10-30',
    minBuy: 100,
    step: 100,
    source: 'SZSE Trading Rules, applied to ChiNext from its opening 2009-10-30; unchanged by the ChiNext Trading Special Provisions (深证上〔2020〕515号, 2020-08-24)',
  },
  {
    board: 'star',
    since: '2019-07-22',
    minBuy: 200,
    step: 1,
    source:
      'SSE STAR Market Trading Special Provisions (上海证券交易所科创板股票交易特别规定, 2019): "单笔申报数量应当不小于200股…超过200股的部分，可以1股为单位递增"; ' +
      'sells likewise ≥ 200 then by 1 share, "余额不足200股时，应当一次性申报卖出"; first listings traded 2019-07-22 (rule text as quoted by 233.com, 2019-04-14)',
  },
  {
    board: 'bse',
    since: '2021-11-15',
    minBuy: 100,
    step: 1,
    source:
      'BSE Trading Rules (北京证券交易所交易规则（试行）, 2021): "单笔申报数量应当不低于100股，每笔申报可以1股为单位递增"; ' +
      '"卖出股票时，余额不足100股的部分，应当一次性申报卖出"; BSE opened 2021-11-15',
  },
];

const lotRows = LOT_TABLE.map((row) => ({ from: tableDay(row.since), row }));

/**
 * The lot row in force on `day` for `board`, or undefined for instruments this table does not
 * cover (indices, funds, bonds, other). Before a board's first row the first row applies: earlier
 * bars of a board do not exist, and main-board lots were 100 throughout.
 */
export function lotRow(board: Board, day: number): LotRow | undefined {
  let found: (typeof lotRows)[number] | undefined;
  let first: (typeof lotRows)[number] | undefined;
  for (const r of lotRows) {
    if (r.row.board !== board) continue;
    if (!first) first = r;
    if (r.from <= day && (!found || r.from >= found.from)) found = r;
  }
  return (found ?? first)?.row;
}

/** Why a quantity is refused (stable codes, see portfolio/reasons.ts). */
export type LotProblem = 'lot-size' | 'odd-lot-must-sell-all' | 'insufficient-available-position' | 'not-tradable';

/** Whether `qty` is a valid buy: a whole number ≥ minBuy, minBuy + k·step. */
export function checkBuyQuantity(board: Board, qty: number, day: number): LotProblem | undefined {
  const row = lotRow(board, day);
  if (!row) return 'not-tradable';
  if (!Number.isInteger(qty) || qty < row.minBuy || (qty - row.minBuy) % row.step !== 0) return 'lot-size';
  return undefined;
}

/**
 * The largest valid buy not above `qty` (0 when even the minimum is more). For sizing a strategy's
 * order before submitting it — the portfolio itself never resizes an order.
 */
export function roundBuyQuantity(board: Board, qty: number, day: number): number {
  const row = lotRow(board, day);
  if (!row || !(qty >= row.minBuy)) return 0;
  return row.minBuy + Math.floor((Math.floor(qty) - row.minBuy) / row.step) * row.step;
}

/**
 * Whether `qty` may be sold out of `sellable` shares (the available quantity, T+1 applied):
 * see the header for the rule. `insufficient-available-position` when qty > sellable.
 */
export function checkSellQuantity(board: Board, qty: number, sellable: number, day: number): LotProblem | undefined {
  const row = lotRow(board, day);
  if (!row) return 'not-tradable';
  if (!Number.isInteger(qty) || qty <= 0) return 'lot-size';
  if (qty > sellable) return 'insufficient-available-position';
  if (qty === sellable) return undefined;
  if (row.step > 1) {
    if (qty % row.step === 0) return undefined;
    // Not whole lots: only valid when it carries the position's whole odd remainder.
    return qty % row.step === sellable % row.step ? undefined : 'odd-lot-must-sell-all';
  }
  return qty >= row.minBuy ? undefined : 'odd-lot-must-sell-all';
}

/**
 * The largest valid sell not above `qty` out of `sellable` (0 when none): used to cut a partial
 * fill (a volume cap) to a quantity the exchange would accept.
 */
export function roundSellQuantity(board: Board, qty: number, sellable: number, day: number): number {
  const row = lotRow(board, day);
  if (!row) return 0;
  const q = Math.min(Math.floor(qty), sellable);
  if (q <= 0) return 0;
  if (q === sellable) return q;
  if (row.step > 1) {
    const odd = sellable % row.step;
    const withOdd = odd > 0 && q >= odd ? odd + Math.floor((q - odd) / row.step) * row.step : 0;
    return Math.max(Math.floor(q / row.step) * row.step, withOdd);
  }
  return q >= row.minBuy ? q : 0;
}
