/**
 * The indicator rule, evaluated on a bar close: a line (the close, or an indicator) crossing
 * another line or a level on the bar just closed. Crossing follows engine/signals/crossings.ts:
 * up when a[prev] ≤ b[prev] and a[now] > b[now], down when a[prev] ≥ b[prev] and a[now] < b[now];
 * NaN on either bar (an indicator still warming up) gives nothing. Indicator values come from an
 * IndicatorFeed: `registryFeed` computes them with the indicator registry (what the module should
 * pass), `smaFeed` covers moving averages of the close without it.
 */
import { calculate, type Convention, type Registry } from '../indicators/registry';
import type { Hit } from './quote-conditions';
import type { BarClose, Direction, IndicatorFeed, IndicatorLineSpec, LineSpec, RuleCondition } from './types';

type IndicatorCross = Extract<RuleCondition, { kind: 'indicator-cross' }>;

export function lastTwo(spec: LineSpec | number, bar: BarClose, feed: IndicatorFeed): readonly [number, number] | undefined {
  if (typeof spec === 'number') return [spec, spec];
  if (spec === 'close') {
    const n = bar.closes.length;
    return n >= 2 ? [bar.closes[n - 2]!, bar.closes[n - 1]!] : undefined;
  }
  return feed.lastTwo(spec, bar);
}

export function crossesLine(direction: Direction, a: readonly [number, number], b: readonly [number, number]): boolean {
  const up = a[0] <= b[0] && a[1] > b[1];
  const down = a[0] >= b[0] && a[1] < b[1];
  return direction === 'up' ? up : direction === 'down' ? down : up || down;
}

export function indicatorCross(c: IndicatorCross, bar: BarClose, feed: IndicatorFeed): Hit | null {
  if (bar.period !== c.period) return null;
  const a = lastTwo(c.line, bar, feed);
  const b = a && lastTwo(c.against, bar, feed);
  if (!a || !b || !crossesLine(c.direction, a, b)) return null;
  return { value: a[1], threshold: b[1], unit: 'price' };
}

/** The mean of closes[end − period + 1 … end], NaN when the series is shorter. */
function meanEndingAt(closes: Float64Array, end: number, period: number): number {
  if (end - period + 1 < 0) return NaN;
  let total = 0;
  for (let i = end - period + 1; i <= end; i++) total += closes[i]!;
  return total / period;
}

/**
 * MA/SMA of the close with `params.period` (default 5), at the last two bars only — O(period), not
 * the whole series. The same values as indicators/talib's sma (a plain mean over the window).
 */
export const smaFeed: IndicatorFeed = {
  lastTwo(spec: IndicatorLineSpec, bar: BarClose) {
    const name = spec.indicator.toUpperCase();
    if (name !== 'MA' && name !== 'SMA') return undefined;
    const period = spec.params?.period ?? 5;
    if (!Number.isInteger(period) || period < 1) return undefined;
    const end = bar.closes.length - 1;
    return [meanEndingAt(bar.closes, end - 1, period), meanEndingAt(bar.closes, end, period)];
  },
};

/**
 * Any indicator of the registry (e.g. INDICATORS from engine/indicators): computed over the bar's
 * columns (the closes, plus `bar.columns` for indicators that need high, low or volume), with the
 * registry's parameter checks; the line is `spec.output` or the indicator's first output, in
 * `spec.convention` when the spec names one (else `convention`). An
 * unknown indicator, a missing column or too short a series answers undefined (the rule stays
 * silent) rather than throwing into the quote path.
 */
export function registryFeed(registry: Registry, convention: Convention = 'talib'): IndicatorFeed {
  return {
    lastTwo(spec, bar) {
      const def = registry.find(spec.indicator, spec.convention ?? convention);
      if (!def) return undefined;
      const n = bar.closes.length;
      let line: Float64Array | undefined;
      try {
        const { outputs } = calculate(def, { ...bar.columns, close: bar.closes }, n, spec.params);
        line = outputs[spec.output ?? def.outputs[0]!.name];
      } catch {
        return undefined;
      }
      return line && n >= 2 ? [line[n - 2]!, line[n - 1]!] : undefined;
    },
  };
}
