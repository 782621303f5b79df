/** How indicator values read in the legends and on the axes. */
import { formatCompact } from '@/utils/format';

export interface ValueFormat {
  /** Decimals of prices, for indicators drawn on the price pane (MA, BOLL …); null for oscillators. */
  priceDigits: number | null;
  locale: string;
  /** Volumes (the VOL pane): always compact, whole below 万 / K. */
  volume?: boolean;
}

/** At or above this magnitude values are shown compact (万/亿, K/M): volumes, OBV. */
const COMPACT_FROM = 1e5;

/**
 * One value: `—` when there is none; prices with the price decimals; volumes and large values compact;
 * otherwise 2 decimals (KDJ 45.12, RSI 61.30), 3 below 10 (MACD 0.123) as trading terminals do.
 */
export function formatIndicatorValue(value: number | null | undefined, format: ValueFormat): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= COMPACT_FROM || format.volume) return formatCompact(value, format.locale);
  if (format.priceDigits !== null) return value.toFixed(format.priceDigits);
  return value.toFixed(abs >= 10 ? 2 : 3);
}

/** An axis tick: as short as it can be (`1.2亿`, `80`, `0.05`). */
export function formatIndicatorTick(value: number, locale: string): string {
  if (!Number.isFinite(value)) return '';
  const abs = Math.abs(value);
  if (abs >= 1e4) return formatCompact(value, locale).replace(/\.0+(?=\D*$)/, '');
  return String(Number(value.toFixed(abs >= 100 ? 0 : abs >= 1 ? 2 : 3)));
}
