import { describe, expect, it } from 'vitest';
import { parseTimeString } from '../bars/time';
import type { MatchBar, MatchContext, MatchOrder } from './matcher';
import { matchOrder } from './matcher';

const day = parseTimeString('2024-05-06')!;
const bar: MatchBar = { open: 10, high: 10.5, low: 9.6, close: 10.2, volume: 100_000 };
const ctx: MatchContext = { model: 'next-open', board: 'main', day };
const market = (side: 'buy' | 'sell', remaining = 1000): MatchOrder => ({ side, type: 'market', remaining });

describe('matcher: fill models', () => {
  it('market orders fill at the open (next-open) or the close (close)', () => {
    expect(matchOrder(market('buy'), bar, ctx)).toEqual({ kind: 'fill', quantity: 1000, priceFen: 1000, triggered: false });
    expect(matchOrder(market('sell'), bar, { ...ctx, model: 'close' })).toEqual({ kind: 'fill', quantity: 1000, priceFen: 1020, triggered: false });
  });

  it('limit orders fill at the better of open and limit when the bar crosses the limit', () => {
    const buy = (limitFen: number): MatchOrder => ({ side: 'buy', type: 'limit', remaining: 100, limitFen });
    const sell = (limitFen: number): MatchOrder => ({ side: 'sell', type: 'limit', remaining: 100, limitFen });
    expect(matchOrder(buy(1010), bar, ctx)).toMatchObject({ kind: 'fill', priceFen: 1000 }); // open below the limit
    expect(matchOrder(buy(980), bar, ctx)).toMatchObject({ kind: 'fill', priceFen: 980 }); // crossed during the bar
    expect(matchOrder(buy(950), bar, ctx)).toMatchObject({ kind: 'no-fill', reason: 'limit-not-reached' });
    expect(matchOrder(sell(990), bar, ctx)).toMatchObject({ kind: 'fill', priceFen: 1000 });
    expect(matchOrder(sell(1040), bar, ctx)).toMatchObject({ kind: 'fill', priceFen: 1040 });
    expect(matchOrder(sell(1060), bar, ctx)).toMatchObject({ kind: 'no-fill', reason: 'limit-not-reached' });
    // close model: only the close counts
    expect(matchOrder(buy(1019), bar, { ...ctx, model: 'close' })).toMatchObject({ kind: 'no-fill', reason: 'limit-not-reached' });
    expect(matchOrder(buy(1020), bar, { ...ctx, model: 'close' })).toMatchObject({ kind: 'fill', priceFen: 1020 });
  });

  it('stop orders trigger and fill at the stop, or the open on a gap', () => {
    const stop = (side: 'buy' | 'sell', stopFen: number): MatchOrder => ({ side, type: 'stop', remaining: 100, stopFen });
    expect(matchOrder(stop('buy', 1030), bar, ctx)).toEqual({ kind: 'fill', quantity: 100, priceFen: 1030, triggered: true });
    expect(matchOrder(stop('buy', 990), bar, ctx)).toMatchObject({ kind: 'fill', priceFen: 1000 });
    expect(matchOrder(stop('buy', 1060), bar, ctx)).toEqual({ kind: 'no-fill', reason: 'not-triggered', triggered: false });
    expect(matchOrder(stop('sell', 970), bar, ctx)).toMatchObject({ kind: 'fill', priceFen: 970 });
    expect(matchOrder(stop('sell', 1010), bar, ctx)).toMatchObject({ kind: 'fill', priceFen: 1000 });
    expect(matchOrder(stop('sell', 950), bar, ctx)).toMatchObject({ kind: 'no-fill', reason: 'not-triggered' });
    expect(matchOrder(stop('buy', 1020), bar, { ...ctx, model: 'close' })).toMatchObject({ kind: 'fill', priceFen: 1020 });
    expect(matchOrder(stop('buy', 1021), bar, { ...ctx, model: 'close' })).toMatchObject({ kind: 'no-fill', reason: 'not-triggered' });
  });
});

describe('matcher: market rules', () => {
  it('a missing bar or a bar without volume is a suspension', () => {
    expect(matchOrder(market('buy'), undefined, ctx)).toMatchObject({ kind: 'no-fill', reason: 'suspended' });
    expect(matchOrder(market('buy'), { ...bar, volume: 0 }, ctx)).toMatchObject({ kind: 'no-fill', reason: 'suspended' });
  });

  it('refuses a buy at limit-up and a sell at limit-down', () => {
    const sealedUp: MatchBar = { open: 11, high: 11, low: 11, close: 11, volume: 5000 };
    const sealedDown: MatchBar = { open: 9, high: 9, low: 9, close: 9, volume: 5000 };
    const limits = { up: 1100, down: 900 };
    expect(matchOrder(market('buy'), sealedUp, { ...ctx, limits })).toMatchObject({ kind: 'no-fill', reason: 'price-limit' });
    expect(matchOrder(market('sell'), sealedUp, { ...ctx, limits })).toMatchObject({ kind: 'fill', priceFen: 1100 });
    expect(matchOrder(market('sell'), sealedDown, { ...ctx, limits })).toMatchObject({ kind: 'no-fill', reason: 'price-limit' });
    expect(matchOrder(market('buy'), sealedDown, { ...ctx, limits })).toMatchObject({ kind: 'fill', priceFen: 900 });
  });

  it('applies slippage against the trader, inside the bar and the limits', () => {
    const slip = { ...ctx, slippage: { kind: 'ticks' as const, ticks: 3 } };
    expect(matchOrder(market('buy'), bar, slip)).toMatchObject({ priceFen: 1003 });
    expect(matchOrder(market('sell'), bar, slip)).toMatchObject({ priceFen: 997 });
    expect(matchOrder(market('buy'), bar, { ...ctx, slippage: { kind: 'bps', bps: 10 } })).toMatchObject({ priceFen: 1001 });
    // high caps a buy's slippage; limit-up - 1 fen too
    expect(matchOrder(market('buy'), { ...bar, high: 10.01 }, slip)).toMatchObject({ priceFen: 1001 });
    expect(matchOrder(market('buy'), { open: 10.98, high: 11, low: 10.9, close: 11, volume: 1 }, { ...slip, limits: { up: 1100, down: 900 } })).toMatchObject({ priceFen: 1099 });
    // a limit order never pays beyond its limit
    expect(matchOrder({ side: 'buy', type: 'limit', remaining: 100, limitFen: 1001 }, bar, slip)).toMatchObject({ priceFen: 1001 });
  });

  it('caps the quantity at a share of the volume, in valid lots', () => {
    const small: MatchBar = { ...bar, volume: 2_550 };
    expect(matchOrder(market('buy', 1000), small, { ...ctx, volumeCap: 0.1 })).toMatchObject({ kind: 'fill', quantity: 200 });
    expect(matchOrder(market('buy', 100), small, { ...ctx, volumeCap: 0.1 })).toMatchObject({ kind: 'fill', quantity: 100 });
    expect(matchOrder(market('buy', 1000), { ...bar, volume: 900 }, { ...ctx, volumeCap: 0.1 })).toMatchObject({ kind: 'no-fill', reason: 'volume-cap' });
    expect(matchOrder(market('buy', 1000), small, { ...ctx, board: 'star', volumeCap: 0.1 })).toMatchObject({ kind: 'fill', quantity: 255 });
    expect(matchOrder(market('sell', 350), small, { ...ctx, volumeCap: 0.1, sellable: 350 })).toMatchObject({ kind: 'fill', quantity: 250 });
  });
});
