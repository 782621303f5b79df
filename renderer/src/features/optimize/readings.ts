/**
 * Plain-language readings of an optimization's overfitting statistics (docs/OVERFITTING.md, "For
 * a trader" and "Reading the numbers in the app"): each figure with a level — good, fair or poor
 * for the trader — and the words the i18n messages put around it. The thresholds are documented
 * there; change both together.
 */
import type { Overfitting } from '@/api/optimize';

export type Level = 'good' | 'fair' | 'poor';

/** docs/OVERFITTING.md, "Reading the numbers in the app". */
export const THRESHOLDS = {
  /** PSR and DSR: ≥ 0.95 is evidence of skill (the papers' 95 % confidence); below 0.5 none at all. */
  confidence: { good: 0.95, fair: 0.5 },
  /** PBO: ≤ 0.2 low; ≥ 0.5 the choice is no better than picking at random. */
  pbo: { good: 0.2, fair: 0.5 },
  /** Probability of loss out of sample: ≤ 0.2 low; ≥ 0.5 the chosen setting mostly lost. */
  loss: { good: 0.2, fair: 0.5 },
} as const;

/** A probability that should be high (PSR, DSR). */
export function confidenceLevel(value: number | null | undefined): Level | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  if (value >= THRESHOLDS.confidence.good) return 'good';
  return value >= THRESHOLDS.confidence.fair ? 'fair' : 'poor';
}

/** A probability that should be low (PBO, probability of loss). */
export function riskLevel(value: number | null | undefined, thresholds: { good: number; fair: number }): Level | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  if (value <= thresholds.good) return 'good';
  return value < thresholds.fair ? 'fair' : 'poor';
}

/** The degradation slope: negative is the signature of curve fitting; flat is no carry-over. */
export function degradationLevel(slope: number | null | undefined): Level | null {
  if (slope === null || slope === undefined || !Number.isFinite(slope)) return null;
  if (slope > 0.1) return 'good';
  return slope >= -0.1 ? 'fair' : 'poor';
}

export type ReadingKey = 'psr' | 'dsr' | 'pbo' | 'loss' | 'degradation';

export interface Reading {
  key: ReadingKey;
  value: number | null;
  level: Level | null;
  /** Named values for the message (`{pct}`, `{n}`, `{slope}` …), already formatted. */
  params: Record<string, string | number>;
}

/** As the panel's figure shows it (one decimal), so the sentence and the figure agree. */
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/** The readings the panel shows, in order; a part the server could not compute reads as unavailable (level null). */
export function overfittingReadings(overfitting: Overfitting | null | undefined): Reading[] {
  const psr = overfitting?.psr ?? null;
  const pbo = overfitting?.pbo ?? null;
  const out: Reading[] = [];
  out.push({ key: 'psr', value: psr?.psr ?? null, level: confidenceLevel(psr?.psr), params: { pct: psr?.psr != null ? pct(psr.psr) : '—' } });
  out.push({
    key: 'dsr',
    value: psr?.dsr ?? null,
    level: confidenceLevel(psr?.dsr),
    params: { pct: psr?.dsr != null ? pct(psr.dsr) : '—', n: psr?.trials ?? 0 },
  });
  out.push({ key: 'pbo', value: pbo?.pbo ?? null, level: riskLevel(pbo?.pbo, THRESHOLDS.pbo), params: { pct: pbo ? pct(pbo.pbo) : '—', n: pbo?.combinations ?? 0 } });
  out.push({
    key: 'loss',
    value: pbo?.probabilityOfLoss ?? null,
    level: riskLevel(pbo?.probabilityOfLoss, THRESHOLDS.loss),
    params: { pct: pbo ? pct(pbo.probabilityOfLoss) : '—' },
  });
  const slope = pbo?.degradation.slope ?? null;
  out.push({ key: 'degradation', value: slope, level: degradationLevel(slope), params: { slope: slope !== null ? slope.toFixed(2) : '—' } });
  return out;
}

/** The message key of a reading: `optimize.overfitting.<key>.<level>`, or `.na` when it could not be computed. */
export function readingKey(reading: Pick<Reading, 'key' | 'level'>): string {
  return `optimize.overfitting.${reading.key}.${reading.level ?? 'na'}`;
}

/**
 * Walk-forward efficiency (docs/WALKFORWARD.md, "Reading it"): ≥ 0.5 good (Pardo: a robust
 * strategy keeps at least half its in-sample return out of sample), above 0 fair, else poor; null
 * (no reading) when the in-sample return was not positive.
 */
export const WFE_THRESHOLDS = { good: 0.5, fair: 0 } as const;

export function wfeLevel(wfe: number | null | undefined): Level | null {
  if (wfe === null || wfe === undefined || !Number.isFinite(wfe)) return null;
  if (wfe >= WFE_THRESHOLDS.good) return 'good';
  return wfe > WFE_THRESHOLDS.fair ? 'fair' : 'poor';
}
