/**
 * How backtest numbers read on screen. Ratios from the server are fractions (0.1234 = 12.34 %),
 * ledger money is integer fen, a metric that is undefined for a run is null and shows as "—"
 * (never NaN, never 0: "no losing trade" is not "a profit factor of 0").
 */

export const DASH = '—';

const formats = new Map<string, Intl.NumberFormat>();

/** Cached: the trades and fills tables format thousands of cells. */
function numberFormat(locale: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formats.set(key, format);
  }
  return format;
}

function known(value: number | null | undefined): value is number {
  return value !== null && value !== undefined && Number.isFinite(value);
}

/** A fraction as a percentage: `0.1234` → `12.34%`; `signed` adds `+` to gains (returns, not rates). */
export function formatPct(value: number | null | undefined, digits = 2, signed = false): string {
  if (!known(value)) return DASH;
  const text = (value * 100).toFixed(digits);
  const zero = Number(text) === 0;
  return `${signed && value > 0 && !zero ? '+' : ''}${zero ? (0).toFixed(digits) : text}%`;
}

/** A plain ratio (Sharpe, beta, profit factor …). */
export function formatRatio(value: number | null | undefined, digits = 2): string {
  return known(value) ? value.toFixed(digits) : DASH;
}

/** Yuan with grouping and two decimals: `1,234,567.89`. */
export function formatYuan(value: number | null | undefined, locale: string, digits = 2): string {
  return known(value) ? numberFormat(locale, digits).format(value) : DASH;
}

/**
 * Integer fen as yuan, exactly: the division happens on the integer, so 12345 fen is `123.45`
 * and never `123.44999…` — a trader checks a stamp duty against these figures by hand.
 */
export function formatFen(fen: number | null | undefined, locale: string): string {
  if (!known(fen)) return DASH;
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const whole = numberFormat(locale, 0).format(Math.floor(abs / 100));
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** Sign of a number for the price colours (`price-up` / `price-down`), nothing when flat or unknown. */
export function signClass(value: number | null | undefined): string {
  if (!known(value) || value === 0) return '';
  return value > 0 ? 'price-up' : 'price-down';
}

/** The phases the server names (BacktestProgressEvent.phase); anything else shows as sent. */
export const PHASES = ['queued', 'starting', 'loading', 'running', 'metrics', 'saving', 'cancelling', 'done'] as const;
export type Phase = (typeof PHASES)[number];

export function knownPhase(phase: string): Phase | null {
  return (PHASES as readonly string[]).includes(phase) ? (phase as Phase) : null;
}

/** How each metric card reads its value: a signed return, a rate, a plain ratio, a count. */
export type MetricKind = 'return' | 'rate' | 'ratio' | 'count' | 'days';

/** A metric card's figure, `—` for a metric undefined on this run. */
export function formatMetric(value: number | null | undefined, kind: MetricKind, locale: string): string {
  switch (kind) {
    case 'return':
      return formatPct(value, 2, true);
    case 'rate':
      return formatPct(value, 2);
    case 'ratio':
      return formatRatio(value, 2);
    case 'days':
      return formatRatio(value, 1);
    default:
      return value === null || value === undefined || !Number.isFinite(value) ? DASH : numberFormat(locale, 0).format(value);
  }
}
