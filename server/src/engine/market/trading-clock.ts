/**
 * The A-share trading clock: whether continuous trading is under way at an instant.
 *
 * Sessions (Beijing time, UTC+8, no DST): 09:30–11:30 and 13:00–15:00, Monday to Friday, on
 * trading days. The end minute is inclusive (…11:30:59, …15:00:59) so the closing prints are
 * seen. Exchange holidays are not computable offline: a caller may say what it knows about a date
 * (`true` trading, `false` closed, `undefined` unknown); unknown weekdays count as trading days.
 */

export interface BeijingClock {
  /** YYYY-MM-DD in Beijing. */
  date: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Minutes since Beijing midnight. */
  minute: number;
  /** Beijing wall-clock seconds since 1970 (the bar-time scale). */
  wallSeconds: number;
}

/** [start, end] minute pairs, both inclusive. */
export const TRADING_SESSIONS: readonly (readonly [number, number])[] = [
  [9 * 60 + 30, 11 * 60 + 30],
  [13 * 60, 15 * 60],
];

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

export function beijingClock(nowMs: number): BeijingClock {
  const wallSeconds = Math.floor(nowMs / 1000) + 8 * 3600;
  const d = new Date(wallSeconds * 1000);
  return {
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    weekday: d.getUTCDay(),
    minute: d.getUTCHours() * 60 + d.getUTCMinutes(),
    wallSeconds,
  };
}

/** What is known about a date: true = a trading day, false = closed, undefined = unknown. */
export type DayKnowledge = (date: string) => boolean | undefined;

export function isTradingDay(clock: BeijingClock, known?: DayKnowledge): boolean {
  if (clock.weekday === 0 || clock.weekday === 6) return false;
  return known?.(clock.date) ?? true;
}

export function inTradingSession(nowMs: number, known?: DayKnowledge): boolean {
  const clock = beijingClock(nowMs);
  if (!TRADING_SESSIONS.some(([start, end]) => clock.minute >= start && clock.minute <= end)) return false;
  return isTradingDay(clock, known);
}

/** ISO 8601 with +08:00 for Beijing wall-clock seconds (bar time). */
export function isoFromWallSeconds(wallSeconds: number): string {
  const d = new Date(wallSeconds * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`;
}

/** ISO 8601 with +08:00 for an instant (Unix ms). */
export function beijingIso(nowMs: number): string {
  return isoFromWallSeconds(Math.floor(nowMs / 1000) + 8 * 3600);
}
