/**
 * Orders, fills, positions and the cash ledger (see portfolio.ts). A round trip:
 *
 *   const p = new Portfolio({ initialCashFen: 100_000_000 });        // 1 000 000 CNY, next-open fills
 *   p.startDay(day1);
 *   p.submit({ symbol: '600519.SH', side: 'buy', type: 'market', quantity: 100, refPrice: 1700 });
 *   p.endDay();
 *   p.startDay(day2);
 *   p.processBar('600519.SH', { bar, limits: dailyLimitsFen('main', false, day2, prevClose) });
 *   //   → [{ type: 'OrderFilled', fill: { priceFen, commissionFen, stampDutyFen, transferFeeFen, cashFen, … } }]
 *   p.position('600519.SH');                                          // { quantity: 100, available: 0, … } (T+1)
 *   p.submit({ symbol: '600519.SH', side: 'sell', type: 'limit', quantity: 100, limitPrice: 1750 });
 *   //   → OrderAccepted: an overnight order, it first meets day3's bar, when the buy has settled
 *   p.endDay();
 *   p.startDay(day3);                                                // yesterday's buy is now available
 *   p.processBar('600519.SH', { bar: bar3 });                        // fills if the bar reaches 1 750
 *   p.endDay();                                                      // → OrderCancelled 'limit-not-reached' if not
 *   p.position('600519.SH')?.realizedPnlFen; p.reconciles();         // true, always
 */
export type { Fill, Order, OrderEvent, OrderStatus, OrderType, Side, SubmitOrder } from './orders';
export type { CancelReason, NoFillReason, RejectReason } from './reasons';
export type { FillModel, MatchBar, MatchContext, MatchOrder, MatchResult } from './matcher';
export { matchOrder } from './matcher';
export type { Position } from './positions';
export { averageCostFen } from './positions';
export type { LedgerEntry, LedgerKind } from './ledger';
export { feeTotals, reconcile } from './ledger';
export type { BarInput, PortfolioConfig, PortfolioState, SubmitContext } from './portfolio';
export { Portfolio } from './portfolio';
