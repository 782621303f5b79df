/** Thin typed calls for the watchlists module; every change answers with the list after it. */
import type { components, operations } from '@contracts/gen/api';
import { api, unwrap } from './client';

export type Watchlist = components['schemas']['Watchlist'];
export type WatchlistPatch = operations['updateWatchlist']['requestBody']['content']['application/json'];

export function listWatchlists(): Promise<Watchlist[]> {
  return unwrap(api.GET('/api/watchlists'));
}

export function createWatchlist(name: string, symbols?: string[]): Promise<Watchlist> {
  return unwrap(api.POST('/api/watchlists', { body: symbols ? { name, symbols } : { name } }));
}

/** Rename, move among the lists, or replace the ordered symbols. */
export function updateWatchlist(id: number, patch: WatchlistPatch): Promise<Watchlist> {
  return unwrap(api.PATCH('/api/watchlists/{id}', { params: { path: { id } }, body: patch }));
}

export async function deleteWatchlist(id: number): Promise<void> {
  const { response } = await api.DELETE('/api/watchlists/{id}', { params: { path: { id } } });
  void response; // errors have been thrown by the client middleware
}

/** Adds `symbol` at the end (or at `position`); a symbol already in the list moves there. */
export function addWatchlistItem(id: number, symbol: string, position?: number): Promise<Watchlist> {
  return unwrap(
    api.POST('/api/watchlists/{id}/items', { params: { path: { id } }, body: position === undefined ? { symbol } : { symbol, position } }),
  );
}

export function removeWatchlistItem(id: number, symbol: string): Promise<Watchlist> {
  return unwrap(api.DELETE('/api/watchlists/{id}/items/{symbol}', { params: { path: { id, symbol } } }));
}
