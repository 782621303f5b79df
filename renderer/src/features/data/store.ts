/**
 * The Data Manager: the import wizard's state machine, the import tasks of this server launch and
 * the cache's coverage.
 *
 * Wizard steps:
 *   edit ──(CSV: preview)──▶ previewing ──▶ edit
 *   edit ──start──▶ submitting ──202──▶ running ──final task──▶ done | failed
 *   submitting ──error──▶ edit (the error is shown)          done | failed ──reset──▶ edit
 *
 * Progress comes from the `tasks` SSE stream (`applyTaskEvent`, wired by the page); while the
 * stream is not open, the running task is polled every POLL_MS instead, and every SAFETY_POLL_MS
 * even when it is. Events carry only failed files, so the finished task is fetched once for all
 * its per-file results. The store outlives the page: an import keeps being followed while the
 * user looks at the chart.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  deleteBars,
  getCoverage,
  getImportTask,
  importCsv,
  importTdx,
  importTdxExport,
  listImportTasks,
  previewCsv,
  type Coverage,
  type CsvColumnMapping,
  type CsvImportRequest,
  type CsvPreview,
  type Encoding,
  type ImportTask,
} from '@/api/data';
import { ApiError } from '@/api/errors';
import type { Adjust, Period } from '@/api/market';
import { bumpDataRevision } from './revision';

export type ImportType = 'tdx' | 'tdx-export' | 'csv';
export type WizardStep = 'edit' | 'previewing' | 'submitting' | 'running' | 'done' | 'failed';
export type CsvField = keyof CsvColumnMapping;
export type DateFormat = NonNullable<CsvImportRequest['dateFormat']>;
export type Delimiter = NonNullable<CsvImportRequest['delimiter']>;
export type VolumeUnit = NonNullable<CsvImportRequest['volumeUnit']>;
export type AmountUnit = NonNullable<CsvImportRequest['amountUnit']>;

export const REQUIRED_FIELDS: readonly CsvField[] = ['time', 'open', 'high', 'low', 'close'];
export const OPTIONAL_FIELDS: readonly CsvField[] = ['volume', 'amount'];
export const POLL_MS = 300;
export const SAFETY_POLL_MS = 2000;
const PREVIEW_ROWS = 20;
const SYMBOL_PATTERN = /^\d{6}\.(SH|SZ|BJ)$/;

export interface CsvSettings {
  encoding: Encoding;
  delimiter: Delimiter;
  headerRows: number;
  dateFormat: DateFormat;
  volumeUnit: VolumeUnit;
  amountUnit: AmountUnit;
  /** Column index per field; null = not in the file (optional fields only). */
  mapping: Record<CsvField, number | null>;
  symbol: string;
  name: string;
  period: Period;
  adjust: Adjust;
}

export function defaultCsvSettings(): CsvSettings {
  return {
    encoding: 'utf-8',
    delimiter: ',',
    headerRows: 1,
    dateFormat: 'YYYY-MM-DD',
    volumeUnit: 'shares',
    amountUnit: 'yuan',
    mapping: { time: null, open: null, high: null, low: null, close: null, volume: null, amount: null },
    symbol: '',
    name: '',
    period: 'day',
    adjust: 'none',
  };
}

const DATE_FORMATS: Record<DateFormat, true> = {
  'YYYY-MM-DD': true,
  'YYYY/MM/DD': true,
  YYYYMMDD: true,
  'YYYY-MM-DD HH:mm': true,
  'YYYY-MM-DD HH:mm:ss': true,
  'YYYY/MM/DD HH:mm': true,
  'YYYY/MM/DD HH:mm:ss': true,
};
export const DATE_FORMAT_LIST = Object.keys(DATE_FORMATS) as DateFormat[];
const DELIMITERS: Record<Delimiter, true> = { ',': true, ';': true, '\t': true, '|': true };
export const DELIMITER_LIST = Object.keys(DELIMITERS) as Delimiter[];

/**
 * The symbol a file name suggests: `600519.csv` → 600519.SH, `SZ#000001.txt` / `sz000001.csv` →
 * 000001.SZ, `000001.XSHG_1min.csv` → 000001.SH; '' when the name has no 6-digit code.
 */
export function guessSymbol(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? '';
  const m = /(?:^|[^0-9])(?:(sh|sz|bj)[#._-]?)?(\d{6})(?:[._-](sh|sz|bj|xshg|xshe))?(?![0-9])/i.exec(name);
  if (!m) return '';
  const code = m[2]!;
  const tag = (m[1] ?? m[3] ?? '').toUpperCase();
  const exchange = tag === 'XSHG' ? 'SH' : tag === 'XSHE' ? 'SZ' : tag || (/^(6|5|900)/.test(code) ? 'SH' : /^(4|8|92)/.test(code) ? 'BJ' : 'SZ');
  return `${code}.${exchange}`;
}

export function isFinal(task: Pick<ImportTask, 'state'>): boolean {
  return task.state !== 'queued' && task.state !== 'running';
}

/** What still keeps the CSV import from starting (i18n keys), none when it can. */
export function csvProblems(csv: CsvSettings, preview: CsvPreview | null): string[] {
  const problems: string[] = [];
  if (!preview) problems.push('data.csv.needPreview');
  for (const field of REQUIRED_FIELDS) if (csv.mapping[field] === null) problems.push(`data.csv.missing.${field}`);
  const used = Object.values(csv.mapping).filter((c): c is number => c !== null);
  if (new Set(used).size !== used.length) problems.push('data.csv.duplicateColumn');
  if (!SYMBOL_PATTERN.test(csv.symbol.trim().toUpperCase())) problems.push('data.csv.badSymbol');
  return problems;
}

/** The request body for the CSV import. */
export function csvRequest(path: string, csv: CsvSettings): CsvImportRequest {
  const mapping: CsvColumnMapping = {
    time: csv.mapping.time!,
    open: csv.mapping.open!,
    high: csv.mapping.high!,
    low: csv.mapping.low!,
    close: csv.mapping.close!,
  };
  if (csv.mapping.volume !== null) mapping.volume = csv.mapping.volume;
  if (csv.mapping.amount !== null) mapping.amount = csv.mapping.amount;
  return {
    path,
    symbol: csv.symbol.trim().toUpperCase(),
    ...(csv.name.trim() ? { name: csv.name.trim() } : {}),
    period: csv.period,
    adjust: csv.adjust,
    mapping,
    encoding: csv.encoding,
    delimiter: csv.delimiter,
    headerRows: csv.headerRows,
    dateFormat: csv.dateFormat,
    volumeUnit: csv.volumeUnit,
    amountUnit: csv.amountUnit,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const useDataStore = defineStore('data', () => {
  // ---- Wizard ----
  const kind = ref<ImportType>('tdx');
  const path = ref('');
  const csv = ref<CsvSettings>(defaultCsvSettings());
  const preview = shallowRef<CsvPreview | null>(null);
  const step = ref<WizardStep>('edit');
  /** The import being followed (counters from events, every result once it is finished). */
  const task = ref<ImportTask | null>(null);
  const error = shallowRef<ApiError | null>(null);
  /** Set by the page from the tasks stream's state: polling slows down while it is open. */
  const streamOpen = ref(false);

  // ---- Lists ----
  const tasks = ref<ImportTask[]>([]);
  const coverage = ref<Coverage[]>([]);
  const coverageLoading = ref(false);

  const busy = computed(() => step.value === 'previewing' || step.value === 'submitting' || step.value === 'running');
  const problems = computed(() => {
    const list: string[] = [];
    if (!path.value.trim()) list.push('data.wizard.needPath');
    if (kind.value === 'csv') list.push(...csvProblems(csv.value, preview.value));
    return list;
  });
  const canStart = computed(() => !busy.value && problems.value.length === 0);

  /** Bumped to stop the current poll loop. */
  let following = 0;
  /** The task whose final results are being fetched (once). */
  let finishing: string | null = null;

  function setKind(next: ImportType): void {
    if (busy.value) return;
    kind.value = next;
    preview.value = null;
    error.value = null;
    if (step.value !== 'edit') reset();
  }

  function setPath(next: string): void {
    path.value = next;
    // A preview describes one file: another path needs another preview.
    if (preview.value && preview.value.path !== next.trim()) preview.value = null;
  }

  /** Back to editing, keeping the type, path and CSV settings (for "import again"). */
  function reset(): void {
    following++;
    finishing = null;
    step.value = 'edit';
    task.value = null;
    error.value = null;
  }

  function toError(err: unknown): ApiError {
    return err instanceof ApiError ? err : new ApiError({ code: 9999, message: String(err), status: 0 });
  }

  /** Reads the first rows and takes the server's suggestions (mapping, date format, header rows, encoding). */
  async function runPreview(encoding?: Encoding): Promise<void> {
    if (kind.value !== 'csv' || !path.value.trim() || busy.value) return;
    step.value = 'previewing';
    error.value = null;
    try {
      let result = await previewCsv({ path: path.value.trim(), encoding: encoding ?? csv.value.encoding, rows: PREVIEW_ROWS });
      // Not UTF-8 but GBK (NetEase, TDX exports): read it again the right way, once.
      if (!encoding && result.suggestedEncoding && result.suggestedEncoding !== result.encoding) {
        result = await previewCsv({ path: path.value.trim(), encoding: result.suggestedEncoding, rows: PREVIEW_ROWS });
      }
      applyPreview(result);
    } catch (err) {
      preview.value = null;
      error.value = toError(err);
    } finally {
      step.value = 'edit';
    }
  }

  function applyPreview(result: CsvPreview): void {
    preview.value = result;
    const next = { ...csv.value, encoding: result.encoding };
    if (DELIMITERS[result.delimiter as Delimiter]) next.delimiter = result.delimiter as Delimiter;
    if (result.suggestedHeaderRows !== undefined) next.headerRows = result.suggestedHeaderRows;
    if (result.suggestedDateFormat && DATE_FORMATS[result.suggestedDateFormat as DateFormat]) {
      next.dateFormat = result.suggestedDateFormat as DateFormat;
      if (next.dateFormat.includes('HH') && ['day', 'week', 'month'].includes(next.period)) next.period = '1m';
    }
    const m = result.suggestedMapping;
    next.mapping = {
      time: m?.time ?? null,
      open: m?.open ?? null,
      high: m?.high ?? null,
      low: m?.low ?? null,
      close: m?.close ?? null,
      volume: m?.volume ?? null,
      amount: m?.amount ?? null,
    };
    if (!next.symbol.trim()) next.symbol = guessSymbol(result.path);
    csv.value = next;
  }

  function submit(): Promise<ImportTask> {
    const p = path.value.trim();
    if (kind.value === 'tdx') return importTdx(p);
    if (kind.value === 'tdx-export') return importTdxExport(p);
    return importCsv(csvRequest(p, csv.value));
  }

  async function start(): Promise<void> {
    if (!canStart.value) return;
    following++; // stop following an earlier task shown in the wizard
    finishing = null;
    step.value = 'submitting';
    error.value = null;
    task.value = null;
    let queued: ImportTask;
    try {
      queued = await submit();
    } catch (err) {
      error.value = toError(err);
      step.value = 'edit';
      return;
    }
    // Events for this task may have arrived before the answer did.
    const seen = tasks.value.find((t) => t.id === queued.id);
    task.value = seen && progressed(seen, queued) ? { ...seen, results: [] } : queued;
    upsert(task.value);
    step.value = 'running';
    void follow(queued.id);
    if (isFinal(task.value)) await finish(queued.id);
  }

  function progressed(a: ImportTask, b: ImportTask): boolean {
    return isFinal(a) || a.filesDone > b.filesDone || (a.state === 'running' && b.state === 'queued');
  }

  /** Polls the followed task: fast while the stream is down, slowly as a safety net while it is up. */
  async function follow(id: string): Promise<void> {
    const mine = ++following;
    while (mine === following && step.value === 'running' && task.value?.id === id) {
      await sleep(streamOpen.value ? SAFETY_POLL_MS : POLL_MS);
      if (mine !== following || step.value !== 'running') return;
      try {
        applyTaskEvent(await getImportTask(id));
      } catch {
        // Reported by the client; keep following (the stream may still deliver).
      }
    }
  }

  async function finish(id: string): Promise<void> {
    if (finishing === id) return;
    finishing = id;
    let full: ImportTask;
    try {
      full = await getImportTask(id);
    } catch (err) {
      error.value = toError(err);
      step.value = 'failed';
      return;
    }
    if (task.value?.id !== id || (step.value !== 'running' && step.value !== 'done' && step.value !== 'failed')) return;
    task.value = full;
    upsert(full);
    step.value = full.state === 'succeeded' ? 'done' : 'failed';
    void loadCoverage();
  }

  function upsert(t: ImportTask): void {
    const i = tasks.value.findIndex((x) => x.id === t.id);
    if (i >= 0) tasks.value.splice(i, 1, { ...t, results: t.results.filter((r) => r.status === 'failed') });
    else tasks.value.unshift({ ...t, results: t.results.filter((r) => r.status === 'failed') });
  }

  /** A `task` event (or a polled task): updates the list, and the followed task's progress. */
  function applyTaskEvent(t: ImportTask): void {
    const known = tasks.value.find((x) => x.id === t.id);
    if (known && isFinal(known) && !isFinal(t)) return; // an older event than what we hold
    upsert(t);
    if (isFinal(t) && !(known && isFinal(known))) bumpDataRevision();
    const current = task.value;
    if (!current || current.id !== t.id || step.value !== 'running') return;
    if (isFinal(current)) return;
    // Keep the per-file results already fetched; events carry only failed ones.
    task.value = { ...t, results: t.results.length > current.results.length ? t.results : current.results };
    if (isFinal(t)) void finish(t.id);
  }

  /** Shows the per-file results of an earlier task in the wizard's result table. */
  async function showTask(id: string): Promise<void> {
    if (busy.value) return;
    const full = await getImportTask(id);
    following++;
    finishing = null;
    task.value = full;
    step.value = isFinal(full) ? (full.state === 'succeeded' ? 'done' : 'failed') : 'running';
    if (step.value === 'running') void follow(id);
  }

  async function loadTasks(): Promise<void> {
    tasks.value = await listImportTasks();
  }

  async function loadCoverage(): Promise<void> {
    coverageLoading.value = true;
    try {
      coverage.value = await getCoverage();
    } finally {
      coverageLoading.value = false;
    }
  }

  /** Deletes one coverage row's bars; answers how many went. */
  async function removeCoverage(row: Pick<Coverage, 'symbol' | 'period' | 'adjust'>): Promise<number> {
    const deleted = await deleteBars({ symbol: row.symbol, period: row.period, adjust: row.adjust });
    coverage.value = coverage.value.filter((c) => !(c.symbol === row.symbol && c.period === row.period && c.adjust === row.adjust));
    bumpDataRevision();
    void loadCoverage();
    return deleted;
  }

  return {
    kind,
    path,
    csv,
    preview,
    step,
    task,
    error,
    streamOpen,
    tasks,
    coverage,
    coverageLoading,
    busy,
    problems,
    canStart,
    setKind,
    setPath,
    reset,
    runPreview,
    start,
    applyTaskEvent,
    showTask,
    loadTasks,
    loadCoverage,
    removeCoverage,
  };
});
