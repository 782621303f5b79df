/**
 * Why a file cannot be imported, or what to know about an imported one: a code from the contract's
 * ImportProblemCode with its facts as params. The English text of each code comes from the one
 * table below (for logs and API users); the UI shows its own text for the code with the same params.
 */

/** Column params of row problems: 1-based column, its mapping field, and its name in the file when known. */
type Column = { column: number; field: string; label?: string };
type NoParams = Record<string, never>;
const named = (p: Column) => `column ${p.column} (${p.label ?? p.field})`;
const counted = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The English text of every code (the contract's ImportProblemCode lists the same codes; tested).
 * Only called when a problem is made: parsers do no work for it on the happy path.
 */
export const IMPORT_PROBLEM_TEXT = {
  fileUnreadable: (p: { reason: string }) => `cannot read the file (${p.reason})`,
  parseFailed: (p: { reason: string }) => `cannot parse the file: ${p.reason}`,
  cacheWriteFailed: (p: { reason: string }) => `cannot write to the cache: ${p.reason}`,

  tdxFileName: (p: { fileName: string }) => `${p.fileName} is not a TDX file name (sh600000.day, sz000001.lc1, bj430047.lc5)`,
  fileTruncated: (p: { bytes: number; recordBytes: number; record: number; rest: number }) =>
    `the file is truncated: ${p.bytes} bytes is not a whole number of ${p.recordBytes}-byte records (record ${p.record} has ${p.rest} bytes)`,
  recordDateInvalid: (p: { value: number }) => `${p.value} is not a date (YYYYMMDD)`,
  recordDateNotAfterPrevious: (p: { date: string }) => `${p.date} is not after the previous record's date`,
  packedDateInvalid: (p: { value: number }) => `the packed date ${p.value} is not a date`,
  recordMinutesInvalid: (p: { value: number }) => `${p.value} is not a time of day in minutes`,
  recordTimeNotAfterPrevious: (p: { time: string }) => `${p.time} is not after the previous record's time`,
  priceNotFinite: (_: NoParams) => 'a price is not a finite number',
  amountInvalid: (p: { value: string }) => `the amount ${p.value} is not a non-negative number`,

  exportHeaderInvalid: (p: { text: string }) =>
    `"${p.text}" is not the first line of a TDX export (code name period adjustment, e.g. "601003 柳钢股份 日线 前复权")`,
  exportColumnsMissing: (_: NoParams) => 'the column header line is missing',
  exportColumnsInvalid: (p: { text: string }) => `"${p.text}" is not the column header of a TDX export (日期 开盘 最高 最低 收盘 成交量 成交额)`,
  exportClockMissing: (p: { period: string }) => `a ${p.period} export needs a 时间 column`,
  exportDateInvalid: (p: { value: string }) => `"${p.value}" is not a date`,
  exportCodeMismatch: (p: { headerCode: string; fileCode: string }) => `the header says ${p.headerCode} but the file name says ${p.fileCode}`,

  rowTooShort: (p: { fields: number; width: number }) => `the row has ${counted(p.fields, 'column')}; ${p.width} are needed`,
  numberInvalid: (p: Column & { value: string }) => `"${p.value}" in ${named(p)} is not a number`,
  timeInvalid: (p: Column & { value: string; format: string }) => `"${p.value}" in ${named(p)} is not a ${p.format} time`,
  minuteTimeInvalid: (p: Column & { value: string; format: string }) =>
    `"${p.value}" in ${named(p)} is not a ${p.format} time (minute bars need whole minutes)`,
  clockInvalid: (p: Column & { value: string }) => `"${p.value}" in ${named(p)} is not a time (HHMM)`,
  valueMissing: (p: Column) => `the value in ${named(p)} is missing`,
  volumeNegative: (p: { value: number }) => `the volume ${p.value} is negative`,
  amountNegative: (p: { value: number }) => `the amount ${p.value} is negative`,
  highBelowLow: (p: { high: number; low: number }) => `the high ${p.high} is below the low ${p.low} (check the column mapping)`,
  timeNotAfterPrevious: (p: { value: string }) => `"${p.value}" is not after the previous row's time`,
  duplicateTime: (p: { firstLine: number }) => `the row has the same time as line ${p.firstLine}`,

  noDataRows: (p: { headerRows: number }) => `no data rows after ${counted(p.headerRows, 'header row')}`,
  allRowsMissing: (p: { rows: number }) => `every one of the ${p.rows} rows has a missing value (None, empty or -); check the mapping`,
  csvDateFormatNoClock: (p: { format: string }) => `minute bars need a time of day; ${p.format} has none`,
  csvColumnMappedTwice: (p: { column: number; field: string; other: string }) => `column ${p.column} is mapped to both ${p.other} and ${p.field}`,
  csvDelimiterInvalid: (p: { value: string }) => `the delimiter "${p.value}" is not one character`,

  noBars: (_: NoParams) => 'the file has no bars',
  rowsSkipped: (p: { count: number }) => `${counted(p.count, 'row')} with a missing value skipped`,
  pricesOutOfOrder: (p: { count: number }) => `${counted(p.count, 'bar')} kept with prices out of order (open/close outside low..high)`,
} satisfies Record<string, (p: never) => string>;

export type ImportProblemCode = keyof typeof IMPORT_PROBLEM_TEXT;
export type ImportProblemParams<C extends ImportProblemCode> = Parameters<(typeof IMPORT_PROBLEM_TEXT)[C]>[0];
/** Param values as they travel (the contract's FileProblem.params). */
export type ProblemParams = Readonly<Record<string, string | number>>;

/** The English text of a code with its params. */
export function importProblemText<C extends ImportProblemCode>(code: C, params: ImportProblemParams<C>): string {
  return (IMPORT_PROBLEM_TEXT[code] as (p: ImportProblemParams<C>) => string)(params);
}

/** A problem or warning as it is reported: code, params, English message, and where. */
export interface ProblemReport {
  code: ImportProblemCode;
  params: ProblemParams;
  message: string;
  line?: number;
}

export function problemReport<C extends ImportProblemCode>(code: C, params: ImportProblemParams<C>, line?: number): ProblemReport {
  return { code, params: params as ProblemParams, message: importProblemText(code, params), ...(line !== undefined ? { line } : {}) };
}

/**
 * Why a file cannot be imported, and where: the 1-based line of a text file or the 1-based record
 * of a binary one. Parsers throw it; the importer reports it per file and writes nothing of that file.
 */
export class ImportProblem<C extends ImportProblemCode = ImportProblemCode> extends Error implements ProblemReport {
  override readonly name = 'ImportProblem';
  readonly params: ProblemParams;

  constructor(
    readonly code: C,
    params: ImportProblemParams<C>,
    readonly line?: number,
  ) {
    super(importProblemText(code, params));
    this.params = params as ProblemParams;
  }

  /** The problem of a report (checkCsvOptions' answer, say). */
  static of(report: ProblemReport): ImportProblem {
    return new ImportProblem(report.code, report.params as never, report.line);
  }
}

/** What a parser kept or skipped besides the bars themselves. */
export interface ParseNotes {
  /** Bars kept as they are although their prices are out of order (open/close outside [low, high], or high < low). */
  anomalies: number;
  firstAnomalyLine?: number;
  /** Rows skipped because a mapped value was missing (`None`, empty, `-`); CSV only. */
  skipped: number;
  firstSkippedLine?: number;
}

export function emptyNotes(): ParseNotes {
  return { anomalies: 0, skipped: 0 };
}

/** Counts a bar whose prices are out of order (kept: real data has them, see the tests). */
export function noteAnomaly(notes: ParseNotes, open: number, high: number, low: number, close: number, line: number): void {
  if (high < low || open > high || open < low || close > high || close < low) {
    if (notes.anomalies++ === 0) notes.firstAnomalyLine = line;
  }
}
