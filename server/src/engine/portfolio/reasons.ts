/**
 * Why an order was refused or ended unfilled: stable string codes, for the API error catalogue to
 * map later (contracts/errors.yaml, 4xxx), e.g. insufficient-position → 4100,
 * insufficient-available-position → 4101, insufficient-cash → 4200, price-limit → 4402. An order
 * is never resized to make it fit: it is refused with one of these.
 */

/** Refusals: at submission (OrderRejected) or when a fill cannot be honoured (OrderRejected too). */
export type RejectReason =
  /** Malformed: unknown symbol format, quantity or price not a positive number, stop/limit price missing. */
  | 'invalid-order'
  /** Not a stock this engine trades (index, fund, bond, other). */
  | 'not-tradable'
  /** A buy not in the board's lot (lots.ts), or a sell of no whole lot that is not the odd remainder. */
  | 'lot-size'
  /** Part of an odd lot (零股): the remainder below a lot is only sold all at once. */
  | 'odd-lot-must-sell-all'
  /** The cash cannot pay the order (value + fees), counting the other open buy orders. */
  | 'insufficient-cash'
  /** A sell of more shares than held (counting the other open sell orders). */
  | 'insufficient-position'
  /** Held, but not sellable today: bought today (T+1) or already in another open sell order. */
  | 'insufficient-available-position'
  /** Submitted outside a trading day (before startDay or after endDay). */
  | 'market-closed'
  /** A limit or stop price outside the day's limit prices: the exchange treats it as invalid (无效申报). */
  | 'price-limit'
  /** Submitted for a stock known to be suspended today. */
  | 'suspended'
  /** Cancel of an order id that does not exist or is no longer open. */
  | 'unknown-order';

/** Why an order got no fill on a bar (the matcher) — and, at day end, why it was cancelled. */
export type NoFillReason =
  /** No bar that day (停牌), or a bar without volume. */
  | 'suspended'
  /** Buy at or above limit-up, sell at or below limit-down (limit-guard.ts). */
  | 'price-limit'
  /** A limit order whose price the bar did not reach. */
  | 'limit-not-reached'
  /** A stop order the bar did not trigger. */
  | 'not-triggered'
  /** The volume cap leaves less than one valid lot. */
  | 'volume-cap';

/** Why an open order ended: cancelled by the trader, expired at day end (with the last no-fill reason when there was one). */
export type CancelReason = 'cancelled' | 'expired' | NoFillReason;
