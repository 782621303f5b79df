/**
 * Property: whatever sequence of days, orders, cancels, bars (suspensions, limit days, volume caps,
 * slippage) and cash transfers a strategy or a paper trader produces, the portfolio's books stay
 * exact — initial cash + Σ ledger = cash, cash = initial + Σ fill cash + transfers, each fill's fees
 * are the fee tables' — and cash and available quantities never go negative. fast-check lives here,
 * not beside the engine: engine tests may import only vitest (scripts/eslint/layers.js).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tsOf } from '../../server/src/engine/bars/time';
import { tradeFees } from '../../server/src/engine/market/costs';
import type { SubmitOrder } from '../../server/src/engine/portfolio';
import { Portfolio } from '../../server/src/engine/portfolio';

const SYMBOLS = ['600519.SH', '688981.SH', '830799.BJ'] as const;

const price = fc.integer({ min: 100, max: 5_000 }).map((fen) => fen / 100);

const submit = fc.record({
  op: fc.constant('submit' as const),
  symbol: fc.constantFrom(...SYMBOLS),
  side: fc.constantFrom('buy' as const, 'sell' as const),
  type: fc.constantFrom('market' as const, 'limit' as const, 'stop' as const),
  quantity: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(100, 200, 300, 250, 50) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }) }),
  price,
  refPrice: fc.option(price, { nil: undefined }),
});

const barSpec = fc.record({
  suspended: fc.boolean(), // about half the days
  open: price,
  spread: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 3, maxLength: 3 }),
  volume: fc.integer({ min: 0, max: 20_000 }),
  limitDay: fc.constantFrom('none', 'none', 'up', 'down', 'wide'),
});

const action = fc.oneof(
  { weight: 6, arbitrary: submit },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const), n: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('transfer' as const), amountFen: fc.integer({ min: -2_000_000, max: 2_000_000 }) }) },
);

/** One trading day: actions before the bars, a bar (or a suspension) per symbol, actions after. */
const tradingDay = fc.record({
  before: fc.array(action, { maxLength: 4 }),
  bars: fc.array(barSpec, { minLength: SYMBOLS.length, maxLength: SYMBOLS.length }),
  after: fc.array(action, { maxLength: 4 }),
  skipEnd: fc.boolean(),
  gapDays: fc.integer({ min: 1, max: 3 }),
});

const config = fc.record({
  initialCashFen: fc.integer({ min: 0, max: 50_000_000 }),
  fillModel: fc.constantFrom('next-open' as const, 'close' as const),
  volumeCap: fc.option(fc.constantFrom(0.05, 0.1, 0.5), { nil: undefined }),
  slippage: fc.constantFrom({ kind: 'none' as const }, { kind: 'bps' as const, bps: 7 }, { kind: 'ticks' as const, ticks: 1 }),
  commissionRate: fc.constantFrom(0.00025, 0.0003, 0.0001),
  minCommissionFen: fc.constantFrom(0, 500),
  startYear: fc.constantFrom(2007, 2008, 2022, 2023), // 2022: BSE's own transfer fee until 04-29
});

function check(p: Portfolio, transfersFen: number) {
  expect(p.cashFen).toBeGreaterThanOrEqual(0);
  expect(Number.isInteger(p.cashFen)).toBe(true);
  expect(p.reconciles()).toBe(true);
  expect(p.cashFen).toBe(p.initialCashFen + transfersFen + p.fills.reduce((s, f) => s + f.cashFen, 0));
  for (const pos of p.allPositions()) {
    expect(pos.available).toBeGreaterThanOrEqual(0);
    expect(pos.available).toBeLessThanOrEqual(pos.quantity);
    expect(pos.costFen).toBeGreaterThanOrEqual(0);
    const net = p.fills.filter((f) => f.symbol === pos.symbol).reduce((s, f) => s + (f.side === 'buy' ? f.quantity : -f.quantity), 0);
    expect(pos.quantity).toBe(net);
    if (pos.quantity === 0) expect(pos.costFen).toBe(0);
  }
}

describe('portfolio ledger (property)', () => {
  it('reconciles exactly and never goes negative', () => {
    // What the runs went through, so the property cannot pass by never trading.
    const seen = new Map<string, number>();
    const count = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);
    fc.assert(
      fc.property(config, fc.array(tradingDay, { minLength: 1, maxLength: 30 }), (cfg, days) => {
        const p = new Portfolio({
          initialCashFen: cfg.initialCashFen,
          fillModel: cfg.fillModel,
          ...(cfg.volumeCap !== undefined ? { volumeCap: cfg.volumeCap } : {}),
          costs: { commissionRate: cfg.commissionRate, minCommissionFen: cfg.minCommissionFen, slippage: cfg.slippage },
        });
        let day = tsOf(cfg.startYear, 1, 2);
        let transfers = 0;
        let lastDay = day;
        const act = (o: (typeof days)[number]['before'][number]) => {
          if (o.op === 'submit') {
            const cmd: SubmitOrder = { symbol: o.symbol, side: o.side, type: o.type, quantity: o.quantity };
            if (o.type === 'limit') cmd.limitPrice = o.price;
            if (o.type === 'stop') cmd.stopPrice = o.price;
            if (o.refPrice !== undefined) cmd.refPrice = o.refPrice;
            const ev = p.submit(cmd);
            count(ev.type === 'OrderRejected' ? ev.reason : ev.type);
            expect(p.order(ev.orderId)!.quantity).toBe(o.quantity); // never resized
          } else if (o.op === 'cancel') {
            p.cancel(`o${o.n}`);
          } else if (p.transfer(o.amountFen)) {
            transfers += o.amountFen;
          }
          check(p, transfers);
        };
        for (const td of days) {
          p.startDay(day);
          td.before.forEach(act);
          SYMBOLS.forEach((symbol, i) => {
            const o = td.bars[i]!;
            const [a, b, c] = o.spread as [number, number, number];
            const open = o.open;
            const high = open + a / 100;
            const low = Math.max(0.01, open - b / 100);
            const close = Math.min(high, Math.max(low, open + (c - 100) / 100));
            const openFen = Math.round(open * 100);
            const limits =
              o.limitDay === 'up' ? { up: Math.round(high * 100), down: 1 } : o.limitDay === 'down' ? { up: 1_000_000, down: Math.round(low * 100) } : o.limitDay === 'wide' ? { up: openFen * 2, down: 1 } : undefined;
            const events = p.processBar(symbol, o.suspended ? {} : { bar: { open, high, low, close, volume: o.volume }, ...(limits ? { limits } : {}) });
            for (const e of events) {
              count(e.type === 'OrderFilled' ? `fill-${e.fill.side}${e.remaining > 0 ? '-partial' : ''}` : e.type === 'OrderRejected' ? `fill-${e.reason}` : e.type);
              if (e.type !== 'OrderFilled') continue;
              const f = e.fill;
              expect(f.priceFen).toBeGreaterThanOrEqual(Math.round(low * 100));
              expect(f.priceFen).toBeLessThanOrEqual(Math.round(high * 100));
              if (limits && f.side === 'buy') expect(f.priceFen).toBeLessThan(limits.up);
              if (limits && f.side === 'sell') expect(f.priceFen).toBeGreaterThan(limits.down);
              const costs = { commissionRate: cfg.commissionRate, minCommissionFen: cfg.minCommissionFen, slippage: cfg.slippage };
              const fees = tradeFees(f.side, f.valueFen, f.day, costs, symbol.endsWith('.BJ') ? 'bse' : symbol.startsWith('688') ? 'star' : 'main');
              expect([f.commissionFen, f.stampDutyFen, f.transferFeeFen]).toEqual([fees.commissionFen, fees.stampDutyFen, fees.transferFeeFen]);
              const order = p.order(f.orderId)!;
              expect(order.filledQuantity).toBeLessThanOrEqual(order.quantity);
            }
            check(p, transfers);
          });
          td.after.forEach(act);
          if (!td.skipEnd) for (const e of p.endDay()) if (e.type === 'OrderCancelled') count(`end-${e.reason}`);
          lastDay = day;
          day += td.gapDays * 86_400;
        }
        for (const e of p.endDay()) if (e.type === 'OrderCancelled') count(`end-${e.reason}`);
        expect(p.openOrders().filter((x) => x.sessionDay !== undefined || x.submittedDay < lastDay)).toEqual([]);
        check(p, transfers);
      }),
      { numRuns: 300, seed: 20_261_205 },
    );
    console.info('[portfolio property]', Object.fromEntries([...seen].sort()));
    for (const key of ['fill-buy', 'fill-sell', 'fill-buy-partial', 'fill-insufficient-cash', 'insufficient-cash', 'insufficient-position', 'insufficient-available-position', 'lot-size', 'odd-lot-must-sell-all', 'end-suspended', 'end-price-limit']) {
      expect(seen.get(key) ?? 0, key).toBeGreaterThan(0);
    }
  });
});
