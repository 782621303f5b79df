import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type * as tradingApi from '@/api/trading';
import {
  getAccount,
  getStatistics,
  listAccounts,
  listFills,
  listOrders,
  listPositions,
  placeOrder,
  type PaperAccount,
  type PaperFill,
  type PaperOrder,
  type PaperPosition,
  type PaperStatistics,
} from '@/api/trading';
import type { Quote } from '@/api/market';
import { useQuoteStore } from '@/features/market/quote-store';
import { quoteFits, REFRESH_DELAY_MS, useTradingStore, valuePosition } from './store';

vi.mock('@/api/trading', async (original) => ({
  ...(await original<typeof tradingApi>()),
  listAccounts: vi.fn(),
  getAccount: vi.fn(),
  listOrders: vi.fn(),
  listFills: vi.fn(),
  listPositions: vi.fn(),
  getStatistics: vi.fn(),
  placeOrder: vi.fn(),
}));

const streams: { options: { on: { order: (o: PaperOrder) => void; fill: (f: PaperFill) => void } } }[] = [];
vi.mock('@/api/sse', () => ({
  EventStream: class {
    constructor(
      _name: string,
      readonly options: never,
    ) {
      streams.push(this as never);
    }
    start() {}
    close() {}
  },
}));

const account = (over: Partial<PaperAccount> = {}): PaperAccount => ({
  id: 1,
  name: 'A',
  mode: 'replay',
  slippageBps: 0,
  initialCash: 100_000,
  cash: 98_000,
  marketValue: 2_000,
  equity: 100_000,
  pnlToday: 0,
  pnlTotal: 0,
  peakEquity: 100_000,
  createdAt: '2026-01-01T00:00:00Z',
  ...over,
});
const position = (over: Partial<PaperPosition> = {}): PaperPosition => ({
  symbol: '600000.SH',
  quantity: 200,
  available: 0,
  costBasis: 2_000,
  avgCost: 10,
  lastPrice: 10,
  marketValue: 2_000,
  unrealizedPnl: 0,
  realizedPnl: 0,
  ...over,
});
const order = (over: Partial<PaperOrder> = {}): PaperOrder => ({
  id: 'o1',
  accountId: 1,
  symbol: '600000.SH',
  side: 'buy',
  type: 'market',
  quantity: 100,
  status: 'open',
  filledQuantity: 0,
  day: '2025-06-02',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});
const fill = (over: Partial<PaperFill> = {}): PaperFill => ({
  id: 'f1',
  accountId: 1,
  orderId: 'o1',
  symbol: '600000.SH',
  side: 'buy',
  quantity: 100,
  price: 10,
  value: 1000,
  commission: 5,
  stampDuty: 0,
  transferFee: 0.01,
  cashFlow: -1005.01,
  day: '2025-06-02',
  time: '2025-06-02T15:00:00+08:00',
  ...over,
});
const quote = (over: Partial<Quote> = {}): Quote => ({
  symbol: '600000.SH',
  name: '浦发银行',
  price: 11,
  prevClose: 10,
  change: 1,
  changePercent: 10,
  time: '2025-06-03T15:00:00+08:00',
  source: 'replay',
  stale: false,
  ...over,
});
const stats = { orders: 1, fills: 1 } as PaperStatistics;

beforeEach(() => {
  setActivePinia(createPinia());
  localStorage.clear();
  streams.length = 0;
  vi.useRealTimers();
  vi.mocked(listAccounts).mockResolvedValue([account()]);
  vi.mocked(getAccount).mockResolvedValue(account());
  vi.mocked(listOrders).mockResolvedValue([]);
  vi.mocked(listFills).mockResolvedValue([]);
  vi.mocked(listPositions).mockResolvedValue([position()]);
  vi.mocked(getStatistics).mockResolvedValue(stats);
});

describe('valuation', () => {
  it('a replay account takes replayed quotes only, a live account anything else', () => {
    expect(quoteFits({ mode: 'replay' }, quote())).toBe(true);
    expect(quoteFits({ mode: 'replay' }, quote({ source: 'cache' }))).toBe(false);
    expect(quoteFits({ mode: 'live' }, quote())).toBe(false);
    expect(quoteFits({ mode: 'live' }, quote({ source: 'eastmoney' }))).toBe(true);
  });

  it('revalues a position at the quote: value, P&L and P&L % over the cost', () => {
    expect(valuePosition(position(), quote())).toMatchObject({ last: 11, liveValue: 2_200, pnl: 200, pnlPercent: 10 });
    expect(valuePosition(position(), undefined)).toMatchObject({ last: 10, liveValue: 2_000, pnl: 0 });
  });

  it('the account follows fitting quotes between fills', async () => {
    const store = useTradingStore();
    await store.load();
    expect(store.liveAccount?.equity).toBe(100_000);
    useQuoteStore().apply(quote({ source: 'cache' })); // not the replay's: ignored
    expect(store.liveAccount?.equity).toBe(100_000);
    useQuoteStore().apply(quote());
    expect(store.liveAccount).toMatchObject({ equity: 100_200, pnlTotal: 200, pnlToday: 200 });
  });
});

describe('the trades stream', () => {
  it("adds the selected account's orders and fills once, and refetches the summary once per burst", async () => {
    const store = useTradingStore();
    await store.load();
    store.connect();
    store.connect(); // idempotent
    expect(streams).toHaveLength(1);
    vi.useFakeTimers();
    vi.mocked(getAccount).mockClear();
    const on = streams[0]!.options.on;
    on.order(order());
    on.order(order({ status: 'filled', filledQuantity: 100, updatedAt: '2026-01-01T00:00:01Z' }));
    on.order(order({ id: 'o9', accountId: 2 })); // another account's
    on.fill(fill());
    on.fill(fill());
    expect(store.orders).toHaveLength(1);
    expect(store.orders[0]!.status).toBe('filled');
    expect(store.fills).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(REFRESH_DELAY_MS);
    expect(getAccount).toHaveBeenCalledTimes(1);
  });

  it('an older answer does not overwrite a newer event', async () => {
    const store = useTradingStore();
    await store.load();
    store.connect();
    streams[0]!.options.on.order(order({ status: 'filled', updatedAt: '2026-01-01T00:00:02Z' }));
    vi.mocked(placeOrder).mockResolvedValue(order({ updatedAt: '2026-01-01T00:00:00Z' }));
    await store.place({ symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    expect(store.orders.map((o) => o.status)).toEqual(['filled']);
  });
});

describe('selection', () => {
  it('remembers the selected account on this machine', async () => {
    vi.mocked(listAccounts).mockResolvedValue([account(), account({ id: 2, name: 'B' })]);
    const store = useTradingStore();
    await store.load();
    expect(store.account?.id).toBe(1);
    vi.mocked(getAccount).mockResolvedValue(account({ id: 2, name: 'B' }));
    await store.select(2);
    expect(store.account?.name).toBe('B');
    expect(localStorage.getItem('mystocks.trading.account')).toBe('2');
  });
});
