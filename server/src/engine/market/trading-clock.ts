/**
 * The exchange's wall clock: an instant (Unix ms) as Beijing date, weekday and minute, and as ISO
 * 8601 text with +08:00. Beijing has had no DST since 1991, so a fixed offset is exact. Sessions
 * and trading days are the calendar's (calendar.ts).
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

/** ISO 8601 with +08:00 for Beijing wall-clock seconds (bar time). */
export function isoFromWallSeconds(wallSeconds: number): string {
  const d = new Date(wallSeconds * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}+08:00`;
}

/** ISO 8601 with +08:00 for an instant (Unix ms). */
export function beijingIso(nowMs: number): string {
  return isoFromWallSeconds(Math.floor(nowMs / 1000) + 8 * 3600);
}
