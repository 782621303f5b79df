/**
 * Limit-up and limit-down days (涨停/跌停) of a daily bar series, by the price-limit table of the
 * market rules (market/price-limits.ts). Prices are compared in whole fen, so a close of 11.06 is at
 * a limit of 11.06 however either was computed.
 *
 * The bars must be unadjusted (不复权): limits apply to traded prices, and an adjusted series
 * moves every price off the fen grid. They must also be consecutive trading days of the stock: the
 * previous close is the previous bar's close, unless the caller passes the exchange's reference
 * prices (`prevClose`, 前收盘价). On an ex-rights/ex-dividend day the exchange's reference price is
 * below the last close, so without them both limits of that day come out too high: a limit-up
 * there is missed, and a low at or below the (too high) limit-down can be reported as a
 * limit-down close or touch that was not one. (On 600000.SH 1999–2025 the seven ex-rights days
 * that fell below that band are not reported: their closes and lows lie below it, not on it.)
 */
import { dayStart } from '../bars/time';
import type { BarSeries } from '../bars/series';
import { limitPricesFen, priceLimitPct } from '../market/price-limits';
import type { Board } from '../market/symbols';
import { IndicatorProblem } from '../indicators/problem';

/**
 * - limit_up: closed at the limit-up price (封涨停);
 * - limit_down: closed at the limit-down price (封跌停);
 * - limit_up_touched: the high reached the limit-up price, the close is below it (炸板);
 * - limit_down_touched: the low reached the limit-down price, the close is above it (翘板).
 */
export type LimitKind = 'limit_up' | 'limit_down' | 'limit_up_touched' | 'limit_down_touched';

export interface LimitDay {
  index: number;
  kind: LimitKind;
  /** The previous close (or reference price) the limits were computed from. */
  prevClose: number;
  /** The limit as a fraction (0.1 = ±10 %). */
  pct: number;
  limitUp: number;
  limitDown: number;
  close: number;
}

/** What the limit of an instrument depends on besides the date. */
export interface LimitInstrument {
  /** From market/symbols.ts `classify`; index, fund, bond and other boards have no limit here. */
  board: Board;
  /** ST/*ST status: one value for the whole series, or per day (called with the bar's ts). Default false. */
  st?: boolean | ((ts: number) => boolean);
  /**
   * The listing day (first trading day on the exchange), bar time. When given, the IPO window of
   * the table (listing day, or the first 5 trading days) has no limit. The day's ordinal since
   * listing is counted in bars, so the series should start at the listing day; when it starts
   * later, the count is a lower bound and a bar it leaves inside the window is skipped (missed,
   * never invented). Omit it for a stock listed long before the series starts.
   */
  listDate?: number;
}

export interface LimitDayOptions {
  /** Also report limit_up_touched / limit_down_touched days (default true). */
  touched?: boolean;
  /**
   * The exchange's previous close (前收盘价) per bar, same length as the series: the ex-rights
   * reference price on ex-dates. Default: the previous bar's close (bar 0 then has none).
   */
  prevClose?: Float64Array;
}

/** Limit-up/limit-down closes (and touches) of a daily series; bars without a limit give nothing. */
export function limitDays(bars: BarSeries, instrument: LimitInstrument, options: LimitDayOptions = {}): LimitDay[] {
  const { length, ts, high, low, close } = bars;
  const touched = options.touched ?? true;
  const reference = options.prevClose;
  if (reference && reference.length < length) {
    throw new IndicatorProblem('input', `prevClose has ${reference.length} values, the series ${length}`, 'prevClose');
  }
  const st = instrument.st ?? false;
  const listDate = instrument.listDate === undefined ? undefined : dayStart(instrument.listDate);
  const covered = listDate !== undefined && length > 0 && dayStart(ts[0]!) <= listDate;
  const events: LimitDay[] = [];
  // One ListingAge, updated in place (the lookup keeps no reference to it).
  const listing = listDate === undefined ? undefined : { listDate, tradingDay: covered ? 0 : 1 };
  for (let i = 0; i < length; i++) {
    const day = dayStart(ts[i]!);
    if (listing) {
      if (day < listing.listDate) continue;
      listing.tradingDay++;
    }
    const prev = reference ? reference[i]! : i > 0 ? close[i - 1]! : NaN;
    const c = close[i]!;
    if (!(prev > 0) || Number.isNaN(c)) continue;
    const pct = priceLimitPct(instrument.board, typeof st === 'function' ? st(ts[i]!) : st, day, listing);
    if (pct === undefined) continue;
    const { up, down } = limitPricesFen(prev, pct);
    const closeFen = Math.round(c * 100);
    if (closeFen === up) push(events, i, 'limit_up', prev, pct, up, down, c);
    else if (closeFen === down) push(events, i, 'limit_down', prev, pct, up, down, c);
    else if (touched) {
      // Both can happen on one day (the high at one limit, the low at the other).
      if (Math.round(high[i]! * 100) >= up && closeFen < up) push(events, i, 'limit_up_touched', prev, pct, up, down, c);
      if (Math.round(low[i]! * 100) <= down && closeFen > down) push(events, i, 'limit_down_touched', prev, pct, up, down, c);
    }
  }
  return events;
}

function push(events: LimitDay[], index: number, kind: LimitKind, prevClose: number, pct: number, up: number, down: number, close: number): void {
  events.push({ index, kind, prevClose, pct, limitUp: up / 100, limitDown: down / 100, close });
}
