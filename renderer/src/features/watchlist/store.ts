/**
 * Watchlists: several ordered lists of symbols, owned by the server. Every change is sent at once
 * and the list the server answers with becomes the state (no local guesswork to reconcile). The
 * active tab is a preference of this machine (localStorage).
 */
import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import {
  addWatchlistItem,
  createWatchlist,
  deleteWatchlist,
  listWatchlists,
  removeWatchlistItem,
  updateWatchlist,
  type Watchlist,
} from '@/api/watchlists';

const ACTIVE_KEY = 'mystocks.watchlist.active';

export const useWatchlistStore = defineStore('watchlists', () => {
  const lists = ref<Watchlist[]>([]);
  const activeId = ref<number | null>(Number(localStorage.getItem(ACTIVE_KEY)) || null);
  const loaded = ref(false);
  const busy = ref(false);

  const active = computed(() => lists.value.find((l) => l.id === activeId.value) ?? lists.value[0] ?? null);
  watch(
    () => active.value?.id,
    (id) => {
      if (id !== undefined) localStorage.setItem(ACTIVE_KEY, String(id));
    },
  );

  function replace(list: Watchlist): Watchlist {
    const i = lists.value.findIndex((l) => l.id === list.id);
    if (i >= 0) lists.value.splice(i, 1, list);
    else lists.value.push(list);
    lists.value.sort((a, b) => a.position - b.position);
    return list;
  }

  async function run<T>(work: () => Promise<T>): Promise<T> {
    busy.value = true;
    try {
      return await work();
    } finally {
      busy.value = false;
    }
  }

  async function load(): Promise<void> {
    lists.value = (await listWatchlists()).sort((a, b) => a.position - b.position);
    loaded.value = true;
  }

  function select(id: number): void {
    activeId.value = id;
  }

  async function create(name: string, symbols?: string[]): Promise<Watchlist> {
    const list = await run(() => createWatchlist(name, symbols));
    replace(list);
    activeId.value = list.id;
    return list;
  }

  async function rename(id: number, name: string): Promise<void> {
    replace(await run(() => updateWatchlist(id, { name })));
  }

  async function remove(id: number): Promise<void> {
    await run(() => deleteWatchlist(id));
    lists.value = lists.value.filter((l) => l.id !== id);
    if (activeId.value === id) activeId.value = lists.value[0]?.id ?? null;
  }

  /**
   * Adds `symbol` to the active list (or `listId`); with no list at all, creates one named
   * `defaultName` holding it.
   */
  async function addSymbol(symbol: string, defaultName: string, listId = active.value?.id): Promise<void> {
    if (listId === undefined) {
      await create(defaultName, [symbol]);
      return;
    }
    if (lists.value.find((l) => l.id === listId)?.symbols.includes(symbol)) return;
    replace(await run(() => addWatchlistItem(listId, symbol)));
  }

  async function removeSymbol(symbol: string, listId = active.value?.id): Promise<void> {
    if (listId === undefined) return;
    replace(await run(() => removeWatchlistItem(listId, symbol)));
  }

  /** Moves `symbol` to `index` in its list (the whole order is sent: one request, no drift). */
  async function moveSymbol(symbol: string, index: number, listId = active.value?.id): Promise<void> {
    const list = lists.value.find((l) => l.id === listId);
    if (!list) return;
    const from = list.symbols.indexOf(symbol);
    const to = Math.max(0, Math.min(list.symbols.length - 1, index));
    if (from < 0 || from === to) return;
    const symbols = [...list.symbols];
    symbols.splice(from, 1);
    symbols.splice(to, 0, symbol);
    replace(await run(() => updateWatchlist(list.id, { symbols })));
  }

  /** Moves a whole list among the tabs. */
  async function moveList(id: number, position: number): Promise<void> {
    await run(() => updateWatchlist(id, { position }));
    await load(); // every other list's position changed too
  }

  return { lists, activeId, active, loaded, busy, load, select, create, rename, remove, addSymbol, removeSymbol, moveSymbol, moveList };
});
