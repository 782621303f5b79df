/**
 * Bar time. `ts` is Beijing wall-clock time as seconds since 1970-01-01 00:00 — i.e. the UTC
 * functions of Date read it directly, and no time-zone arithmetic is ever needed (China has had no
 * DST since 1991). Day bars sit at 00:00 of their date; minute bars at the end of the minute range.
 */
export type Period = '1m' | '5m' | '15m' | '30m' | '60m' | 'day' | 'week' | 'month';

export const MINUTE_PERIODS: ReadonlySet<Period> = new Set(['1m', '5m', '15m', '30m', '60m']);

export function isMinutePeriod(period: Period): boolean {
  return MINUTE_PERIODS.has(period);
}

export function tsOf(year: number, month: number, day: number, hour = 0, minute = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute) / 1000;
}

/** Parses `YYYY-MM-DD` or `YYYY-MM-DD HH:mm`; undefined when malformed or not a real date/time. */
export function parseTimeString(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return undefined;
  const ts = tsOf(y, mo, d, h, mi);
  const back = new Date(ts * 1000);
  return back.getUTCDate() === d && back.getUTCMonth() === mo - 1 ? ts : undefined;
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

export function formatDate(ts: number): string {
  const d = new Date(ts * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function formatTs(ts: number, period: Period): string {
  if (!isMinutePeriod(period)) return formatDate(ts);
  const d = new Date(ts * 1000);
  return `${formatDate(ts)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Start of the day containing ts. */
export function dayStart(ts: number): number {
  return ts - (((ts % 86_400) + 86_400) % 86_400);
}

const tableDays = new Map<string, number>();

/**
 * The bar time of a `YYYY-MM-DD` date written in a rule table (a row's `since`), parsed once:
 * rule lookups run for every order and bar.
 */
export function tableDay(date: string): number {
  let day = tableDays.get(date);
  if (day === undefined) {
    day = parseTimeString(date);
    if (day === undefined) throw new RangeError(`not a date: ${date}`);
    tableDays.set(date, day);
  }
  return day;
}
