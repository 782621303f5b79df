import { describe, expect, it } from 'vitest';
import { parseTimeString } from '../bars/time';
import { checkBuyQuantity, checkSellQuantity, LOT_TABLE, lotRow, roundBuyQuantity, roundSellQuantity } from './lots';

const d = parseTimeString('2024-05-06')!;

describe('lot table', () => {
  it('has a source per row and a row per stock board', () => {
    for (const row of LOT_TABLE) {
      expect(parseTimeString(row.since)).toBeDefined();
      expect(row.source.length).toBeGreaterThan(20);
    }
    expect(lotRow('main', d)?.step).toBe(100);
    expect(lotRow('fund', d)).toBeUndefined();
    expect(checkBuyQuantity('index', 100, d)).toBe('not-tradable');
  });
});

describe('buy quantities', () => {
  it.each([
    ['main', 100, undefined],
    ['main', 1000, undefined],
    ['main', 150, 'lot-size'],
    ['main', 50, 'lot-size'],
    ['main', 0, 'lot-size'],
    ['chinext', 300, undefined],
    ['chinext', 301, 'lot-size'],
    ['star', 200, undefined],
    ['star', 201, undefined],
    ['star', 199, 'lot-size'],
    ['star', 100, 'lot-size'],
    ['bse', 100, undefined],
    ['bse', 101, undefined],
    ['bse', 99, 'lot-size'],
    ['main', 100.5, 'lot-size'],
  ] as const)('%s buys %d: %s', (board, qty, problem) => {
    expect(checkBuyQuantity(board, qty, d)).toBe(problem);
  });

  it.each([
    ['main', 1999, 1900],
    ['main', 99, 0],
    ['chinext', 250, 200],
    ['star', 199, 0],
    ['star', 257, 257],
    ['bse', 99.9, 0],
    ['bse', 123.7, 123],
  ] as const)('%s rounds %d down to %d', (board, qty, rounded) => {
    expect(roundBuyQuantity(board, qty, d)).toBe(rounded);
    if (rounded > 0) expect(checkBuyQuantity(board, rounded, d)).toBeUndefined();
  });
});

describe('sell quantities', () => {
  it.each([
    // board, qty, sellable, problem
    ['main', 100, 350, undefined],
    ['main', 300, 350, undefined],
    ['main', 50, 350, undefined], // the odd remainder on its own
    ['main', 250, 350, undefined], // the odd remainder with two lots
    ['main', 350, 350, undefined],
    ['main', 120, 350, 'odd-lot-must-sell-all'],
    ['main', 30, 350, 'odd-lot-must-sell-all'], // part of the odd lot
    ['main', 30, 50, 'odd-lot-must-sell-all'],
    ['main', 50, 50, undefined],
    ['main', 400, 350, 'insufficient-available-position'],
    ['main', 0, 350, 'lot-size'],
    ['star', 200, 250, undefined],
    ['star', 213, 250, undefined],
    ['star', 50, 250, 'odd-lot-must-sell-all'],
    ['star', 150, 150, undefined],
    ['star', 100, 150, 'odd-lot-must-sell-all'],
    ['bse', 100, 130, undefined],
    ['bse', 30, 130, 'odd-lot-must-sell-all'],
    ['bse', 30, 30, undefined],
  ] as const)('%s sells %d of %d: %s', (board, qty, sellable, problem) => {
    expect(checkSellQuantity(board, qty, sellable, d)).toBe(problem);
  });

  it('rounds a capped sell to a valid quantity', () => {
    expect(roundSellQuantity('main', 180, 350, d)).toBe(150); // 50 odd + 100
    expect(roundSellQuantity('main', 180, 300, d)).toBe(100);
    expect(roundSellQuantity('main', 40, 350, d)).toBe(0);
    expect(roundSellQuantity('star', 150, 250, d)).toBe(0);
    expect(roundSellQuantity('star', 220, 250, d)).toBe(220);
    expect(roundSellQuantity('star', 999, 150, d)).toBe(150);
    for (const [board, sellable] of [['main', 350], ['main', 1234], ['star', 777], ['bse', 345]] as const) {
      for (let q = 1; q <= sellable; q++) {
        const r = roundSellQuantity(board, q, sellable, d);
        if (r > 0) expect(checkSellQuantity(board, r, sellable, d), `${board} ${q}/${sellable}→${r}`).toBeUndefined();
      }
    }
  });
});
