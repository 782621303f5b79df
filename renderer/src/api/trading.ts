/**
 * Thin typed calls for paper trading (contracts/trading.yaml): accounts (live or replay quotes),
 * orders, fills, positions and statistics, and a symbol's trading rules on an account's day. Live changes arrive on `streamTrades` (`order`, `fill`)
 * through the SSE client.
 */
import type { components, operations } from '@contracts/gen/api';
import { api, quietly, unwrap } from './client';

type Schemas = components['schemas'];
export type AccountMode = Schemas['AccountMode'];
export type PaperAccount = Schemas['PaperAccount'];
export type NewPaperAccount = Schemas['NewPaperAccount'];
export type PaperOrder = Schemas['PaperOrder'];
export type NewPaperOrder = Schemas['NewPaperOrder'];
export type PaperFill = Schemas['PaperFill'];
export type PaperPosition = Schemas['PaperPosition'];
export type PaperStatistics = Schemas['PaperStatistics'];
export type OrderStatus = Schemas['OrderStatus'];
export type TradingRules = Schemas['TradingRules'];
export type TradingCosts = Schemas['TradingCosts'];
export type OrderQuery = NonNullable<operations['listPaperOrders']['parameters']['query']>;
export type FillQuery = NonNullable<operations['listPaperFills']['parameters']['query']>;

const path = (id: number) => ({ params: { path: { id } } });

export function listAccounts(): Promise<PaperAccount[]> {
  return unwrap(api.GET('/api/trade/accounts'));
}

export function createAccount(body: NewPaperAccount): Promise<PaperAccount> {
  return unwrap(api.POST('/api/trade/accounts', { body }));
}

export function getAccount(id: number): Promise<PaperAccount> {
  return unwrap(api.GET('/api/trade/accounts/{id}', path(id)));
}

/** Answers `data: null`: nothing to unwrap (a failure has already thrown in the client). */
export async function deleteAccount(id: number): Promise<void> {
  await api.DELETE('/api/trade/accounts/{id}', path(id));
}

export function resetAccount(id: number): Promise<PaperAccount> {
  return unwrap(api.POST('/api/trade/accounts/{id}/reset', path(id)));
}

export function listOrders(id: number, query: OrderQuery = {}): Promise<PaperOrder[]> {
  return unwrap(api.GET('/api/trade/accounts/{id}/orders', { params: { path: { id }, query } }));
}

/**
 * Places an order; a refusal throws its ApiError. `quiet` codes are not toasted (the ticket shows
 * them beside its fields instead).
 */
export function placeOrder(id: number, body: NewPaperOrder, options: { quiet?: readonly number[] } = {}): Promise<PaperOrder> {
  return unwrap(api.POST('/api/trade/accounts/{id}/orders', { ...path(id), body, middleware: options.quiet ? [quietly(options.quiet)] : undefined }));
}

export function cancelOrder(id: number, orderId: string): Promise<PaperOrder> {
  return unwrap(api.POST('/api/trade/accounts/{id}/orders/{orderId}/cancel', { params: { path: { id, orderId } } }));
}

export function listFills(id: number, query: FillQuery = {}): Promise<PaperFill[]> {
  return unwrap(api.GET('/api/trade/accounts/{id}/fills', { params: { path: { id }, query } }));
}

export function listPositions(id: number): Promise<PaperPosition[]> {
  return unwrap(api.GET('/api/trade/accounts/{id}/positions', path(id)));
}

export function getStatistics(id: number): Promise<PaperStatistics> {
  return unwrap(api.GET('/api/trade/accounts/{id}/statistics', path(id)));
}

/**
 * The symbol's lots, the day's limit prices and the cost rates on the account's trading day (the
 * server's clock without an account): what the order ticket checks with. `quiet` codes are not
 * toasted (the ticket shows them in place).
 */
export function getTradingRules(symbol: string, accountId?: number, options: { quiet?: readonly number[]; signal?: AbortSignal } = {}): Promise<TradingRules> {
  return unwrap(
    api.GET('/api/trade/rules', {
      params: { query: { symbol, ...(accountId !== undefined ? { accountId } : {}) } },
      middleware: options.quiet ? [quietly(options.quiet)] : undefined,
      ...(options.signal ? { signal: options.signal } : {}),
    }),
  );
}
