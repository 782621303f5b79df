import { describe, expect, it } from 'vitest';
import { RuleBook } from './book';
import { account, bj, on, rule, watchlist } from './testing';
import type { HeldPosition, PortfolioSnapshot, RuleCondition, RuleDefinition } from './types';

const position = (symbol: string, valueFen: number, name = symbol): HeldPosition => ({ symbol, name, quantity: 100, avgCostFen: valueFen / 100, lastPriceFen: valueFen / 100 });

function snapshot(over: Partial<PortfolioSnapshot> = {}): PortfolioSnapshot {
  return { timeMs: bj('10:00'), equityFen: 1_000_000, positions: [], ...over };
}

function fire(def: RuleDefinition | RuleCondition, s: PortfolioSnapshot) {
  const book = new RuleBook();
  book.add('kind' in def ? rule(def, account) : def);
  return book.onPortfolio(s, 0);
}

describe('drawdown', () => {
  const dd = { kind: 'drawdown', thresholdPercent: 10 } as const;

  it('(peak − equity) / peak, the peak from the given peak, the series and the equity', () => {
    expect(fire(dd, snapshot({ equityFen: 900_000, peakEquityFen: 1_000_000 }))[0]).toMatchObject({ value: 10, threshold: 10, unit: 'percent' });
    expect(fire(dd, snapshot({ equityFen: 900_000, equitySeriesFen: [950_000, 1_000_000, 920_000] }))).toHaveLength(1);
    expect(fire(dd, snapshot({ equityFen: 900_001, equitySeriesFen: [1_000_000] }))).toHaveLength(0);
    // New high: no drawdown.
    expect(fire(dd, snapshot({ equityFen: 2_000_000, peakEquityFen: 1_000_000 }))).toHaveLength(0);
  });

  it('an account-wide trigger carries no symbol', () => {
    const [t] = fire(dd, snapshot({ equityFen: 500_000, peakEquityFen: 1_000_000 }));
    expect(t!.symbol).toBeUndefined();
    expect(t!.message).toBe('Account drawdown 50.00% (threshold 10.00%)');
  });
});

describe('daily-loss', () => {
  it('yesterday-close equity − equity, in fen or in % of yesterday', () => {
    const s = snapshot({ equityFen: 950_000, previousCloseEquityFen: 1_000_000 });
    expect(fire({ kind: 'daily-loss', unit: 'fen', threshold: 50_000 }, s)[0]).toMatchObject({ value: 50_000, unit: 'fen' });
    expect(fire({ kind: 'daily-loss', unit: 'fen', threshold: 50_001 }, s)).toHaveLength(0);
    expect(fire({ kind: 'daily-loss', unit: 'percent', threshold: 5 }, s)[0]).toMatchObject({ value: 5, unit: 'percent' });
    expect(fire({ kind: 'daily-loss', unit: 'percent', threshold: 5 }, snapshot({ equityFen: 1_100_000, previousCloseEquityFen: 1_000_000 }))).toHaveLength(0);
    expect(fire({ kind: 'daily-loss', unit: 'percent', threshold: 5 }, snapshot({ equityFen: 0 }))).toHaveLength(0);
  });
});

describe('position-weight and HHI', () => {
  const book3 = snapshot({ positions: [position('600000.SH', 500_000, '浦发银行'), position('000001.SZ', 300_000), position('600519.SH', 200_000)] });

  it('a trigger per position whose value / book value ≥ threshold', () => {
    const triggers = fire({ kind: 'position-weight', thresholdPercent: 30 }, book3);
    expect(triggers.map((t) => [t.symbol, t.value])).toEqual([['600000.SH', 50], ['000001.SZ', 30]]);
    expect(triggers[0]).toMatchObject({ name: '浦发银行', price: 50 });
  });

  it('a symbol or watchlist scope looks at its symbols only', () => {
    expect(fire(rule({ kind: 'position-weight', thresholdPercent: 10 }, on('600519.SH')), book3).map((t) => t.symbol)).toEqual(['600519.SH']);
    expect(fire(rule({ kind: 'position-weight', thresholdPercent: 10 }, watchlist('000001.SZ', '300750.SZ')), book3).map((t) => t.symbol)).toEqual(['000001.SZ']);
  });

  it('HHI = Σ w² of the book', () => {
    // 0.25 + 0.09 + 0.04 = 0.38
    expect(fire({ kind: 'hhi', threshold: 0.38 }, book3)[0]).toMatchObject({ value: expect.closeTo(0.38, 12), unit: 'fraction' });
    expect(fire({ kind: 'hhi', threshold: 0.39 }, book3)).toHaveLength(0);
    expect(fire({ kind: 'hhi', threshold: 0.1 }, snapshot())).toHaveLength(0);
  });
});

describe('var', () => {
  it('compares the value the caller passes, in fen or %', () => {
    const s = snapshot({ valueAtRisk: { lossFen: 30_000, lossPercent: 3 } });
    expect(fire({ kind: 'var', unit: 'fen', threshold: 30_000 }, s)).toHaveLength(1);
    expect(fire({ kind: 'var', unit: 'percent', threshold: 3.5 }, s)).toHaveLength(0);
    expect(fire({ kind: 'var', unit: 'percent', threshold: 1 }, snapshot({ valueAtRisk: null }))).toHaveLength(0);
  });
});

describe('the policy on portfolio rules', () => {
  it('once-per-bar counts in the snapshot time; every in the book clock', () => {
    const book = new RuleBook();
    book.add(rule({ kind: 'drawdown', thresholdPercent: 10 }, account, { frequency: { mode: 'once-per-bar', bar: 'day' } }));
    book.add(rule({ kind: 'hhi', threshold: 0.5 }, account, { frequency: { mode: 'every', cooldownSeconds: 60 } }));
    const s = (date: string, time: string) => snapshot({ timeMs: bj(time, date), equityFen: 800_000, peakEquityFen: 1_000_000, positions: [position('600000.SH', 100)] });
    const kinds = (date: string, time: string, now: number) => book.onPortfolio(s(date, time), now).map((t) => t.kind);
    expect(kinds('2026-03-02', '10:00', 0)).toEqual(['drawdown', 'hhi']);
    expect(kinds('2026-03-02', '14:00', 30_000)).toEqual([]);
    expect(kinds('2026-03-02', '14:30', 60_000)).toEqual(['hhi']);
    expect(kinds('2026-03-03', '10:00', 90_000)).toEqual(['drawdown']);
  });
});
