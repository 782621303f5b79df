/**
 * The order ticket's own checks, run as the trader types. The server is the authority (it also
 * checks the day's price limits, whose rule table lives there and is not in the contracts, and
 * answers with the error code); these catch what can be known here — lots by board, cash for a
 * buy, the sellable (T+1) quantity for a sell — before a round-trip. Pure, tested.
 */

export type Board = 'main' | 'chinext' | 'star' | 'bse' | 'other';
export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';

/** Board of a symbol from its exchange code range (as server/src/engine/market/symbols.ts). */
export function boardOf(symbol: string): Board {
  const match = /^(\d{6})\.(SH|SZ|BJ)$/.exec(symbol);
  if (!match) return 'other';
  const [, code, exchange] = match as unknown as [string, string, string];
  const c2 = code.slice(0, 2);
  const c3 = code.slice(0, 3);
  if (exchange === 'SH') return c3 === '688' || c3 === '689' ? 'star' : c2 === '60' ? 'main' : 'other';
  if (exchange === 'SZ') return c3 === '300' || c3 === '301' ? 'chinext' : c2 === '00' ? 'main' : 'other';
  return c2 === '43' || c2 === '83' || c2 === '87' || c2 === '92' ? 'bse' : 'other';
}

/** A buy is at least `minBuy` shares, growing in steps of `step` (exchange trading rules). */
export interface LotRule {
  minBuy: number;
  step: number;
}

export function lotRule(board: Board): LotRule {
  if (board === 'star') return { minBuy: 200, step: 1 };
  if (board === 'bse') return { minBuy: 100, step: 1 };
  return { minBuy: 100, step: 100 };
}

/**
 * Buy fees as a typical retail account pays them (the server's defaults: commission 0.025 %,
 * minimum 5 CNY; transfer fee 0.001 %; no stamp duty on buys). An estimate shown before the
 * order: the fill's own fees are the server's.
 */
export const FEE_ESTIMATE = { commissionRate: 0.00025, minCommission: 5, transferRate: 0.00001 };

const round2 = (n: number) => Math.round(n * 100) / 100;

export function estimateBuyFees(value: number): number {
  if (!(value > 0)) return 0;
  return round2(Math.max(round2(value * FEE_ESTIMATE.commissionRate), FEE_ESTIMATE.minCommission) + round2(value * FEE_ESTIMATE.transferRate));
}

export interface TicketInput {
  symbol: string;
  side: Side;
  type: OrderType;
  quantity: number | null;
  limitPrice: number | null;
}

export interface TicketContext {
  /** The quote's last price; a market order is valued at it. */
  lastPrice?: number;
  /** The account's cash. */
  cash?: number;
  /** The position's sellable quantity today (T+1), and all shares held. */
  available?: number;
  held?: number;
}

/** An i18n key under `trading.ticket.errors`, with its parameters. */
export interface TicketProblem {
  field: 'symbol' | 'quantity' | 'limitPrice';
  key: 'symbol' | 'quantity' | 'lotMin' | 'lotStep' | 'price' | 'noPrice' | 'cash' | 'available' | 'sellLot';
  params?: Record<string, string | number>;
}

export interface TicketCheck {
  problems: TicketProblem[];
  /** Price × quantity at the limit (or the last price for a market order); undefined when unknown. */
  value?: number;
  fees?: number;
  /** Value + estimated fees of a buy. */
  total?: number;
}

/** The sell quantities the exchanges accept of `position` sellable shares (see server lots.ts). */
function sellQuantityOk(quantity: number, position: number, rule: LotRule): boolean {
  if (quantity === position) return true;
  if (rule.step > 1) {
    const odd = position % rule.step;
    return quantity % rule.step === 0 || (quantity % rule.step === odd && quantity <= position);
  }
  return quantity >= rule.minBuy;
}

export function checkTicket(input: TicketInput, context: TicketContext): TicketCheck {
  const problems: TicketProblem[] = [];
  if (!/^\d{6}\.(SH|SZ|BJ)$/.test(input.symbol)) problems.push({ field: 'symbol', key: 'symbol' });
  const rule = lotRule(boardOf(input.symbol));
  const quantity = input.quantity ?? 0;

  if (!Number.isInteger(quantity) || quantity <= 0) {
    problems.push({ field: 'quantity', key: 'quantity' });
  } else if (input.side === 'buy') {
    if (quantity < rule.minBuy) problems.push({ field: 'quantity', key: 'lotMin', params: { n: rule.minBuy } });
    else if ((quantity - rule.minBuy) % rule.step !== 0) problems.push({ field: 'quantity', key: 'lotStep', params: { n: rule.step } });
  } else {
    const available = context.available ?? 0;
    if (quantity > available) problems.push({ field: 'quantity', key: 'available', params: { n: available } });
    else if (!sellQuantityOk(quantity, available, rule)) problems.push({ field: 'quantity', key: 'sellLot', params: { n: rule.step > 1 ? rule.step : rule.minBuy } });
  }

  let price: number | undefined;
  if (input.type === 'limit') {
    if (input.limitPrice === null || !(input.limitPrice > 0)) problems.push({ field: 'limitPrice', key: 'price' });
    else price = input.limitPrice;
  } else {
    price = context.lastPrice;
    if (price === undefined) problems.push({ field: 'limitPrice', key: 'noPrice' });
  }

  if (price === undefined || !(quantity > 0)) return { problems };
  const value = round2(price * quantity);
  if (input.side === 'sell') return { problems, value };
  const fees = estimateBuyFees(value);
  const total = round2(value + fees);
  if (context.cash !== undefined && total > context.cash && !problems.some((p) => p.field === 'quantity')) {
    problems.push({ field: 'quantity', key: 'cash', params: { cash: context.cash.toFixed(2) } });
  }
  return { problems, value, fees, total };
}

/** The largest buy quantity the cash affords at `price`, in whole lots of the board (0 if none). */
export function maxBuyQuantity(symbol: string, price: number | undefined, cash: number | undefined): number {
  if (!(price !== undefined && price > 0) || !(cash !== undefined && cash > 0)) return 0;
  const rule = lotRule(boardOf(symbol));
  let quantity = Math.floor(cash / price);
  quantity = quantity < rule.minBuy ? 0 : rule.minBuy + Math.floor((quantity - rule.minBuy) / rule.step) * rule.step;
  while (quantity >= rule.minBuy && round2(price * quantity) + estimateBuyFees(round2(price * quantity)) > cash) quantity -= rule.step;
  return quantity >= rule.minBuy ? quantity : 0;
}
