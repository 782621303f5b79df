import { describe, expect, it } from 'vitest';
import { parseTimeString } from '../bars/time';
import { feeTotals } from './ledger';
import type { MatchBar } from './matcher';
import { Portfolio } from './portfolio';
import { averageCostFen } from './positions';

const d = (date: string) => parseTimeString(date)!;
const flat = (price: number, volume = 1_000_000): MatchBar => ({ open: price, high: price, low: price, close: price, volume });
const SYM = '600519.SH';

describe('portfolio: a buy → sell round trip (next-open)', () => {
  it('fills, charges each fee, keeps T+1 and reconciles', () => {
    const p = new Portfolio({ initialCashFen: 100_000_000 }); // 1 000 000 CNY
    p.startDay(d('2024-03-01'));
    expect(p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100, refPrice: 1700 })).toEqual({ type: 'OrderAccepted', orderId: 'o1', day: d('2024-03-01') });
    p.endDay(); // submitted after today's bar: survives to the next day

    p.startDay(d('2024-03-04'));
    const [filled] = p.processBar(SYM, { bar: flat(1700.5) });
    expect(filled).toMatchObject({ type: 'OrderFilled', orderId: 'o1', remaining: 0 });
    const buy = p.fills[0]!;
    // 100 × 1 700.50 = 170 050 CNY: commission 42.51 (42.5125), transfer 1.70 (1.7005), no stamp duty
    expect(buy).toMatchObject({ quantity: 100, priceFen: 170_050, valueFen: 17_005_000, commissionFen: 4_251, stampDutyFen: 0, transferFeeFen: 170 });
    expect(buy.cashFen).toBe(-17_009_421);
    expect(p.cashFen).toBe(100_000_000 - 17_009_421);
    expect(p.position(SYM)).toMatchObject({ quantity: 100, available: 0, costFen: 17_009_421 });
    expect(averageCostFen(p.position(SYM)!)).toBeCloseTo(170_094.21, 6);

    // T+1: not sellable today. With next-open an order submitted now first meets tomorrow's bar,
    // when today's buy has settled, so it is taken (an overnight order); the fill is what T+1 bars.
    expect(p.submit({ symbol: SYM, side: 'sell', type: 'market', quantity: 100 })).toMatchObject({ type: 'OrderAccepted', orderId: 'o2' });
    expect(p.submit({ symbol: SYM, side: 'sell', type: 'market', quantity: 200 })).toMatchObject({ type: 'OrderRejected', reason: 'insufficient-position' });
    expect(p.cancel('o2')).toMatchObject({ type: 'OrderCancelled', orderId: 'o2' });
    p.endDay();

    p.startDay(d('2024-03-05'));
    expect(p.position(SYM)!.available).toBe(100);
    p.processBar(SYM, { bar: flat(1690) });
    expect(p.submit({ symbol: SYM, side: 'sell', type: 'market', quantity: 100 })).toMatchObject({ type: 'OrderAccepted', orderId: 'o4' });
    p.endDay();
    p.startDay(d('2024-03-06'));
    p.processBar(SYM, { bar: flat(1800) });
    const sell = p.fills[1]!;
    // 180 000 CNY: commission 45.00, stamp duty 0.05 % = 90.00, transfer 1.80
    expect(sell).toMatchObject({ side: 'sell', valueFen: 18_000_000, commissionFen: 4_500, stampDutyFen: 9_000, transferFeeFen: 180, cashFen: 17_986_320 });
    expect(p.position(SYM)).toMatchObject({ quantity: 0, available: 0, costFen: 0, realizedPnlFen: 17_986_320 - 17_009_421 });
    expect(p.cashFen).toBe(100_000_000 - 17_009_421 + 17_986_320);
    expect(p.reconciles()).toBe(true);
    expect(feeTotals(p.ledger)).toEqual({ commissionFen: 8_751, stampDutyFen: 9_000, transferFeeFen: 350 });
    expect(p.positions()).toEqual([]);
  });
});

describe('portfolio: rejections are never resized', () => {
  const day = d('2024-03-01');
  const fresh = (cash = 1_000_000) => {
    const p = new Portfolio({ initialCashFen: cash });
    p.startDay(day);
    return p;
  };

  it.each([
    [{ symbol: SYM, side: 'buy', type: 'market', quantity: 150 }, 'lot-size'],
    [{ symbol: '688001.SH', side: 'buy', type: 'market', quantity: 199 }, 'lot-size'],
    [{ symbol: '000300.SH', side: 'buy', type: 'market', quantity: 100 }, 'not-tradable'],
    [{ symbol: 'XYZ', side: 'buy', type: 'market', quantity: 100 }, 'invalid-order'],
    [{ symbol: SYM, side: 'buy', type: 'limit', quantity: 100 }, 'invalid-order'],
    [{ symbol: SYM, side: 'buy', type: 'limit', quantity: 100, limitPrice: -1 }, 'invalid-order'],
    [{ symbol: SYM, side: 'buy', type: 'market', quantity: 0 }, 'invalid-order'],
    [{ symbol: SYM, side: 'buy', type: 'limit', quantity: 100, limitPrice: 100 }, 'insufficient-cash'], // 10 000 CNY > 10 000 − fees
    [{ symbol: SYM, side: 'sell', type: 'market', quantity: 100 }, 'insufficient-position'],
  ] as const)('%o → %s', (cmd, reason) => {
    const p = fresh();
    expect(p.submit(cmd)).toMatchObject({ type: 'OrderRejected', reason });
    expect(p.order('o1')).toMatchObject({ status: 'rejected', reason });
    expect(p.cashFen).toBe(1_000_000);
  });

  it('refuses a limit price outside the day\'s limits, and a suspended stock, when told', () => {
    const p = fresh(100_000_000);
    const limits = { up: 1100, down: 900 };
    expect(p.submit({ symbol: SYM, side: 'buy', type: 'limit', quantity: 100, limitPrice: 11.01 }, { limits })).toMatchObject({ reason: 'price-limit' });
    expect(p.submit({ symbol: SYM, side: 'buy', type: 'limit', quantity: 100, limitPrice: 11 }, { limits })).toMatchObject({ type: 'OrderAccepted' });
    expect(p.submit({ symbol: SYM, side: 'buy', type: 'stop', quantity: 100, stopPrice: 8.99 }, { limits })).toMatchObject({ reason: 'price-limit' });
    expect(p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100 }, { limits })).toMatchObject({ type: 'OrderAccepted' });
    expect(p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100 }, { suspended: true })).toMatchObject({ reason: 'suspended' });
  });

  it('counts other open buys against the cash, and market-closed outside a day', () => {
    const p = fresh(1_000_000); // 10 000 CNY
    expect(p.submit({ symbol: SYM, side: 'buy', type: 'limit', quantity: 100, limitPrice: 50 })).toMatchObject({ type: 'OrderAccepted' }); // 5 005.05
    expect(p.submit({ symbol: SYM, side: 'buy', type: 'limit', quantity: 100, limitPrice: 50 })).toMatchObject({ type: 'OrderRejected', reason: 'insufficient-cash' });
    expect(p.cancel('o1')).toMatchObject({ type: 'OrderCancelled', reason: 'cancelled', remaining: 100 });
    expect(p.cancel('o1')).toMatchObject({ type: 'OrderRejected', reason: 'unknown-order' });
    expect(p.submit({ symbol: SYM, side: 'buy', type: 'limit', quantity: 100, limitPrice: 50 })).toMatchObject({ type: 'OrderAccepted' });
    p.endDay();
    expect(p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100 })).toMatchObject({ type: 'OrderRejected', reason: 'market-closed' });
  });

  it('rejects a fill the cash cannot pay at the real price, without resizing', () => {
    const p = fresh(1_000_000);
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100, refPrice: 90 });
    p.endDay();
    p.startDay(d('2024-03-04'));
    expect(p.processBar(SYM, { bar: flat(100) })).toEqual([{ type: 'OrderRejected', orderId: 'o1', day: d('2024-03-04'), reason: 'insufficient-cash' }]);
    expect(p.cashFen).toBe(1_000_000);
    expect(p.fills).toEqual([]);
  });

  it('odd lots: sold all at once only', () => {
    const p = new Portfolio({ initialCashFen: 100_000_000 });
    p.startDay(d('2024-03-01'));
    p.submit({ symbol: '688001.SH', side: 'buy', type: 'market', quantity: 250 });
    p.processBar('688001.SH', { bar: flat(10) });
    p.endDay();
    p.startDay(d('2024-03-04'));
    expect(p.submit({ symbol: '688001.SH', side: 'sell', type: 'market', quantity: 50 })).toMatchObject({ reason: 'odd-lot-must-sell-all' });
    expect(p.submit({ symbol: '688001.SH', side: 'sell', type: 'market', quantity: 200 })).toMatchObject({ type: 'OrderAccepted' });
    // 50 left unreserved: now it is everything that can be sold
    expect(p.submit({ symbol: '688001.SH', side: 'sell', type: 'market', quantity: 50 })).toMatchObject({ type: 'OrderAccepted' });
    expect(p.submit({ symbol: '688001.SH', side: 'sell', type: 'market', quantity: 1 })).toMatchObject({ reason: 'insufficient-position' });
  });
});

describe('portfolio: day validity, suspension, limits, partial fills', () => {
  it('cancels the unfilled remainder at day end with the reason', () => {
    const p = new Portfolio({ initialCashFen: 100_000_000, volumeCap: 0.1 });
    p.startDay(d('2024-03-01'));
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 1000 });
    p.submit({ symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    p.submit({ symbol: '600036.SH', side: 'buy', type: 'market', quantity: 100 });
    p.endDay();
    p.startDay(d('2024-03-04'));
    expect(p.processBar(SYM, { bar: flat(10, 3_000) })).toMatchObject([{ type: 'OrderFilled', remaining: 700, fill: { quantity: 300 } }]);
    p.processBar('600000.SH', {}); // suspended
    p.processBar('600036.SH', { bar: flat(11, 10_000), limits: { up: 1100, down: 900 } }); // sealed limit-up
    expect(p.endDay()).toEqual([
      { type: 'OrderCancelled', orderId: 'o1', day: d('2024-03-04'), reason: 'expired', remaining: 700 },
      { type: 'OrderCancelled', orderId: 'o2', day: d('2024-03-04'), reason: 'suspended', remaining: 100 },
      { type: 'OrderCancelled', orderId: 'o3', day: d('2024-03-04'), reason: 'price-limit', remaining: 100 },
    ]);
    expect(p.position(SYM)).toMatchObject({ quantity: 300 });
    expect(p.reconciles()).toBe(true);
  });

  it('expires an order whose symbol was never presented the next day', () => {
    const p = new Portfolio({ initialCashFen: 100_000_000 });
    p.startDay(d('2024-03-01'));
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100 });
    expect(p.startDay(d('2024-03-04'))).toEqual([]); // ends 03-01: the order was submitted that day, it lives on
    expect(p.endDay()).toMatchObject([{ type: 'OrderCancelled', orderId: 'o1', reason: 'expired' }]);
  });

  it("the 'close' model fills on the same bar and expires everything at day end", () => {
    const p = new Portfolio({ initialCashFen: 100_000_000, fillModel: 'close' });
    p.startDay(d('2024-03-01'));
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100 });
    p.submit({ symbol: SYM, side: 'buy', type: 'limit', quantity: 100, limitPrice: 9 });
    p.submit({ symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 });
    p.processBar(SYM, { bar: { open: 9.5, high: 10.5, low: 8.9, close: 10, volume: 1e6 } });
    expect(p.fills.map((f) => [f.orderId, f.priceFen])).toEqual([['o1', 1000]]);
    expect(p.endDay().map((e) => [e.orderId, e.type === 'OrderCancelled' && e.reason])).toEqual([
      ['o2', 'limit-not-reached'],
      ['o3', 'expired'],
    ]);
  });

  it("refuses, with the 'close' model, to sell today what was bought today (T+1)", () => {
    const p = new Portfolio({ initialCashFen: 100_000_000, fillModel: 'close' });
    p.startDay(d('2024-03-01'));
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100 });
    p.processBar(SYM, { bar: flat(10) });
    expect(p.submit({ symbol: SYM, side: 'sell', type: 'market', quantity: 100 })).toMatchObject({ type: 'OrderRejected', reason: 'insufficient-available-position' });
    p.endDay();
    p.startDay(d('2024-03-04'));
    expect(p.submit({ symbol: SYM, side: 'sell', type: 'market', quantity: 100 })).toMatchObject({ type: 'OrderAccepted' });
  });

  it('sells before buys on the same bar, so the sale pays for the buy', () => {
    const p = new Portfolio({ initialCashFen: 1_100_000 });
    p.startDay(d('2024-03-01'));
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100 });
    p.processBar(SYM, { bar: flat(100) }); // 10 000 + 5.10 fees
    p.endDay();
    p.startDay(d('2024-03-04'));
    p.submit({ symbol: '600000.SH', side: 'buy', type: 'market', quantity: 100 }); // o2, before the sell
    p.submit({ symbol: SYM, side: 'sell', type: 'market', quantity: 100 });
    p.processBar('600000.SH', { bar: flat(50) }); // 5 000: cash 1 089.90 is too little
    expect(p.order('o2')).toMatchObject({ status: 'rejected', reason: 'insufficient-cash' });
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100 });
    // o3 sells, o4 buys: the sale's cash comes first
    expect(p.processBar(SYM, { bar: flat(100) }).map((e) => e.type)).toEqual(['OrderFilled', 'OrderFilled']);
    expect(p.position(SYM)).toMatchObject({ quantity: 100, available: 0 });
    expect(p.reconciles()).toBe(true);
  });

  it('snapshots and restores exactly', () => {
    const p = new Portfolio({ initialCashFen: 100_000_000 });
    p.startDay(d('2024-03-01'));
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 300 });
    p.processBar(SYM, { bar: flat(10) });
    const q = Portfolio.restore(p.snapshot());
    expect(q.snapshot()).toEqual(p.snapshot());
    q.startDay(d('2024-03-04'));
    expect(q.position(SYM)!.available).toBe(300);
    expect(p.position(SYM)!.available).toBe(0);
    expect(() => q.startDay(d('2024-03-04'))).toThrow(RangeError);
  });

  it('knows which symbols have open orders (restored too); a bar of a symbol without any changes nothing', () => {
    const p = new Portfolio({ initialCashFen: 100_000_000 });
    p.startDay(d('2024-03-01'));
    expect(p.hasOpenOrders()).toBe(false);
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100 });
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 100 });
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 150 }); // rejected: lot size
    expect([p.hasOpenOrders(), p.hasOpenOrders(SYM), p.hasOpenOrders('000001.SZ')]).toEqual([true, true, false]);
    const before = p.snapshot();
    expect(p.processBar('000001.SZ', { bar: flat(10) })).toEqual([]);
    expect(p.snapshot()).toEqual(before);
    expect(Portfolio.restore(before).hasOpenOrders(SYM)).toBe(true);
    p.cancel('o1');
    expect(p.hasOpenOrders(SYM)).toBe(true);
    expect(p.processBar(SYM, { bar: flat(10) }).map((e) => e.type)).toEqual(['OrderFilled']);
    expect([p.hasOpenOrders(), p.hasOpenOrders(SYM)]).toEqual([false, false]);
  });

  it('partial sells remove cost in proportion, half-up, and all of it on the last sell', () => {
    const p = new Portfolio({ initialCashFen: 100_000_000 });
    p.startDay(d('2024-03-01'));
    p.submit({ symbol: SYM, side: 'buy', type: 'market', quantity: 300 });
    p.processBar(SYM, { bar: flat(10.01) }); // 3 003 + 5.00 + 0.03 = 300 803 fen
    expect(p.position(SYM)!.costFen).toBe(300_803);
    p.startDay(d('2024-03-04'));
    p.submit({ symbol: SYM, side: 'sell', type: 'market', quantity: 100 });
    p.processBar(SYM, { bar: flat(10.01) });
    expect(p.position(SYM)!.costFen).toBe(300_803 - 100_268); // 100 267.67 → 100 268
    p.submit({ symbol: SYM, side: 'sell', type: 'market', quantity: 200 });
    p.processBar(SYM, { bar: flat(10.01) });
    const pos = p.position(SYM)!;
    expect(pos).toMatchObject({ quantity: 0, costFen: 0 });
    const proceeds = p.fills.filter((f) => f.side === 'sell').reduce((s, f) => s + f.cashFen, 0);
    expect(pos.realizedPnlFen).toBe(proceeds - 300_803);
  });
});
