/**
 * Crossings of two lines (MA5 × MA20, DIF × DEA, K × D) and of a line with a level (RSI 80 / 20).
 * One pass over Float64Array columns; the result lists only the bars where something happened.
 */
import { IndicatorProblem, realParam } from '../indicators/problem';

export type CrossKind = 'golden' | 'death';

/** A crossing of line a with line b at bar `index`, with both lines' values there. */
export interface Cross {
  index: number;
  kind: CrossKind;
  a: number;
  b: number;
}

export type LevelCrossKind = 'up' | 'down';

/** A crossing of a level at bar `index`, with the line's value there. */
export interface LevelCross {
  index: number;
  kind: LevelCrossKind;
  value: number;
}

function sameLength(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new IndicatorProblem('input', `a has ${a.length} values, b ${b.length}`, 'b');
  return a.length;
}

/**
 * Where line a crosses line b. At bar i ≥ 1:
 * - golden (a crosses above b): a[i−1] ≤ b[i−1] and a[i] > b[i];
 * - death (a crosses below b):  a[i−1] ≥ b[i−1] and a[i] < b[i].
 *
 * Ties: a bar where a = b counts as "not above" for a golden cross and "not below" for a death
 * cross. So a cross through a tie is reported once, on the first bar strictly on the new side
 * (a − b: −1, 0, 0, +1 gives one golden at the +1 bar), and lines that stay equal report nothing.
 * A touch that turns back is reported too (a − b: +1, 0, +1 gives a golden at the last bar, with no
 * death before it) — the formula language's CROSS(A,B) behaves the same (MyTT: NOT(REF(A>B,1)) AND
 * A>B); a death is CROSS(B,A).
 * NaN: a NaN in a or b at i−1 or i gives no event (all comparisons with NaN are false), so the first
 * bar after an indicator's warm-up cannot be a cross: it needs a previous bar with both values.
 */
export function crossovers(a: Float64Array, b: Float64Array): Cross[] {
  const length = sameLength(a, b);
  const events: Cross[] = [];
  for (let i = 1; i < length; i++) {
    const ai = a[i]!;
    const bi = b[i]!;
    const ap = a[i - 1]!;
    const bp = b[i - 1]!;
    if (ap <= bp && ai > bi) events.push({ index: i, kind: 'golden', a: ai, b: bi });
    else if (ap >= bp && ai < bi) events.push({ index: i, kind: 'death', a: ai, b: bi });
  }
  return events;
}

/**
 * Where x crosses a level, with the same rules as `crossovers` against a constant line: up at bar
 * i when x[i−1] ≤ level < x[i], down when x[i−1] ≥ level > x[i]; touching the level is "not across"
 * (70, 80, 85 against 80: up at 85); NaN at i−1 or i gives nothing.
 */
export function thresholdCrossings(x: Float64Array, level: number): LevelCross[] {
  realParam('level', level, -Number.MAX_VALUE, Number.MAX_VALUE);
  const events: LevelCross[] = [];
  for (let i = 1; i < x.length; i++) {
    const xi = x[i]!;
    const xp = x[i - 1]!;
    if (xp <= level && xi > level) events.push({ index: i, kind: 'up', value: xi });
    else if (xp >= level && xi < level) events.push({ index: i, kind: 'down', value: xi });
  }
  return events;
}
