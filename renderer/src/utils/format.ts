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
