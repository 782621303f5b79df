/**
 * The conditions evaluated on a portfolio snapshot (docs/RULES.md, "Rule types"): drawdown, daily
 * loss, single-position weight, HHI and VaR. The snapshot's derived numbers (book value, weights,
 * HHI, peak) are computed once per snapshot in `portfolioView`, whatever the number of rules.
 * Weights follow engine/risk: wᵢ = vᵢ / Σv over the positions' market values (the book, not
 * equity with cash), HHI = Σ wᵢ².
 */
import type { CompiledRule } from './compile';
import type { Hit } from './quote-conditions';
import type { HeldPosition, PortfolioSnapshot } from './types';

export interface PortfolioView {
  snapshot: PortfolioSnapshot;
  /** Positions with quantity > 0 and their values in fen. */
  held: readonly HeldPosition[];
  values: readonly number[];
  bookValueFen: number;
  /** Σ wᵢ²; NaN for an empty book. */
  hhi: number;
  /** max(peakEquityFen, the series, equity). */
  peakFen: number;
}

export function portfolioView(snapshot: PortfolioSnapshot): PortfolioView {
  const held = snapshot.positions.filter((p) => p.quantity > 0 && p.lastPriceFen > 0);
  const values = held.map((p) => p.quantity * p.lastPriceFen);
  const bookValueFen = values.reduce((a, b) => a + b, 0);
  let hhi = NaN;
  if (bookValueFen > 0) {
    hhi = 0;
    for (const v of values) hhi += (v / bookValueFen) ** 2;
  }
  let peakFen = Math.max(snapshot.equityFen, snapshot.peakEquityFen ?? -Infinity);
  const series = snapshot.equitySeriesFen;
  if (series) for (let i = 0; i < series.length; i++) if (series[i]! > peakFen) peakFen = series[i]!;
  return { snapshot, held, values, bookValueFen, hhi, peakFen };
}

/** An account-wide hit, or per-symbol hits (position weight), keyed by symbol. */
export type PortfolioHits = Hit | Map<string, Hit> | null;

export function evaluatePortfolioRule(rule: CompiledRule, view: PortfolioView): PortfolioHits {
  const c = rule.def.condition;
  const s = view.snapshot;
  switch (c.kind) {
    case 'drawdown': {
      // Drawdown % = (peak − equity) / peak × 100.
      if (!(view.peakFen > 0)) return null;
      const dd = ((view.peakFen - s.equityFen) / view.peakFen) * 100;
      return dd >= c.thresholdPercent ? { value: dd, threshold: c.thresholdPercent, unit: 'percent' } : null;
    }
    case 'daily-loss': {
      // Loss today = yesterday's close equity − equity now (positive when down).
      const base = s.previousCloseEquityFen;
      if (base === undefined || !(base > 0)) return null;
      const lossFen = base - s.equityFen;
      const value = c.unit === 'fen' ? lossFen : (lossFen / base) * 100;
      return value >= c.threshold ? { value, threshold: c.threshold, unit: c.unit } : null;
    }
    case 'position-weight': {
      if (!(view.bookValueFen > 0)) return null;
      let hits: Map<string, Hit> | null = null;
      for (let i = 0; i < view.held.length; i++) {
        const symbol = view.held[i]!.symbol;
        if (rule.named && !rule.named.has(symbol)) continue;
        const weight = (view.values[i]! / view.bookValueFen) * 100;
        if (weight >= c.thresholdPercent) (hits ??= new Map()).set(symbol, { value: weight, threshold: c.thresholdPercent, unit: 'percent' });
      }
      return hits;
    }
    case 'hhi':
      return view.hhi >= c.threshold ? { value: view.hhi, threshold: c.threshold, unit: 'fraction' } : null;
    case 'var': {
      const v = s.valueAtRisk;
      if (!v) return null;
      const value = c.unit === 'fen' ? v.lossFen : v.lossPercent;
      return Number.isFinite(value) && value >= c.threshold ? { value, threshold: c.threshold, unit: c.unit } : null;
    }
    default:
      return null;
  }
}
