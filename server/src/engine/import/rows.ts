/**
 * The row reader shared by the CSV and TDX-export parsers: one pass over the text, fields located
 * by index (no split, no substring on the common path), values into preallocated typed arrays.
 * Rows come out sorted by time, strictly increasing; errors carry the 1-based line.
 */
import { allocateSeries, trimSeries, type BarSeries } from '../bars/series';
import { civilTs, isValidDate } from './civil';
import { isMissing, parseNumber, trimEnd, trimStart } from './numbers';
import { emptyNotes, ImportProblem, noteAnomaly, type ParseNotes } from './problem';

/** Runs of spaces and tabs separate fields. */
export const WHITESPACE = -1;

export type DateFormat =
  | 'YYYY-MM-DD'
  | 'YYYY/MM/DD'
  | 'YYYYMMDD'
  | 'YYYY-MM-DD HH:mm'
  | 'YYYY-MM-DD HH:mm:ss'
  | 'YYYY/MM/DD HH:mm'
  | 'YYYY/MM/DD HH:mm:ss';

export const DATE_FORMATS: readonly DateFormat[] = [
  'YYYY-MM-DD',
  'YYYY/MM/DD',
  'YYYYMMDD',
  'YYYY-MM-DD HH:mm',
  'YYYY-MM-DD HH:mm:ss',
  'YYYY/MM/DD HH:mm',
  'YYYY/MM/DD HH:mm:ss',
];

/** True when the format carries a time of day (needed for minute bars). */
export function hasClock(format: DateFormat): boolean {
  return format.includes('HH');
}

/** Guesses the format of one time value; undefined when none fits. */
export function detectDateFormat(value: string): DateFormat | undefined {
  const v = value.trim().replace(/^"|"$/g, '');
  for (const format of DATE_FORMATS) {
    if (!Number.isNaN(parseTime(v, 0, v.length, dateSpec(format), false))) return format;
  }
  return undefined;
}

interface DateSpec {
  /** '-' or '/' (char code), 0 for YYYYMMDD. */
  separator: number;
  /** 0: date only, 1: HH:mm, 2: HH:mm:ss. */
  clock: 0 | 1 | 2;
}

function dateSpec(format: DateFormat): DateSpec {
  return {
    separator: format.startsWith('YYYYMMDD') ? 0 : format.charCodeAt(4),
    clock: format.endsWith(':ss') ? 2 : format.endsWith('HH:mm') ? 1 : 0,
  };
}

// Cursor of readDigits (module state instead of a closure per call: parseTime runs once per row).
let cursor = 0;

/** Reads min..max digits at `cursor` (advancing it); -1 when fewer than min. */
function readDigits(t: string, e: number, min: number, max: number): number {
  let v = 0;
  let n = 0;
  while (n < max && cursor < e) {
    const c = t.charCodeAt(cursor);
    if (c < 48 || c > 57) break;
    v = v * 10 + c - 48;
    cursor++;
    n++;
  }
  return n >= min ? v : -1;
}

/**
 * The bar time of text[s, e) in the given format, or NaN. Month, day and hour may have one digit
 * (2020/1/5 9:31). Daily values drop the time of day; intraday values must be whole minutes.
 */
function parseTime(t: string, s: number, e: number, spec: DateSpec, intraday: boolean): number {
  s = trimStart(t, s, e);
  e = trimEnd(t, s, e);
  cursor = s;
  const y = readDigits(t, e, 4, 4);
  let m: number;
  let d: number;
  if (spec.separator === 0) {
    m = readDigits(t, e, 2, 2);
    d = readDigits(t, e, 2, 2);
  } else {
    if (t.charCodeAt(cursor++) !== spec.separator) return NaN;
    m = readDigits(t, e, 1, 2);
    if (t.charCodeAt(cursor++) !== spec.separator) return NaN;
    d = readDigits(t, e, 1, 2);
  }
  if (y < 0 || m < 0 || d < 0 || !isValidDate(y, m, d)) return NaN;
  let hour = 0;
  let minute = 0;
  let second = 0;
  if (spec.clock > 0) {
    const c = t.charCodeAt(cursor);
    if (c !== 32 && c !== 84) return NaN; // ' ' or 'T'
    cursor++;
    while (c === 32 && t.charCodeAt(cursor) === 32) cursor++;
    hour = readDigits(t, e, 1, 2);
    if (t.charCodeAt(cursor++) !== 58) return NaN;
    minute = readDigits(t, e, 2, 2);
    if (spec.clock === 2) {
      if (t.charCodeAt(cursor++) !== 58) return NaN;
      second = readDigits(t, e, 2, 2);
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  }
  if (cursor !== e) return NaN;
  if (!intraday) return civilTs(y, m, d);
  if (second !== 0) return NaN;
  return civilTs(y, m, d, hour, minute);
}

/** Minutes since midnight of `HHMM`, `HMM` or `HH:MM` in text[s, e); NaN otherwise. */
function parseClock(t: string, s: number, e: number): number {
  s = trimStart(t, s, e);
  e = trimEnd(t, s, e);
  const raw = t.slice(s, e);
  const m = /^(\d{1,2}):?(\d{2})$/.exec(raw);
  if (!m) return NaN;
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  return hour <= 24 && minute <= 59 && hour * 60 + minute <= 1440 ? hour * 60 + minute : NaN;
}

export interface RowSpec {
  /** Field separator (char code) or WHITESPACE. */
  delimiter: number;
  /** 0-based columns; -1 when absent. */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  amount: number;
  /** A separate time-of-day column (TDX minute exports: `0935`); -1 when absent. */
  clock: number;
  dateFormat: DateFormat;
  /** Minute bars: the time must be a whole minute and is kept; otherwise only the date counts. */
  intraday: boolean;
  volumeFactor: number;
  amountFactor: number;
  /** high < low rejects the file (a wrong mapping, usually) instead of being kept and counted. */
  rejectHighBelowLow: boolean;
  /** What a missing value (`None`, empty, `-`) does: skip the row, or reject the file. */
  onMissing: 'skip' | 'reject';
  /** Rows must already be in time order (vendor files); otherwise they are sorted. */
  requireOrder: boolean;
  /** A line that ends the data (TDX's `数据来源:通达信`). */
  isFooter?: (text: string, start: number, end: number) => boolean;
  /** Names of the columns for messages. */
  columnNames?: Partial<Record<FieldKey, string>>;
}

function countLines(text: string, from: number): number {
  let n = 1;
  for (let i = text.indexOf('\n', from); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}


/**
 * Finds the first `width` fields of text[lineStart, lineEnd) into starts/ends; returns how many
 * were found. Quoted fields run to their closing quote ("" escapes one).
 */
function locateFields(text: string, lineStart: number, lineEnd: number, delimiter: number, width: number, starts: Int32Array, ends: Int32Array): number {
  let fields = 0;
  let i = lineStart;
  if (delimiter === WHITESPACE) {
    while (fields < width) {
      let c = text.charCodeAt(i);
      while (i < lineEnd && (c === 32 || c === 9 || c === 13)) c = text.charCodeAt(++i);
      if (i >= lineEnd) break;
      starts[fields] = i;
      while (i < lineEnd && c !== 32 && c !== 9 && c !== 13) c = text.charCodeAt(++i);
      ends[fields++] = i;
    }
    return fields;
  }
  const sep = String.fromCharCode(delimiter);
  while (fields < width && i <= lineEnd) {
    starts[fields] = i;
    if (text.charCodeAt(i) === 34) {
      i++;
      while (i < lineEnd) {
        if (text.charCodeAt(i) === 34) {
          if (text.charCodeAt(i + 1) === 34) i += 2;
          else break;
        } else i++;
      }
    }
    let next = text.indexOf(sep, i);
    if (next === -1 || next > lineEnd) next = lineEnd;
    ends[fields++] = next;
    i = next + 1;
  }
  return fields;
}

type FieldKey = 'time' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'amount' | 'clock';

/**
 * Reads the rows of text from `start` (the beginning of line `firstLine`) to the end or the
 * footer. Throws ImportProblem with the line for anything it cannot take.
 */
export function readRows(text: string, start: number, firstLine: number, spec: RowSpec): { bars: BarSeries; notes: ParseNotes; rows: number } {
  const capacity = countLines(text, start);
  const out = allocateSeries(capacity);
  const lines = new Uint32Array(capacity);
  const notes = emptyNotes();
  const columns = [spec.time, spec.open, spec.high, spec.low, spec.close, spec.volume, spec.amount, spec.clock];
  const width = Math.max(...columns) + 1;
  const starts = new Int32Array(width);
  const ends = new Int32Array(width);
  const dspec = dateSpec(spec.dateFormat);
  const delimiter = spec.delimiter;
  const { volumeFactor, amountFactor } = spec;
  const name = (k: FieldKey) => spec.columnNames?.[k] ?? k;
  const fieldText = (k: number) => text.slice(starts[k]!, ends[k]!).trim();

  let n = 0;
  let rows = 0;
  let line = firstLine - 1;
  let missing: boolean;
  // Defined once (no closure per row); reads the current line and sets `missing`.
  const value = (col: number, key: FieldKey): number => {
    const v = parseNumber(text, starts[col]!, ends[col]!);
    if (Number.isNaN(v)) {
      if (isMissing(text, starts[col]!, ends[col]!)) missing = true;
      else throw new ImportProblem(`"${fieldText(col)}" in column ${col + 1} (${name(key)}) is not a number`, line);
    }
    return v;
  };
  let pos = start;
  while (pos < text.length) {
    line++;
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd === -1) lineEnd = text.length;
    const lineStart = pos;
    pos = lineEnd + 1;
    if (trimStart(text, lineStart, lineEnd) >= trimEnd(text, lineStart, lineEnd)) continue; // blank line
    if (spec.isFooter?.(text, lineStart, lineEnd)) break;
    rows++;

    const fields = locateFields(text, lineStart, lineEnd, delimiter, width, starts, ends);
    if (fields < width) {
      throw new ImportProblem(`the row has ${fields} column${fields === 1 ? '' : 's'}; ${width} are needed`, line);
    }

    missing = false;
    let ts = parseTime(text, starts[spec.time]!, ends[spec.time]!, dspec, spec.intraday && spec.clock < 0);
    if (Number.isNaN(ts)) {
      if (isMissing(text, starts[spec.time]!, ends[spec.time]!)) missing = true;
      else {
        const hint = spec.intraday && hasClock(spec.dateFormat) ? ' (minute bars need whole minutes)' : '';
        throw new ImportProblem(`"${fieldText(spec.time)}" in column ${spec.time + 1} (${name('time')}) is not a ${spec.dateFormat} time${hint}`, line);
      }
    }
    if (spec.clock >= 0) {
      const minutes = parseClock(text, starts[spec.clock]!, ends[spec.clock]!);
      if (Number.isNaN(minutes)) throw new ImportProblem(`"${fieldText(spec.clock)}" in column ${spec.clock + 1} (${name('clock')}) is not a time (HHMM)`, line);
      ts += minutes * 60;
    }
    const open = value(spec.open, 'open');
    const high = value(spec.high, 'high');
    const low = value(spec.low, 'low');
    const close = value(spec.close, 'close');
    const volume = spec.volume >= 0 ? value(spec.volume, 'volume') * volumeFactor : 0;
    const amount = spec.amount >= 0 ? value(spec.amount, 'amount') * amountFactor : 0;
    if (missing) {
      if (spec.onMissing === 'reject') throw new ImportProblem('a value is missing', line);
      if (notes.skipped++ === 0) notes.firstSkippedLine = line;
      continue;
    }
    if (volume < 0) throw new ImportProblem(`the volume ${volume} is negative`, line);
    if (amount < 0) throw new ImportProblem(`the amount ${amount} is negative`, line);
    if (high < low && spec.rejectHighBelowLow) {
      throw new ImportProblem(`the high ${high} is below the low ${low} (check the column mapping)`, line);
    }
    noteAnomaly(notes, open, high, low, close, line);
    if (spec.requireOrder && n > 0 && ts <= out.ts[n - 1]!) {
      throw new ImportProblem(`"${fieldText(spec.time)}" is not after the previous row's time`, line);
    }
    out.ts[n] = ts;
    out.open[n] = open;
    out.high[n] = high;
    out.low[n] = low;
    out.close[n] = close;
    out.volume[n] = volume;
    out.amount[n] = amount;
    lines[n] = line;
    n++;
  }
  out.length = n;
  return { bars: inTimeOrder(trimSeries(out, n), lines.subarray(0, n)), notes, rows };
}

const COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume', 'amount'] as const;

/** Sorts by time (newest-first files are reversed), rejecting two rows with the same time. */
function inTimeOrder(bars: BarSeries, lines: Uint32Array): BarSeries {
  const n = bars.length;
  const ts = bars.ts;
  let ascending = true;
  let descending = true;
  for (let i = 1; i < n && (ascending || descending); i++) {
    if (ts[i]! <= ts[i - 1]!) ascending = false;
    if (ts[i]! >= ts[i - 1]!) descending = false;
  }
  if (ascending) return bars;
  if (descending) {
    for (const c of COLUMNS) bars[c].reverse();
    return bars;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => ts[a]! - ts[b]! || a - b);
  for (let k = 1; k < n; k++) {
    if (ts[order[k]!] === ts[order[k - 1]!]) {
      const [first, second] = [lines[order[k - 1]!]!, lines[order[k]!]!].sort((a, b) => a - b);
      throw new ImportProblem(`the row has the same time as line ${first}`, second);
    }
  }
  const sorted = allocateSeries(n);
  sorted.length = n;
  for (const c of COLUMNS) {
    const from = bars[c];
    const to = sorted[c];
    for (let k = 0; k < n; k++) to[k] = from[order[k]!]!;
  }
  return sorted;
}
