import { describe, expect, it } from 'vitest';
import { boardOf, checkTicket, estimateBuyFees, lotRule, maxBuyQuantity, type TicketInput } from './ticket';

const buy = (over: Partial<TicketInput> = {}): TicketInput => ({ symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100, limitPrice: null, ...over });
const keys = (input: TicketInput, context = {}) => checkTicket(input, { lastPrice: 10, cash: 1_000_000, ...context }).problems.map((p) => p.key);

describe('boardOf / lotRule', () => {
  it('classifies by exchange code range', () => {
    expect(boardOf('600000.SH')).toBe('main');
    expect(boardOf('000001.SZ')).toBe('main');
    expect(boardOf('300750.SZ')).toBe('chinext');
    expect(boardOf('688001.SH')).toBe('star');
    expect(boardOf('830799.BJ')).toBe('bse');
    expect(boardOf('000001.SH')).toBe('other'); // an index
    expect(boardOf('bogus')).toBe('other');
  });

  it('has the lots of each board', () => {
    expect(lotRule('main')).toEqual({ minBuy: 100, step: 100 });
    expect(lotRule('chinext')).toEqual({ minBuy: 100, step: 100 });
    expect(lotRule('star')).toEqual({ minBuy: 200, step: 1 });
    expect(lotRule('bse')).toEqual({ minBuy: 100, step: 1 });
  });
});

describe('checkTicket: buys', () => {
  it('accepts whole lots on the main board and ChiNext', () => {
    expect(keys(buy({ quantity: 300 }))).toEqual([]);
    expect(keys(buy({ quantity: 150 }))).toEqual(['lotStep']);
    expect(keys(buy({ quantity: 50 }))).toEqual(['lotMin']);
    expect(keys(buy({ symbol: '300750.SZ', quantity: 250 }))).toEqual(['lotStep']);
  });

  it('STAR: at least 200, then by 1; BSE: at least 100, then by 1', () => {
    expect(keys(buy({ symbol: '688001.SH', quantity: 199 }))).toEqual(['lotMin']);
    expect(keys(buy({ symbol: '688001.SH', quantity: 201 }))).toEqual([]);
    expect(keys(buy({ symbol: '830799.BJ', quantity: 99 }))).toEqual(['lotMin']);
    expect(keys(buy({ symbol: '830799.BJ', quantity: 101 }))).toEqual([]);
  });

  it('refuses empty, zero, fractional quantities and a bad symbol', () => {
    expect(keys(buy({ quantity: null }))).toEqual(['quantity']);
    expect(keys(buy({ quantity: 0 }))).toEqual(['quantity']);
    expect(keys(buy({ quantity: 100.5 }))).toEqual(['quantity']);
    expect(keys(buy({ symbol: '600000' }))).toEqual(['symbol']);
  });

  it('needs cash for the value plus the estimated fees', () => {
    // 1,000 × 10 = 10,000; fees 5 (minimum commission) + 0.10 transfer = 10,005.10
    const check = checkTicket(buy({ quantity: 1000 }), { lastPrice: 10, cash: 10_005.1 });
    expect(check).toMatchObject({ value: 10_000, fees: 5.1, total: 10_005.1, problems: [] });
    expect(keys(buy({ quantity: 1000 }), { cash: 10_005.09 })).toEqual(['cash']);
  });

  it('values a limit order at its limit, a market order at the last price', () => {
    expect(checkTicket(buy({ type: 'limit', limitPrice: 9.5 }), { lastPrice: 10 }).value).toBe(950);
    expect(keys(buy({ type: 'limit', limitPrice: null }))).toEqual(['price']);
    expect(keys(buy(), { lastPrice: undefined })).toEqual(['noPrice']);
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

  it('does not ask for cash', () => {
    expect(checkTicket(sell(100), { lastPrice: 10, cash: 0, available: 100 })).toEqual({ problems: [], value: 1000 });
  });
});

describe('fees and the largest buy', () => {
  it('commission has a 5 CNY minimum', () => {
    expect(estimateBuyFees(0)).toBe(0);
    expect(estimateBuyFees(1000)).toBe(5.01); // 5 + 0.01
    expect(estimateBuyFees(100_000)).toBe(26); // 25 + 1
  });

  it('maxBuyQuantity fits value and fees in the cash, in lots', () => {
    expect(maxBuyQuantity('600000.SH', 10, 10_005.1)).toBe(1000);
    expect(maxBuyQuantity('600000.SH', 10, 10_005.09)).toBe(900);
    expect(maxBuyQuantity('688001.SH', 10, 2_100)).toBe(209);
    expect(maxBuyQuantity('600000.SH', 10, 500)).toBe(0);
    expect(maxBuyQuantity('600000.SH', undefined, 500)).toBe(0);
  });
});
