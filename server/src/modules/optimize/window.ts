/**
 * A walk-forward window's bars, cut from the optimization's dataset (loaded once): what loadBars
 * (modules/backtest/job.ts) answers for a backtest from `start` to `end` — each symbol's bars up to
 * the window's last day (its history before `start` kept for indicator warm-up, nothing after
 * `end`, so an in-sample run never sees an out-of-sample bar), the benchmark's closes within the
 * window, and the fingerprint loadBars would compute of them. Views on the loaded columns, no copy.
 *
 * So a window trial's document is byte for byte a standalone backtest's of the same config when
 * the cache holds the bars as stored (a stored adjustment, or none): qfq/hfq computed from factors
 * are anchored by the bars loaded, and the whole range's anchor may differ from the window's.
 */
import { barsUpTo, sliceSeries } from '../../engine/bars/series';
import { formatTs, parseTimeString } from '../../engine/bars/time';
import { fingerprintOf, type LoadedBars } from '../backtest/job';

/** The trading days of the loaded range, ascending (YYYY-MM-DD): the days any symbol has a bar on. */
export function tradingDays(loaded: LoadedBars): string[] {
  const days = new Set<string>();
  for (const { bars } of loaded.data) {
    for (let i = barsUpTo(bars, loaded.start - 1); i < bars.length && bars.ts[i]! <= loaded.end; i++) days.add(formatTs(bars.ts[i]!, 'day'));
  }
  return [...days].sort();
}

/** The loaded bars as a backtest from `start` to `end` (YYYY-MM-DD, within the loaded range) would load them. */
export function windowBars(loaded: LoadedBars, period: string, adjust: string, start: string, end: string): LoadedBars {
  const from = parseTimeString(start)!;
  const to = parseTimeString(end)! + 86_399;
  let barsTotal = 0;
  const data = loaded.data.map((d) => {
    const bars = sliceSeries(d.bars, 0, barsUpTo(d.bars, to));
    barsTotal += bars.length - barsUpTo(bars, from - 1);
    return { ...d, bars };
  });
  let benchmark = loaded.benchmark;
  if (benchmark) {
    const dates: string[] = [];
    const close: number[] = [];
    benchmark.dates.forEach((date, i) => {
      if (date >= start && date <= end) {
        dates.push(date);
        close.push(benchmark!.close[i]!);
      }
    });
    benchmark = { symbol: benchmark.symbol, dates, close };
  }
  const adjusts = loaded.adjusts ?? data.map(() => adjust);
  const fingerprint = fingerprintOf(period, data.map((d, i) => ({ symbol: d.symbol, adjust: adjusts[i]!, bars: d.bars })), benchmark);
  return { data, start: from, end: to, barsTotal, benchmark, warnings: loaded.warnings, fingerprint, adjusts };
}
