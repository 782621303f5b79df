/**
 * Why an indicator cannot be computed. Kernels and the registry throw it; the indicators module
 * maps `kind` to the 3xxx codes of the ErrorCode catalogue (unknown → 3000, parameter → 3003,
 * insufficient → 3002, input → 3003 with the offending field), so no caller receives garbage values.
 */
export type IndicatorProblemKind = 'unknown' | 'parameter' | 'insufficient' | 'input';

export class IndicatorProblem extends Error {
  override readonly name = 'IndicatorProblem';

  constructor(
    readonly kind: IndicatorProblemKind,
    message: string,
    /** The parameter or input series at fault (e.g. `period`, `close`), and the bar index for inputs. */
    readonly field?: string,
    readonly index?: number,
  ) {
    super(message);
  }
}

/** An integer parameter within [min, max]; the ranges are the registry's, checked again here so kernels are safe alone. */
export function intParam(name: string, value: number, min: number, max = 100_000): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new IndicatorProblem('parameter', `${name} must be an integer from ${min} to ${max}, got ${value}`, name);
  }
  return value;
}

/** A finite real parameter within [min, max]. */
export function realParam(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new IndicatorProblem('parameter', `${name} must be a number from ${min} to ${max}, got ${value}`, name);
  }
  return value;
}

/** Rejects NaN/±Infinity in an input series (one pass; kernels assume finite inputs). */
export function assertFinite(name: string, values: Float64Array, length = values.length): void {
  for (let i = 0; i < length; i++) {
    const v = values[i]!;
    if (v - v !== 0) throw new IndicatorProblem('input', `${name}[${i}] is not a finite number`, name, i);
  }
}

/** An output column: same length as the input, NaN until the indicator's first value. */
export function output(length: number): Float64Array {
  return new Float64Array(length).fill(NaN);
}
