import { describe, expect, it } from 'vitest';
import type { TradingRules } from '@/api/trading';
import { checkTicket, estimateFees, maxBuyQuantity, withinLimits, type TicketContext, type TicketInput } from './ticket';

/** The server's answers (GET /api/trade/rules) the checks are driven by, as it gives them for 2024-06-17. */
const COSTS: TradingRules['costs'] = { commissionRate: 0.00025, minCommission: 5, stampDutyBuyRate: 0, stampDutySellRate: 0.0005, transferFeeRate: 0.00001, slippageBps: 0 };
const rulesOf = (over: Partial<TradingRules>): TradingRules => ({
  symbol: '600000.SH',
  board: 'main',
  tradable: true,
  day: '2024-06-17',
  st: false,
  lot: { minBuy: 100, step: 100, oddLotSellAll: true },
  prevClose: 10,
  prevCloseSource: 'quote',
  limitPct: 0.1,
  limitUp: 11,
  limitDown: 9,
  costs: COSTS,
  ...over,
});
const RULES: Record<string, TradingRules> = {
  '600000.SH': rulesOf({}),
  '300750.SZ': rulesOf({ symbol: '300750.SZ', board: 'chinext', limitPct: 0.2, limitUp: 12, limitDown: 8 }),
  '688001.SH': rulesOf({ symbol: '688001.SH', board: 'star', lot: { minBuy: 200, step: 1, oddLotSellAll: true }, limitPct: 0.2, limitUp: 12, limitDown: 8 }),
  '830799.BJ': rulesOf({ symbol: '830799.BJ', board: 'bse', lot: { minBuy: 100, step: 1, oddLotSellAll: true }, limitPct: 0.3, limitUp: 13, limitDown: 7 }),
  '000001.SH': rulesOf({ symbol: '000001.SH', board: 'index', tradable: false, lot: undefined, limitPct: null, limitUp: null, limitDown: null }),
};

const buy = (over: Partial<TicketInput> = {}): TicketInput => ({ symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100, limitPrice: null, ...over });
const context = (input: TicketInput, over: Partial<TicketContext> = {}): TicketContext => ({ lastPrice: 10, cash: 1_000_000, ...(RULES[input.symbol] ? { rules: RULES[input.symbol] } : {}), ...over });
const keys = (input: TicketInput, over: Partial<TicketContext> = {}) => checkTicket(input, context(input, over)).problems.map((p) => p.key);

describe('checkTicket: the rules', () => {
  it('claims nothing without the rules of this symbol: loading, unavailable, or another symbol’s', () => {
    expect(checkTicket(buy(), { lastPrice: 10, cash: 1_000_000 })).toEqual({ problems: [{ field: 'rules', key: 'rulesLoading' }] });
    expect(checkTicket(buy(), { rulesError: '找不到该证券' }).problems).toEqual([{ field: 'rules', key: 'rulesError', params: { message: '找不到该证券' } }]);
    expect(keys(buy(), { rules: RULES['688001.SH'] })).toEqual(['rulesLoading']);
  });

  it('refuses a bad symbol before anything, and what the rules say is not tradable', () => {
    expect(keys(buy({ symbol: '600000' }))).toEqual(['symbol']);
    expect(keys(buy({ symbol: '000001.SH' }))).toEqual(['notTradable']);
  });
});

describe('checkTicket: buys', () => {
  it('accepts whole lots on the main board and ChiNext', () => {
    expect(keys(buy({ quantity: 300 }))).toEqual([]);
    expect(keys(buy({ quantity: 150 }))).toEqual(['lotStep']);
    expect(keys(buy({ quantity: 50 }))).toEqual(['lotMin']);
    expect(keys(buy({ symbol: '300750.SZ', quantity: 250 }))).toEqual(['lotStep']);
  });

  it('STAR: at least 200, then by 1; BSE: at least 100, then by 1 — from the rules’ lot', () => {
    expect(keys(buy({ symbol: '688001.SH', quantity: 199 }))).toEqual(['lotMin']);
    expect(keys(buy({ symbol: '688001.SH', quantity: 201 }))).toEqual([]);
    expect(keys(buy({ symbol: '830799.BJ', quantity: 99 }))).toEqual(['lotMin']);
    expect(keys(buy({ symbol: '830799.BJ', quantity: 101 }))).toEqual([]);
  });

  it('refuses empty, zero and fractional quantities', () => {
    expect(keys(buy({ quantity: null }))).toEqual(['quantity']);
    expect(keys(buy({ quantity: 0 }))).toEqual(['quantity']);
    expect(keys(buy({ quantity: 100.5 }))).toEqual(['quantity']);
  });

  it('needs cash for the value plus the fees at the account’s rates', () => {
    // 1,000 × 10 = 10,000; commission 2.50 → the 5.00 minimum; transfer fee 0.001 % = 0.10 → 10,005.10
    const check = checkTicket(buy({ quantity: 1000 }), context(buy(), { cash: 10_005.1 }));
    expect(check).toMatchObject({ value: 10_000, fees: { commission: 5, stampDuty: 0, transferFee: 0.1, total: 5.1 }, total: 10_005.1, problems: [] });
    expect(keys(buy({ quantity: 1000 }), { cash: 10_005.09 })).toEqual(['cash']);
  });

  it('values a limit order at its limit, a market order at the last price', () => {
    expect(checkTicket(buy({ type: 'limit', limitPrice: 9.5 }), context(buy())).value).toBe(950);
    expect(keys(buy({ type: 'limit', limitPrice: null }))).toEqual(['price']);
    expect(keys(buy(), { lastPrice: undefined })).toEqual(['noPrice']);
  });
});

describe('checkTicket: the day’s price limits (the server’s 4402)', () => {
  const limit = (limitPrice: number, side: 'buy' | 'sell' = 'buy') => buy({ type: 'limit', limitPrice, side });

  it('a limit price at the limits is accepted, a fen beyond refused, with the limits to show', () => {
    expect(keys(limit(11))).toEqual([]);
    expect(keys(limit(9))).toEqual([]);
    const above = checkTicket(limit(11.01), context(buy()));
    expect(above.problems).toEqual([{ field: 'limitPrice', key: 'priceLimit', params: { down: '9.00', up: '11.00' } }]);
    expect(keys(limit(8.99))).toEqual(['priceLimit']);
    expect(keys(limit(8.99, 'sell'), { available: 100 })).toEqual(['priceLimit']);
  });

  it('compares in fen, as the server does (10.05 × 1.1 = 11.055 → 11.06 is inside)', () => {
    const rules = rulesOf({ prevClose: 10.05, limitUp: 11.06, limitDown: 9.05 });
    expect(withinLimits(11.06, rules)).toBe(true);
    expect(withinLimits(11.07, rules)).toBe(false);
    expect(withinLimits(0.1 + 8.95, rules)).toBe(true); // 9.049999… is the fen 9.05
  });

  it('no limit (IPO window, unknown previous close): any price; a market order is not price-checked', () => {
    const rules = rulesOf({ limitPct: null, limitUp: null, limitDown: null, prevClose: null });
    expect(keys(limit(50), { rules })).toEqual([]);
    expect(keys(buy(), { lastPrice: 11.5 })).toEqual([]);
  });
});

describe('checkTicket: sells (T+1)', () => {
  const sell = (quantity: number, symbol = '600000.SH') => buy({ side: 'sell', quantity, symbol });

  it('sells at most what is available today', () => {
    expect(keys(sell(200), { available: 100, held: 300 })).toEqual(['available']);
    expect(keys(sell(100), { available: 100, held: 300 })).toEqual([]);
    expect(keys(sell(100), {})).toEqual(['available']);
  });

  it('whole lots, or the odd remainder with any whole lots', () => {
    expect(keys(sell(120), { available: 350 })).toEqual(['sellLot']);
    for (const q of [50, 100, 150, 300, 350]) expect(keys(sell(q), { available: 350 })).toEqual([]);
  });

  it('STAR: at least 200 or the whole position', () => {
    expect(keys(sell(50, '688001.SH'), { available: 250 })).toEqual(['sellLot']);
    expect(keys(sell(210, '688001.SH'), { available: 250 })).toEqual([]);
    expect(keys(sell(150, '688001.SH'), { available: 150 })).toEqual([]);
  });

  it('does not ask for cash; the proceeds are net of commission, stamp duty and transfer fee', () => {
    // 1,000 × 10.5 = 10,500: commission 5.00 (minimum), stamp duty 0.05 % = 5.25, transfer 0.105 → 0.11
    const check = checkTicket(sell(1000), context(sell(1000), { lastPrice: 10.5, cash: 0, available: 1000 }));
    expect(check).toEqual({ problems: [], value: 10_500, fees: { commission: 5, stampDuty: 5.25, transferFee: 0.11, total: 10.36 }, total: 10_489.64 });
  });
});

describe('fees and the largest buy', () => {
  it('each component half-up to the fen on its own; commission has the rules’ minimum', () => {
    expect(estimateFees('buy', 0, COSTS).total).toBe(0);
    expect(estimateFees('buy', 1000, COSTS)).toEqual({ commission: 5, stampDuty: 0, transferFee: 0.01, total: 5.01 });
    expect(estimateFees('buy', 100_000, COSTS)).toEqual({ commission: 25, stampDuty: 0, transferFee: 1, total: 26 });
    // A 2022 day on a replay account: stamp duty 0.1 % on sells, transfer fee 0.002 %.
    expect(estimateFees('sell', 10_000, { ...COSTS, stampDutySellRate: 0.001, transferFeeRate: 0.00002 })).toEqual({ commission: 5, stampDuty: 10, transferFee: 0.2, total: 15.2 });
    // 0.025 % of 30,002 = 7.5005 → 7.50 (half-up on the exact value); of 30,020 = 7.505 → 7.51.
    expect(estimateFees('buy', 30_002, COSTS).commission).toBe(7.5);
    expect(estimateFees('buy', 30_020, COSTS).commission).toBe(7.51);
  });

  it('maxBuyQuantity fits value and fees in the cash, in the rules’ lots', () => {
    expect(maxBuyQuantity(RULES['600000.SH'], 10, 10_005.1)).toBe(1000);
    expect(maxBuyQuantity(RULES['600000.SH'], 10, 10_005.09)).toBe(900);
    expect(maxBuyQuantity(RULES['688001.SH'], 10, 2_100)).toBe(209);
    expect(maxBuyQuantity(RULES['600000.SH'], 10, 500)).toBe(0);
    expect(maxBuyQuantity(RULES['600000.SH'], undefined, 500)).toBe(0);
    expect(maxBuyQuantity(undefined, 10, 10_000)).toBe(0);
    expect(maxBuyQuantity(RULES['000001.SH'], 10, 10_000)).toBe(0);
  });
});
