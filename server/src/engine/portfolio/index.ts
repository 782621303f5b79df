/** Orders, fills, positions and the cash ledger (see portfolio.ts). */
export type { Fill, Order, OrderEvent, OrderStatus, OrderType, Side, SubmitOrder } from './orders';
export type { CancelReason, NoFillReason, RejectReason } from './reasons';
export type { FillModel, MatchBar, MatchContext, MatchOrder, MatchResult } from './matcher';
export { matchOrder } from './matcher';
export type { Position } from './positions';
export { averageCostFen } from './positions';
export type { LedgerEntry, LedgerKind } from './ledger';
export { feeTotals, reconcile } from './ledger';
export type { BarInput, PortfolioConfig, PortfolioState } from './portfolio';
export { Portfolio } from './portfolio';
