/**
 * Paper trading: the accounts, and the selected one's orders, fills, positions and statistics.
 * The server owns every number; this store keeps the last answers and follows `/api/stream/trades`
 * (`connect()`, once for the app, like the tasks store): an `order` event replaces the order, a
 * `fill` event adds the fill, and either refetches the account's cash, positions and statistics
 * (one coalesced refetch per burst: a replay at max speed fills many orders a second).
 *
 * Between fills, positions and equity follow the market: `livePositions` revalues each holding at
 * the quote store's price — only a quote of the account's own kind (a replay account's from the
 * replay, a live account's from anything else), as the server's matcher does.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { EventStream } from '@/api/sse';
import {
  cancelOrder,
  createAccount,
  deleteAccount,
  getAccount,
  getStatistics,
  listAccounts,
  listFills,
  listOrders,
  listPositions,
  placeOrder,
  resetAccount,
  type NewPaperAccount,
  type NewPaperOrder,
  type PaperAccount,
  type PaperFill,
  type PaperOrder,
  type PaperPosition,
  type PaperStatistics,
} from '@/api/trading';
import type { Quote } from '@/api/market';
import { useQuoteStore } from '@/features/market/quote-store';

const SELECTED_KEY = 'mystocks.trading.account';
/** Events of one burst share one refetch. */
export const REFRESH_DELAY_MS = 150;
/** Orders and fills kept on screen: the newest, as the tables show them. */
export const ROWS_KEPT = 500;

export interface LivePosition extends PaperPosition {
  last?: number;
  liveValue: number;
  pnl: number;
  /** P&L over the cost basis, percent; undefined for a zero cost. */
  pnlPercent?: number;
}

/** A quote that the account's matcher would use: replay accounts trade on replayed quotes only. */
export function quoteFits(account: Pick<PaperAccount, 'mode'> | null | undefined, quote: Quote | undefined): quote is Quote {
  if (!account || !quote) return false;
  return account.mode === 'replay' ? quote.source === 'replay' : quote.source !== 'replay';
}

export function valuePosition(position: PaperPosition, quote: Quote | undefined): LivePosition {
  const last = quote?.price ?? position.lastPrice;
  const liveValue = last === undefined ? position.marketValue : Math.round(last * position.quantity * 100) / 100;
  const pnl = Math.round((liveValue - position.costBasis) * 100) / 100;
  return { ...position, last, liveValue, pnl, pnlPercent: position.costBasis > 0 ? (pnl / position.costBasis) * 100 : undefined };
}

function upsertOrder(orders: PaperOrder[], order: PaperOrder): PaperOrder[] {
  const i = orders.findIndex((o) => o.id === order.id);
  if (i >= 0) {
    // Events come once and in order, but a REST answer may land after a newer event.
    if (orders[i]!.updatedAt > order.updatedAt) return orders;
    const next = [...orders];
    next[i] = order;
    return next;
  }
  return [order, ...orders].slice(0, ROWS_KEPT);
}

export const useTradingStore = defineStore('trading', () => {
  const quotes = useQuoteStore();
  const accounts = ref<PaperAccount[]>([]);
  const loaded = ref(false);
  const selectedId = ref<number | null>(Number(localStorage.getItem(SELECTED_KEY)) || null);
  const orders = shallowRef<PaperOrder[]>([]);
  const fills = shallowRef<PaperFill[]>([]);
  const positions = shallowRef<PaperPosition[]>([]);
  const statistics = shallowRef<PaperStatistics | null>(null);
  const streamOpen = ref(false);
  let stream: EventStream<'streamTrades'> | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;

  const account = computed(() => accounts.value.find((a) => a.id === selectedId.value) ?? accounts.value[0] ?? null);

  const livePositions = computed<LivePosition[]>(() =>
    positions.value.map((p) => {
      const quote = quotes.quotes[p.symbol];
      return valuePosition(p, quoteFits(account.value, quote) ? quote : undefined);
    }),
  );

  /** Equity and P&L with the positions revalued at the latest fitting quotes. */
  const liveAccount = computed(() => {
    const a = account.value;
    if (!a) return null;
    const marketValue = livePositions.value.reduce((sum, p) => sum + p.liveValue, 0);
    // Positions not loaded yet: the server's own figures stand.
    if (positions.value.length === 0 && a.marketValue !== 0) return a;
    const equity = Math.round((a.cash + marketValue) * 100) / 100;
    // The server's peak is as of its last quote; a live price above it is a new peak already.
    const peakEquity = Math.max(a.peakEquity, equity);
    return { ...a, marketValue, equity, peakEquity, pnlToday: a.pnlToday + (equity - a.equity), pnlTotal: Math.round((equity - a.initialCash) * 100) / 100 };
  });

  const symbols = computed(() => positions.value.map((p) => p.symbol));

  function replaceAccount(next: PaperAccount): void {
    const i = accounts.value.findIndex((a) => a.id === next.id);
    if (i >= 0) accounts.value.splice(i, 1, next);
    else accounts.value.push(next);
  }

  async function load(): Promise<void> {
    accounts.value = await listAccounts();
    loaded.value = true;
    if (account.value) await loadAccount();
  }

  /** Everything of the selected account, at once. */
  async function loadAccount(): Promise<void> {
    const id = account.value?.id;
    if (id === undefined) {
      orders.value = [];
      fills.value = [];
      positions.value = [];
      statistics.value = null;
      return;
    }
    const [a, o, f, p, s] = await Promise.all([getAccount(id), listOrders(id), listFills(id), listPositions(id), getStatistics(id)]);
    if (account.value?.id !== id) return; // switched meanwhile
    replaceAccount(a);
    orders.value = o.slice(0, ROWS_KEPT);
    fills.value = f.slice(0, ROWS_KEPT);
    positions.value = p;
    statistics.value = s;
  }

  /** Cash, positions and statistics after a change (orders and fills come from the events). */
  async function refreshSummary(): Promise<void> {
    const id = account.value?.id;
    if (id === undefined) return;
    const [a, p, s] = await Promise.all([getAccount(id), listPositions(id), getStatistics(id)]);
    if (account.value?.id !== id) return;
    replaceAccount(a);
    positions.value = p;
    statistics.value = s;
  }

  function scheduleRefresh(): void {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void refreshSummary().catch(() => undefined), REFRESH_DELAY_MS);
  }

  async function select(id: number): Promise<void> {
    selectedId.value = id;
    localStorage.setItem(SELECTED_KEY, String(id));
    await loadAccount();
  }

  function applyOrder(order: PaperOrder): void {
    if (order.accountId !== account.value?.id) return;
    orders.value = upsertOrder(orders.value, order);
    scheduleRefresh();
  }

  function applyFill(fill: PaperFill): void {
    if (fill.accountId !== account.value?.id) return;
    if (fills.value.some((f) => f.id === fill.id)) return;
    fills.value = [fill, ...fills.value].slice(0, ROWS_KEPT);
    scheduleRefresh();
  }

  /** Follows the trades stream (idempotent); a fresh connection or a reset reloads. */
  function connect(): void {
    if (stream) return;
    stream = new EventStream('streamTrades', {
      on: {
        order: (order) => applyOrder(order),
        fill: (fill) => applyFill(fill),
        reset: () => void load().catch(() => undefined),
      },
      onOpen: ({ resumed }) => {
        streamOpen.value = true;
        if (!resumed && loaded.value) void load().catch(() => undefined);
      },
    });
    stream.start();
  }

  function disconnect(): void {
    stream?.close();
    stream = null;
    streamOpen.value = false;
  }

  async function create(body: NewPaperAccount): Promise<PaperAccount> {
    const created = await createAccount(body);
    replaceAccount(created);
    await select(created.id);
    return created;
  }

  async function reset(id: number): Promise<void> {
    replaceAccount(await resetAccount(id));
    if (id === account.value?.id) await loadAccount();
  }

  async function remove(id: number): Promise<void> {
    await deleteAccount(id);
    accounts.value = accounts.value.filter((a) => a.id !== id);
    if (selectedId.value === id) selectedId.value = accounts.value[0]?.id ?? null;
    await loadAccount();
  }

  async function place(body: NewPaperOrder, quiet?: readonly number[]): Promise<PaperOrder> {
    const id = account.value?.id;
    if (id === undefined) throw new Error('no account');
    const order = await placeOrder(id, body, { quiet });
    orders.value = upsertOrder(orders.value, order);
    scheduleRefresh();
    return order;
  }

  async function cancel(orderId: string): Promise<void> {
    const id = account.value?.id;
    if (id === undefined) return;
    orders.value = upsertOrder(orders.value, await cancelOrder(id, orderId));
    scheduleRefresh();
  }

  return {
    accounts,
    loaded,
    selectedId,
    account,
    liveAccount,
    orders,
    fills,
    positions,
    livePositions,
    statistics,
    symbols,
    streamOpen,
    load,
    loadAccount,
    scheduleRefresh,
    select,
    connect,
    disconnect,
    applyOrder,
    applyFill,
    create,
    reset,
    remove,
    place,
    cancel,
  };
});
