import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import ElementPlus from 'element-plus';
import type * as ElementPlusModule from 'element-plus';
import { createPinia, setActivePinia } from 'pinia';
import type * as tradingApi from '@/api/trading';
import { getTradingRules, placeOrder, type PaperAccount, type PaperOrder, type TradingRules } from '@/api/trading';
import { i18n } from '@/plugins/i18n';
import { useQuoteStore } from '@/features/market/quote-store';
import { clearRulesCache, RULES_DEBOUNCE_MS } from '../rules';
import { useTradingStore } from '../store';
import OrderTicket from './OrderTicket.vue';

vi.mock('element-plus', async (original) => ({ ...(await original<typeof ElementPlusModule>()), ElMessage: vi.fn() }));
vi.mock('@/api/market', () => ({ searchInstruments: vi.fn(async () => []), getQuotes: vi.fn(async () => []), getInstrument: vi.fn() }));
vi.mock('@/api/trading', async (original) => ({
  ...(await original<typeof tradingApi>()),
  placeOrder: vi.fn(),
  getTradingRules: vi.fn(),
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
  peakEquity: 100_000,
  createdAt: '2026-01-01T00:00:00Z',
};

/** The server's rules for 600000.SH on the replay account's day (GET /api/trade/rules). */
const rules: TradingRules = {
  symbol: '600000.SH',
  name: '浦发银行',
  accountId: 1,
  board: 'main',
  tradable: true,
  day: '2025-06-03',
  st: false,
  lot: { minBuy: 100, step: 100, oddLotSellAll: true },
  prevClose: 10,
  prevCloseSource: 'quote',
  limitPct: 0.1,
  limitUp: 11,
  limitDown: 9,
  costs: { commissionRate: 0.00025, minCommission: 5, stampDutyBuyRate: 0, stampDutySellRate: 0.0005, transferFeeRate: 0.00001, slippageBps: 0 },
};

let wrapper: VueWrapper | undefined;

function mountTicket(): VueWrapper {
  const pinia = createPinia();
  setActivePinia(pinia);
  useTradingStore().accounts = [account];
  useQuoteStore().apply({ symbol: '600000.SH', name: '浦发银行', price: 10, prevClose: 10, change: 0, changePercent: 0, time: '2025-06-02T15:00:00+08:00', source: 'replay', stale: false });
  wrapper = mount(OrderTicket, {
    props: { symbol: '600000.SH' },
    global: { plugins: [pinia, i18n, ElementPlus] },
    attachTo: document.body,
  });
  return wrapper;
}

const quantityInput = (w: VueWrapper) => w.get('[data-testid="ticket-quantity"] input');
/** Past the debounce, and the answer in. */
async function rulesLoaded(): Promise<void> {
  await new Promise((r) => setTimeout(r, RULES_DEBOUNCE_MS + 20));
  await flushPromises();
}

beforeEach(() => {
  clearRulesCache();
  vi.mocked(placeOrder).mockReset();
  vi.mocked(getTradingRules).mockReset();
  vi.mocked(getTradingRules).mockResolvedValue(rules);
});
afterEach(() => wrapper?.unmount());

describe('OrderTicket', { timeout: 20_000 }, () => {
  it('Enter in the quantity places a market buy of what was typed', async () => {
    vi.mocked(placeOrder).mockResolvedValue({ id: 'o1', quantity: 300, symbol: '600000.SH' } as PaperOrder);
    const w = mountTicket();
    await rulesLoaded();
    await quantityInput(w).setValue('300');
    await quantityInput(w).trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(placeOrder).toHaveBeenCalledWith(1, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 300 }, expect.anything());
  });

  it('an odd lot is refused as it is typed and never sent', async () => {
    const w = mountTicket();
    await rulesLoaded();
    await quantityInput(w).setValue('50');
    await quantityInput(w).trigger('input');
    await w.get('[data-testid="ticket-submit"]').trigger('click');
    await flushPromises();
    expect(w.get('[data-testid="ticket-problem"]').text()).toBe('买入至少 100 股');
    expect(placeOrder).not.toHaveBeenCalled();
  });

  it('fetches the rules for the symbol and account, shows the day’s limits and the fee estimate', async () => {
    const w = mountTicket();
    await rulesLoaded();
    expect(getTradingRules).toHaveBeenCalledTimes(1);
    expect(getTradingRules).toHaveBeenCalledWith('600000.SH', 1, expect.anything());
    expect(w.get('[data-testid="ticket-limit-up"]').text()).toBe('11.00');
    expect(w.get('[data-testid="ticket-limit-down"]').text()).toBe('9.00');
    await quantityInput(w).setValue('1000');
    // 10,000: commission 5.00 (minimum) + transfer fee 0.10.
    expect(w.get('[data-testid="ticket-fees"]').text()).toBe('5.10');
    expect(w.get('[data-testid="ticket-fee-breakdown"]').text()).toContain('佣金 5.00');
  });

  it('refuses a limit price beyond limit-up as it is typed, with the limits, and never sends it', async () => {
    const w = mountTicket();
    await rulesLoaded();
    await w.get('[data-testid="ticket-limit"] input').setValue(true);
    await flushPromises();
    const price = w.get('[data-testid="ticket-price"] input');
    await price.setValue('11.01');
    await price.trigger('change');
    await flushPromises();
    expect(w.get('[data-testid="ticket-price-problem"]').text()).toBe('限价超出当日涨跌停：须在 9.00 至 11.00 之间');
    await quantityInput(w).trigger('keydown', { key: 'Enter' });
    await flushPromises();
    expect(placeOrder).not.toHaveBeenCalled();
    await price.setValue('11');
    await price.trigger('change');
    await flushPromises();
    expect(w.find('[data-testid="ticket-price-problem"]').exists()).toBe(false);
  });

  it('Enter while the rules load waits for them and checks first: an odd lot is then refused, whole lots sent', async () => {
    vi.mocked(placeOrder).mockResolvedValue({ id: 'o1', quantity: 100, symbol: '600000.SH' } as PaperOrder);
    let answer: (r: TradingRules) => void = () => undefined;
    vi.mocked(getTradingRules).mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const w = mountTicket();
    await quantityInput(w).setValue('50');
    await quantityInput(w).trigger('keydown', { key: 'Enter' });
    await rulesLoaded();
    expect(w.find('[data-testid="ticket-rules-loading"]').exists()).toBe(true);
    expect(placeOrder).not.toHaveBeenCalled();
    answer(rules);
    await flushPromises();
    expect(w.get('[data-testid="ticket-problem"]').text()).toBe('买入至少 100 股');
    expect(placeOrder).not.toHaveBeenCalled();

    // A new replayed day: the rules load again, and Enter waits for them before it sends.
    vi.mocked(getTradingRules).mockReturnValue(new Promise((resolve) => (answer = resolve)));
    useQuoteStore().apply({ symbol: '600000.SH', name: '浦发银行', price: 10.2, prevClose: 10, change: 0.2, changePercent: 2, time: '2025-06-03T15:00:00+08:00', source: 'replay', stale: false });
    await flushPromises();
    await quantityInput(w).setValue('100');
    await quantityInput(w).trigger('keydown', { key: 'Enter' });
    await rulesLoaded();
    expect(placeOrder).not.toHaveBeenCalled();
    answer({ ...rules, day: '2025-06-04' });
    await flushPromises();
    expect(placeOrder).toHaveBeenCalledWith(1, { symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 }, expect.anything());
  });

  it('a new replayed day fetches the rules again, the same day does not', async () => {
    const w = mountTicket();
    await rulesLoaded();
    expect(getTradingRules).toHaveBeenCalledTimes(1);
    const quotes = useQuoteStore();
    quotes.apply({ symbol: '600000.SH', name: '浦发银行', price: 10.2, prevClose: 10, change: 0.2, changePercent: 2, time: '2025-06-03T15:00:00+08:00', source: 'replay', stale: false });
    await rulesLoaded();
    expect(getTradingRules).toHaveBeenCalledTimes(2);
    expect(w.find('[data-testid="ticket-limit-up"]').exists()).toBe(true);
    // Another quote of the same day and previous close: the cached rules stand.
    quotes.apply({ symbol: '600000.SH', name: '浦发银行', price: 10.3, prevClose: 10, change: 0.3, changePercent: 3, time: '2025-06-03T15:00:00+08:00', source: 'replay', stale: false });
    await rulesLoaded();
    expect(getTradingRules).toHaveBeenCalledTimes(2);
  });
});
