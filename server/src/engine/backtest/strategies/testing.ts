/** Bars and runs for the strategies' tests (not used by the strategies themselves). */
import { allocateSeries, setBar, sliceSeries, type BarSeries } from '../../bars/series';
import { formatDate, tsOf } from '../../bars/time';
import { runBacktest, type BacktestRun, type BacktestSymbolData } from '../engine';
import { resolveStrategyParams, type StrategyDefinition } from '../strategy';

export interface BarSpec {
  close: number;
  /** Default: the previous close (the close on bar 0). */
  open?: number;
  /** Default: max(open, close). */
  high?: number;
  /** Default: min(open, close). */
  low?: number;
}

/** The weekday dates from 2024-01-02 (bar 0), as the bar builders lay them out. */
export function weekdays(count: number, from: [number, number, number] = [2024, 1, 2]): number[] {
  const out: number[] = [];
  let day = tsOf(...from);
  while (out.length < count) {
    if (![0, 6].includes(new Date(day * 1000).getUTCDay())) out.push(day);
    day += 86_400;
  }
  return out;
}

/**
 * Daily bars on consecutive weekdays from 2024-01-02 (bar i on weekday i); open = previous close
 * unless given. `skip` leaves those bars out (a suspension: no bar that day).
 */
export function dailyBars(specs: readonly (number | BarSpec)[], skip: readonly number[] = []): BarSeries {
  const bars = allocateSeries(specs.length);
  const days = weekdays(specs.length);
  let prev: number | undefined;
  let n = 0;
  specs.forEach((s, i) => {
    const b = typeof s === 'number' ? { close: s } : s;
    const open = b.open ?? prev ?? b.close;
    if (!skip.includes(i)) setBar(bars, n++, days[i]!, open, b.high ?? Math.max(open, b.close), b.low ?? Math.min(open, b.close), b.close, 1e7, b.close * 1e7);
    prev = b.close;
  });
  return sliceSeries(bars, 0, n);
}

/** The date of bar i of dailyBars. */
export const dateOf = (i: number): string => formatDate(weekdays(i + 1).at(-1)!);

/** A seeded random walk of daily bars (mulberry32), highs and lows around open and close. */
export function syntheticBars(count: number, seed: number, start = 10): BarSeries {
  let a = seed >>> 0;
  const random = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const specs: BarSpec[] = [];
  let close = start;
  for (let i = 0; i < count; i++) {
    const open = close;
    // Steps within ±4 % so no bar touches a ±10 % limit; rounded to the fen.
    close = Math.max(1, Math.round(open * (1 + (random() - 0.5) * 0.08) * 100) / 100);
    const high = Math.round(Math.max(open, close) * (1 + random() * 0.01) * 100) / 100;
    const low = Math.round(Math.min(open, close) * (1 - random() * 0.01) * 100) / 100;
    specs.push({ open, close, high, low });
  }
  return dailyBars(specs);
}

/** Runs a definition with the given parameters (defaults filled in) over the data. */
export function runStrategy<P extends Record<string, number>>(
  def: StrategyDefinition<P>,
  params: Partial<Record<string, number>>,
  data: readonly BacktestSymbolData[],
  initialCashFen = 10_000_000,
): BacktestRun {
  return runBacktest({ data, initialCashFen }, def.create(resolveStrategyParams(def, params)));
}

/** Fills as [date, symbol, side, quantity]. */
export function fillRows(run: BacktestRun): [string, string, string, number][] {
  return run.fills.map((f) => [formatDate(f.day), f.symbol, f.side, f.quantity]);
}

/** Submission dates of every order (accepted or not). */
export function orderDates(run: BacktestRun): string[] {
  return run.orders.map((o) => formatDate(o.submittedDay));
}
