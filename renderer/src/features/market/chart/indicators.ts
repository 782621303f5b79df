/**
 * Chart overlays computed in the renderer: the moving averages drawn over the candles.
 *
 * This is deliberately the ONE place that computes indicator values on the client. When the server
 * serves indicators (with its TA-Lib / TDX conventions), replace `computeOverlays` with a call to it;
 * the chart only needs one Float64Array per line, aligned with the bars (NaN where undefined).
 */
export const MA_PERIODS = [5, 10, 20, 60] as const;
export type MaPeriod = (typeof MA_PERIODS)[number];

export type Overlays = Record<MaPeriod, Float64Array>;

/**
 * Simple moving average of the last `n` values (MA in TDX, SMA in TA-Lib): NaN for the first n − 1
 * bars. One pass with a running sum, re-summed every 4096 bars so rounding cannot drift on long series.
 */
export function movingAverage(values: Float64Array, n: number): Float64Array {
  const out = new Float64Array(values.length).fill(Number.NaN);
  if (n < 1 || values.length < n) return out;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= n) sum -= values[i - n]!;
    if (i % 4096 === 4095 && i >= n) {
      sum = 0;
      for (let j = i - n + 1; j <= i; j++) sum += values[j]!;
    }
    if (i >= n - 1) out[i] = sum / n;
  }
  return out;
}

export function computeOverlays(close: Float64Array): Overlays {
  return {
    5: movingAverage(close, 5),
    10: movingAverage(close, 10),
    20: movingAverage(close, 20),
    60: movingAverage(close, 60),
  };
}
