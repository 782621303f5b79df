/**
 * Money in the ledger is integer fen (0.01 CNY). Prices may arrive as floats in yuan; they are
 * converted here, at the boundary, and nothing after this point does float money arithmetic.
 *
 * Rounding is half-up (四舍五入, the convention of the exchanges' and brokers' fee schedules) on the
 * decimal value the float stands for: 10.005 yuan is 1000.5 fen and becomes 1001, although the double
 * nearest 10.005 is 10.00499999… (the same trap price-limits.ts avoids for limit prices).
 * Negative amounts round half away from zero, so a movement and its reversal cancel exactly.
 */

/** Scale of `Rate`: rates are held as integer parts per 10^8 (0.025 % = 25 000, 0.001 % = 1 000). */
export const RATE_SCALE = 100_000_000;

/** A rate held exactly as integer parts per 10^8 (see RATE_SCALE). */
export type Rate = number;

/** The nearest integer to `x` after removing binary noise, halves away from zero. */
function roundHalfUpDecimal(x: number): number {
  // Only a value within binary noise of a half can round the wrong way; every other one (nearly
  // all prices) takes the fast path — this runs for every price of every bar a backtest matches.
  const a = Math.abs(x);
  const f = a - Math.floor(a);
  if (Math.abs(f - 0.5) > a * 1e-13 + 1e-9) {
    const r = Math.floor(a + 0.5);
    return x < 0 ? -r : r;
  }
  // 15 significant digits is what a double reliably carries: 1000.4999999999999 (10.005 × 100) reads
  // back as 1000.5, the decimal it was meant to be.
  const clean = Number(x.toPrecision(15));
  const r = Math.floor(Math.abs(clean) + 0.5);
  return clean < 0 ? -r : r;
}

/** Yuan (float) to integer fen, half-up. NaN for a non-finite input. */
export function toFen(yuan: number): number {
  if (!Number.isFinite(yuan)) return NaN;
  return roundHalfUpDecimal(yuan * 100);
}

/** Fen to yuan (the double nearest the decimal value). */
export function fenToYuan(fen: number): number {
  return fen / 100;
}

/** A fraction (0.00025) as a Rate (25 000 parts per 10^8), exactly to the 10^-8. */
export function toRate(fraction: number): Rate {
  return roundHalfUpDecimal(fraction * RATE_SCALE);
}

/**
 * `amountFen × rate`, rounded half-up to the fen, in exact integer arithmetic (BigInt: a
 * 10-billion-yuan order times a rate in 10^-8 passes 2^53). `amountFen` and `rate` must be integers.
 */
export function applyRateFen(amountFen: number, rate: Rate): number {
  if (!Number.isInteger(amountFen) || !Number.isInteger(rate)) return NaN;
  const p = BigInt(amountFen) * BigInt(rate);
  const scale = BigInt(RATE_SCALE);
  const neg = p < 0n;
  const abs = neg ? -p : p;
  const r = (abs + scale / 2n) / scale;
  return Number(neg ? -r : r);
}
