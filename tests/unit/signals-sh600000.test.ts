/**
 * The signal detectors on real bars: 600000.SH (浦发银行, main board, never ST in this period) daily
 * and unadjusted, 1999-11-10 … 2025-08-05, from ../shared/data/reference/talib-sh600000-daily.json
 * (relative to the repo root). Each fact is checked against an independent computation here, in
 * whole fen (integers), so no float rounding decides anything.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { allocateSeries, setBar, type BarSeries } from '../../server/src/engine/bars/series';
import { formatDate, tsOf } from '../../server/src/engine/bars/time';
import { classify } from '../../server/src/engine/market/symbols';
import { referenceBars, type ReferenceBars } from '../helpers/reference';
import { skipWithoutSharedData } from '../helpers/shared-data';
import { detectSignals, eventsOf, limitDays, type SignalEvent, type SignalEventOf } from '../../server/src/engine/signals';

const noData = skipWithoutSharedData('the signals on 600000.SH daily bars (signals-sh600000.test.ts)');

const fen = (x: number) => Math.round(x * 100);

/** prev × (100 ± 10) / 100 rounded half-up, in BigInt fen: the rule, computed another way. */
const limitFen = (prev: number, percent: number) => Number((BigInt(prev) * BigInt(100 + percent) + 50n) / 100n);

const { board } = classify('600000', 'SH');

// The real bars and their signals, read when the suite runs (it is skipped without ../shared/data).
let raw: ReferenceBars, n: number, bars: BarSeries, closeFen: number[], highFen: number[], lowFen: number[], events: SignalEvent[];
const of = <R extends SignalEvent['rule']>(rule: R, kind: string) => eventsOf(events, rule).filter((e) => e.kind === kind);

describe.skipIf(noData)('signals on 600000.SH daily bars', () => {
  beforeAll(() => {
    raw = referenceBars();
    n = raw.date.length;
    bars = allocateSeries(n);
    for (let i = 0; i < n; i++) {
      const d = raw.date[i]!;
      setBar(bars, i, tsOf(Math.floor(d / 10_000), Math.floor(d / 100) % 100, d % 100), raw.open[i]!, raw.high[i]!, raw.low[i]!, raw.close[i]!, raw.volume[i]!, raw.amount[i]!);
    }
    bars.length = n;
    closeFen = raw.close.map(fen);
    highFen = raw.high.map(fen);
    lowFen = raw.low.map(fen);
    events = detectSignals(bars, { limit: { instrument: { board, st: false } } });
  });

  it('is the main board, every price whole fen', () => {
    expect(board).toBe('main');
    expect(n).toBe(6119);
    for (const x of [...raw.close, ...raw.high, ...raw.low]) expect(Math.abs(x * 100 - fen(x))).toBeLessThan(1e-6);
  });

  it('finds the MA5 × MA20 crosses of an exact integer loop', () => {
    // MA5 > MA20 ⇔ 4·SUM5 > SUM20, in fen: no rounding at all.
    const golden: number[] = [];
    const death: number[] = [];
    const diff = (i: number) => {
      let s5 = 0;
      let s20 = 0;
      for (let j = i - 19; j <= i; j++) s20 += closeFen[j]!;
      for (let j = i - 4; j <= i; j++) s5 += closeFen[j]!;
      return 4 * s5 - s20;
    };
    for (let i = 20; i < n; i++) {
      const before = diff(i - 1);
      const now = diff(i);
      if (before <= 0 && now > 0) golden.push(i);
      if (before >= 0 && now < 0) death.push(i);
    }
    expect(golden.length).toBe(176);
    expect(death.length).toBe(176);
    expect(of('ma_cross', 'golden').map((e) => e.index)).toEqual(golden);
    expect(of('ma_cross', 'death').map((e) => e.index)).toEqual(death);
  });

  it('finds the 20-day new highs and lows of a plain loop', () => {
    const highs: number[] = [];
    const lows: number[] = [];
    for (let i = 20; i < n; i++) {
      const window = (col: number[]) => col.slice(i - 20, i);
      if (highFen[i]! > Math.max(...window(highFen))) highs.push(i);
      if (lowFen[i]! < Math.min(...window(lowFen))) lows.push(i);
    }
    expect([highs.length, lows.length]).toEqual([664, 688]);
    expect(of('new_extreme', 'new_high').map((e) => e.index)).toEqual(highs);
    expect(of('new_extreme', 'new_low').map((e) => e.index)).toEqual(lows);
  });

  it('finds exactly the closes at round(prev × 1.1) and round(prev × 0.9)', () => {
    const ups: number[] = [];
    const downs: number[] = [];
    for (let i = 1; i < n; i++) {
      if (closeFen[i] === limitFen(closeFen[i - 1]!, 10)) ups.push(i);
      if (closeFen[i] === limitFen(closeFen[i - 1]!, -10)) downs.push(i);
    }
    expect([ups.length, downs.length]).toEqual([18, 8]);
    const limitUp = of('limit', 'limit_up');
    const limitDown = of('limit', 'limit_down');
    expect(limitUp.map((e) => e.index)).toEqual(ups);
    expect(limitDown.map((e) => e.index)).toEqual(downs);
    for (const e of limitUp) expect(fen(e.values.close)).toBe(limitFen(closeFen[e.index - 1]!, 10));
    for (const e of limitDown) expect(fen(e.values.close)).toBe(limitFen(closeFen[e.index - 1]!, -10));
    // The bank rescue of 2008-09-19 (13.87 → 15.26, 15.257 rounded) and the margin-crackdown
    // sell-off of 2015-01-19 (16.47 → 14.82, 14.823 rounded).
    const on = (list: SignalEventOf<'limit'>[], date: string) => list.find((e) => formatDate(e.ts) === date)?.values;
    expect(on(limitUp, '2008-09-19')).toMatchObject({ prevClose: 13.87, close: 15.26, limitUp: 15.26, pct: 0.1 });
    expect(on(limitDown, '2015-01-19')).toMatchObject({ prevClose: 16.47, close: 14.82, limitDown: 14.82 });
  });

  it('tells a close at the limit from a high that only reached it', () => {
    // 2007-03-19: 23.11 → 25.37 (+9.8 %), high 25.42 = round(23.11 × 1.1): touched, not sealed.
    const day = eventsOf(events, 'limit').filter((e) => formatDate(e.ts) === '2007-03-19');
    expect(day.map((e) => [e.kind, e.values.limitUp, e.values.close])).toEqual([['limit_up_touched', 25.42, 25.37]]);
  });

  it('never reports a close beyond the band computed from the previous close as a limit day', () => {
    // No close lies above the computed limit-up. Seven lie below the computed limit-down: for a
    // main-board stock that only happens on ex-rights days, whose reference price is below the
    // last close — and those are not limit-down closes.
    const below: number[] = [];
    for (let i = 1; i < n; i++) {
      expect(closeFen[i]!).toBeLessThanOrEqual(limitFen(closeFen[i - 1]!, 10));
      if (closeFen[i]! < limitFen(closeFen[i - 1]!, -10)) below.push(i);
    }
    expect(below.map((i) => formatDate(bars.ts[i]!))).toEqual(['2002-08-22', '2008-04-24', '2009-06-09', '2010-06-10', '2011-06-03', '2016-06-23', '2017-05-25']);
    expect(events.filter((e) => e.rule === 'limit' && below.includes(e.index))).toEqual([]);
  });

  it('reports touched days by their definition', () => {
    const touched = limitDays(bars, { board }).filter((d) => d.kind.endsWith('touched'));
    for (const d of touched) {
      const i = d.index;
      const [up, down] = [limitFen(closeFen[i - 1]!, 10), limitFen(closeFen[i - 1]!, -10)];
      expect(d.kind === 'limit_up_touched' ? highFen[i]! >= up && closeFen[i]! < up : lowFen[i]! <= down && closeFen[i]! > down).toBe(true);
    }
    expect(touched.filter((d) => d.kind === 'limit_up_touched')).toHaveLength(16);
    expect(touched.filter((d) => d.kind === 'limit_down_touched')).toHaveLength(12);
  });
});
