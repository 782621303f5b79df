/**
 * The pre-trade hook (docs/ARCHITECTURE.md, "Paper trading"): what the trading module hands the
 * checks it is given (the risk module's pre-trade rules, wired in app.ts) before it accepts an
 * order. The trading module knows no rule: a check throws an AppError (4401/4402 with its details)
 * to refuse the order, which then leaves no trace.
 */
import type { PaperOrderView } from './book';

export interface PreTradeOrder {
  symbol: string;
  side: 'buy' | 'sell';
  type: 'market' | 'limit';
  quantity: number;
  /** Yuan, limit orders only. */
  limitPrice?: number;
  /** The price the order is valued at (fen): its limit price, else the symbol's last quote; undefined when neither. */
  priceFen?: number;
}

export interface PreTradeAccountState {
  accountId: number;
  /** Cash + positions at their last prices (fen). */
  equityFen: number;
  /** Positions held, valued at their last prices (fen). */
  positions: readonly { symbol: string; quantity: number; valueFen: number }[];
  /** The orders of the account's trading day the order belongs to, newest first (open ones included). */
  dayOrders: readonly PaperOrderView[];
  /** The server's clock (Unix ms). */
  nowMs: number;
}

/** Throws an AppError to refuse the order; returns to accept it. */
export type PreTradeCheck = (accountId: number, order: PreTradeOrder, state: PreTradeAccountState) => void;
