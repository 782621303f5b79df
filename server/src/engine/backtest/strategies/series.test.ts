import { describe, expect, it } from 'vitest';
import { runBacktest } from '../engine';
import { resolveStrategyParams, type StrategyContext } from '../strategy';
import { dualMa } from './dual-ma';
import { viewFor, viewsBySymbol } from './series';
import { syntheticBars } from './testing';

const SYM = '600000.SH';

describe('viewsBySymbol', () => {
  it('keeps one live view per symbol for a run, and a strategy reused for another run reads that run', () => {
    const first = [{ symbol: SYM, bars: syntheticBars(300, 1) }];
    const second = [{ symbol: SYM, bars: syntheticBars(300, 2) }];
    const make = () => dualMa.create(resolveStrategyParams(dualMa, { fast: 5, slow: 20 }));
    const reused = make();
    runBacktest({ data: first, initialCashFen: 10_000_000 }, reused);
    const again = runBacktest({ data: second, initialCashFen: 10_000_000 }, reused);
    const fresh = runBacktest({ data: second, initialCashFen: 10_000_000 }, make());
    expect(fresh.fills.length).toBeGreaterThan(2);
    expect(again).toEqual(fresh);
  });

  it('asks once for a live view, and again on every bar for an array', () => {
    let liveReads = 0;
    const live = viewsBySymbol((ctx: StrategyContext, symbol: string) => {
      liveReads++;
      return ctx.indicatorView!(symbol, 'SMA', { period: 2 });
    });
    const seen: number[] = [];
    runBacktest({ data: [{ symbol: SYM, bars: syntheticBars(4, 3) }], initialCashFen: 1_000_000 }, { onBar: (ctx) => seen.push(viewFor(live, ctx, SYM).length) });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(liveReads).toBe(1);
  });

  it('asks again on every bar for an array (too few bars for the indicator)', () => {
    let reads = 0;
    const views = viewsBySymbol((ctx: StrategyContext, symbol: string) => {
      reads++;
      return ctx.indicator(symbol, 'SMA', { period: 2 });
    });
    const lengths: number[] = [];
    runBacktest({ data: [{ symbol: SYM, bars: syntheticBars(4, 3) }], initialCashFen: 1_000_000 }, { onBar: (ctx) => lengths.push(viewFor(views, ctx, SYM).length) });
    expect(lengths).toEqual([1, 2, 3, 4]);
    expect(reads).toBe(4);
  });
});
