/**
 * The order ticket's own checks, run as the trader types. Pure and tested; every rule they apply
 * comes from the server's answer for the symbol on the account's trading day (`TradingRules`,
 * GET /api/trade/rules: the board's lots, the day's limit prices, the cost rates the fills charge),
 * so nothing here is a copy of a market rule — only the checks the server makes on submission,
 * done early: lots by board (1401), a limit price outside the day's limits (4402), cash for a buy
 * with its fees (4200), the sellable (T+1) quantity for a sell (4101). Without the rules (still
 * loading, or unavailable) the ticket is never valid: it does not check against rules it lacks.
 * The server stays the authority (other open orders, pre-trade risk rules): its refusal is shown
 * in place.
 */
import type { TradingCosts, TradingRules } from '@/api/trading';

export type Side = 'buy' | 'sell';
export type OrderType = 'market' | 'limit';

export interface TicketInput {
  symbol: string;
  side: Side;
  type: OrderType;
  quantity: number | null;
  limitPrice: number | null;
}

export interface TicketContext {
  /** The server's rules for this symbol and account on its day; undefined while they load or when unavailable. */
  rules?: TradingRules;
  /** Why there are no rules (the server's message), when they could not be had. */
  rulesError?: string;
  /** The quote's last price; a market order is valued at it (as the server reserves cash at it). */
  lastPrice?: number;
  /** The account's cash. */
  cash?: number;
  /** The position's sellable quantity today (T+1), and all shares held. */
  available?: number;
  held?: number;
}

/** An i18n key under `trading.ticket.errors`, with its parameters. */
export interface TicketProblem {
  field: 'symbol' | 'quantity' | 'limitPrice' | 'rules';
  key: 'symbol' | 'rulesLoading' | 'rulesError' | 'notTradable' | 'quantity' | 'lotMin' | 'lotStep' | 'price' | 'priceLimit' | 'noPrice' | 'cash' | 'available' | 'sellLot';
  params?: Record<string, string | number>;
}

/** The fee components of one fill, CNY, each rounded half-up to the fen on its own (as the server's costs.ts). */
export interface FeeEstimate {
  commission: number;
  stampDuty: number;
  transferFee: number;
  total: number;
}

export interface TicketCheck {
  problems: TicketProblem[];
  /** Price × quantity at the limit (or the last price for a market order); undefined when unknown. */
  value?: number;
  fees?: FeeEstimate;
  /** A buy: value + fees (the cash it needs); a sell: value − fees (the cash it brings). */
  total?: number;
}

const SYMBOL = /^\d{6}\.(SH|SZ|BJ)$/;
const RATE_SCALE = 100_000_000;

/** Yuan to integer fen, half-up (prices and amounts are whole fen; this absorbs binary noise). */
const toFen = (yuan: number): number => Math.round(Number((yuan * 100).toPrecision(15)));

/** `valueFen × rate` rounded half-up to the fen, exactly (the rate as parts per 10^8, as the server's money.ts). */
function applyRateFen(valueFen: number, rate: number): number {
  const parts = Math.round(Number((rate * RATE_SCALE).toPrecision(15)));
  return Number((BigInt(valueFen) * BigInt(parts) + BigInt(RATE_SCALE / 2)) / BigInt(RATE_SCALE));
}

/** The fees of a fill of `value` CNY on the rules' day with the account's rates. */
export function estimateFees(side: Side, value: number, costs: TradingCosts): FeeEstimate {
  const valueFen = toFen(value);
  if (!(valueFen > 0)) return { commission: 0, stampDuty: 0, transferFee: 0, total: 0 };
  const commission = Math.max(applyRateFen(valueFen, costs.commissionRate), toFen(costs.minCommission));
  const stampDuty = applyRateFen(valueFen, side === 'buy' ? costs.stampDutyBuyRate : costs.stampDutySellRate);
  const transferFee = applyRateFen(valueFen, costs.transferFeeRate);
  return { commission: commission / 100, stampDuty: stampDuty / 100, transferFee: transferFee / 100, total: (commission + stampDuty + transferFee) / 100 };
}

/** Whether a limit price lies inside the day's limits (inclusive, in fen: the server's 4402 rule). */
export function withinLimits(price: number, rules: Pick<TradingRules, 'limitUp' | 'limitDown'>): boolean {
  const fen = toFen(price);
  if (rules.limitUp !== null && fen > toFen(rules.limitUp)) return false;
  if (rules.limitDown !== null && fen < toFen(rules.limitDown)) return false;
  return true;
}

type Lot = NonNullable<TradingRules['lot']>;

/** The sell quantities the exchanges accept of `position` sellable shares (the rules' lot: whole lots, or the odd lot all at once). */
function sellQuantityOk(quantity: number, position: number, lot: Lot): boolean {
  if (quantity === position) return true;
  if (lot.step > 1) {
    const odd = position % lot.step;
    return quantity % lot.step === 0 || (quantity % lot.step === odd && quantity <= position);
  }
  return quantity >= lot.minBuy;
}

const formatLimit = (n: number) => n.toFixed(2);

export function checkTicket(input: TicketInput, context: TicketContext): TicketCheck {
  const problems: TicketProblem[] = [];
  if (!SYMBOL.test(input.symbol)) return { problems: [{ field: 'symbol', key: 'symbol' }] };
  const { rules } = context;
  if (!rules || rules.symbol !== input.symbol) {
    problems.push(context.rulesError !== undefined ? { field: 'rules', key: 'rulesError', params: { message: context.rulesError } } : { field: 'rules', key: 'rulesLoading' });
    return { problems };
  }
  const lot = rules.lot;
  if (!rules.tradable || !lot) return { problems: [{ field: 'symbol', key: 'notTradable' }] };
  const quantity = input.quantity ?? 0;

  if (!Number.isInteger(quantity) || quantity <= 0) {
    problems.push({ field: 'quantity', key: 'quantity' });
  } else if (input.side === 'buy') {
    if (quantity < lot.minBuy) problems.push({ field: 'quantity', key: 'lotMin', params: { n: lot.minBuy } });
    else if ((quantity - lot.minBuy) % lot.step !== 0) problems.push({ field: 'quantity', key: 'lotStep', params: { n: lot.step } });
  } else {
    const available = context.available ?? 0;
    if (quantity > available) problems.push({ field: 'quantity', key: 'available', params: { n: available } });
    else if (!sellQuantityOk(quantity, available, lot)) problems.push({ field: 'quantity', key: 'sellLot', params: { n: lot.step > 1 ? lot.step : lot.minBuy } });
  }

  let price: number | undefined;
  if (input.type === 'limit') {
    if (input.limitPrice === null || !(input.limitPrice > 0)) problems.push({ field: 'limitPrice', key: 'price' });
    else if (!withinLimits(input.limitPrice, rules)) {
      problems.push({ field: 'limitPrice', key: 'priceLimit', params: { down: formatLimit(rules.limitDown ?? 0), up: formatLimit(rules.limitUp ?? 0) } });
      price = input.limitPrice;
    } else price = input.limitPrice;
  } else {
    price = context.lastPrice;
    if (price === undefined) problems.push({ field: 'limitPrice', key: 'noPrice' });
  }

  if (price === undefined || !(quantity > 0) || !Number.isInteger(quantity)) return { problems };
  const valueFen = quantity * toFen(price);
  const value = valueFen / 100;
  const fees = estimateFees(input.side, value, rules.costs);
  if (input.side === 'sell') return { problems, value, fees, total: (valueFen - toFen(fees.total)) / 100 };
  const total = (valueFen + toFen(fees.total)) / 100;
  if (context.cash !== undefined && toFen(total) > toFen(context.cash) && !problems.some((p) => p.field === 'quantity')) {
    problems.push({ field: 'quantity', key: 'cash', params: { cash: context.cash.toFixed(2) } });
  }
  return { problems, value, fees, total };
}

/** The largest buy the cash affords at `price` with its fees, in the rules' lots (0 if none, or without rules). */
export function maxBuyQuantity(rules: TradingRules | undefined, price: number | undefined, cash: number | undefined): number {
  const lot = rules?.tradable ? rules.lot : undefined;
  if (!rules || !lot || !(price !== undefined && price > 0) || !(cash !== undefined && cash > 0)) return 0;
  const priceFen = toFen(price);
  const cashFen = toFen(cash);
  const cost = (q: number) => q * priceFen + toFen(estimateFees('buy', (q * priceFen) / 100, rules.costs).total);
  let quantity = Math.floor(cashFen / priceFen);
  quantity = quantity < lot.minBuy ? 0 : lot.minBuy + Math.floor((quantity - lot.minBuy) / lot.step) * lot.step;
  while (quantity >= lot.minBuy && cost(quantity) > cashFen) quantity -= lot.step;
  return quantity >= lot.minBuy ? quantity : 0;
}
