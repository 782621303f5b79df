/**
 * How much of the day's continuous trading has elapsed at a market time, for the volume-surge rule
 * (a day's volume so far is compared with the average day scaled by this fraction). Sessions are
 * the calendar's (09:30–11:30, 13:00–15:00 Beijing, 240 minutes); the lunch break adds nothing and
 * the opening call auction counts as the first instant of the morning session.
 */
import { TRADING_SESSIONS } from '../market/calendar';

const DAY_SECONDS = 86_400;
const BEIJING_OFFSET_SECONDS = 8 * 3_600;

/** [start, length] in seconds since Beijing midnight; the calendar's end minute is the session's end. */
const SESSIONS = TRADING_SESSIONS.map(([start, end]) => [start * 60, (end - start) * 60] as const);
export const SESSION_SECONDS = SESSIONS.reduce((total, [, length]) => total + length, 0);

/** Seconds of continuous trading elapsed by `eventMs` on its Beijing day (0 … SESSION_SECONDS). */
export function elapsedSessionSeconds(eventMs: number): number {
  const wall = Math.floor(eventMs / 1000) + BEIJING_OFFSET_SECONDS;
  const ofDay = wall - Math.floor(wall / DAY_SECONDS) * DAY_SECONDS;
  let elapsed = 0;
  for (const [start, length] of SESSIONS) elapsed += Math.max(0, Math.min(length, ofDay - start));
  return elapsed;
}
