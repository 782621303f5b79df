/**
 * The portfolio's simulated history: each symbol's closes with the gaps filled, its daily returns,
 * and the fixed-weights historical simulation R_t = Σ wᵢ·rᵢ,t (today's weights applied to every past
 * day, i.e. rebalanced daily to them — not the book as it was then). docs/RISK.md, "Portfolio series".
 */

/** Whether a close is a bar: a finite number > 0. null, undefined and NaN mean no bar that day. */
const isBar = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/**
 * Closes with the days without a bar filled: forward-filled from the last close (a suspended day
 * repeats it: return 0 that day, the whole move on the day trading resumes); days before the first
 * close take that first close (flat until the series starts, as the backtest benchmark). With no
 * close at all every day is 1 (flat: no history, no measured risk — `filled` says so). Throws a
 * RangeError for a value that is neither a bar nor missing (≤ 0, ±Infinity).
 */
export function fillCloses(field: string, closes: ArrayLike<number | null>, n: number): { closes: Float64Array; filled: number } {
  if (closes.length !== n) throw new RangeError(`${field} has ${closes.length} closes for ${n} dates`);
  const out = new Float64Array(n);
  let first = -1;
  let filled = 0;
  for (let i = 0; i < n; i++) {
    const v = closes[i];
    if (isBar(v)) {
      out[i] = v;
      if (first < 0) first = i;
    } else if (v === null || v === undefined || Number.isNaN(v)) {
      out[i] = i > 0 ? out[i - 1]! : 0;
      filled++;
    } else {
      throw new RangeError(`${field}[${i}] must be a finite close > 0 or null, got ${v}`);
    }
  }
  out.fill(first < 0 ? 1 : out[first]!, 0, first < 0 ? n : first);
  return { closes: out, filled };
}

/**
 * Daily portfolio returns with fixed weights: R_t = Σᵢ wᵢ·rᵢ,t, rᵢ,t = cᵢ,t/cᵢ,t−1 − 1 (returns[t − 1]
 * is the return on dates[t]). `returns[i]` are the symbols' daily returns, `weights[i]` theirs.
 */
export function portfolioReturns(returns: readonly Float64Array[], weights: readonly number[]): Float64Array {
  const m = returns[0]?.length ?? 0;
  const out = new Float64Array(m);
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    const w = weights[i]!;
    if (w === 0) continue;
    for (let t = 0; t < m; t++) out[t] = out[t]! + w * r[t]!;
  }
  return out;
}

/** The simulated value index: 1 on dates[0], then Π(1 + R). Scale-free: drawdowns do not need the money. */
export function valueIndex(returns: ArrayLike<number>): Float64Array {
  const out = new Float64Array(returns.length + 1);
  out[0] = 1;
  for (let t = 0; t < returns.length; t++) out[t + 1] = out[t]! * (1 + returns[t]!);
  return out;
}
