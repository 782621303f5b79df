/** Display formatting shared by features. Pure functions, easy to test. */

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** Binary multiples (1 KB = 1024 B), as the OS file managers traders know show them. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

export function splitDuration(totalSeconds: number): DurationParts {
  const s = Math.max(0, Math.floor(totalSeconds));
  return {
    days: Math.floor(s / 86_400),
    hours: Math.floor((s % 86_400) / 3600),
    minutes: Math.floor((s % 3600) / 60),
    seconds: s % 60,
  };
}

/**
 * "3 天 4 小时 5 分" / "3d 4h 5m": the two or three most significant units; seconds only
 * while the process is younger than a minute would otherwise show "0m".
 */
export function formatDuration(totalSeconds: number, unit: (key: keyof DurationParts, n: number) => string): string {
  const parts = splitDuration(totalSeconds);
  if (parts.days > 0) return [unit('days', parts.days), unit('hours', parts.hours), unit('minutes', parts.minutes)].join(' ');
  if (parts.hours > 0) return [unit('hours', parts.hours), unit('minutes', parts.minutes)].join(' ');
  if (parts.minutes > 0) return [unit('minutes', parts.minutes), unit('seconds', parts.seconds)].join(' ');
  return unit('seconds', parts.seconds);
}

export function percent(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.min(100, Math.max(0, Math.round((part / whole) * 1000) / 10));
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local `YYYY-MM-DD HH:mm:ss`: the same compact form in every UI language, as trading software shows it. */
export function formatDateTime(value: Date | string | number): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** Local `HH:mm:ss`. */
export function formatTime(value: Date | number): string {
  const d = new Date(value);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A price with a fixed number of decimals (2 for stocks and indices, 3 for funds); `—` when unknown. */
export function formatPrice(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

/** `+0.62` / `-0.62` / `0.00`. */
export function formatSigned(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const text = Math.abs(value).toFixed(digits);
  if (Number(text) === 0) return text;
  return value > 0 ? `+${text}` : `-${text}`;
}

/** `+4.72%` from a percentage (4.72, not 0.0472). */
export function formatPercentChange(value: number | null | undefined, digits = 2): string {
  const text = formatSigned(value, digits);
  return text === '—' ? text : `${text}%`;
}

/** The price-colour class of a move: `price-up`, `price-down`, or none when flat or unknown. */
export function moveClass(change: number | null | undefined): string {
  if (change === null || change === undefined || !Number.isFinite(change) || change === 0) return '';
  return change > 0 ? 'price-up' : 'price-down';
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/** A cached Intl.NumberFormat: building one per call costs far more than formatting (charts call this per frame). */
function numberFormat(locale: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    numberFormats.set(key, format);
  }
  return format;
}

/**
 * Large amounts as traders read them: `1.34亿`, `5,230.5万` in Chinese; `133.65M`, `5.23K` in English.
 * Below ten thousand (Chinese) or a thousand (English) the number is shown whole.
 */
export function formatCompact(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  const fmt = (n: number, digits: number) => numberFormat(locale, digits).format(n);
  if (locale.startsWith('zh')) {
    if (abs >= 1e12) return `${sign}${fmt(abs / 1e12, 2)}万亿`;
    if (abs >= 1e8) return `${sign}${fmt(abs / 1e8, 2)}亿`;
    if (abs >= 1e4) return `${sign}${fmt(abs / 1e4, abs >= 1e6 ? 0 : 2)}万`;
    return `${sign}${fmt(abs, 0)}`;
  }
  if (abs >= 1e12) return `${sign}${fmt(abs / 1e12, 2)}T`;
  if (abs >= 1e9) return `${sign}${fmt(abs / 1e9, 2)}B`;
  if (abs >= 1e6) return `${sign}${fmt(abs / 1e6, 2)}M`;
  if (abs >= 1e3) return `${sign}${fmt(abs / 1e3, 2)}K`;
  return `${sign}${fmt(abs, 0)}`;
}

/** Whole numbers with the locale's grouping: `6,119`. */
export function formatCount(value: number, locale: string): string {
  return numberFormat(locale, 0).format(value);
}

const beijing = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `YYYY-MM-DD HH:mm:ss` in Beijing time, whatever the machine's zone: market times are exchange times. */
export function formatMarketTime(value: string | number | Date): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '—';
  const p = Object.fromEntries(beijing.formatToParts(d).map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}
