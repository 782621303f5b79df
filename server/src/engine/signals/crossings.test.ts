import { describe, expect, it } from 'vitest';
import { crossovers, thresholdCrossings } from './crossings';

const f = (...values: number[]) => Float64Array.from(values);
const brief = (events: { index: number; kind: string }[]) => events.map((e) => `${e.index}:${e.kind}`);

describe('crossovers', () => {
  it('finds strict crossings with both lines’ values at the bar', () => {
    const a = f(1, 2, 3, 2, 1, 2);
    const b = f(2, 2.5, 2, 2.5, 2, 1);
    expect(crossovers(a, b)).toEqual([
      { index: 2, kind: 'golden', a: 3, b: 2 },
      { index: 3, kind: 'death', a: 2, b: 2.5 },
      { index: 5, kind: 'golden', a: 2, b: 1 },
    ]);
  });

  it('reports a cross through a tie once, on the first bar strictly on the new side', () => {
    // a − b: −1, 0, 0, +1, 0, −1
    const b = f(0, 0, 0, 0, 0, 0);
    expect(brief(crossovers(f(-1, 0, 0, 1, 0, -1), b))).toEqual(['3:golden', '5:death']);
  });

  it('reports nothing for lines that stay equal, and a touch that turns back as a cross', () => {
    expect(crossovers(f(5, 5, 5, 5), f(5, 5, 5, 5))).toEqual([]);
    // a − b: +1, 0, +1 → golden at 2 (the tie is "not above"); −1, 0, −1 → death at 2.
    expect(brief(crossovers(f(1, 0, 1), f(0, 0, 0)))).toEqual(['2:golden']);
    expect(brief(crossovers(f(-1, 0, -1), f(0, 0, 0)))).toEqual(['2:death']);
  });

  it('gives no event where either line is NaN at the bar or the one before', () => {
    // Warm-up: b has its first value at 2, where a is already above → no cross at 2, death at 4.
    expect(brief(crossovers(f(1, 2, 3, 3, 1, 0), f(NaN, NaN, 2, 2, 2, 2)))).toEqual(['4:death']);
    // A gap in a: −1, NaN, +1 is not a cross; +1 then −1 after it is.
    expect(brief(crossovers(f(-1, NaN, 1, -1), f(0, 0, 0, 0)))).toEqual(['3:death']);
    expect(crossovers(f(), f())).toEqual([]);
    expect(crossovers(f(1), f(0))).toEqual([]);
  });

  it('refuses lines of different lengths', () => {
    expect(() => crossovers(f(1, 2), f(1))).toThrow(/length|values/);
  });
});

describe('thresholdCrossings', () => {
  it('finds up and down crossings of a level, touching it being "not across"', () => {
    const rsi = f(70, 80, 85, 80, 79, 80, 81, 20, 19, 20, 21);
    expect(thresholdCrossings(rsi, 80)).toEqual([
      { index: 2, kind: 'up', value: 85 },
      { index: 4, kind: 'down', value: 79 },
      { index: 6, kind: 'up', value: 81 },
      { index: 7, kind: 'down', value: 20 },
    ]);
    expect(brief(thresholdCrossings(rsi, 20))).toEqual(['8:down', '10:up']);
  });

  it('skips NaN and refuses a non-finite level', () => {
    expect(brief(thresholdCrossings(f(NaN, 90, 70, NaN, 90), 80))).toEqual(['2:down']);
    expect(() => thresholdCrossings(f(1, 2), NaN)).toThrow();
  });
});
