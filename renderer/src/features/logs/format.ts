/** Pure helpers of the log viewer: times, one-line text (copy and `.log` export), search matching. */
import type { LogEntry } from '@/api/system';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const clock = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;

/** Local `HH:mm:ss.SSS`: the row time (the date is in the details and the export). */
export function formatLogTime(timestamp: string | number): string {
  const d = new Date(timestamp);
  return Number.isNaN(d.getTime()) ? '--:--:--.---' : clock(d);
}

/** Local `YYYY-MM-DD HH:mm:ss.SSS`. */
export function formatLogDateTime(timestamp: string | number): string {
  const d = new Date(timestamp);
  if (Number.isNaN(d.getTime())) return String(timestamp);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(d)}`;
}

/** `2026-01-02 03:04:05.678 INFO    [system] settings updated {"changed":["theme"]}` */
export function formatLogLine(entry: LogEntry): string {
  const context = entry.context ? ` ${JSON.stringify(entry.context)}` : '';
  return `${formatLogDateTime(entry.timestamp)} ${entry.level.padEnd(7)} [${entry.module}] ${entry.message}${context}`;
}

/** `method=GET url=/api/x status=200`: the context at a glance, on the row after the message. */
export function contextSummary(context: Record<string, unknown> | undefined): string {
  if (!context) return '';
  return Object.entries(context)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

/** The same rule as the server's `q=`: case-insensitive, in the message or the module. */
export function matchesNeedle(entry: LogEntry, needle: string): boolean {
  return entry.message.toLowerCase().includes(needle) || entry.module.toLowerCase().includes(needle);
}

export interface TextPart {
  text: string;
  hit: boolean;
}

/** Splits `text` around case-insensitive occurrences of `query`, for highlighting. */
export function splitMatches(text: string, query: string): TextPart[] {
  if (!query) return [{ text, hit: false }];
  const haystack = text.toLowerCase();
  const needle = query.toLowerCase();
  // A few characters change length when lower-cased (e.g. 'İ'): indices would no longer line up.
  if (haystack.length !== text.length) return [{ text, hit: false }];
  const parts: TextPart[] = [];
  let from = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, from)) {
    if (at > from) parts.push({ text: text.slice(from, at), hit: false });
    parts.push({ text: text.slice(at, at + needle.length), hit: true });
    from = at + needle.length;
  }
  if (from < text.length) parts.push({ text: text.slice(from), hit: false });
  return parts;
}

/** File name stamp: `20260102-030405`. */
export function fileStamp(date = new Date()): string {
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
}
