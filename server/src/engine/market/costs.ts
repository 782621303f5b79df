/**
 * Market rules — the costs of a trade: broker commission (佣金), stamp duty (印花税), transfer fee
 * (过户费), and the slippage a simulation adds to a price. Part of the A-share market rules
 * (docs/ARCHITECTURE.md, "Market rules"): dated tables, each row with its source, pure lookups.
 * Dates as in price-limits.ts (bar times; rows from YYYY-MM-DD).
 *
 * Money is integer fen (money.ts). Each fee component is computed on the trade value in fen and
 * rounded half-up to the fen on its own (brokers' statements show each component in fen):
 *   value       = quantity × price (price in fen, so the value is exact)
 *   commission  = max(round(value × commissionRate), minCommission)          both sides
 *   stamp duty  = round(value × stamp-duty rate of the side, on the day)     sells only since 2008-09-19
 *   transfer    = round(value × transfer-fee rate on the day)                both sides
 * The defaults (0.025 %, minimum 5 CNY) are a typical retail account: commissions float since
 * 2002-05-01 (CSRC/国家计委/国家税务总局 关于调整证券交易佣金收取标准的通知, cap 0.3 %, the
 * 5-CNY-per-order floor is broker practice) and brokers quote them including the exchange
 * handling fee (经手费) and the CSRC levy (证管费), which are therefore not separate components.
 */
import { applyRateFen, toRate } from './money';
import { tableDay } from '../bars/time';
import type { Side } from './limit-guard';
import type { Board } from './symbols';

export interface StampDutyRow {
  /** First trading day the row applies to, YYYY-MM-DD. */
  since: string;
  /** The rate on the buyer's side (fraction of the trade value; 0 when only the seller pays). */
  buy: number;
  /** The rate on the seller's side. */
  sell: number;
  source: string;
}

/**
 * Securities-transaction stamp duty (证券交易印花税) on A shares. Sorted by date. Before the first
 * row its rate applies: Shenzhen charged 0.6 % from 1990-06-28 (sellers, buyers too from
 * 1990-11-23), and in 1991-10 Shenzhen cut it to 0.3 % and Shanghai began charging 0.3 % on both
 * sides — so the first row is right from 1991-10 (secondary sources; the day in 1991-10 is unknown).
 * Rows whose source says "secondary" are from market histories quoting the announcements, not the
 * announcements themselves (chinaacc.com "印花税历次变动情况", 2007-05; Xinhua "中国证券交易印花税调整历史",
 * 2007-05-30; press tables of 2012-08), which agree on every date here.
 */
export const STAMP_DUTY_TABLE: readonly StampDutyRow[] = [
  {
    since: '1992-06-12',
    buy: 0.003,
    sell: 0.003,
    source: '国家税务总局、国家体改委 joint document of 1992-06-12 (股份制试点企业有关税收问题的暂行规定): 3‰ on both sides, nationally (secondary)',
  },
  { since: '1997-05-12', buy: 0.005, sell: 0.005, source: 'Raised 3‰ → 5‰, both sides, from 1997-05-12 (State Council decision; secondary)' },
  { since: '1998-06-12', buy: 0.004, sell: 0.004, source: 'Cut 5‰ → 4‰, both sides, from 1998-06-12 (国家税务总局; secondary)' },
  { since: '2001-11-16', buy: 0.002, sell: 0.002, source: 'MoF decision: 4‰ → 2‰, both sides, from 2001-11-16 (secondary)' },
  { since: '2005-01-24', buy: 0.001, sell: 0.001, source: 'MoF decision announced 2005-01-23: 2‰ → 1‰, both sides, from 2005-01-24 (secondary)' },
  { since: '2007-05-30', buy: 0.003, sell: 0.003, source: 'MoF announcement on the night of 2007-05-29 (Xinhua, 2007-05-30): 1‰ → 3‰, both sides, from 2007-05-30 (secondary)' },
  { since: '2008-04-24', buy: 0.001, sell: 0.001, source: 'MoF announcement of 2008-04-23: 3‰ → 1‰, both sides, from 2008-04-24 (secondary)' },
  {
    since: '2008-09-19',
    buy: 0,
    sell: 0.001,
    source: 'MoF/SAT announcement of 2008-09-18: stamp duty levied on the seller only (单边征收), 1‰, from 2008-09-19 (secondary)',
  },
  {
    since: '2022-07-01',
    buy: 0,
    sell: 0.001,
    source: 'Stamp Duty Law of the PRC (中华人民共和国印花税法, adopted 2021-06-10, in force 2022-07-01), art. 3 and the rate table: 证券交易 1‰, on the transferor only — same rate, now statutory',
  },
  {
    since: '2023-08-28',
    buy: 0,
    sell: 0.0005,
    source: 'MoF/SAT announcement 2023 No. 39 (财政部 税务总局公告2023年第39号, 关于减半征收证券交易印花税的公告, 2023-08-27): halved to 0.5‰, seller only, from 2023-08-28',
  },
];

export interface TransferFeeRow {
  /** First trading day the row applies to, YYYY-MM-DD. */
  since: string;
  /** Only this board (absent: every board); a later row for every board replaces it. */
  board?: Board;
  /** The rate on each side (fraction of the trade value). */
  rate: number;
  source: string;
}

/**
 * Transfer fee (过户费) collected by China Securities Depository and Clearing (中国结算, CSDC) on A
 * shares, both sides, as a fraction of the trade value. Sorted by date.
 *
 * Only the two value-based rows are modelled. Before 2015-08-01 Shanghai charged 0.3‰ of the
 * traded FACE value (par value × shares, i.e. 0.03 fen per share of a 1-yuan-par stock; earlier
 * "1 yuan per 1 000 shares, minimum 1 yuan") and Shenzhen 0.0255‰ of the traded value
 * (secondary sources quoting the 2015 CSDC notice). A face-value fee needs each stock's par value,
 * which bars do not carry (not every par is 1 yuan), so earlier days take the 2015 row: an
 * approximation, within a few fen per order of the historical Shenzhen fee.
 */
export const TRANSFER_FEE_TABLE: readonly TransferFeeRow[] = [
  {
    since: '2015-08-01',
    board: 'bse',
    rate: 0.000025,
    source: 'BSE (opened 2021-11-15) A shares paid 0.025‰ of value, both sides, until 2022-04-28 (CSDC announcement of 2022-04-28, as quoted by Xinhua); the row starts with the table since BSE bars only exist from 2021-11-15',
  },
  {
    since: '2015-08-01',
    rate: 0.00002,
    source:
      'CSDC notice of 2015-07 (with the SSE/SZSE fee notices), in force 2015-08-01: A-share transfer fee from SSE 0.3‰ of face value / SZSE 0.0255‰ of value ' +
      'to 0.02‰ of value, both sides, on both exchanges (secondary: press reports of the notice)',
  },
  {
    since: '2022-04-29',
    rate: 0.00001,
    source:
      'CSDC announcement of 2022-04-28 (Xinhua, 2022-04-28): from 2022-04-29 the transfer fee, SSE/SZSE A shares 0.02‰ and BSE 0.025‰ of value, is cut to 0.01‰ of value, both sides, for all',
  },
];


/**
 * The latest row on or before `day` that applies to `board` (a row without a board applies to all;
 * on the same date a row for the board wins over one for all), the earliest before the table starts.
 */
function rowOn<R extends { since: string; board?: Board }>(table: readonly R[], day: number, board?: Board): R {
  let found: R | undefined;
  for (const row of table) {
    if (row.board !== undefined && row.board !== board) continue;
    if (!found) found = row; // the earliest, kept when `day` is before the table
    else if (tableDay(row.since) > day) break; // the table is sorted by date
    else if (row.since > found.since || (row.since === found.since && row.board !== undefined)) found = row;
  }
  return found!;
}

/** The stamp-duty row in force on `day` (bar time). */
export function stampDutyRow(day: number): StampDutyRow {
  return rowOn(STAMP_DUTY_TABLE, day);
}

/** The transfer-fee row in force on `day` (bar time) for a stock of `board` (default: the main board). */
export function transferFeeRow(day: number, board: Board = 'main'): TransferFeeRow {
  return rowOn(TRANSFER_FEE_TABLE, day, board);
}

/** Slippage added against the trader: a buy pays more, a sell receives less. */
export type Slippage = { kind: 'none' } | { kind: 'bps'; bps: number } | { kind: 'ticks'; ticks: number };

export interface CostConfig {
  /** Commission as a fraction of the value, each side (0.00025 = 0.025 %). */
  commissionRate: number;
  /** The minimum commission per order fill, fen (500 = 5 CNY). */
  minCommissionFen: number;
  slippage: Slippage;
}

export const DEFAULT_COSTS: CostConfig = { commissionRate: 0.00025, minCommissionFen: 500, slippage: { kind: 'none' } };

/** The fee components of one fill, each in integer fen. */
export interface Fees {
  commissionFen: number;
  stampDutyFen: number;
  transferFeeFen: number;
  totalFen: number;
}

/** The value of a fill in fen: quantity × price, exact (price in fen). */
export function tradeValueFen(quantity: number, priceFen: number): number {
  return quantity * priceFen;
}

/**
 * The fees of one fill of `valueFen` (> 0) on `day` of a stock of `board` (only the transfer fee
 * depends on it: BSE before 2022-04-29), each component rounded half-up to the fen.
 */
export function tradeFees(side: Side, valueFen: number, day: number, costs: CostConfig = DEFAULT_COSTS, board: Board = 'main'): Fees {
  const commissionFen = valueFen > 0 ? Math.max(applyRateFen(valueFen, toRate(costs.commissionRate)), costs.minCommissionFen) : 0;
  const stamp = stampDutyRow(day);
  const stampDutyFen = applyRateFen(valueFen, toRate(side === 'buy' ? stamp.buy : stamp.sell));
  const transferFeeFen = applyRateFen(valueFen, toRate(transferFeeRow(day, board).rate));
  return { commissionFen, stampDutyFen, transferFeeFen, totalFen: commissionFen + stampDutyFen + transferFeeFen };
}

/** The price tick of A shares: 0.01 CNY = 1 fen (funds trade in 0.001; not modelled). */
export const STOCK_TICK_FEN = 1;

/**
 * `priceFen` moved against the trader by the slippage, on the tick. Bps: the move is
 * price × bps / 10 000 rounded half-up to the fen (10.00 CNY with 5 bps moves 0.005 → 0.01: a buy pays
 * 10.01, a sell receives 9.99), so buys and sells move by the same amount. Ticks: whole fen. The
 * matcher keeps the result inside the bar's range (a price nobody traded at cannot fill).
 */
export function applySlippage(side: Side, priceFen: number, slippage: Slippage): number {
  let moveFen = 0;
  if (slippage.kind === 'bps') moveFen = applyRateFen(priceFen, toRate(slippage.bps / 10_000));
  else if (slippage.kind === 'ticks') moveFen = slippage.ticks * STOCK_TICK_FEN;
  return side === 'buy' ? priceFen + moveFen : priceFen - moveFen;
}
