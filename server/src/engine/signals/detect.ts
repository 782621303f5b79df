/**
 * The default signal set traders expect on a daily chart, from the TDX-convention indicator kernels
 * (indicators/tdx) and the detectors of this folder:
 *
 * | rule          | kinds                                  | meaning                                              |
 * |---------------|----------------------------------------|------------------------------------------------------|
 * | `ma_cross`    | golden / death                         | MA(fast) crosses above / below MA(slow); MA5 × MA20  |
 * | `macd_cross`  | golden / death                         | DIF crosses above / below DEA; MACD(12,26,9)         |
 * | `kdj_cross`   | golden / death                         | K crosses above / below D; KDJ(9,3,3)                |
 * | `rsi_level`   | overbought_enter / overbought_exit     | RSI(6) crosses above / back below 80                 |
 * |               | oversold_enter / oversold_exit         | RSI(6) crosses below / back above 20                 |
 * | `new_extreme` | new_high / new_low                     | high (low) beyond the previous 20 bars' high (low)   |
 * | `limit`       | limit_up / limit_down / …_touched      | close at a limit price, or high/low reached it       |
 *
 * Directions: golden, new_high, limit_up(_touched) and the oversold events are bullish; death,
 * new_low, limit_down(_touched) and the overbought events are bearish. Entering a zone is the
 * warning (超买/超卖), leaving it the classic signal (RSI falling back under 80 = sell, rising back
 * over 20 = buy); both point the same way.
 *
 * Crossing and tie rules are those of `crossovers` / `thresholdCrossings` (crossings.ts). The TDX
 * kernels seed their recursive averages with the first bar, so MACD and KDJ crosses on the first
 * bars of a series say little, and events depend on where the series starts: pass the bars before
 * the range of interest as warm-up and set `from` to keep only events from there on.
 */
import type { BarSeries } from '../bars/series';
import { assertFinite, IndicatorProblem, realParam } from '../indicators/problem';
import { kdj, ma, macd, rsi } from '../indicators/tdx';
import { crossovers, thresholdCrossings, type CrossKind } from './crossings';
import { newHighs, newLows, type NewExtreme } from './extremes';
import { limitDays, type LimitInstrument, type LimitKind } from './limits';

export type SignalRule = 'ma_cross' | 'macd_cross' | 'kdj_cross' | 'rsi_level' | 'new_extreme' | 'limit';

/** Every rule, in the order events of one bar are listed. */
export const SIGNAL_RULES: readonly SignalRule[] = ['ma_cross', 'macd_cross', 'kdj_cross', 'rsi_level', 'new_extreme', 'limit'];

export type SignalDirection = 'bullish' | 'bearish';
export type RsiLevelKind = 'overbought_enter' | 'overbought_exit' | 'oversold_enter' | 'oversold_exit';
export type ExtremeSignalKind = 'new_high' | 'new_low';

interface Event<R extends SignalRule, K extends string, V> {
  /** Bar index in the series. */
  index: number;
  /** The bar's time (bars/time.ts). */
  ts: number;
  rule: R;
  kind: K;
  direction: SignalDirection;
  /** The values that made the event, at its bar. */
  values: V;
}

/**
 * One detected event. `values` by rule: ma_cross {fast, slow} (the two MAs); macd_cross {dif, dea,
 * macd}; kdj_cross {k, d, j}; rsi_level {rsi, level}; new_extreme {price, prior} (the bar's high or
 * low, and the previous N bars' highest or lowest); limit {close, prevClose, limitUp, limitDown, pct}.
 */
export type SignalEvent =
  | Event<'ma_cross', CrossKind, { fast: number; slow: number }>
  | Event<'macd_cross', CrossKind, { dif: number; dea: number; macd: number }>
  | Event<'kdj_cross', CrossKind, { k: number; d: number; j: number }>
  | Event<'rsi_level', RsiLevelKind, { rsi: number; level: number }>
  | Event<'new_extreme', ExtremeSignalKind, { price: number; prior: number }>
  | Event<'limit', LimitKind, { close: number; prevClose: number; limitUp: number; limitDown: number; pct: number }>;

/** The events of one rule, e.g. `SignalEventOf<'limit'>` with its typed `values`. */
export type SignalEventOf<R extends SignalRule> = Extract<SignalEvent, { rule: R }>;

/** Narrows a list of events to one rule's. */
export function eventsOf<R extends SignalRule>(events: readonly SignalEvent[], rule: R): SignalEventOf<R>[] {
  return events.filter((e): e is SignalEventOf<R> => e.rule === rule);
}

export interface SignalOptions {
  /**
   * The rules to run (default: all of SIGNAL_RULES; `limit` runs only when `limit.instrument` is
   * given, and asking for it without one is an error).
   */
  rules?: readonly SignalRule[];
  /** MA periods; default fast 5, slow 20. */
  ma?: { fast?: number; slow?: number };
  /** MACD(fast, slow, signal); default 12, 26, 9. */
  macd?: { fast?: number; slow?: number; signal?: number };
  /** KDJ(n, m1, m2); default 9, 3, 3. */
  kdj?: { n?: number; m1?: number; m2?: number };
  /** RSI period and zone levels; default 6, overbought 80, oversold 20. */
  rsi?: { period?: number; overbought?: number; oversold?: number };
  /** N of the N-bar new high/low; default 20. */
  extreme?: { period?: number };
  /** The instrument facts the price limit depends on, and limitDays' options (touched: default true). */
  limit?: { instrument: LimitInstrument; touched?: boolean; prevClose?: Float64Array };
  /** Report only events at bar index ≥ from (default 0); earlier bars still feed the indicators. */
  from?: number;
}

export const DEFAULT_SIGNAL_OPTIONS = {
  ma: { fast: 5, slow: 20 },
  macd: { fast: 12, slow: 26, signal: 9 },
  kdj: { n: 9, m1: 3, m2: 3 },
  rsi: { period: 6, overbought: 80, oversold: 20 },
  extreme: { period: 20 },
} as const;

const crossDirection = (kind: CrossKind): SignalDirection => (kind === 'golden' ? 'bullish' : 'bearish');

/** The events of the chosen rules, ordered by bar, then by SIGNAL_RULES order, then as each rule found them. */
export function detectSignals(bars: BarSeries, options: SignalOptions = {}): SignalEvent[] {
  const length = bars.length;
  const ts = bars.ts;
  const high = bars.high.subarray(0, length);
  const low = bars.low.subarray(0, length);
  const close = bars.close.subarray(0, length);
  const rules = new Set(options.rules ?? SIGNAL_RULES.filter((r) => r !== 'limit' || options.limit !== undefined));
  for (const rule of rules) {
    if (!SIGNAL_RULES.includes(rule)) throw new IndicatorProblem('parameter', `unknown signal rule ${String(rule)}`, 'rules');
  }
  if (rules.has('limit') && !options.limit) {
    throw new IndicatorProblem('parameter', 'the limit rule needs limit.instrument (board, ST status, listing date)', 'limit');
  }
  const from = options.from ?? 0;
  if (!Number.isInteger(from) || from < 0) throw new IndicatorProblem('parameter', `from must be an integer ≥ 0, got ${from}`, 'from');
  if (rules.has('ma_cross') || rules.has('macd_cross') || rules.has('rsi_level') || rules.has('kdj_cross')) assertFinite('close', close);
  if (rules.has('kdj_cross') || rules.has('new_extreme')) {
    assertFinite('high', high);
    assertFinite('low', low);
  }

  // One list per rule, each in bar order, merged at the end.
  const lists: SignalEvent[][] = [];

  if (rules.has('ma_cross')) {
    const d = DEFAULT_SIGNAL_OPTIONS.ma;
    const fast = ma(close, options.ma?.fast ?? d.fast);
    const slow = ma(close, options.ma?.slow ?? d.slow);
    lists.push(
      crossovers(fast, slow).map(({ index, kind, a, b }) => ({
        index,
        ts: ts[index]!,
        rule: 'ma_cross',
        kind,
        direction: crossDirection(kind),
        values: { fast: a, slow: b },
      })),
    );
  }

  if (rules.has('macd_cross')) {
    const d = DEFAULT_SIGNAL_OPTIONS.macd;
    const m = macd(close, options.macd?.fast ?? d.fast, options.macd?.slow ?? d.slow, options.macd?.signal ?? d.signal);
    lists.push(
      crossovers(m.dif, m.dea).map(({ index, kind, a, b }) => ({
        index,
        ts: ts[index]!,
        rule: 'macd_cross',
        kind,
        direction: crossDirection(kind),
        values: { dif: a, dea: b, macd: m.macd[index]! },
      })),
    );
  }

  if (rules.has('kdj_cross')) {
    const d = DEFAULT_SIGNAL_OPTIONS.kdj;
    const k = kdj(high, low, close, options.kdj?.n ?? d.n, options.kdj?.m1 ?? d.m1, options.kdj?.m2 ?? d.m2);
    lists.push(
      crossovers(k.k, k.d).map(({ index, kind, a, b }) => ({
        index,
        ts: ts[index]!,
        rule: 'kdj_cross',
        kind,
        direction: crossDirection(kind),
        values: { k: a, d: b, j: k.j[index]! },
      })),
    );
  }

  if (rules.has('rsi_level')) {
    const d = DEFAULT_SIGNAL_OPTIONS.rsi;
    const overbought = realParam('rsi.overbought', options.rsi?.overbought ?? d.overbought, 0, 100);
    const oversold = realParam('rsi.oversold', options.rsi?.oversold ?? d.oversold, 0, overbought);
    const r = rsi(close, options.rsi?.period ?? d.period);
    const over = thresholdCrossings(r, overbought);
    const under = thresholdCrossings(r, oversold);
    const list: SignalEvent[] = [];
    // Merged by bar; on one bar (a jump across both levels) in the order the line passed them:
    // the higher level first on the way down, the lower first on the way up.
    for (let o = 0, u = 0; o < over.length || u < under.length; ) {
      const a = over[o];
      const b = under[u];
      const overFirst = !b || (a !== undefined && (a.index < b.index || (a.index === b.index && a.kind === 'down')));
      const c = overFirst ? over[o++]! : under[u++]!;
      const kind: RsiLevelKind = overFirst
        ? c.kind === 'up'
          ? 'overbought_enter'
          : 'overbought_exit'
        : c.kind === 'down'
          ? 'oversold_enter'
          : 'oversold_exit';
      list.push({
        index: c.index,
        ts: ts[c.index]!,
        rule: 'rsi_level',
        kind,
        direction: overFirst ? 'bearish' : 'bullish',
        values: { rsi: c.value, level: overFirst ? overbought : oversold },
      });
    }
    lists.push(list);
  }

  if (rules.has('new_extreme')) {
    const n = options.extreme?.period ?? DEFAULT_SIGNAL_OPTIONS.extreme.period;
    const extreme = (e: NewExtreme): SignalEvent => ({
      index: e.index,
      ts: ts[e.index]!,
      rule: 'new_extreme',
      kind: e.kind,
      direction: e.kind === 'new_high' ? 'bullish' : 'bearish',
      values: { price: e.value, prior: e.prior },
    });
    // Highs before lows on a bar that makes both (an outside bar).
    lists.push(newHighs(high, n).map(extreme), newLows(low, n).map(extreme));
  }

  if (rules.has('limit') && options.limit) {
    const { instrument, touched, prevClose } = options.limit;
    lists.push(
      limitDays(bars, instrument, { touched, prevClose }).map((d) => ({
        index: d.index,
        ts: ts[d.index]!,
        rule: 'limit',
        kind: d.kind,
        direction: d.kind === 'limit_up' || d.kind === 'limit_up_touched' ? 'bullish' : 'bearish',
        values: { close: d.close, prevClose: d.prevClose, limitUp: d.limitUp, limitDown: d.limitDown, pct: d.pct },
      })),
    );
  }

  return merge(lists, from);
}

/**
 * The lists (each in bar order, given in rule order) as one list in bar order, earlier lists first
 * on a shared bar; events before bar `from` dropped.
 */
function merge(lists: SignalEvent[][], from: number): SignalEvent[] {
  const at = lists.map((list) => {
    let k = 0;
    while (k < list.length && list[k]!.index < from) k++;
    return k;
  });
  const out: SignalEvent[] = [];
  for (;;) {
    let best = -1;
    let bestIndex = Infinity;
    for (let l = 0; l < lists.length; l++) {
      const e = lists[l]![at[l]!];
      if (e && e.index < bestIndex) {
        best = l;
        bestIndex = e.index;
      }
    }
    if (best < 0) return out;
    out.push(lists[best]![at[best]!++]!);
  }
}
