/**
 * Walk-forward analysis, the pure parts (docs/WALKFORWARD.md): the windows over a range's trading
 * days, the stitched out-of-sample equity and the walk-forward efficiency.
 *
 * Windows. Lengths are in trading days of the dataset's day axis (the days on which any symbol has
 * a bar in the range), not months: a trading day is the unit every metric annualises by (252), and
 * a window of 250 days holds 250 returns whatever the holidays. Window k (k = 0, 1, …), with
 * IS = in-sample length, OOS = out-of-sample length and step = OOS:
 *   rolling:  in sample days[k·OOS … k·OOS + IS − 1]   (slides by OOS)
 *   anchored: in sample days[0 … k·OOS + IS − 1]       (starts at the range's start and grows)
 *   both:     out of sample days[k·OOS + IS … min(k·OOS + IS + OOS, D) − 1]
 * so the out-of-sample windows tile the days after the first IS window without gap or overlap.
 * The last window's OOS is cut at the range's end (a partial window, fewer than OOS days) and kept
 * when it has at least half the OOS length (rounded up) and at least 2 days (one return):
 * a 2-day tail of a 60-day step says nothing about the winner, and an annualised figure of it less.
 * The days after the last window kept are left out.
 *
 * Stitching. Each OOS run starts flat with the initial capital (positions never carry across
 * windows), so each window's result is a standalone backtest of the winner over that window. The
 * stitched curve chains the windows' day-end equities: it starts at the initial capital C, and
 * window w's day j is S_{w−1} · e_w[j] / e_w[0], S_{w−1} the stitched value at the previous
 * window's last day (C before the first). So the stitched daily returns are each window's returns
 * as docs/METRICS.md defines them (its first day the base), with a 0 return on each window's first
 * day — the handover, when the run is flat and its base is taken.
 *
 * Walk-forward efficiency (Pardo, "The Evaluation and Optimization of Trading Strategies", 2nd
 * ed., 2008, ch. 11): annualised out-of-sample return ÷ annualised in-sample return of the
 * optimization. Per window: the winner's OOS annualReturn ÷ its IS annualReturn. Overall: the
 * stitched curve's annualised return ÷ the mean of the winners' IS annualReturns. Null when the
 * in-sample return is ≤ 0 or missing: a ratio against a loss or a flat run does not read as an
 * efficiency (a negative over a negative would look like success).
 */
import { annualReturn, totalReturn } from '../backtest/metrics/returns';

export type WalkForwardMode = 'rolling' | 'anchored';

/** The shortest last (partial) OOS window kept, for an OOS length: half of it, rounded up, and at least 2 days. */
export function minOutOfSampleDays(outOfSampleDays: number): number {
  return Math.max(2, Math.ceil(outOfSampleDays / 2));
}

export interface WalkForwardWindow {
  index: number;
  /** Indices into the day axis, inclusive. */
  inSample: { from: number; to: number };
  outOfSample: { from: number; to: number };
}

/** The windows over `days` trading days; RangeError for lengths that are not positive integers. */
export function walkForwardWindows(days: number, mode: WalkForwardMode, inSampleDays: number, outOfSampleDays: number): WalkForwardWindow[] {
  for (const [name, v] of [['inSampleDays', inSampleDays], ['outOfSampleDays', outOfSampleDays]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, not ${v}`);
  }
  const windows: WalkForwardWindow[] = [];
  for (let k = 0; ; k++) {
    const oosFrom = k * outOfSampleDays + inSampleDays;
    const oosTo = Math.min(oosFrom + outOfSampleDays, days) - 1;
    if (oosTo - oosFrom + 1 < Math.min(outOfSampleDays, minOutOfSampleDays(outOfSampleDays))) break;
    const isFrom = mode === 'rolling' ? k * outOfSampleDays : 0;
    windows.push({ index: k, inSample: { from: isFrom, to: oosFrom - 1 }, outOfSample: { from: oosFrom, to: oosTo } });
  }
  return windows;
}

/** The stitched OOS equity from each window's day-end equity (in window order), starting at `initial`. */
export function stitchEquity(windows: readonly ArrayLike<number>[], initial: number): number[] {
  const out: number[] = [];
  let level = initial;
  for (const e of windows) {
    if (e.length === 0) continue;
    const base = e[0]!;
    for (let j = 0; j < e.length; j++) out.push((level * e[j]!) / base);
    level = out[out.length - 1]!;
  }
  return out;
}

/** Annualised return of an equity curve as docs/METRICS.md's annualReturn (252 days, the first value the base). */
export function annualised(equity: ArrayLike<number>): number | null {
  return annualReturn(totalReturn(equity), equity.length - 1);
}

/** OOS ÷ IS annualised return; null when either is missing or IS ≤ 0. */
export function efficiency(oos: number | null, is: number | null): number | null {
  if (oos === null || is === null || !(is > 0)) return null;
  const r = oos / is;
  return Number.isFinite(r) ? r : null;
}

/** Overall efficiency: the stitched curve's annualised return ÷ the mean of the winners' IS annualised returns (nulls left out). */
export function overallEfficiency(stitched: ArrayLike<number>, inSample: readonly (number | null)[]): { oosAnnualReturn: number | null; isAnnualReturn: number | null; wfe: number | null } {
  const oos = stitched.length >= 2 ? annualised(stitched) : null;
  const known = inSample.filter((v): v is number => v !== null);
  const is = known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
  return { oosAnnualReturn: oos, isAnnualReturn: is, wfe: efficiency(oos, is) };
}
