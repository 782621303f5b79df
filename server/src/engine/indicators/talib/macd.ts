/**
 * MACD as TA_MACD: fast EMA − slow EMA, its EMA as the signal line, and their difference.
 */
import { intParam } from '../problem';
import { perToK, warmup } from './common';

export interface MacdOutput {
  macd: Float64Array;
  signal: Float64Array;
  hist: Float64Array;
}

/** TA-Lib swaps the periods when slow < fast, so the longer one always drives the lookback. */
function periods(fastPeriod: number, slowPeriod: number, signalPeriod: number): [number, number, number] {
  let fast = intParam('fastPeriod', fastPeriod, 2, 100_000);
  let slow = intParam('slowPeriod', slowPeriod, 2, 100_000);
  const signal = intParam('signalPeriod', signalPeriod, 1, 100_000);
  if (slow < fast) [fast, slow] = [slow, fast];
  return [fast, slow, signal];
}

export function macdLookback(fastPeriod: number, slowPeriod: number, signalPeriod: number): number {
  const [, slow, signal] = periods(fastPeriod, slowPeriod, signalPeriod);
  return slow - 1 + (signal - 1);
}

/**
 * All three outputs start at (slow − 1) + (signal − 1), TA-Lib's begIdx. TA-Lib does not start
 * the fast EMA at bar fast − 1: it seeds both EMAs at bar slow − 1, the fast one with the mean of
 * the `fast` closes ending there, so the two EMAs begin aligned. The MACD line exists from bar
 * slow − 1 (it feeds the signal EMA, seeded with its mean over `signal` bars) but is reported,
 * like TA-Lib, only from the first bar that has a signal value.
 */
export function macd(values: Float64Array, fastPeriod: number, slowPeriod: number, signalPeriod: number): MacdOutput {
  const [fast, slow, signal] = periods(fastPeriod, slowPeriod, signalPeriod);
  const lookback = slow - 1 + (signal - 1);
  const n = values.length;
  const line = warmup(n, lookback);
  const sig = warmup(n, lookback);
  const hist = warmup(n, lookback);
  if (n <= lookback) return { macd: line, signal: sig, hist };

  const kSlow = perToK(slow);
  const kFast = perToK(fast);
  const kSignal = perToK(signal);
  const fastFrom = slow - fast;
  let slowSum = 0;
  let fastSum = 0;
  let i = 0;
  for (; i < slow; i++) {
    const x = values[i]!;
    slowSum += x;
    if (i >= fastFrom) fastSum += x;
  }
  let slowEma = slowSum / slow;
  let fastEma = fastSum / fast;
  // The signal EMA is fused into the same pass: its seed sums the MACD line over bars
  // slow − 1 .. lookback, which are computed but not reported.
  let signalSum = fastEma - slowEma;
  for (; i <= lookback; i++) {
    const x = values[i]!;
    slowEma = (x - slowEma) * kSlow + slowEma;
    fastEma = (x - fastEma) * kFast + fastEma;
    signalSum += fastEma - slowEma;
  }
  let m = fastEma - slowEma;
  let s = signalSum / signal;
  line[lookback] = m;
  sig[lookback] = s;
  hist[lookback] = m - s;
  for (; i < n; i++) {
    const x = values[i]!;
    slowEma = (x - slowEma) * kSlow + slowEma;
    fastEma = (x - fastEma) * kFast + fastEma;
    m = fastEma - slowEma;
    s = (m - s) * kSignal + s;
    line[i] = m;
    sig[i] = s;
    hist[i] = m - s;
  }
  return { macd: line, signal: sig, hist };
}
