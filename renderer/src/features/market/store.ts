/**
 * The Market page's state: which instrument, period and adjustment, and its bars.
 *
 * Bars come in pages of PAGE_SIZE (the newest first; older pages when the chart is panned to the
 * oldest loaded bar), so a 240,000-bar one-minute history is never fetched in one go. The query of
 * each page is kept (`pages`): the chart's indicators are asked for over exactly the same bars.
 *
 * On a fresh data directory the server imports its bundled sample in the background: before the
 * first load the store looks for a running import and waits for it (showing its progress) instead
 * of asking for bars that are not there yet.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { ErrorCodes } from '@contracts/gen/error-codes';
import { getImportTask, listImportTasks, type ImportTask } from '@/api/data';
import { ApiError } from '@/api/errors';
import { dataRevision } from '@/features/data/revision';
import { getInstrument, getKline, type Adjust, type Instrument, type Kline, type KlineQuery, type Period } from '@/api/market';
import { EMPTY_SERIES, fromKline, prependSeries, type BarSeries } from './chart/series';

export const DEFAULT_SYMBOL = '600000.SH';
export const PERIODS: readonly Period[] = ['1m', '5m', '15m', '30m', '60m', 'day', 'week', 'month'];
export const ADJUSTS: readonly Adjust[] = ['none', 'qfq', 'hfq'];
/** Bars per request: ~1.2 MB of JSON for minute bars, every daily bar of most stocks. */
export const PAGE_SIZE = 20_000;
/** How often a running import is polled while the page waits for it. */
export const IMPORT_POLL_MS = 300;

const STORAGE = { symbol: 'mystocks.market.symbol', period: 'mystocks.market.period', adjust: 'mystocks.market.adjust' };
const SYMBOL_PATTERN = /^\d{6}\.(SH|SZ|BJ)$/;
const NO_DATA: readonly number[] = [ErrorCodes.SYMBOL_NOT_FOUND.code, ErrorCodes.KLINE_DATA_NOT_FOUND.code];

export type MarketStatus = 'idle' | 'waiting-import' | 'loading' | 'ready' | 'empty' | 'error';

export interface SeriesInfo {
  stale: boolean;
  adjustApplied: boolean;
  /** The adjustment the bars carry (differs from the choice when that data is missing). */
  actualAdjust: Adjust;
  derivedFrom: string | null;
}

function stored<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  const value = localStorage.getItem(key);
  return allowed.includes(value as T) ? (value as T) : fallback;
}

export function isSymbol(value: unknown): value is string {
  return typeof value === 'string' && SYMBOL_PATTERN.test(value);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const useMarketStore = defineStore('market', () => {
  const savedSymbol = localStorage.getItem(STORAGE.symbol);
  const symbol = ref(isSymbol(savedSymbol) ? savedSymbol : DEFAULT_SYMBOL);
  const period = ref<Period>(stored(STORAGE.period, PERIODS, 'day'));
  const adjust = ref<Adjust>(stored(STORAGE.adjust, ADJUSTS, 'none'));

  const instrument = shallowRef<Instrument | null>(null);
  const series = shallowRef<BarSeries>(EMPTY_SERIES);
  /** The K-line queries the series was loaded with, the newest page first (set together with `series`). */
  const pages = shallowRef<readonly KlineQuery[]>([]);
  const info = ref<SeriesInfo | null>(null);
  const status = ref<MarketStatus>('idle');
  const error = shallowRef<ApiError | null>(null);
  /** The import the page is waiting for (first launch: the bundled sample). */
  const importTask = ref<ImportTask | null>(null);
  const hasMore = ref(false);
  const loadingOlder = ref(false);
  /** performance.now() when the current bars arrived: the chart measures its first paint from it. */
  const loadedAt = ref(0);
  /** The cache's revision (see features/data/revision.ts) the bars were loaded at. */
  const loadedRevision = ref(-1);

  /** Price decimals: funds quote to 0.001 yuan, everything else to 0.01. */
  const digits = computed(() => (instrument.value?.kind === 'fund' ? 3 : 2));

  let generation = 0;
  let controller: AbortController | undefined;
  let importsChecked = false;

  function persist(): void {
    localStorage.setItem(STORAGE.symbol, symbol.value);
    localStorage.setItem(STORAGE.period, period.value);
    localStorage.setItem(STORAGE.adjust, adjust.value);
  }

  /** Waits for a queued or running import (polling it), so the first load finds its bars. */
  async function waitForImports(gen: number, signal: AbortSignal): Promise<void> {
    const tasks = await listImportTasks({ signal });
    let task = tasks.find((t) => t.state === 'queued' || t.state === 'running');
    while (task && gen === generation) {
      importTask.value = task;
      status.value = 'waiting-import';
      if (task.state !== 'queued' && task.state !== 'running') break;
      await sleep(IMPORT_POLL_MS);
      if (gen !== generation) return;
      task = await getImportTask(task.id, { signal });
    }
    if (gen === generation) importTask.value = null;
  }

  function apply(k: Kline, query: KlineQuery, arrivedAt: number): void {
    series.value = fromKline(k);
    pages.value = [query];
    info.value = { stale: k.stale, adjustApplied: k.adjustApplied ?? true, actualAdjust: k.adjust, derivedFrom: k.derivedFrom ?? null };
    hasMore.value = k.count >= PAGE_SIZE;
    loadedAt.value = arrivedAt;
  }

  /** (Re)loads the instrument and the newest page of bars for the current selection. */
  async function load(): Promise<void> {
    const gen = ++generation;
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    error.value = null;
    loadingOlder.value = false;
    status.value = 'loading';
    loadedRevision.value = dataRevision.value;
    try {
      if (!importsChecked) {
        await waitForImports(gen, signal);
        if (gen !== generation) return;
        importsChecked = true;
        status.value = 'loading';
      }
      const wanted = { symbol: symbol.value, period: period.value, adjust: adjust.value };
      const query: KlineQuery = { ...wanted, limit: PAGE_SIZE };
      const [inst, kline] = await Promise.all([
        instrument.value?.symbol === wanted.symbol
          ? Promise.resolve(instrument.value)
          : getInstrument(wanted.symbol, { signal, quiet: NO_DATA }).catch((err: unknown) => {
              if (err instanceof ApiError && NO_DATA.includes(err.code)) return null;
              throw err;
            }),
        getKline(query, { signal, quiet: NO_DATA }),
      ]);
      const arrivedAt = performance.now();
      if (gen !== generation) return;
      instrument.value = inst;
      apply(kline, query, arrivedAt);
      status.value = 'ready';
    } catch (err) {
      if (gen !== generation || signal.aborted) return;
      series.value = EMPTY_SERIES;
      pages.value = [];
      info.value = null;
      hasMore.value = false;
      error.value = err instanceof ApiError ? err : new ApiError({ code: ErrorCodes.INTERNAL_ERROR.code, message: String(err), status: 0 });
      const noData = NO_DATA.includes(error.value.code);
      if (noData && error.value.code === ErrorCodes.SYMBOL_NOT_FOUND.code) instrument.value = null;
      status.value = noData ? 'empty' : 'error';
    }
  }

  /**
   * Stops loading (the page was left): requests are aborted and no import is polled in the
   * background. Bars already shown stay; an unfinished load starts again on the next visit.
   */
  function cancel(): void {
    generation++;
    controller?.abort();
    importTask.value = null;
    loadingOlder.value = false;
    if (status.value !== 'ready') status.value = 'idle';
  }

  /** Fetches the page of bars before the oldest one held (the chart asks when panned near it). */
  async function loadOlder(): Promise<void> {
    if (!hasMore.value || loadingOlder.value || status.value !== 'ready' || series.value.length === 0) return;
    const gen = generation;
    loadingOlder.value = true;
    try {
      const end = series.value.time[0]!;
      const query: KlineQuery = { symbol: symbol.value, period: period.value, adjust: adjust.value, end, limit: PAGE_SIZE + 1 };
      const page = await getKline(query, { signal: controller?.signal, quiet: NO_DATA });
      if (gen !== generation) return;
      const merged = prependSeries(fromKline(page), series.value);
      const added = merged.length - series.value.length;
      hasMore.value = added > 0 && page.count >= PAGE_SIZE + 1;
      if (added > 0) {
        series.value = merged;
        pages.value = [...pages.value, query];
      }
    } catch {
      if (gen === generation) hasMore.value = false; // no older bars (2003), or already reported
    } finally {
      if (gen === generation) loadingOlder.value = false;
    }
  }

  /** Shows `next` (a `CODE.EXCHANGE` symbol); reloads only when something changed or nothing is shown. */
  async function open(next: string): Promise<void> {
    if (!isSymbol(next)) return;
    if (next === symbol.value && (status.value === 'ready' || status.value === 'loading' || status.value === 'waiting-import')) return;
    symbol.value = next;
    persist();
    await load();
  }

  /** Shows a symbol with a given period and adjustment (one load for all three). */
  async function show(next: { symbol: string; period?: Period; adjust?: Adjust }): Promise<void> {
    if (!isSymbol(next.symbol)) return;
    symbol.value = next.symbol;
    if (next.period) period.value = next.period;
    if (next.adjust) adjust.value = next.adjust;
    persist();
    await load();
  }

  async function setPeriod(next: Period): Promise<void> {
    if (next === period.value) return;
    period.value = next;
    persist();
    await load();
  }

  async function setAdjust(next: Adjust): Promise<void> {
    if (next === adjust.value) return;
    adjust.value = next;
    persist();
    await load();
  }

  return {
    symbol,
    period,
    adjust,
    instrument,
    series,
    pages,
    info,
    status,
    error,
    importTask,
    hasMore,
    loadingOlder,
    loadedAt,
    loadedRevision,
    digits,
    load,
    cancel,
    loadOlder,
    open,
    show,
    setPeriod,
    setAdjust,
  };
});
