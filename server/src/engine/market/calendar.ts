/**
 * The A-share trading calendar: sessions, trading days and the latest closed session, for the
 * cache's staleness, live quotes, backtests and paper trading alike.
 *
 * Sessions (Beijing time, UTC+8, no DST): 09:30–11:30 and 13:00–15:00, Monday to Friday, on
 * trading days. The end minute is inclusive (…11:30:59, …15:00:59) so the closing prints are seen.
 *
 * Exchange holidays are announced a year at a time and are not computable, so every function takes
 * what the caller knows about a date (`DayKnowledge`: `true` trading, `false` closed, `undefined`
 * unknown). Weekends are always closed; an unknown weekday counts as a trading day, so data ending
 * before a holiday nobody told us of is reported stale — the honest direction to err in.
 *
 * Dates are `YYYY-MM-DD` in Beijing.
 */
import { formatDate, parseTimeString } from '../bars/time';
import { beijingClock } from './trading-clock';

/** What is known about a date: true = a trading day, false = closed, undefined = unknown. */
export type DayKnowledge = (date: string) => boolean | undefined;

/** [start, end] minute pairs since Beijing midnight, both inclusive. */
export const TRADING_SESSIONS: readonly (readonly [number, number])[] = [
  [9 * 60 + 30, 11 * 60 + 30],
  [13 * 60, 15 * 60],
];

/** From this minute on, the day's session counts as closed (its daily bar as final). */
const CLOSE_MINUTE = 15 * 60;

/** The longest run of closed days believed; beyond it the knowledge is broken, not the market. */
const MAX_CLOSED_RUN = 3660;

const DAY = 86_400;

/** Days since 1970-01-01 (bar time is Beijing wall-clock seconds, so no zone arithmetic). */
function dayIndex(date: string): number {
  const ts = parseTimeString(date);
  if (ts === undefined || date.length !== 10) throw new RangeError(`not a date: ${date}`);
  return ts / DAY;
}

const dateAt = (index: number): string => formatDate(index * DAY);

/** 1970-01-01 was a Thursday (4). */
const isWeekend = (index: number): boolean => {
  const weekday = (((index + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
};

function tradingAt(index: number, known: DayKnowledge | undefined): boolean {
  return !isWeekend(index) && (known?.(dateAt(index)) ?? true);
}

/** The first trading day from `start` on in `step` direction (±1), `start` itself included. */
function seek(start: number, step: 1 | -1, known: DayKnowledge | undefined): string {
  for (let i = 0, index = start; i <= MAX_CLOSED_RUN; i++, index += step) if (tradingAt(index, known)) return dateAt(index);
  throw new RangeError(`no trading day within ${MAX_CLOSED_RUN} days of ${dateAt(start)}`);
}

export function isTradingDay(date: string, known?: DayKnowledge): boolean {
  return tradingAt(dayIndex(date), known);
}

/** Whether continuous trading is under way at an instant (Unix ms). */
export function inTradingSession(nowMs: number, known?: DayKnowledge): boolean {
  const clock = beijingClock(nowMs);
  if (!TRADING_SESSIONS.some(([start, end]) => clock.minute >= start && clock.minute <= end)) return false;
  return isTradingDay(clock.date, known);
}

/** The latest trading day whose session has closed (15:00 Beijing) at an instant (Unix ms). */
export function latestClosedSession(nowMs: number, known?: DayKnowledge): string {
  const clock = beijingClock(nowMs);
  const today = dayIndex(clock.date);
  return seek(clock.minute < CLOSE_MINUTE ? today - 1 : today, -1, known);
}

/** The last trading day before `date`. */
export function previousTradingDay(date: string, known?: DayKnowledge): string {
  return seek(dayIndex(date) - 1, -1, known);
}

/** The first trading day after `date`. */
export function nextTradingDay(date: string, known?: DayKnowledge): string {
  return seek(dayIndex(date) + 1, 1, known);
}

/** The trading days from `from` through `to`, both included, oldest first. */
export function tradingDaysBetween(from: string, to: string, known?: DayKnowledge): string[] {
  const out: string[] = [];
  for (let i = dayIndex(from), end = dayIndex(to); i <= end; i++) if (tradingAt(i, known)) out.push(dateAt(i));
  return out;
}
