/**
 * Market rules — what the daily price limit (price-limits.ts) means for a simulated fill. A bar
 * trading at limit-up is taken as sealed (封板): buy orders queue behind a wall of bids and are not
 * filled, so a buy cannot fill at or above the limit-up price; symmetrically a sell cannot fill at
 * or below limit-down. This is the conservative convention of A-share backtests (a real order may
 * get part of the queue; a backtest cannot know the queue). Prices are integer fen.
 */
import type { Board } from './symbols';
import type { ListingAge, LimitFen } from './price-limits';
import { limitPricesFen, priceLimitPct } from './price-limits';

export type Side = 'buy' | 'sell';

/**
 * The limit prices in fen for a stock on `day` given the previous close (yuan), or undefined when
 * the stock has no limit the table knows of (IPO window, indices, funds…: see price-limits.ts).
 */
export function dailyLimitsFen(board: Board, st: boolean, day: number, prevClose: number, listing?: ListingAge): LimitFen | undefined {
  const pct = priceLimitPct(board, st, day, listing);
  if (pct === undefined) return undefined;
  const fen = limitPricesFen(prevClose, pct);
  return Number.isNaN(fen.up) ? undefined : fen;
}

/** True when a fill of `side` at `priceFen` is barred by the limits (buy ≥ up, sell ≤ down). */
export function blockedByLimit(side: Side, priceFen: number, limits: LimitFen | undefined): boolean {
  if (!limits) return false;
  return side === 'buy' ? priceFen >= limits.up : priceFen <= limits.down;
}
