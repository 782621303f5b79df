/**
 * One import task's work, as the import worker runs it (server/src/workers/import-worker.ts) on its
 * own SQLite connection: find the files, then per file read → parse (engine/import) → write in one
 * transaction, so a rejected file leaves nothing behind while the other files still import.
 * Progress goes out through `post` (throttled here; the main thread throttles again for the bus).
 * Cancel: `signal` is checked before each file and between write batches; a cancel inside a file's
 * transaction throws TaskCancelled out of it, so the file is rolled back whole.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { components } from '../../../../contracts/gen/api';
import type { ErrorName } from '../../../../contracts/gen/error-codes';
import type { Db } from '../../platform/db/database';
import { NEVER_CANCELLED, TaskCancelled, type CancelSignal } from '../../platform/tasks/worker';
import { MarketRepository } from '../market/repository';
import type { BarSeries } from '../../engine/bars/series';
import type { Period } from '../../engine/bars/time';
import { formatDay } from '../../engine/import/civil';
import { classify, toSymbol, type Exchange } from '../../engine/market/symbols';
import { parseCsv, type CsvOptions } from '../../engine/import/csv';
import { ImportProblem, problemReport, type ParseNotes, type ProblemReport } from '../../engine/import/problem';
import { parseTdxFile, tdxFileInfo, tdxUnits } from '../../engine/import/tdx-binary';
import { parseTdxExport } from '../../engine/import/tdx-export';
import { decode, guessEncoding, type Encoding } from './decode';
import { discover, type FoundFile, type SourceKind } from './discover';

export type ImportFileResult = components['schemas']['ImportFileResult'];
type FileProblem = components['schemas']['FileProblem'];
type Adjust = components['schemas']['Adjust'];

export interface CsvSource extends CsvOptions {
  symbol: string;
  name?: string;
  adjust: Adjust;
  encoding: Encoding;
}

export interface ImportSource {
  kind: SourceKind;
  /** A real path already checked against the import roots (or the bundled sample). */
  path: string;
  /** Files are shown relative to this folder (default: the source itself). */
  base?: string;
  csv?: CsvSource;
}

export interface ImportJobSpec {
  sources: ImportSource[];
  /** Names for instruments the cache has no name for (TDX binary files carry none). */
  names?: Record<string, string>;
}

export interface JobCounters {
  filesDone: number;
  filesFailed: number;
  barsRead: number;
  barsInserted: number;
  progress: number;
}

export type JobMessage =
  | { type: 'start'; filesTotal: number }
  | ({ type: 'progress' } & JobCounters)
  | ({ type: 'file'; result: ImportFileResult } & JobCounters)
  | { type: 'done' }
  | { type: 'fatal'; code: ErrorName; message: string };

/** At most one progress message per this many ms (file results always go out). */
const PROGRESS_INTERVAL_MS = 50;
/** Share of a file's progress taken by reading and parsing (the rest is writing). */
const PARSE_SHARE = 0.3;

interface Parsed {
  symbol: string;
  name?: string;
  period: Period;
  adjust: Adjust;
  bars: BarSeries;
  notes: ParseNotes;
  source: string;
}

/** TDX export files are named `SH#601003.txt`; without a prefix the code decides. */
function exportExchange(fileName: string, code: string): Exchange {
  const m = /^(SH|SZ|BJ)#/i.exec(fileName);
  if (m) return m[1]!.toUpperCase() as Exchange;
  if (/^(6|5|900)/.test(code)) return 'SH';
  if (/^(4|8|92)/.test(code)) return 'BJ';
  return 'SZ';
}

function parseFile(kind: SourceKind, file: FoundFile, bytes: Uint8Array, csv: CsvSource | undefined, names: Record<string, string>): Parsed {
  const fileName = path.basename(file.path);
  if (kind === 'tdx') {
    const info = tdxFileInfo(fileName);
    if (!info) throw new ImportProblem('tdxFileName', { fileName });
    const { bars, notes } = parseTdxFile(bytes, info);
    return { symbol: info.symbol, name: names[info.symbol], period: info.period, adjust: 'none', bars, notes, source: 'tdx' };
  }
  if (kind === 'tdx-export') {
    const text = decode(bytes, guessEncoding(bytes));
    const { header, bars, notes } = parseTdxExport(text, (h) => {
      const fromName = /^(?:(?:SH|SZ|BJ)#)?(\d{6})\.txt$/i.exec(fileName)?.[1];
      if (fromName && fromName !== h.code) throw new ImportProblem('exportCodeMismatch', { headerCode: h.code, fileCode: fromName }, 1);
      return tdxUnits(h.code, exportExchange(fileName, h.code)).volumeFactor;
    });
    const symbol = toSymbol(header.code, exportExchange(fileName, header.code));
    return { symbol, name: header.name || names[symbol], period: header.period, adjust: header.adjust, bars, notes, source: 'tdx-export' };
  }
  const options = csv!;
  const { bars, notes } = parseCsv(decode(bytes, options.encoding), options);
  return { symbol: options.symbol, name: options.name ?? names[options.symbol], period: options.period, adjust: options.adjust, bars, notes, source: 'csv' };
}

/** A problem or warning of a file as the contract has it (the engine's codes are the contract's). */
function fileProblem(file: string, report: ProblemReport): FileProblem {
  return { file, ...(report.line !== undefined ? { line: report.line } : {}), code: report.code, params: { ...report.params }, message: report.message };
}

function warningOf(display: string, notes: ParseNotes, bars: number): FileProblem | undefined {
  if (bars === 0) return fileProblem(display, problemReport('noBars', {}));
  if (notes.skipped > 0) return fileProblem(display, problemReport('rowsSkipped', { count: notes.skipped }, notes.firstSkippedLine));
  if (notes.anomalies > 0) return fileProblem(display, problemReport('pricesOutOfOrder', { count: notes.anomalies }, notes.firstAnomalyLine));
  return undefined;
}

/**
 * The trading days the cache knows, loaded once per job: daily files of the same market share most
 * of their dates, so only the new ones are written (learned after their transaction commits).
 */
export class KnownTradingDays {
  private known?: Set<number>;

  constructor(private readonly repo: MarketRepository) {}

  /** Day numbers of `ts` (bar times at 00:00) not known yet, in order. */
  unknown(ts: Float64Array): number[] {
    this.known ??= new Set(this.repo.tradingDays().map((d) => Math.round(Date.parse(`${d}T00:00:00Z`) / 86_400_000)));
    const out: number[] = [];
    for (let i = 0; i < ts.length; i++) {
      const day = Math.floor(ts[i]! / 86_400);
      if (!this.known.has(day)) out.push(day);
    }
    return out;
  }

  learn(days: readonly number[]): void {
    for (const d of days) this.known?.add(d);
  }
}

/** Runs the job; throws only TaskCancelled (a failure of the whole job is posted as `fatal`). */
export function runImportJob(db: Db, spec: ImportJobSpec, post: (message: JobMessage) => void, signal: CancelSignal = NEVER_CANCELLED): void {
  const repo = new MarketRepository(db);
  const days = new KnownTradingDays(repo);
  const names = spec.names ?? {};
  const counters: JobCounters = { filesDone: 0, filesFailed: 0, barsRead: 0, barsInserted: 0, progress: 0 };

  let files: { source: ImportSource; file: FoundFile }[];
  try {
    files = spec.sources.flatMap((source) => discover(source.kind, source.path, source.base ?? source.path).map((file) => ({ source, file })));
  } catch (err) {
    post({ type: 'fatal', code: 'IMPORT_FILE_INVALID', message: `cannot list the files: ${(err as Error).message}` });
    return;
  }
  post({ type: 'start', filesTotal: files.length });
  if (files.length === 0) {
    const what = spec.sources.map((s) => (s.kind === 'tdx' ? 'TDX .day/.lc1/.lc5 files' : s.kind === 'tdx-export' ? 'TDX export .txt files' : 'files')).join(', ');
    post({ type: 'fatal', code: 'IMPORT_FILE_INVALID', message: `no ${what} found in ${spec.sources.map((s) => s.path).join(', ')}` });
    return;
  }

  const totalBytes = files.reduce((sum, f) => sum + Math.max(1, f.file.size), 0);
  let bytesDone = 0;
  let lastPost = 0;
  const progressAt = (fileBytes: number, fraction: number) => Math.min(1, (bytesDone + fileBytes * fraction) / totalBytes);
  const maybePost = (fileBytes: number, fraction: number) => {
    const now = performance.now();
    if (now - lastPost < PROGRESS_INTERVAL_MS) return;
    lastPost = now;
    counters.progress = progressAt(fileBytes, fraction);
    post({ type: 'progress', ...counters });
  };

  for (const { source, file } of files) {
    signal.throwIfAborted();
    const fileBytes = Math.max(1, file.size);
    const result = importOne(db, repo, source, file, names, (fraction) => maybePost(fileBytes, fraction), days, signal);
    bytesDone += fileBytes;
    counters.filesDone++;
    if (result.status === 'failed') counters.filesFailed++;
    counters.barsRead += result.bars;
    counters.barsInserted += result.inserted;
    counters.progress = progressAt(0, 0);
    post({ type: 'file', result, ...counters });
  }
  post({ type: 'done' });
}

/** Imports one file in one transaction; any problem comes back as a failed result. */
export function importOne(
  db: Db,
  repo: MarketRepository,
  source: ImportSource,
  file: FoundFile,
  names: Record<string, string>,
  onProgress: (fraction: number) => void = () => undefined,
  days: KnownTradingDays = new KnownTradingDays(repo),
  signal: CancelSignal = NEVER_CANCELLED,
): ImportFileResult {
  const failed = (problem: ProblemReport, parsed?: Parsed): ImportFileResult => ({
    file: file.display,
    ...(parsed ? { symbol: parsed.symbol, period: parsed.period } : {}),
    status: 'failed',
    bars: 0,
    inserted: 0,
    problem: fileProblem(file.display, problem),
  });
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file.path);
  } catch (err) {
    return failed(problemReport('fileUnreadable', { reason: (err as NodeJS.ErrnoException).code ?? (err as Error).message }));
  }
  let parsed: Parsed;
  try {
    parsed = parseFile(source.kind, file, bytes, source.csv, names);
  } catch (err) {
    if (err instanceof ImportProblem) return failed(err);
    return failed(problemReport('parseFailed', { reason: (err as Error).message }));
  }
  signal.throwIfAborted();
  onProgress(PARSE_SHARE);
  const { bars, notes } = parsed;
  let inserted = 0;
  let newDays: number[] = [];
  if (bars.length > 0) {
    try {
      inserted = db.transaction(() => {
        const existing = repo.getInstrument(parsed.symbol);
        const instrumentId = repo.ensureInstrument(parsed.symbol, existing?.name ? undefined : parsed.name);
        const seriesId = repo.ensureSeries(instrumentId, parsed.period, parsed.adjust);
        const n = repo.writeBars(seriesId, bars, parsed.source, (written) => {
          signal.throwIfAborted(); // rolls the file's transaction back
          onProgress(PARSE_SHARE + ((1 - PARSE_SHARE) * written) / bars.length);
        });
        const kind = classify(parsed.symbol.slice(0, 6), parsed.symbol.slice(7) as Exchange).kind;
        if (n > 0 && parsed.period === 'day' && (kind === 'stock' || kind === 'index')) {
          newDays = days.unknown(bars.ts);
          if (newDays.length > 0) repo.addTradingDays(newDays.map(formatDay));
        }
        return n;
      }).immediate();
      days.learn(newDays);
    } catch (err) {
      if (err instanceof TaskCancelled) throw err;
      return failed(problemReport('cacheWriteFailed', { reason: (err as Error).message }), parsed);
    }
  }
  const warning = warningOf(file.display, notes, bars.length);
  return {
    file: file.display,
    symbol: parsed.symbol,
    period: parsed.period,
    status: inserted > 0 ? 'imported' : 'unchanged',
    bars: bars.length,
    inserted,
    ...(notes.skipped > 0 ? { skipped: notes.skipped } : {}),
    ...(notes.anomalies > 0 ? { anomalies: notes.anomalies } : {}),
    ...(warning ? { warning } : {}),
  };
}
