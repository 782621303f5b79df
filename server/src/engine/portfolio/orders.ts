/**
 * Orders: the command that submits one, the order as the portfolio tracks it, and the events that
 * tell what became of it (past tense). Prices inside are integer fen; the command takes yuan, as a
 * strategy or a form has them, and the portfolio converts at the boundary (market/money.ts).
 *
 * Order types (all valid for one trading day; the unfilled remainder is cancelled at day end):
 * - market: fills at the fill model's price (the next bar's open, or this bar's close) ± slippage;
 * - limit: a buy fills at or below its limit, a sell at or above (see matcher.ts for the price);
 * - stop: a buy triggers when the price rises to the stop, a sell when it falls to it; once
 *   triggered it fills as a market order.
 */
import type { Side } from '../market/limit-guard';
import type { CancelReason, NoFillReason, RejectReason } from './reasons';

export type { Side };
export type OrderType = 'market' | 'limit' | 'stop';

/** Command: submit an order. */
export interface SubmitOrder {
  symbol: string;
  side: Side;
  type: OrderType;
  /** Shares; must already be a valid quantity for the board (lots.ts `roundBuyQuantity` sizes one). */
  quantity: number;
  /** Limit price, yuan (limit orders). */
  limitPrice?: number;
  /** Stop (trigger) price, yuan (stop orders). */
  stopPrice?: number;
  /**
   * Yuan: the price the cash check at submission assumes for a market order (e.g. the last close).
   * Without it a market buy is only checked against the cash when it fills.
   */
  refPrice?: number;
}

/**
 * 'rejected' also ends an order whose next fill the cash could not pay; its earlier partial fills
 * stand (filledQuantity says how many).
 */
export type OrderStatus = 'open' | 'filled' | 'cancelled' | 'rejected';

export interface Order {
  id: string;
  symbol: string;
  side: Side;
  type: OrderType;
  quantity: number;
  limitFen?: number;
  stopFen?: number;
  /** Fen per share assumed by the cash reservation of an open buy (limit, stop or refPrice). */
  reserveFen?: number;
  /** The day it was submitted (bar time). */
  submittedDay: number;
  status: OrderStatus;
  filledQuantity: number;
  /** A stop order that has triggered (it then fills as a market order). */
  triggered: boolean;
  /** The day a bar (or a suspension) was last presented to it: it expires at that day's end. */
  sessionDay?: number;
  /** Why the last bar did not fill it. */
  lastNoFill?: NoFillReason;
  /** Why it was rejected or cancelled. */
  reason?: RejectReason | CancelReason;
}

/** One execution (成交): each fee component on its own, all money integer fen. */
export interface Fill {
  id: string;
  orderId: string;
  symbol: string;
  side: Side;
  day: number;
  quantity: number;
  priceFen: number;
  /** quantity × priceFen. */
  valueFen: number;
  commissionFen: number;
  stampDutyFen: number;
  transferFeeFen: number;
  /** The cash movement: −(value + fees) for a buy, value − fees for a sell. */
  cashFen: number;
}

export type OrderEvent =
  | { type: 'OrderAccepted'; orderId: string; day: number }
  | { type: 'OrderRejected'; orderId: string; day: number; reason: RejectReason }
  | { type: 'OrderFilled'; orderId: string; day: number; fill: Fill; remaining: number }
  | { type: 'OrderCancelled'; orderId: string; day: number; reason: CancelReason; remaining: number };
