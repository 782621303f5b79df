/**
 * Concentration of a book by value: the weights, the largest one, the Herfindahl–Hirschman index and
 * the effective number of positions, and the exposure by industry. docs/RISK.md, "Concentration".
 */
import type { Concentration, IndustryExposure } from './types';

/** The industry of a position with none given (missing, null or blank). */
export const UNKNOWN_INDUSTRY = 'unknown';

/** wᵢ = vᵢ/Σv. Null when the book is worth nothing (no positions, or only zero quantities). */
export function valueWeights(values: readonly number[]): number[] | null {
  let total = 0;
  for (const v of values) total += v;
  return total > 0 ? values.map((v) => v / total) : null;
}

/**
 * The largest weight (the first symbol holding it, in input order), HHI = Σ wᵢ² and the effective
 * number of positions 1/HHI — n for n equal weights, 1 for a single name (US DOJ/FTC Horizontal
 * Merger Guidelines use the same sum on percentages, 0–10,000; this is that ÷ 10,000).
 */
export function concentration(symbols: readonly string[], weights: readonly number[] | null): Concentration {
  if (weights === null) return { maxWeight: null, maxWeightSymbol: null, hhi: null, effectiveN: null };
  let hhi = 0;
  let max = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    hhi += w * w;
    if (w > weights[max]!) max = i;
  }
  return { maxWeight: weights[max]!, maxWeightSymbol: symbols[max]!, hhi, effectiveN: 1 / hhi };
}

/**
 * Value by industry (a missing or blank industry counts as UNKNOWN_INDUSTRY), with each group's
 * weight in the book and its symbols; largest first, then by name. Values are integer fen, summed
 * exactly. Weights are null when the book is worth nothing.
 */
export function industryExposure(
  positions: readonly { symbol: string; value: number; industry: string }[],
): IndustryExposure[] {
  const groups = new Map<string, { value: number; symbols: string[] }>();
  let total = 0;
  for (const p of positions) {
    const g = groups.get(p.industry) ?? { value: 0, symbols: [] };
    g.value += p.value;
    g.symbols.push(p.symbol);
    groups.set(p.industry, g);
    total += p.value;
  }
  return [...groups]
    .map(([industry, g]) => ({ industry, value: g.value, weight: total > 0 ? g.value / total : null, symbols: g.symbols }))
    .sort((a, b) => b.value - a.value || (a.industry < b.industry ? -1 : a.industry > b.industry ? 1 : 0));
}

/** The industry a position is grouped under: its own, trimmed, or UNKNOWN_INDUSTRY. */
export function industryOf(industry: string | null | undefined): string {
  const s = industry?.trim() ?? '';
  return s === '' ? UNKNOWN_INDUSTRY : s;
}
