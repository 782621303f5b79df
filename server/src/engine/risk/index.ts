/**
 * Risk metrics of a book of real positions over cached daily bars: `computeRisk(input)`. Pure and
 * deterministic; every definition is in docs/RISK.md. The history is a fixed-weights historical
 * simulation: today's value weights applied to each past day's returns (series.ts).
 */
import { maxDrawdown } from '../backtest/metrics/drawdown';
import { volatility } from '../backtest/metrics/ratios';
import { checkDates, simpleReturns } from '../backtest/metrics/returns';
import { betaCorrelation } from '../stats/comoments';
import { concentration, industryExposure, industryOf, valueWeights } from './concentration';
import { fillCloses, portfolioReturns, valueIndex } from './series';
import type { PositionRisk, RiskInput, RiskReport, VarEstimate, VarLevel } from './types';
import { historicalCvar, historicalVar, lossFen, parametricCvar, parametricVar } from './var';

export type * from './types';
export { UNKNOWN_INDUSTRY, concentration, industryExposure, valueWeights } from './concentration';
export { fillCloses, portfolioReturns, valueIndex } from './series';
export { historicalCvar, historicalVar, lossFen, parametricCvar, parametricVar } from './var';

/** The two levels reported; the cutoffs are written out, since 1 − 0.95 is not 0.05 in binary. */
const LEVELS = [
  { confidence: 0.95, cutoff: 0.05 },
  { confidence: 0.99, cutoff: 0.01 },
] as const;

function estimate(v: number | null, cv: number | null, valueFen: number): VarEstimate {
  return { var: v, cvar: cv, varLossFen: lossFen(v, valueFen), cvarLossFen: lossFen(cv, valueFen) };
}

function varLevels(returns: Float64Array, valueFen: number): VarLevel[] {
  return LEVELS.map(({ confidence, cutoff }) => ({
    confidence,
    historical: estimate(historicalVar(returns, cutoff), historicalCvar(returns, cutoff), valueFen),
    parametric: estimate(parametricVar(returns, cutoff), parametricCvar(returns, cutoff), valueFen),
  }));
}

/** Throws a RangeError unless the positions are well formed: unique symbols, integer quantities and fen prices. */
function checkPositions(input: RiskInput): number[] {
  const seen = new Set<string>();
  let total = 0;
  const values = input.positions.map((p, i) => {
    if (typeof p.symbol !== 'string' || p.symbol === '') throw new RangeError(`positions[${i}].symbol must be a non-empty string`);
    if (seen.has(p.symbol)) throw new RangeError(`positions[${i}]: ${p.symbol} appears twice`);
    seen.add(p.symbol);
    if (!(Number.isSafeInteger(p.quantity) && p.quantity >= 0)) throw new RangeError(`positions[${i}].quantity must be an integer ≥ 0, got ${p.quantity}`);
    if (!(Number.isSafeInteger(p.lastPrice) && p.lastPrice > 0)) throw new RangeError(`positions[${i}].lastPrice must be an integer > 0 (fen), got ${p.lastPrice}`);
    const value = p.quantity * p.lastPrice;
    total += value;
    if (!Number.isSafeInteger(total)) throw new RangeError('the book value exceeds 2^53 fen');
    return value;
  });
  return values;
}

/**
 * Every risk metric of the book. Throws a RangeError for malformed input: dates not YYYY-MM-DD or not
 * strictly increasing, a duplicate or empty symbol, a quantity not an integer ≥ 0, a last price not
 * an integer > 0 fen, closes (or index closes) not one per date, or a close that is neither > 0 nor
 * missing (null/NaN).
 */
export function computeRisk(input: RiskInput): RiskReport {
  const { dates, positions } = input;
  const n = dates.length;
  checkDates('dates', dates);
  const values = checkPositions(input);
  const bookValue = values.reduce((s, v) => s + v, 0);
  const filled = positions.map((p, i) => fillCloses(`positions[${i}].closes`, p.closes, n));
  const symbolReturns = filled.map((f) => simpleReturns(f.closes));
  const indexReturns = input.index == null ? null : simpleReturns(fillCloses('index', input.index, n).closes);
  const weights = valueWeights(values);

  // A book worth nothing has no weights, hence no simulated history.
  const returns = weights === null ? new Float64Array(0) : portfolioReturns(symbolReturns, weights);
  const index = weights === null || n === 0 ? new Float64Array(0) : valueIndex(returns);
  const vsIndex = (r: Float64Array) => (indexReturns === null ? { beta: null, correlation: null } : betaCorrelation(r, indexReturns));

  const positionRisk: PositionRisk[] = positions.map((p, i) => ({
    symbol: p.symbol,
    quantity: p.quantity,
    lastPrice: p.lastPrice,
    value: values[i]!,
    weight: weights?.[i] ?? null,
    industry: industryOf(p.industry),
    ...vsIndex(symbolReturns[i]!),
    volatility: volatility(symbolReturns[i]!),
    filledDays: filled[i]!.filled,
  }));

  return {
    asOf: n === 0 ? null : dates[n - 1]!,
    value: bookValue,
    positions: positionRisk,
    concentration: concentration(positions.map((p) => p.symbol), weights),
    industries: industryExposure(positionRisk),
    var: varLevels(returns, bookValue),
    volatility: volatility(returns),
    maxDrawdown: maxDrawdown(dates, index),
    ...(weights === null ? { beta: null, correlation: null } : vsIndex(returns)),
    series: { dates, returns, valueIndex: index },
  };
}
