import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type * as ElementPlusModule from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import type * as tradingApi from '@/api/trading';
import { placeOrder, type PaperAccount, type PaperOrder } from '@/api/trading';
import { i18n } from '@/plugins/i18n';
import { useQuoteStore } from '@/features/market/quote-store';
import { useTradingStore } from '../store';
import OrderTicket from './OrderTicket.vue';

vi.mock('element-plus', async (original) => ({ ...(await original<typeof ElementPlusModule>()), ElMessage: vi.fn() }));
vi.mock('@/api/market', () => ({ searchInstruments: vi.fn(async () => []), getQuotes: vi.fn(async () => []), getInstrument: vi.fn() }));
vi.mock('@/api/trading', async (original) => ({
  ...(await original<typeof tradingApi>()),
  placeOrder: vi.fn(),
  getAccount: vi.fn(() => new Promise(() => undefined)),
  listPositions: vi.fn(() => new Promise(() => undefined)),
  getStatistics: vi.fn(() => new Promise(() => undefined)),
}));

const account: PaperAccount = {
  id: 1,
  name: 'A',
  mode: 'replay',
  slippageBps: 0,
  initialCash: 100_000,
  cash: 100_000,
  marketValue: 0,
  equity: 100_000,
  pnlToday: 0,
  pnlTotal: 0,
  createdAt: '2026-01-01T00:00:00Z',
};

let wrapper: VueWrapper | undefined;

function mountTicket(): VueWrapper {
  const pinia = createPinia();
  setActivePinia(pinia);
  useTradingStore().accounts = [account];
  useQuoteStore().apply({ symbol: '600000.SH', name: '浦发银行', price: 10, prevClose: 10, change: 0, changePercent: 0, time: '', source: 'replay', stale: false });
  wrapper = mount(OrderTicket, {
    props: { symbol: '600000.SH' },
    global: { plugins: [pinia, i18n, ElementPlus] },
    attachTo: document.body,
  });
  return wrapper;
}

const quantityInput = (w: VueWrapper) => w.get('[data-testid="ticket-quantity"] input');

beforeEach(() => vi.mocked(placeOrder).mockReset());
afterEach(() => wrapper?.unmount());

describe('OrderTicket', { timeout: 20_000 }, () => {
  it('Enter in the quantity places a market buy of what was typed', async () => {
    vi.mocked(placeOrder).mockResolvedValue({ id: 'o1', quantity: 300, symbol: '600000.SH' } as PaperOrder);
    const w = mountTicket();
    await quantityInput(w).setValue('300');
    await quantityInput(w).trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(placeOrder).toHaveBeenCalledWith(1, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 300 }, expect.anything());
  });

  it('an odd lot is refused as it is typed and never sent', async () => {
    const w = mountTicket();
    await quantityInput(w).setValue('50');
    await quantityInput(w).trigger('input');
    await w.get('[data-testid="ticket-submit"]').trigger('click');
    await flushPromises();
    expect(w.get('[data-testid="ticket-problem"]').text()).toBe('买入至少 100 股');
    expect(placeOrder).not.toHaveBeenCalled();
  });
});
