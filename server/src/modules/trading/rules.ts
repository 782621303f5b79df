/**
 * The trading rules of a symbol on an account's trading day (contracts/trading.yaml,
 * `TradingRules`): the one place the day's price limits of an order are worked out — the service
 * checks a limit price at submission with them (4402) and answers them to the order ticket
 * (`GET /api/trade/rules`), so the ticket refuses exactly what the server refuses. Everything comes
 * from the engine's dated tables (engine/market: lots, price limits, stamp duty, transfer fee) and
 * the account's cost configuration; nothing here is a rule of its own.
 *
 * The previous close the limits are computed from: the account's last quote of the symbol (its
 * prevClose when the quote is of the day, its price when it is of an earlier day — the close that
 * day's quotes ended on), else the last cached unadjusted daily bar before the day; unknown
 * otherwise (no limit checked). ST from the quote's name, else the cached name. The IPO window
 * (price-limits.ts NEW_LISTING_TABLE) from the cached listing date, counted in trading days.
 */
import type { components } from '../../../../contracts/gen/api';
import { formatDate, parseTimeString } from '../../engine/bars/time';
import { tradingDaysBetween, type DayKnowledge } from '../../engine/market/calendar';
import { DEFAULT_COSTS, stampDutyRow, transferFeeRow, type CostConfig } from '../../engine/market/costs';
import { dailyLimitsFen } from '../../engine/market/limit-guard';
import { lotRow } from '../../engine/market/lots';
import { toFen } from '../../engine/market/money';
import { priceLimitPct, type LimitFen, type ListingAge } from '../../engine/market/price-limits';
import { classify, isSpecialTreatment, parseSymbol, type Board } from '../../engine/market/symbols';
import type { Instrument, MarketRepository } from '../market/repository';
import type { LastQuote } from './book';

export type TradingRules = components['schemas']['TradingRules'];

/** What the day's limits are computed from. */
export interface DayReference {
  board: Board;
  /** Fen; undefined when unknown. */
  prevCloseFen?: number;
  source?: 'quote' | 'bar';
  /** The name the ST flag is read from; undefined when unknown. */
  name?: string;
  listing?: ListingAge;
}

/** The board of a symbol (`other` for what the code ranges do not cover). */
export function boardOfSymbol(symbol: string): Board {
  const p = parseSymbol(symbol);
  return p ? classify(p.code, p.exchange).board : 'other';
}

/** The reference of `symbol` on trading day `day` (bar time) for an account whose last quote of it is `last`. */
export function dayReference(
  market: MarketRepository,
  instrument: Instrument,
  day: number,
  last: Readonly<LastQuote> | undefined,
  known: DayKnowledge,
): DayReference {
  const ref: DayReference = { board: boardOfSymbol(instrument.symbol) };
  if (last && last.day <= day) {
    ref.prevCloseFen = last.day === day ? last.prevCloseFen : last.priceFen;
    ref.source = 'quote';
  } else {
    const series = market.findSeries(instrument.symbol, 'day', 'none');
    if (series && series.bars > 0) {
      const bars = market.readBars(series, -Infinity, day - 1, 1);
      if (bars.close.length > 0) {
        ref.prevCloseFen = toFen(bars.close[0]!);
        ref.source = 'bar';
      }
    }
  }
  if (!(ref.prevCloseFen !== undefined && ref.prevCloseFen > 0)) {
    delete ref.prevCloseFen;
    delete ref.source;
  }
  const name = last?.name?.trim() || instrument.name.trim();
  if (name) ref.name = name;
  if (instrument.listDate) {
    const listDate = parseTimeString(instrument.listDate.slice(0, 10));
    if (listDate !== undefined && listDate <= day) {
      ref.listing = { listDate, tradingDay: tradingDaysBetween(formatDate(listDate), formatDate(day), known).length };
    }
  }
  return ref;
}

/** The day's limit prices (fen), or undefined when none applies or the previous close is unknown. */
export function dayLimits(ref: DayReference, day: number): LimitFen | undefined {
  if (ref.prevCloseFen === undefined) return undefined;
  return dailyLimitsFen(ref.board, ref.name !== undefined && isSpecialTreatment(ref.name), day, ref.prevCloseFen / 100, ref.listing);
}

/** The rules answered to the ticket. `costs` and `slippageBps`: the account's (defaults without one). */
export function tradingRules(symbol: string, day: number, ref: DayReference, options: { accountId?: number; costs?: CostConfig } = {}): TradingRules {
  const costs = options.costs ?? DEFAULT_COSTS;
  const st = ref.name !== undefined ? isSpecialTreatment(ref.name) : null;
  const pct = priceLimitPct(ref.board, st === true, day, ref.listing);
  const limits = dayLimits(ref, day);
  const lot = lotRow(ref.board, day);
  const stamp = stampDutyRow(day);
  return {
    symbol,
    ...(ref.name !== undefined ? { name: ref.name } : {}),
    ...(options.accountId !== undefined ? { accountId: options.accountId } : {}),
    board: ref.board,
    tradable: lot !== undefined,
    day: formatDate(day),
    st,
    ...(lot ? { lot: { minBuy: lot.minBuy, step: lot.step, oddLotSellAll: true } } : {}),
    prevClose: ref.prevCloseFen !== undefined ? ref.prevCloseFen / 100 : null,
    prevCloseSource: ref.source ?? null,
    limitPct: pct ?? null,
    limitUp: limits ? limits.up / 100 : null,
    limitDown: limits ? limits.down / 100 : null,
    costs: {
      commissionRate: costs.commissionRate,
      minCommission: costs.minCommissionFen / 100,
      stampDutyBuyRate: stamp.buy,
      stampDutySellRate: stamp.sell,
      transferFeeRate: transferFeeRow(day, ref.board).rate,
      slippageBps: costs.slippage.kind === 'bps' ? costs.slippage.bps : 0,
    },
  };
}
