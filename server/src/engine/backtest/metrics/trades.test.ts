import { describe, expect, it } from 'vitest';
import { dayWinRate, meanExposure, tradeStats, turnover } from './trades';
import type { RoundTrip } from './types';

const trip = (pnl: number, holdingDays: number): RoundTrip => ({
  entryDate: '2024-01-02', exitDate: '2024-01-05', quantity: 100, entryValue: 1_000_000, exitValue: 1_000_000 + pnl, pnl, holdingDays,
});

describe('trade statistics', () => {
  it('win rate, payoff ratio, profit factor, expectancy, holding days', () => {
    // pnl (fen) 30000, −12000, 6000, −4000, 0 — the 0 trade is neither a win nor a loss
    const s = tradeStats([trip(30000, 3), trip(-12000, 5), trip(6000, 2), trip(-4000, 4), trip(0, 1)]);
    expect(s.tradeCount).toBe(5);
    expect(s.winRate).toBe(2 / 5);
    // avg win (30000 + 6000)/2 = 18000, avg loss (12000 + 4000)/2 = 8000 → 2.25
    expect(s.payoffRatio).toBe(2.25);
    // gross profit 36000 / gross loss 16000
    expect(s.profitFactor).toBe(2.25);
    // (30000 − 12000 + 6000 − 4000 + 0)/5 = 4000
    expect(s.expectancy).toBe(4000);
    expect(s.avgHoldingDays).toBe((3 + 5 + 2 + 4 + 1) / 5);
  });

  it('null where a ratio has no denominator', () => {
    expect(tradeStats([])).toEqual({
      tradeCount: 0, winRate: null, payoffRatio: null, profitFactor: null, expectancy: null, avgHoldingDays: null,
    });
    // only wins: no loss to divide by
    const wins = tradeStats([trip(100, 1), trip(50, 2)]);
    expect(wins).toMatchObject({ winRate: 1, payoffRatio: null, profitFactor: null, expectancy: 75 });
    // only losses: profit factor 0, payoff undefined (no win)
    const losses = tradeStats([trip(-100, 1)]);
    expect(losses).toMatchObject({ winRate: 0, payoffRatio: null, profitFactor: 0, expectancy: -100 });
  });
});

describe('day win rate, turnover, exposure', () => {
  it('counts up days among days that moved', () => {
    // up, 0, down, up, 0 → 2 up of 3 non-zero
    expect(dayWinRate(Float64Array.from([0.01, 0, -0.02, 0.005, 0]))).toBe(2 / 3);
    expect(dayWinRate(Float64Array.from([0, 0]))).toBeNull();
    expect(dayWinRate(new Float64Array(0))).toBeNull();
  });

  it('annualises two-sided turnover on mean equity', () => {
    // |100| + |−150| + |50| = 300 traded; mean equity (1000 + 1000 + 1200 + 800)/4 = 1000;
    // 3 periods: 300/1000 × 252/3 = 25.2
    expect(turnover([{ value: 100 }, { value: -150 }, { value: 50 }], [1000, 1000, 1200, 800], 3)).toBeCloseTo(25.2, 13);
    expect(turnover([], [1000, 1000], 1)).toBe(0);
    expect(turnover([{ value: 1 }], [1000], 0)).toBeNull();
  });

  it('averages the daily exposure', () => {
    expect(meanExposure([0, 0.5, 1, 0.5])).toBe(0.5);
    expect(meanExposure([])).toBeNull();
  });
});
