/**
 * Inputs and outputs of the risk metrics (docs/RISK.md has every definition). Money is integer fen;
 * returns are fractions (0.01 = 1 %), a loss negative; every number is finite or null, never NaN.
 */
import type { MaxDrawdown } from '../backtest/metrics/types';

export interface RiskPosition {
  /** e.g. 600519.SH; unique within the input. */
  symbol: string;
  /** Shares held, an integer ≥ 0. */
  quantity: number;
  /** The last price in fen, an integer > 0; the position's value is quantity × lastPrice. */
  lastPrice: number;
  /**
   * Daily closes aligned with RiskInput.dates (any unit, e.g. forward-adjusted yuan: only their
   * ratios are used). null, undefined or NaN for a day without a bar (suspended, not cached):
   * forward-filled.
   */
  closes: ArrayLike<number | null>;
  /** Industry (e.g. 申万一级); missing or blank → "unknown". */
  industry?: string | null;
}

export interface RiskInput {
  /** Trading dates, YYYY-MM-DD, strictly increasing; returns run from dates[0] to the last date. */
  dates: readonly string[];
  positions: readonly RiskPosition[];
  /** The chosen index's closes aligned with `dates` (gaps forward-filled); no beta or correlation without it. */
  index?: ArrayLike<number | null> | null;
}

/** One tail estimate: as a return (empyrical's sign, a loss negative) and as a loss in fen (positive). */
export interface VarEstimate {
  var: number | null;
  cvar: number | null;
  /** −var × book value, rounded to the fen. */
  varLossFen: number | null;
  /** −cvar × book value, rounded to the fen. */
  cvarLossFen: number | null;
}

export interface VarLevel {
  /** 0.95 or 0.99; the tail probability (empyrical's cutoff) is 1 − confidence. */
  confidence: number;
  historical: VarEstimate;
  parametric: VarEstimate;
}

export interface PositionRisk {
  symbol: string;
  quantity: number;
  lastPrice: number;
  /** quantity × lastPrice, fen. */
  value: number;
  /** value / book value; null when the book is worth nothing. */
  weight: number | null;
  /** Its industry, or "unknown". */
  industry: string;
  /** Of its daily returns against the index's. */
  beta: number | null;
  correlation: number | null;
  /** Annualised, sample std × √252. */
  volatility: number | null;
  /** Dates without a bar, filled (suspensions, gaps, before the first cached close). */
  filledDays: number;
}

export interface Concentration {
  maxWeight: number | null;
  maxWeightSymbol: string | null;
  /** Σ wᵢ², in [1/n, 1] (n positions with value). */
  hhi: number | null;
  /** 1/HHI. */
  effectiveN: number | null;
}

export interface IndustryExposure {
  industry: string;
  /** fen */
  value: number;
  weight: number | null;
  symbols: string[];
}

export interface RiskReport {
  /** The last date, or null without dates. */
  asOf: string | null;
  /** Book value Σ quantity × lastPrice, fen. */
  value: number;
  positions: PositionRisk[];
  concentration: Concentration;
  industries: IndustryExposure[];
  /** At 95 % and 99 %, in that order. */
  var: VarLevel[];
  /** Annualised volatility of the simulated daily returns. */
  volatility: number | null;
  /** Of the simulated value index (dates as given). */
  maxDrawdown: MaxDrawdown | null;
  beta: number | null;
  correlation: number | null;
  series: {
    dates: readonly string[];
    /** returns[i] is the simulated return on dates[i + 1]; empty when the book is worth nothing. */
    returns: Float64Array;
    /** 1 on dates[0], then Π(1 + returns); empty when the book is worth nothing. */
    valueIndex: Float64Array;
  };
}
