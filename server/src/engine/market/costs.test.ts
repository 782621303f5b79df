import { describe, expect, it } from 'vitest';
import { parseTimeString } from '../bars/time';
import { applySlippage, DEFAULT_COSTS, STAMP_DUTY_TABLE, stampDutyRow, tradeFees, TRANSFER_FEE_TABLE, transferFeeRow } from './costs';
import { applyRateFen, toFen, toRate } from './money';
import { sameDayResale, SETTLEMENT_TABLE } from './settlement';
import { blockedByLimit, dailyLimitsFen } from './limit-guard';

const day = (date: string) => parseTimeString(date)!;

describe('fee tables', () => {
  it('have a source per row and are sorted by date', () => {
    for (const table of [STAMP_DUTY_TABLE, TRANSFER_FEE_TABLE, SETTLEMENT_TABLE]) {
      for (let i = 0; i < table.length; i++) {
        expect(parseTimeString(table[i]!.since)).toBeDefined();
        expect(table[i]!.source.length).toBeGreaterThan(20);
        if (i > 0) expect(table[i]!.since >= table[i - 1]!.since).toBe(true);
      }
    }
  });

  it.each([
    // date, buy, sell
    ['1991-12-02', 0.003, 0.003], // before the first row: the first row
    ['1997-05-09', 0.003, 0.003],
    ['1997-05-12', 0.005, 0.005],
    ['1998-06-12', 0.004, 0.004],
    ['2001-11-16', 0.002, 0.002],
    ['2005-01-21', 0.002, 0.002],
    ['2005-01-24', 0.001, 0.001],
    ['2007-05-29', 0.001, 0.001],
    ['2007-05-30', 0.003, 0.003],
    ['2008-04-23', 0.003, 0.003],
    ['2008-04-24', 0.001, 0.001],
    ['2008-09-18', 0.001, 0.001],
    ['2008-09-19', 0, 0.001],
    ['2023-08-25', 0, 0.001],
    ['2023-08-28', 0, 0.0005],
  ] as const)('stamp duty on %s: buy %d, sell %d', (date, buy, sell) => {
    const row = stampDutyRow(day(date));
    expect([row.buy, row.sell]).toEqual([buy, sell]);
  });

  it.each([
    ['2010-01-04', 0.00002],
    ['2022-04-28', 0.00002],
    ['2022-04-29', 0.00001],
    ['2025-01-02', 0.00001],
  ] as const)('transfer fee on %s: %d', (date, rate) => {
    expect(transferFeeRow(day(date)).rate).toBe(rate);
  });

  it('BSE paid 0.025 ‰ until 2022-04-29, then the common 0.01 ‰', () => {
    expect(transferFeeRow(day('2022-04-28'), 'bse').rate).toBe(0.000025);
    expect(transferFeeRow(day('2022-04-29'), 'bse').rate).toBe(0.00001);
    expect(transferFeeRow(day('2022-04-28'), 'star').rate).toBe(0.00002);
    expect(tradeFees('buy', 10_000_000, day('2022-04-28'), DEFAULT_COSTS, 'bse').transferFeeFen).toBe(250);
  });

  it('T+1 for A shares since 1995', () => {
    expect(sameDayResale('main', day('2024-05-06'))).toBe(false);
    expect(sameDayResale('star', day('2020-01-02'))).toBe(false);
  });
});

describe('fen rounding', () => {
  it.each([
    [10.005, 1001],
    [10.004999, 1000],
    [1.015, 102],
    [1.005, 101], // 1.00499999… as a double
    [0.125, 13],
    [-0.125, -13],
    [960.94, 96094],
    [0.1 + 0.2, 30],
  ])('toFen(%d) = %d', (yuan, fen) => {
    expect(toFen(yuan)).toBe(fen);
  });

  it('rates apply half-up at the .5-fen boundary, exactly', () => {
    expect(toRate(0.00025)).toBe(25_000);
    expect(toRate(0.00001)).toBe(1_000);
    // 0.025 % of 10 000 fen = 2.5 fen → 3; of 9 999 fen = 2.49975 → 2
    expect(applyRateFen(10_000, toRate(0.00025))).toBe(3);
    expect(applyRateFen(9_999, toRate(0.00025))).toBe(2);
    // 0.05 % of 1 000 fen = 0.5 → 1; of 999 fen = 0.4995 → 0
    expect(applyRateFen(1_000, toRate(0.0005))).toBe(1);
    expect(applyRateFen(999, toRate(0.0005))).toBe(0);
    // beyond 2^53 intermediate products stay exact
    expect(applyRateFen(1_000_000_000_000_000, toRate(0.00025))).toBe(250_000_000_000);
  });
});

describe('trade fees', () => {
  const after2023 = day('2024-03-01');

  it('charges the 5 CNY minimum commission on small orders', () => {
    // 100 shares × 10.00 = 1 000 CNY: 0.025 % is 0.25 CNY → 5 CNY
    expect(tradeFees('buy', 100_000, after2023)).toEqual({ commissionFen: 500, stampDutyFen: 0, transferFeeFen: 1, totalFen: 501 });
    // 20 000 CNY × 0.025 % = 5 CNY exactly; 20 004 CNY → 5.001 → 5.00; 40 000 CNY → 10 CNY
    expect(tradeFees('buy', 2_000_000, after2023).commissionFen).toBe(500);
    expect(tradeFees('buy', 4_000_000, after2023).commissionFen).toBe(1000);
    expect(tradeFees('buy', 4_000_000, after2023, { ...DEFAULT_COSTS, commissionRate: 0.0003, minCommissionFen: 0 }).commissionFen).toBe(1200);
  });

  it('stamp duty on the sell side only, halved on 2023-08-28', () => {
    const v = 10_000_000; // 100 000 CNY
    expect(tradeFees('sell', v, day('2023-08-25')).stampDutyFen).toBe(10_000); // 100 CNY
    expect(tradeFees('sell', v, day('2023-08-28')).stampDutyFen).toBe(5_000); // 50 CNY
    expect(tradeFees('buy', v, day('2023-08-25')).stampDutyFen).toBe(0);
    expect(tradeFees('buy', v, day('2023-08-28')).stampDutyFen).toBe(0);
  });

  it('stamp duty on both sides before 2008-09-19', () => {
    const v = 10_000_000;
    expect(tradeFees('buy', v, day('2008-09-18')).stampDutyFen).toBe(10_000);
    expect(tradeFees('sell', v, day('2008-09-18')).stampDutyFen).toBe(10_000);
    expect(tradeFees('buy', v, day('2008-09-19')).stampDutyFen).toBe(0);
    expect(tradeFees('sell', v, day('2008-09-19')).stampDutyFen).toBe(10_000);
    expect(tradeFees('buy', v, day('2007-06-01')).stampDutyFen).toBe(30_000);
  });

  it('transfer fee halves on 2022-04-29', () => {
    const v = 10_000_000;
    expect(tradeFees('buy', v, day('2022-04-28')).transferFeeFen).toBe(200);
    expect(tradeFees('sell', v, day('2022-04-28')).transferFeeFen).toBe(200);
    expect(tradeFees('buy', v, day('2022-04-29')).transferFeeFen).toBe(100);
    expect(tradeFees('sell', v, day('2022-04-29')).transferFeeFen).toBe(100);
    // 0.001 % of 50 000 fen = 0.5 fen → 1 (half-up); of 49 999 → 0
    expect(tradeFees('buy', 50_000, day('2022-04-29')).transferFeeFen).toBe(1);
    expect(tradeFees('buy', 49_999, day('2022-04-29')).transferFeeFen).toBe(0);
  });

  it('sums the components', () => {
    const f = tradeFees('sell', 92_539_000, day('2020-03-02'));
    expect(f.totalFen).toBe(f.commissionFen + f.stampDutyFen + f.transferFeeFen);
    expect(f).toEqual({ commissionFen: 23_135, stampDutyFen: 92_539, transferFeeFen: 1_851, totalFen: 117_525 });
  });
});

describe('slippage', () => {
  it('moves against the trader by bps (rounded half-up to the fen) or ticks', () => {
    expect(applySlippage('buy', 1000, { kind: 'bps', bps: 5 })).toBe(1001);
    expect(applySlippage('sell', 1000, { kind: 'bps', bps: 5 })).toBe(999);
    expect(applySlippage('buy', 1000, { kind: 'bps', bps: 4 })).toBe(1000);
    expect(applySlippage('buy', 1000, { kind: 'ticks', ticks: 2 })).toBe(1002);
    expect(applySlippage('sell', 1000, { kind: 'ticks', ticks: 2 })).toBe(998);
    expect(applySlippage('sell', 1000, { kind: 'none' })).toBe(1000);
  });
});

describe('price-limit guard', () => {
  const limits = dailyLimitsFen('main', false, day('2024-05-06'), 10, undefined)!;

  it('computes the limits from the table', () => {
    expect(limits).toEqual({ up: 1100, down: 900 });
    expect(dailyLimitsFen('index', false, day('2024-05-06'), 10)).toBeUndefined();
  });

  it('refuses a buy at or above limit-up and a sell at or below limit-down', () => {
    expect(blockedByLimit('buy', 1100, limits)).toBe(true);
    expect(blockedByLimit('buy', 1099, limits)).toBe(false);
    expect(blockedByLimit('sell', 1100, limits)).toBe(false);
    expect(blockedByLimit('sell', 900, limits)).toBe(true);
    expect(blockedByLimit('sell', 901, limits)).toBe(false);
    expect(blockedByLimit('buy', 900, limits)).toBe(false);
    expect(blockedByLimit('buy', 5000, undefined)).toBe(false);
  });
});
