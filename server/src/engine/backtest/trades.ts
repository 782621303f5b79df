/**
 * Round trips (trades) from fills: per symbol, a trade runs from the fill that opens a position
 * (flat → long) to the fill that closes it (long → flat); partial buys and sells in between belong
 * to it. A position still open at the end is not a trade.
 *
 * - entryValue / exitValue: Σ value of its buys / sells (fen);
 * - pnl: Σ of its fills' cash movements — sells' proceeds less buys' costs, every fee included (fen);
 * - holdingDays: trading days from the entry day to the exit day (an exit the day after the
 *   entry is 1), counted on the backtest's own calendar of days.
 */
import { formatDate } from '../bars/time';
import type { Fill } from '../portfolio';
import type { RoundTrip } from './metrics';

/** A round trip as metrics take it (money in fen), with its symbol and its fees by component. */
export interface Trade extends RoundTrip {
  symbol: string;
  commissionFen: number;
  stampDutyFen: number;
  transferFeeFen: number;
}

/** `dayTimes`: the backtest's trading days (day-start bar times, ascending). */
export function roundTrips(fills: readonly Fill[], dayTimes: readonly number[]): Trade[] {
  const dayIndex = new Map(dayTimes.map((t, i) => [t, i]));
  const open = new Map<string, { trade: Trade; entryDay: number; held: number }>();
  const trades: Trade[] = [];
  for (const f of fills) {
    let current = open.get(f.symbol);
    if (!current) {
      if (f.side !== 'buy') continue;
      const trade: Trade = { symbol: f.symbol, entryDate: formatDate(f.day), exitDate: '', quantity: 0, entryValue: 0, exitValue: 0, pnl: 0, holdingDays: 0, commissionFen: 0, stampDutyFen: 0, transferFeeFen: 0 };
      current = { trade, entryDay: f.day, held: 0 };
      open.set(f.symbol, current);
    }
    const t = current.trade;
    if (f.side === 'buy') {
      t.quantity += f.quantity;
      t.entryValue += f.valueFen;
      current.held += f.quantity;
    } else {
      t.exitValue += f.valueFen;
      current.held -= f.quantity;
    }
    t.pnl += f.cashFen;
    t.commissionFen += f.commissionFen;
    t.stampDutyFen += f.stampDutyFen;
    t.transferFeeFen += f.transferFeeFen;
    if (current.held === 0) {
      t.exitDate = formatDate(f.day);
      t.holdingDays = (dayIndex.get(f.day) ?? 0) - (dayIndex.get(current.entryDay) ?? 0);
      trades.push(t);
      open.delete(f.symbol);
    }
  }
  return trades;
}
