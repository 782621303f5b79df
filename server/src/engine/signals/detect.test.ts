import { describe, expect, it } from 'vitest';
import { allocateSeries, setBar, type BarSeries } from '../bars/series';
import { tsOf } from '../bars/time';
import { kdj, ma, macd, rsi } from '../indicators/tdx';
import { crossovers, thresholdCrossings } from './crossings';
import { detectSignals, SIGNAL_RULES, type SignalEvent } from './detect';
import { newHighs, newLows } from './extremes';

const fen = (x: number) => Math.round(x * 100) / 100;

/** Daily bars on consecutive days from closes; high/low = close ± spread. */
function series(closes: number[], spread: (i: number) => number = () => 0.05): BarSeries {
  const s = allocateSeries(closes.length);
  closes.forEach((c, i) => {
    const ts = tsOf(2024, 1, 1) + i * 86_400;
    setBar(s, i, ts, c, fen(c + spread(i)), fen(c - spread(i)), c, 1e6, 1e6 * c);
  });
  s.length = closes.length;
  return s;
}

/**
 * A tent and then waves: flat at 10.00 for bars 0–29, up 0.10 a bar to 13.00 at bar 59, down 0.10
 * a bar to 10.00 at bar 89, then two sines (periods 37 and 11 bars) to bar 299.
 */
function path(): number[] {
  const closes: number[] = [];
  for (let i = 0; i < 300; i++) {
    if (i < 30) closes.push(10);
    else if (i < 60) closes.push(fen(10 + 0.1 * (i - 29)));
    else if (i < 90) closes.push(fen(13 - 0.1 * (i - 59)));
    else closes.push(fen(10 + 1.5 * Math.sin((2 * Math.PI * (i - 89)) / 37) + 0.3 * Math.sin((2 * Math.PI * (i - 89)) / 11)));
  }
  return closes;
}

const at = (events: SignalEvent[], index: number) => events.filter((e) => e.index === index).map((e) => `${e.rule}:${e.kind}`);
const indicesOf = (events: SignalEvent[], rule: string, kind: string) => events.filter((e) => e.rule === rule && e.kind === kind).map((e) => e.index);

describe('detectSignals', () => {
  const bars = series(path(), (i) => (i < 90 ? 0.05 : 0.05 + 0.03 * Math.abs(Math.sin(i))));
  const events = detectSignals(bars);

  it('finds the tent’s events where they can be worked out by hand', () => {
    // Bar 30, the first rise out of the flat: every line leaves a tie upward.
    // MA5 = (4·10 + 10.1)/5 = 10.02 > MA20 = (19·10 + 10.1)/20 = 10.005; DIF > DEA = 0.2·DIF;
    // RSV = (10.10 − 9.95)/(10.15 − 9.95) = 75 → K = 58.33 > D = 52.78; RSI(6) 50 → 100;
    // high 10.15 above the 20 previous highs of 10.05.
    expect(at(events, 30)).toEqual(['ma_cross:golden', 'macd_cross:golden', 'kdj_cross:golden', 'rsi_level:overbought_enter', 'new_extreme:new_high']);
    const bar30 = events.filter((e) => e.index === 30);
    expect(bar30[0]!.values).toEqual({ fast: expect.closeTo(10.02, 12), slow: expect.closeTo(10.005, 12) });
    expect(bar30[2]!.values).toMatchObject({ k: expect.closeTo(175 / 3, 9), d: expect.closeTo(475 / 9, 9) });
    expect(bar30.map((e) => e.direction)).toEqual(['bullish', 'bullish', 'bullish', 'bearish', 'bullish']);
    expect(bar30[0]!.ts).toBe(tsOf(2024, 1, 31));

    // Every bar of the rise is a new 20-day high; the fall's lows are new from bar 70: at bar 69
    // the low 11.95 only equals bar 49's.
    expect(indicesOf(events, 'new_extreme', 'new_high').filter((i) => i < 90)).toEqual(Array.from({ length: 30 }, (_, k) => 30 + k));
    expect(indicesOf(events, 'new_extreme', 'new_low').filter((i) => i < 90)).toEqual(Array.from({ length: 20 }, (_, k) => 70 + k));

    // K falls under D on the first bar down: RSV (12.90 − 12.25)/0.80 = 81.25 against K ≈ D ≈ 94.4.
    expect(at(events, 60)).toEqual(['kdj_cross:death']);
    // RSI(6): 83.3 at bar 60, 69.4 at bar 61 (leaves 80), under 20 at bar 68 (19.3).
    expect(events.find((e) => e.index === 61)).toMatchObject({ rule: 'rsi_level', kind: 'overbought_exit', direction: 'bearish', values: { rsi: expect.closeTo(69.35, 1), level: 80 } });
    expect(events.find((e) => e.index === 68)).toMatchObject({ rule: 'rsi_level', kind: 'oversold_enter', direction: 'bullish', values: { rsi: expect.closeTo(19.31, 1), level: 20 } });
    // MA5 under MA20 first at bar 67: MA5 12.40 (closes 12.6 … 12.2) < MA20 12.49; at bar 66 12.50 > 12.47.
    const death = events.find((e) => e.rule === 'ma_cross' && e.kind === 'death')!;
    expect(death).toMatchObject({ index: 67, direction: 'bearish', values: { fast: expect.closeTo(12.4, 9), slow: expect.closeTo(12.49, 9) } });
  });

  it('is the detectors over the TDX kernels, rule by rule, over the whole path', () => {
    const { high, low, close } = bars;
    const pick = (rule: string) => events.filter((e) => e.rule === rule).map((e) => `${e.index}:${e.kind}`);
    const crosses = (a: Float64Array, b: Float64Array) => crossovers(a, b).map((c) => `${c.index}:${c.kind}`);
    expect(pick('ma_cross')).toEqual(crosses(ma(close, 5), ma(close, 20)));
    const m = macd(close, 12, 26, 9);
    expect(pick('macd_cross')).toEqual(crosses(m.dif, m.dea));
    const k = kdj(high, low, close, 9, 3, 3);
    expect(pick('kdj_cross')).toEqual(crosses(k.k, k.d));
    const r = rsi(close, 6);
    const zones = [
      ...thresholdCrossings(r, 80).map((c) => ({ i: c.index, s: `${c.index}:${c.kind === 'up' ? 'overbought_enter' : 'overbought_exit'}` })),
      ...thresholdCrossings(r, 20).map((c) => ({ i: c.index, s: `${c.index}:${c.kind === 'down' ? 'oversold_enter' : 'oversold_exit'}` })),
    ];
    expect(pick('rsi_level')).toEqual(zones.sort((a, b) => a.i - b.i).map((z) => z.s));
    const extremes = [...newHighs(high, 20), ...newLows(low, 20)].sort((a, b) => a.index - b.index || (a.kind === 'new_high' ? -1 : 1));
    expect(pick('new_extreme')).toEqual(extremes.map((e) => `${e.index}:${e.kind}`));
    // The waves give each rule several events, in both directions.
    for (const rule of ['ma_cross', 'macd_cross', 'kdj_cross', 'rsi_level', 'new_extreme']) {
      const after = events.filter((e) => e.rule === rule && e.index >= 90);
      expect(new Set(after.map((e) => e.direction)), rule).toEqual(new Set(['bullish', 'bearish']));
    }
    // Ordered by bar, then by rule.
    for (let i = 1; i < events.length; i++) {
      const [a, b] = [events[i - 1]!, events[i]!];
      expect(a.index < b.index || (a.index === b.index && SIGNAL_RULES.indexOf(a.rule) <= SIGNAL_RULES.indexOf(b.rule))).toBe(true);
    }
  });

  it('runs the chosen rules with the chosen parameters, from the chosen bar', () => {
    const only = detectSignals(bars, { rules: ['ma_cross'], ma: { fast: 10, slow: 30 }, from: 90 });
    expect(only.map((e) => `${e.index}:${e.kind}`)).toEqual(
      crossovers(ma(bars.close, 10), ma(bars.close, 30))
        .filter((c) => c.index >= 90)
        .map((c) => `${c.index}:${c.kind}`),
    );
    expect(only.length).toBeGreaterThan(3);
    const rsi14 = detectSignals(bars, { rules: ['rsi_level'], rsi: { period: 14, overbought: 70, oversold: 30 } });
    expect(rsi14.every((e) => e.rule === 'rsi_level' && (e.values.level === 70 || e.values.level === 30))).toBe(true);
    expect(detectSignals(bars, { rules: [] })).toEqual([]);
    // A parameter left undefined takes its default.
    expect(detectSignals(bars, { macd: { fast: undefined }, rsi: { overbought: undefined } })).toEqual(events);
  });

  it('lists a jump across both RSI levels in the order the line passed them', () => {
    const up = Array.from({ length: 12 }, (_, i) => 200 + i); // RSI 100
    const down = Array.from({ length: 12 }, (_, i) => 300 - i); // RSI 0
    const crash = detectSignals(series([...up, 90]), { rules: ['rsi_level'] });
    expect(crash.slice(-2).map((e) => `${e.index}:${e.kind}`)).toEqual(['12:overbought_exit', '12:oversold_enter']);
    const squeeze = detectSignals(series([...down, 500]), { rules: ['rsi_level'] });
    expect(squeeze.slice(-2).map((e) => `${e.index}:${e.kind}`)).toEqual(['12:oversold_exit', '12:overbought_enter']);
  });

  it('adds limit days when given the instrument, and refuses the rule without one', () => {
    const closes = [10, 11, 9.9, 10.2, 10.2];
    const limitBars = series(closes, () => 0);
    const limit = detectSignals(limitBars, { rules: ['limit'], limit: { instrument: { board: 'main' } } });
    expect(limit).toEqual([
      { index: 1, ts: limitBars.ts[1], rule: 'limit', kind: 'limit_up', direction: 'bullish', values: { close: 11, prevClose: 10, limitUp: 11, limitDown: 9, pct: 0.1 } },
      { index: 2, ts: limitBars.ts[2], rule: 'limit', kind: 'limit_down', direction: 'bearish', values: { close: 9.9, prevClose: 11, limitUp: 12.1, limitDown: 9.9, pct: 0.1 } },
    ]);
    // By default the limit rule runs exactly when an instrument is given.
    expect(detectSignals(limitBars).some((e) => e.rule === 'limit')).toBe(false);
    expect(detectSignals(limitBars, { limit: { instrument: { board: 'main' } } }).filter((e) => e.rule === 'limit')).toHaveLength(2);
    expect(() => detectSignals(limitBars, { rules: ['limit'] })).toThrow(/instrument/);
  });

  it('refuses unknown rules, bad parameters and non-finite prices', () => {
    expect(() => detectSignals(bars, { rules: ['golden' as never] })).toThrow(/unknown/);
    expect(() => detectSignals(bars, { ma: { fast: 0 } })).toThrow();
    expect(() => detectSignals(bars, { rsi: { overbought: 20, oversold: 80 } })).toThrow();
    expect(() => detectSignals(bars, { from: -1 })).toThrow();
    const broken = series([10, 10.1, 10.2]);
    broken.close[1] = NaN;
    expect(() => detectSignals(broken)).toThrow(/close\[1\]/);
  });

  it('reads only the first `length` bars of a series with spare capacity', () => {
    const s = allocateSeries(400);
    for (let i = 0; i < bars.length; i++) setBar(s, i, bars.ts[i]!, bars.open[i]!, bars.high[i]!, bars.low[i]!, bars.close[i]!, 1, 1);
    s.length = bars.length;
    expect(detectSignals(s)).toEqual(events);
  });
});
