/**
 * The row reader shared by the CSV and TDX-export parsers: one pass over the text, fields located
 * by index (no split, no substring on the common path), values into preallocated typed arrays.
 * Rows come out sorted by time, strictly increasing; errors carry the 1-based line.
 */
import { allocateSeries, setBar, sliceSeries, type BarSeries } from '../bars/series';
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
 * The per-file state of readRows, one object of fixed shape: `read` runs once per line and is
 * optimised early (a hot method, not the body of one long loop); errors take a slow path.
 */
class RowReader {
  n = 0;
  rows = 0;
  line = 0;
  readonly out: BarSeries;
  readonly lines: Uint32Array;
  readonly notes: ParseNotes = emptyNotes();
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly width: number;
  readonly dspec: DateSpec;
  readonly dateIntraday: boolean;

  constructor(
    readonly text: string,
    capacity: number,
    readonly spec: RowSpec,
  ) {
    this.out = allocateSeries(capacity);
    this.lines = new Uint32Array(capacity);
    this.width = Math.max(spec.time, spec.open, spec.high, spec.low, spec.close, spec.volume, spec.amount, spec.clock) + 1;
    this.starts = new Int32Array(this.width);
    this.ends = new Int32Array(this.width);
    this.dspec = dateSpec(spec.dateFormat);
    // With a separate clock column the date column holds the date only.
    this.dateIntraday = spec.intraday && spec.clock < 0;
  }

  /** Reads the line text[lineStart, lineEnd) (not blank) into the next bar, or skips it. */
  read(lineStart: number, lineEnd: number): void {
    const { text, spec, starts, ends, width, out } = this;
    const fields = locateFields(text, lineStart, lineEnd, spec.delimiter, width, starts, ends);
    if (fields < width) throw new ImportProblem('rowTooShort', { fields, width }, this.line);
    let ts = parseTime(text, starts[spec.time]!, ends[spec.time]!, this.dspec, this.dateIntraday);
    if (spec.clock >= 0) {
      const minutes = parseClock(text, starts[spec.clock]!, ends[spec.clock]!);
      if (Number.isNaN(minutes)) this.badClock();
      ts += minutes * 60;
    }
    const open = parseNumber(text, starts[spec.open]!, ends[spec.open]!);
    const high = parseNumber(text, starts[spec.high]!, ends[spec.high]!);
    const low = parseNumber(text, starts[spec.low]!, ends[spec.low]!);
    const close = parseNumber(text, starts[spec.close]!, ends[spec.close]!);
    const volume = spec.volume >= 0 ? parseNumber(text, starts[spec.volume]!, ends[spec.volume]!) * spec.volumeFactor : 0;
    const amount = spec.amount >= 0 ? parseNumber(text, starts[spec.amount]!, ends[spec.amount]!) * spec.amountFactor : 0;
    // NaN anywhere: a missing value (skip the row) or an invalid one (reject the file).
    if (Number.isNaN(ts + open + high + low + close + volume + amount)) {
      if (spec.onMissing === 'reject') this.missingOrInvalid(true);
      this.missingOrInvalid(false);
      const notes = this.notes;
      if (notes.skipped++ === 0) notes.firstSkippedLine = this.line;
      return;
    }
    if (volume < 0) throw new ImportProblem('volumeNegative', { value: volume }, this.line);
    if (amount < 0) throw new ImportProblem('amountNegative', { value: amount }, this.line);
    if (high < low && spec.rejectHighBelowLow) throw new ImportProblem('highBelowLow', { high, low }, this.line);
    noteAnomaly(this.notes, open, high, low, close, this.line);
    const n = this.n;
    if (spec.requireOrder && n > 0 && ts <= out.ts[n - 1]!) {
      throw new ImportProblem('timeNotAfterPrevious', { value: this.field(spec.time) }, this.line);
    }
    setBar(out, n, ts, open, high, low, close, volume, amount);
    this.lines[n] = this.line;
    this.n = n + 1;
  }

  private field(col: number): string {
    return this.text.slice(this.starts[col]!, this.ends[col]!).trim();
  }

  private badClock(): never {
    const col = this.spec.clock;
    throw new ImportProblem('clockInvalid', { ...this.column(col, 'clock'), value: this.field(col) }, this.line);
  }

  /** The params naming column `col`: 1-based, its field, and its name in the file when known. */
  private column(col: number, key: FieldKey): { column: number; field: FieldKey; label?: string } {
    const label = this.spec.columnNames?.[key];
    return label === undefined ? { column: col + 1, field: key } : { column: col + 1, field: key, label };
  }

  /** The slow path of a row with a NaN: throws for an invalid value (or any missing one when `rejectMissing`). */
  private missingOrInvalid(rejectMissing: boolean): void {
    const { spec, text, starts, ends } = this;
    const check = (col: number, key: FieldKey, ok: boolean) => {
      if (col < 0 || ok) return;
      const where = this.column(col, key);
      if (!isMissing(text, starts[col]!, ends[col]!)) {
        const value = this.field(col);
        if (key !== 'time') throw new ImportProblem('numberInvalid', { ...where, value }, this.line);
        // A valid time that is not a whole minute, for minute bars.
        const wholeMinute = !(spec.intraday && hasClock(spec.dateFormat)) || Number.isNaN(parseTime(text, starts[col]!, ends[col]!, this.dspec, false));
        const code = wholeMinute ? 'timeInvalid' : 'minuteTimeInvalid';
        throw new ImportProblem(code, { ...where, value, format: spec.dateFormat }, this.line);
      }
      if (rejectMissing) throw new ImportProblem('valueMissing', where, this.line);
    };
    check(spec.time, 'time', !Number.isNaN(parseTime(text, starts[spec.time]!, ends[spec.time]!, this.dspec, this.dateIntraday)));
    for (const key of ['open', 'high', 'low', 'close', 'volume', 'amount'] as const) {
      const col = spec[key];
      check(col, key, col < 0 || !Number.isNaN(parseNumber(text, starts[col]!, ends[col]!)));
    }
  }
}

/**
 * Reads the rows of text from `start` (the beginning of line `firstLine`) to the end or the
 * footer. Throws ImportProblem with the line for anything it cannot take.
 */
export function readRows(text: string, start: number, firstLine: number, spec: RowSpec): { bars: BarSeries; notes: ParseNotes; rows: number } {
  const reader = new RowReader(text, countLines(text, start), spec);
  reader.line = firstLine - 1;
  let pos = start;
  while (pos < text.length) {
    reader.line++;
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd === -1) lineEnd = text.length;
    const lineStart = pos;
    pos = lineEnd + 1;
    if (trimStart(text, lineStart, lineEnd) >= trimEnd(text, lineStart, lineEnd)) continue; // blank line
    if (spec.isFooter?.(text, lineStart, lineEnd)) break;
    reader.rows++;
    reader.read(lineStart, lineEnd);
  }
  const n = reader.n;
  reader.out.length = n;
  return { bars: inTimeOrder(sliceSeries(reader.out, 0, n), reader.lines.subarray(0, n)), notes: reader.notes, rows: reader.rows };
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
      throw new ImportProblem('duplicateTime', { firstLine: first! }, second);
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
