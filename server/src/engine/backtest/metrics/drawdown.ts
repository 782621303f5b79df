/**
 * Drawdowns of an equity curve: the series equity/running peak − 1, the maximum drawdown with its
 * peak, trough and recovery, and the longest time under water. One pass each.
 */
import type { MaxDrawdown } from './types';

/** equity[i]/max(equity[0…i]) − 1 (≤ 0). */
export function drawdownSeries(equity: ArrayLike<number>): Float64Array {
  const n = equity.length;
  const out = new Float64Array(n);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = equity[i]!;
    if (v > peak) peak = v;
    out[i] = v / peak - 1;
  }
  return out;
}

/**
 * The deepest drawdown: trough = first date of the minimum drawdown, peak = the last date at or
 * before the trough where equity made its running high (the latest date holding the peak value),
 * recovery = first date after the trough with equity ≥ the peak. Duration in trading days
 * (index difference) from peak to recovery, or from peak to the last date. With no drawdown at all
 * the value is 0 and peak = trough = the first date, recovered at once (duration 0). Null for no dates.
 */
export function maxDrawdown(dates: readonly string[], equity: ArrayLike<number>): MaxDrawdown | null {
  const n = equity.length;
  if (n === 0) return null;
  let peakIdx = 0;
  let worst = 0;
  let worstPeak = 0;
  let worstTrough = 0;
  for (let i = 1; i < n; i++) {
    const v = equity[i]!;
    if (v >= equity[peakIdx]!) peakIdx = i;
    else {
      const dd = v / equity[peakIdx]! - 1;
      if (dd < worst) {
        worst = dd;
        worstPeak = peakIdx;
        worstTrough = i;
      }
    }
  }
  if (worst === 0) return { value: 0, peakDate: dates[0]!, troughDate: dates[0]!, recoveryDate: dates[0]!, durationDays: 0 };
  const peakValue = equity[worstPeak]!;
  let rec = -1;
  for (let i = worstTrough + 1; i < n; i++) {
    if (equity[i]! >= peakValue) {
      rec = i;
      break;
    }
  }
  return {
    value: worst,
    peakDate: dates[worstPeak]!,
    troughDate: dates[worstTrough]!,
    recoveryDate: rec < 0 ? null : dates[rec]!,
    durationDays: (rec < 0 ? n - 1 : rec) - worstPeak,
  };
}

/**
 * The longest stretch under water, in trading days from a peak to the first date back at or above
 * it (or to the last date when still under water). 0 when equity never falls. Null for no dates.
 */
export function longestDrawdownDays(equity: ArrayLike<number>): number | null {
  const n = equity.length;
  if (n === 0) return null;
  let peakIdx = 0;
  let longest = 0;
  for (let i = 1; i < n; i++) {
    if (equity[i]! >= equity[peakIdx]!) {
      if (i - peakIdx > 1) longest = Math.max(longest, i - peakIdx);
      peakIdx = i;
    }
  }
  if (equity[n - 1]! < equity[peakIdx]!) longest = Math.max(longest, n - 1 - peakIdx);
  return longest;
}
