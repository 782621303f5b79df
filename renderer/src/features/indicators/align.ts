/**
 * Indicator values from the server lined up with the chart's bars. Each calculation answers for
 * one K-line query (a page of bars) with that page's `time` array; the chart holds the pages merged
 * (older pages in front), so the values are placed by time: one Float64Array per output, as long
 * as the series, NaN where there is no value (warm-up, or a page not answered yet).
 */

/** The values of one indicator for one page of bars. */
export interface PageValues {
  readonly time: readonly string[];
  readonly outputs: Readonly<Record<string, readonly (number | null)[]>>;
}

export type AlignedOutputs = Readonly<Record<string, Float64Array>>;

/** Index of the first time ≥ `t` (times sorted ascending: `YYYY-MM-DD[ HH:mm]` sort as strings). */
export function lowerBound(times: readonly string[], t: string): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `outputs` of every page placed at the bars with the same time (a merge walk: O(bars + values)).
 * Values for times the series does not hold are ignored; later pages win where pages overlap.
 */
export function alignPages(times: readonly string[], pages: readonly PageValues[], outputs: readonly string[]): AlignedOutputs {
  const out: Record<string, Float64Array> = {};
  for (const name of outputs) out[name] = new Float64Array(times.length).fill(Number.NaN);
  for (const page of pages) {
    const n = page.time.length;
    if (n === 0) continue;
    const columns = outputs.map((name) => [out[name]!, page.outputs[name]] as const);
    let i = lowerBound(times, page.time[0]!);
    for (let j = 0; j < n && i < times.length; j++) {
      const t = page.time[j]!;
      while (i < times.length && times[i]! < t) i++;
      if (times[i] !== t) continue;
      for (const [target, source] of columns) {
        const v = source?.[j];
        target[i] = v === null || v === undefined ? Number.NaN : v;
      }
      i++;
    }
  }
  return out;
}
