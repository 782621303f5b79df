import { describe, expect, it } from 'vitest';
import { RuleBook } from './book';
import { barBucket } from './policy';
import { bj, on, rule, tick } from './testing';
import type { RuleDefinition, TriggerFrequency } from './types';

const A = '600000.SH';
/** A condition that holds on every quote after the first minute (the price alternates 11, 10, 11 …). */
const always = (frequency: TriggerFrequency, over: Partial<RuleDefinition> = {}) =>
  rule({ kind: 'price-change', minutes: 1, thresholdPercent: 0.0001, direction: 'either' }, on(A), { frequency, ...over });

/** Alternating prices so a 1-minute change is never 0; quotes `stepMs` apart from 10:00; `now` = quote time. */
function fires(def: RuleDefinition, count: number, stepMs = 60_000, book = new RuleBook()): number[] {
  book.add(def);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = bj('10:00') + i * stepMs;
    if (book.onQuote(tick(A, i % 2 ? 10 : 11, t), t).length) out.push(i);
  }
  return out;
}

describe('trigger frequency', () => {
  it('once: the first time only, until re-armed or edited', () => {
    const book = new RuleBook();
    const def = always({ mode: 'once' });
    expect(fires(def, 5, 60_000, book)).toEqual([1]);
    book.rearm(def.id);
    expect(book.onQuote(tick(A, 12, bj('10:10')), bj('10:10'))).toHaveLength(1);
    expect(book.onQuote(tick(A, 11, bj('10:11')), bj('10:11'))).toHaveLength(0);
    book.update({ ...def, severity: 'critical' });
    expect(book.onQuote(tick(A, 12, bj('10:12')), bj('10:12'))[0]).toMatchObject({ severity: 'critical' });
  });

  it('every with a cooldown: never two within the cooldown; cooldown 0 fires every time', () => {
    expect(fires(always({ mode: 'every', cooldownSeconds: 150 }), 10)).toEqual([1, 4, 7]);
    expect(fires(always({ mode: 'every', cooldownSeconds: 120 }), 8)).toEqual([1, 3, 5, 7]);
    expect(fires(always({ mode: 'every', cooldownSeconds: 0 }), 4)).toEqual([1, 2, 3]);
  });

  it('once-per-bar: once in each bucket of the event time', () => {
    // Quotes every 2 minutes from 10:00; 5-minute buckets 10:00, 10:05, 10:10 …
    expect(fires(always({ mode: 'once-per-bar', bar: '5m' }), 9, 120_000)).toEqual([1, 3, 5, 8]);
    expect(fires(always({ mode: 'once-per-bar', bar: 'day' }), 30)).toEqual([1]);
  });

  it('60m buckets follow the A-share hour bars (09:30, 10:30, 13:00, 14:00)', () => {
    const b = (t: string) => barBucket('60m', bj(t));
    expect(b('09:30')).toBe(b('10:29'));
    expect(b('10:30')).not.toBe(b('10:29'));
    expect(b('10:30')).toBe(b('11:30'));
    expect(b('13:00')).toBe(b('13:59'));
    expect(b('14:00')).not.toBe(b('13:59'));
    expect(b('14:00')).toBe(b('15:00'));
    expect(barBucket('5m', bj('10:04:59'))).not.toBe(barBucket('5m', bj('10:05')));
    expect(barBucket('day', bj('23:59', '2026-03-02'))).not.toBe(barBucket('day', bj('00:00', '2026-03-03')));
  });

  it('expiry: inactive from expiresAt on (not evaluated at all)', () => {
    const book = new RuleBook();
    const def = always({ mode: 'every', cooldownSeconds: 0 }, { expiresAt: bj('10:03') });
    expect(fires(def, 6, 60_000, book)).toEqual([1, 2]);
    expect(book.evaluationsOf(def.id)).toBe(3);
  });

  it('enabled false: never evaluated; enabling is an edit', () => {
    const book = new RuleBook();
    const def = always({ mode: 'every', cooldownSeconds: 0 }, { enabled: false });
    expect(fires(def, 3, 60_000, book)).toEqual([]);
    expect(book.evaluationsOf(def.id)).toBe(0);
    book.update({ ...def, enabled: true });
    expect(book.onQuote(tick(A, 10, bj('10:03')), bj('10:03'))).toHaveLength(1);
  });

  it('state is per symbol: a watchlist rule with once fires once for each symbol', () => {
    const book = new RuleBook();
    book.add(rule({ kind: 'price-cross', level: 10, direction: 'up' }, { type: 'watchlist', symbols: [A, '000001.SZ'] }, { frequency: { mode: 'once' } }));
    for (const s of [A, '000001.SZ']) book.onQuote(tick(s, 9, '10:00'), 0);
    expect(book.onQuote(tick(A, 11, '10:01'), 0)).toHaveLength(1);
    expect(book.onQuote(tick('000001.SZ', 11, '10:01'), 0)).toHaveLength(1);
    book.onQuote(tick(A, 9, '10:02'), 0);
    expect(book.onQuote(tick(A, 11, '10:03'), 0)).toHaveLength(0);
  });
});
