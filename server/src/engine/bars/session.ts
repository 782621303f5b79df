/**
 * The latest trading session whose close (15:00 Beijing) has passed, by weekday alone: exchange
 * holidays are not known offline, so data ending before a holiday may be reported stale — the
 * honest direction to err in.
 */
import { dayStart } from './time';

/** `nowMs` is real Unix time; the result is a day start in bar time (Beijing wall clock). */
export function latestClosedSessionDay(nowMs: number): number {
  const beijing = Math.floor(nowMs / 1000) + 8 * 3600;
  let day = dayStart(beijing);
  if (beijing - day < 15 * 3600) day -= 86_400;
  for (;;) {
    const weekday = new Date(day * 1000).getUTCDay();
    if (weekday !== 0 && weekday !== 6) return day;
    day -= 86_400;
  }
}

