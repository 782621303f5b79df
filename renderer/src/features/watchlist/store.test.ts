import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import {
  addWatchlistItem,
  createWatchlist,
  deleteWatchlist,
  listWatchlists,
  removeWatchlistItem,
  updateWatchlist,
  type Watchlist,
} from '@/api/watchlists';
import { useWatchlistStore } from './store';

vi.mock('@/api/watchlists', () => ({
  listWatchlists: vi.fn(),
  createWatchlist: vi.fn(),
  updateWatchlist: vi.fn(),
  deleteWatchlist: vi.fn(),
  addWatchlistItem: vi.fn(),
  removeWatchlistItem: vi.fn(),
}));

/** A tiny in-memory server with the API's semantics, behind the stubbed client. */
let server: Watchlist[];
let nextId: number;
const now = '2026-01-02T03:04:05.000Z';
const find = (id: number) => {
  const list = server.find((l) => l.id === id);
  if (!list) throw new Error(`no watchlist ${id}`);
  return list;
};
const copy = (l: Watchlist): Watchlist => structuredClone(l);

beforeEach(() => {
  localStorage.clear();
  setActivePinia(createPinia());
  server = [
    { id: 1, name: '银行', position: 0, symbols: ['600000.SH', '000001.SZ', '601009.SH'], updatedAt: now },
    { id: 2, name: '指数', position: 1, symbols: ['000001.SH'], updatedAt: now },
  ];
  nextId = 3;
  vi.mocked(listWatchlists).mockImplementation(async () => server.map(copy));
  vi.mocked(createWatchlist).mockImplementation(async (name, symbols) => {
    const list = { id: nextId++, name, position: server.length, symbols: symbols ?? [], updatedAt: now };
    server.push(list);
    return copy(list);
  });
  vi.mocked(updateWatchlist).mockImplementation(async (id, patch) => {
    const list = find(id);
    if (patch.name) list.name = patch.name;
    if (patch.symbols) list.symbols = [...patch.symbols];
    if (patch.position !== undefined) {
      server = server.filter((l) => l !== list);
      server.splice(patch.position, 0, list);
      server.forEach((l, i) => (l.position = i));
    }
    return copy(list);
  });
  vi.mocked(deleteWatchlist).mockImplementation(async (id) => {
    server = server.filter((l) => l.id !== id);
  });
  vi.mocked(addWatchlistItem).mockImplementation(async (id, symbol) => {
    const list = find(id);
    list.symbols = [...list.symbols.filter((s) => s !== symbol), symbol];
    return copy(list);
  });
  vi.mocked(removeWatchlistItem).mockImplementation(async (id, symbol) => {
    const list = find(id);
    list.symbols = list.symbols.filter((s) => s !== symbol);
    return copy(list);
  });
});

describe('watchlist store', () => {
  it('loads the lists in order; the first is active until another is chosen (and remembered)', async () => {
    const store = useWatchlistStore();
    await store.load();
    expect(store.lists.map((l) => l.name)).toEqual(['银行', '指数']);
    expect(store.active?.id).toBe(1);
    store.select(2);
    expect(store.active?.name).toBe('指数');
    await Promise.resolve();
    expect(localStorage.getItem('mystocks.watchlist.active')).toBe('2');
  });

  it('adds the symbol to the active list once, and removes it', async () => {
    const store = useWatchlistStore();
    await store.load();
    await store.addSymbol('600036.SH', '自选股');
    expect(store.active?.symbols).toEqual(['600000.SH', '000001.SZ', '601009.SH', '600036.SH']);
    await store.addSymbol('600036.SH', '自选股'); // already there: no request
    expect(addWatchlistItem).toHaveBeenCalledTimes(1);
    await store.removeSymbol('000001.SZ');
    expect(removeWatchlistItem).toHaveBeenCalledWith(1, '000001.SZ');
    expect(store.active?.symbols).toEqual(['600000.SH', '601009.SH', '600036.SH']);
  });

  it('with no list yet, adding a symbol creates a list holding it', async () => {
    server = [];
    const store = useWatchlistStore();
    await store.load();
    expect(store.active).toBeNull();
    await store.addSymbol('600000.SH', '自选股');
    expect(createWatchlist).toHaveBeenCalledWith('自选股', ['600000.SH']);
    expect(store.active).toMatchObject({ name: '自选股', symbols: ['600000.SH'] });
  });

  it('moves a symbol by sending the whole new order, and ignores moves that change nothing', async () => {
    const store = useWatchlistStore();
    await store.load();
    await store.moveSymbol('601009.SH', 0);
    expect(updateWatchlist).toHaveBeenLastCalledWith(1, { symbols: ['601009.SH', '600000.SH', '000001.SZ'] });
    expect(store.active?.symbols).toEqual(['601009.SH', '600000.SH', '000001.SZ']);
    await store.moveSymbol('000001.SZ', 99); // clamped to the end: already there
    await store.moveSymbol('nope', 0);
    expect(updateWatchlist).toHaveBeenCalledTimes(1);
    await store.moveSymbol('601009.SH', 1);
    expect(store.active?.symbols).toEqual(['600000.SH', '601009.SH', '000001.SZ']);
  });

  it('creates (and activates), renames, moves and deletes lists', async () => {
    const store = useWatchlistStore();
    await store.load();
    const list = await store.create('科创');
    expect(store.active?.id).toBe(list.id);
    expect(store.lists.map((l) => l.name)).toEqual(['银行', '指数', '科创']);

    await store.rename(list.id, '科创板');
    expect(store.lists.find((l) => l.id === list.id)?.name).toBe('科创板');

    await store.moveList(list.id, 0);
    expect(store.lists.map((l) => l.name)).toEqual(['科创板', '银行', '指数']);

    await store.remove(list.id);
    expect(store.lists.map((l) => l.name)).toEqual(['银行', '指数']);
    expect(store.active?.id).toBe(1); // the deleted one was active: the first takes over
  });

  it('keeps its state when a request fails (the client has shown the error)', async () => {
    const store = useWatchlistStore();
    await store.load();
    vi.mocked(removeWatchlistItem).mockRejectedValueOnce(new Error('offline'));
    await expect(store.removeSymbol('600000.SH')).rejects.toThrow('offline');
    expect(store.active?.symbols).toContain('600000.SH');
    expect(store.busy).toBe(false);
  });
});
