/** Thin typed calls for the market module; each returns the envelope's `data`. */
import type { components, operations } from '@contracts/gen/api';
import { api, quietly, unwrap } from './client';

export type Instrument = components['schemas']['Instrument'];
export type Kline = components['schemas']['Kline'];
export type Period = components['schemas']['Period'];
export type Adjust = components['schemas']['Adjust'];
export type Quote = components['schemas']['Quote'];
export type MarketOverview = components['schemas']['MarketOverview'];
export type KlineQuery = operations['getKline']['parameters']['query'];

/** Options of a call: `signal` cancels it; `quiet` lists error codes the caller shows in place (no toast). */
export interface CallOptions {
  signal?: AbortSignal;
  quiet?: readonly number[];
}

function middleware(options: CallOptions) {
  return options.quiet ? [quietly(options.quiet)] : undefined;
}

/** Best matches for a code, pinyin initials (`pfyh`) or name. */
export function searchInstruments(q: string, limit = 20, options: CallOptions = {}): Promise<Instrument[]> {
  return unwrap(api.GET('/api/market/instruments/search', { params: { query: { q, limit } }, signal: options.signal, middleware: middleware(options) }));
}

export function getInstrument(symbol: string, options: CallOptions = {}): Promise<Instrument> {
  return unwrap(api.GET('/api/market/instruments/{symbol}', { params: { path: { symbol } }, signal: options.signal, middleware: middleware(options) }));
}

export function getKline(query: KlineQuery, options: CallOptions = {}): Promise<Kline> {
  return unwrap(api.GET('/api/market/kline', { params: { query }, signal: options.signal, middleware: middleware(options) }));
}

/** One quote per symbol that has one (live, else the cache's last close marked stale). */
export function getQuotes(symbols: readonly string[], options: CallOptions = {}): Promise<Quote[]> {
  return unwrap(
    api.GET('/api/market/quotes', { params: { query: { symbols: symbols.join(',') } }, signal: options.signal, middleware: middleware(options) }),
  );
}

export function getMarketOverview(): Promise<MarketOverview> {
  return unwrap(api.GET('/api/market/overview'));
}
