/**
 * Shared pieces of the TA-Lib-convention kernels: the warm-up prefix, the EMA factor, the column
 * length check and the moving-average types a matype parameter may name.
 *
 * Every kernel returns columns as long as its input with NaN before the first value, so the first
 * finite index is TA-Lib's `outBegIdx` for a call over the whole series (startIdx 0). Input columns
 * are assumed finite (the caller runs `assertFinite`); their lengths are checked here because a
 * mismatch would read past the end of a typed array and silently produce `undefined`-born NaNs.
 */
import { IndicatorProblem, intParam } from '../problem';

/** TA-Lib's PER_TO_K: the EMA smoothing factor 2 / (period + 1). */
export function perToK(period: number): number {
  return 2 / (period + 1);
}

/** An output column whose first `lookback` entries are NaN (all of it when the input is too short). */
export function warmup(length: number, lookback: number): Float64Array {
  const out = new Float64Array(length);
  out.fill(NaN, 0, Math.min(lookback, length));
  return out;
}

/** The length shared by the input columns; they must all be equally long. */
export function commonLength(first: Float64Array, firstName: string, ...rest: [Float64Array, string][]): number {
  const n = first.length;
  for (const [column, name] of rest) {
    if (column.length !== n) {
      throw new IndicatorProblem('input', `${name} has ${column.length} values but ${firstName} has ${n}`, name);
    }
  }
  return n;
}

/** TA_MAType values. Only SMA and EMA are offered; TA-Lib's others (WMA..T3) are rejected. */
export const MA_SMA = 0;
export const MA_EMA = 1;
export type MaType = typeof MA_SMA | typeof MA_EMA;

export function maTypeParam(name: string, value: number): MaType {
  intParam(name, value, 0, 8);
  if (value !== MA_SMA && value !== MA_EMA) {
    throw new IndicatorProblem('parameter', `${name} ${value} is not supported (0 = SMA, 1 = EMA)`, name);
  }
  return value;
}
