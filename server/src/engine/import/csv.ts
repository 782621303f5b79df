/**
 * Generic CSV with a column mapping: the trader says which column holds what, how times are
 * written and which units volume and amount use; `previewCsv` helps choose by splitting the first
 * rows and guessing a mapping from the header.
 *
 * Rules (also in the API docs): rows with a missing mapped value (`None`, empty, `-`, `--`, `NaN`,
 * `null`, `N/A`) are skipped and counted; a value that is present but not a number or time rejects
 * the whole file with its line, as do high < low (almost always a wrong mapping), a negative volume
 * or amount, and two rows with the same time. Rows may come in any order (NetEase files are newest
 * first); they are sorted. Daily (and weekly/monthly) rows drop any time of day; minute rows are
 * taken as stamped with the bar's end (09:31 for the first 1-minute bar), as TDX and czsc write them.
 */
import type { Period } from '../bars/time';
import { ImportProblem, problemReport, type ProblemReport } from './problem';
import { detectDateFormat, hasClock, readRows, type DateFormat } from './rows';
import type { ParsedBars } from './tdx-binary';

export interface CsvMapping {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume?: number;
  amount?: number;
}

export interface CsvOptions {
  mapping: CsvMapping;
  delimiter: string;
  headerRows: number;
  dateFormat: DateFormat;
  period: Period;
  volumeUnit: 'shares' | 'lots';
  amountUnit: 'yuan' | 'wan';
}

const MINUTE_PERIODS: ReadonlySet<Period> = new Set(['1m', '5m', '15m', '30m', '60m']);

/**
 * Why the options cannot work, before reading anything (undefined when they can): the option
 * (`dateFormat`, `mapping.amount`, `delimiter`) with the problem. Columns in it are 1-based.
 */
export function checkCsvOptions(options: CsvOptions): (ProblemReport & { field: string }) | undefined {
  if (MINUTE_PERIODS.has(options.period) && !hasClock(options.dateFormat)) {
    return { field: 'dateFormat', ...problemReport('csvDateFormatNoClock', { format: options.dateFormat }) };
  }
  const used = new Map<number, string>();
  for (const [key, col] of Object.entries(options.mapping)) {
    if (col === undefined) continue;
    const other = used.get(col);
    if (other) return { field: `mapping.${key}`, ...problemReport('csvColumnMappedTwice', { column: col + 1, field: key, other }) };
    used.set(col, key);
  }
  if (options.delimiter.length !== 1) return { field: 'delimiter', ...problemReport('csvDelimiterInvalid', { value: options.delimiter }) };
  return undefined;
}

/** Position after the first `count` lines of text (0 when count is 0). */
export function skipLines(text: string, count: number): number {
  let pos = 0;
  for (let k = 0; k < count; k++) {
    const next = text.indexOf('\n', pos);
    if (next === -1) return text.length;
    pos = next + 1;
  }
  return pos;
}

export function parseCsv(text: string, options: CsvOptions): ParsedBars & { rows: number } {
  const problem = checkCsvOptions(options);
  if (problem) throw ImportProblem.of(problem);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const { mapping } = options;
  const result = readRows(text, skipLines(text, options.headerRows), options.headerRows + 1, {
    delimiter: options.delimiter.charCodeAt(0),
    time: mapping.time,
    open: mapping.open,
    high: mapping.high,
    low: mapping.low,
    close: mapping.close,
    volume: mapping.volume ?? -1,
    amount: mapping.amount ?? -1,
    clock: -1,
    dateFormat: options.dateFormat,
    intraday: MINUTE_PERIODS.has(options.period),
    volumeFactor: options.volumeUnit === 'lots' ? 100 : 1,
    amountFactor: options.amountUnit === 'wan' ? 10_000 : 1,
    rejectHighBelowLow: true,
    onMissing: 'skip',
    requireOrder: false,
  });
  if (result.rows === 0) throw new ImportProblem('noDataRows', { headerRows: options.headerRows });
  if (result.bars.length === 0) throw new ImportProblem('allRowsMissing', { rows: result.rows }, result.notes.firstSkippedLine);
  return result;
}

// ---- preview ----------------------------------------------------------------------------------

const DELIMITERS = [',', '\t', ';', '|'] as const;

/** Splits one line into fields (double quotes group, "" is a quote). */
export function splitLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  while (i <= text.length) {
    if (text[i] === '"') {
      let value = '';
      i++;
      while (i < text.length) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
          } else {
            i++;
            break;
          }
        } else value += text[i++];
      }
      const next = text.indexOf(delimiter, i);
      value += next === -1 ? text.slice(i) : text.slice(i, next);
      fields.push(value);
      i = next === -1 ? text.length + 1 : next + 1;
    } else {
      const next = text.indexOf(delimiter, i);
      fields.push(next === -1 ? text.slice(i) : text.slice(i, next));
      i = next === -1 ? text.length + 1 : next + 1;
    }
  }
  return fields;
}

/** The delimiter that splits the sample lines into the same number (> 1) of fields most often. */
export function detectDelimiter(lines: readonly string[]): string {
  let best: string = ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const counts = lines.filter((l) => l.trim() !== '').map((l) => splitLine(l, d).length);
    if (counts.length === 0) continue;
    const freq = new Map<number, number>();
    for (const c of counts) if (c > 1) freq.set(c, (freq.get(c) ?? 0) + 1);
    const score = Math.max(0, ...freq.values());
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}

const SYNONYMS: Record<keyof CsvMapping, readonly string[]> = {
  time: ['date', 'dt', 'datetime', 'time', 'trade_date', 'tradedate', 'day', 'timestamp', 'bob', 'eob', '日期', '时间', '交易日期', '交易时间'],
  open: ['open', 'o', 'open_price', '开盘', '开盘价', '今开'],
  high: ['high', 'h', 'high_price', '最高', '最高价'],
  low: ['low', 'l', 'low_price', '最低', '最低价'],
  close: ['close', 'c', 'close_price', '收盘', '收盘价', '最新价'],
  volume: ['volume', 'vol', 'volumn', '成交量', '成交量(手)', '成交量(股)', 'vol(手)'],
  amount: ['amount', 'amt', 'money', 'turnover', 'value', '成交额', '成交金额', '成交额(元)', '成交金额(元)'],
};

const normalise = (s: string) => s.trim().replace(/^\ufeff/, '').replace(/\s+/g, '').toLowerCase();

export interface CsvGuess {
  mapping?: CsvMapping;
  headerRows: number;
  dateFormat?: DateFormat;
}

/** A mapping from header names, how many header rows precede the data, and the time format. */
export function guessCsvLayout(rows: readonly string[][]): CsvGuess {
  const header = rows[0] ?? [];
  const found: Partial<Record<keyof CsvMapping, number>> = {};
  header.forEach((cell, col) => {
    const name = normalise(cell);
    for (const [key, names] of Object.entries(SYNONYMS) as [keyof CsvMapping, readonly string[]][]) {
      if (found[key] === undefined && names.includes(name)) {
        found[key] = col;
        break;
      }
    }
  });
  const isData = (row: readonly string[]) => row.some((cell) => detectDateFormat(cell) !== undefined);
  let headerRows = 0;
  while (headerRows < rows.length && headerRows < 20 && !isData(rows[headerRows]!)) headerRows++;
  if (headerRows === rows.length) headerRows = Math.min(1, rows.length);
  const first = rows[headerRows];
  const timeCol = found.time ?? (first ? first.findIndex((cell) => detectDateFormat(cell) !== undefined) : -1);
  const dateFormat = first && timeCol >= 0 && first[timeCol] !== undefined ? detectDateFormat(first[timeCol]!) : undefined;
  const complete = timeCol >= 0 && found.open !== undefined && found.high !== undefined && found.low !== undefined && found.close !== undefined;
  const mapping: CsvMapping | undefined = complete
    ? {
        time: timeCol,
        open: found.open!,
        high: found.high!,
        low: found.low!,
        close: found.close!,
        ...(found.volume !== undefined ? { volume: found.volume } : {}),
        ...(found.amount !== undefined ? { amount: found.amount } : {}),
      }
    : undefined;
  return { ...(mapping ? { mapping } : {}), headerRows, ...(dateFormat ? { dateFormat } : {}) };
}

export interface CsvPreviewResult extends CsvGuess {
  delimiter: string;
  rows: string[][];
  columns: number;
}

/** The first `maxRows` non-blank rows split into fields, with the guesses above. */
export function previewCsv(text: string, maxRows: number): CsvPreviewResult {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lines: string[] = [];
  let pos = 0;
  while (lines.length < maxRows && pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    const line = text.slice(pos, end);
    if (line.trim() !== '') lines.push(line);
    pos = end + 1;
  }
  const delimiter = detectDelimiter(lines);
  const rows = lines.map((l) => splitLine(l, delimiter));
  return { delimiter, rows, columns: Math.max(0, ...rows.map((r) => r.length)), ...guessCsvLayout(rows) };
}
