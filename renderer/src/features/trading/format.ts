/** Money as the trading screens show it. Pure, tested. */

const formats = new Map<string, Intl.NumberFormat>();

/** `1,234,567.89` (CNY, 2 decimals, the locale's grouping); `—` when unknown. */
export function formatMoney(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    formats.set(locale, format);
  }
  // -0.00 reads as a loss that is not there.
  return format.format(Math.abs(value) < 0.005 ? 0 : value);
}

/** `+1,234.50` / `-1,234.50`: P&L, with the sign always shown. */
export function formatSignedMoney(value: number | null | undefined, locale: string): string {
  const text = formatMoney(value, locale);
  if (text === '—' || value === null || value === undefined || Math.abs(value) < 0.005) return text;
  return value > 0 ? `+${text}` : text;
}

/** A replay clock or an ISO time as `YYYY-MM-DD HH:mm` (the exchange's time, as the server wrote it). */
export function formatClock(value: string | undefined): string {
  if (!value) return '—';
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(value);
  if (!match) return value;
  return match[2] ? `${match[1]} ${match[2]}` : match[1]!;
}
