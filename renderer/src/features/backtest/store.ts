/**
 * The strategy library and stored results: the strategies (loaded once: they are built into the
 * server), the history list, one result at a time for its page, the comparison, delete and export.
 * Runs under way are features/backtest/runs.ts.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import { ErrorCodes } from '@contracts/gen/error-codes';
import {
  compareBacktestResults,
  deleteBacktestResult,
  exportBacktestResult,
  getBacktestResult,
  listBacktestResults,
  listStrategies,
  type BacktestComparison,
  type BacktestResult,
  type BacktestResultMeta,
  type ExportTable,
  type StrategyInfo,
} from '@/api/backtest';
import { downloadText } from '@/utils/download';
import { defaultForm, formFromConfig, type BacktestForm } from './form';

/** The strategy a first visit starts with, when the server has it. */
const FIRST_STRATEGY = 'dual-ma';

/** Results per history page: a trader keeps tens, not thousands. */
export const HISTORY_PAGE_SIZE = 50;
/** The server compares two to four results. */
export const COMPARE_MIN = 2;
export const COMPARE_MAX = 4;

export const useBacktestStore = defineStore('backtest', () => {
  const strategies = ref<StrategyInfo[]>([]);
  const strategiesLoaded = ref(false);
  const history = ref<BacktestResultMeta[]>([]);
  const historyTotal = ref(0);
  const historyPage = ref(1);
  const historyLoading = ref(false);
  /** The result on screen; shallow: a document holds thousands of rows that never change. */
  const result = shallowRef<BacktestResult | null>(null);
  const resultLoading = ref(false);
  /** Why the result is not shown: `notFound` (deleted, or a wrong link), else a failure. */
  const resultError = ref<'notFound' | 'failed' | null>(null);
  const comparison = shallowRef<BacktestComparison | null>(null);
  const selected = ref<string[]>([]);
  /** The new-backtest form, kept across page visits (a trader tweaks and reruns). */
  const form = ref<BacktestForm | null>(null);

  const strategyById = computed(() => new Map(strategies.value.map((s) => [s.id, s])));

  async function loadStrategies(): Promise<void> {
    if (strategiesLoaded.value) return;
    strategies.value = await listStrategies();
    strategiesLoaded.value = true;
  }

  /** The form as it was, or a fresh one (the last ~5 years up to `today`) once the strategies are known. */
  function ensureForm(today = new Date()): void {
    if (form.value || strategies.value.length === 0) return;
    form.value = defaultForm(today, strategyById.value.get(FIRST_STRATEGY) ?? strategies.value[0]);
  }

  /** The form filled in from the result on screen, to run it again or vary it. */
  function formFromResult(): void {
    if (result.value) form.value = formFromConfig(result.value.document.config);
  }

  async function loadHistory(page = historyPage.value): Promise<void> {
    historyLoading.value = true;
    try {
      const answer = await listBacktestResults({ page, pageSize: HISTORY_PAGE_SIZE });
      history.value = answer.items;
      historyTotal.value = answer.pagination.total;
      historyPage.value = page;
      // A selected result that is gone (deleted elsewhere) cannot be compared.
      const ids = new Set(answer.items.map((m) => m.id));
      selected.value = selected.value.filter((id) => ids.has(id));
    } finally {
      historyLoading.value = false;
    }
  }

  async function loadResult(id: string): Promise<void> {
    if (result.value?.meta.id === id) return;
    result.value = null;
    resultError.value = null;
    resultLoading.value = true;
    try {
      result.value = await getBacktestResult(id, { quiet: [ErrorCodes.BACKTEST_NOT_FOUND.code, ErrorCodes.NOT_FOUND.code] });
    } catch (error) {
      const code = (error as { code?: number }).code;
      resultError.value = code === ErrorCodes.BACKTEST_NOT_FOUND.code || code === ErrorCodes.NOT_FOUND.code ? 'notFound' : 'failed';
    } finally {
      resultLoading.value = false;
    }
  }

  async function remove(id: string): Promise<void> {
    await deleteBacktestResult(id);
    history.value = history.value.filter((m) => m.id !== id);
    historyTotal.value = Math.max(0, historyTotal.value - 1);
    selected.value = selected.value.filter((s) => s !== id);
    if (result.value?.meta.id === id) result.value = null;
  }

  /** Select or unselect a result for comparison; at most COMPARE_MAX (the oldest pick drops out). */
  function toggleSelected(id: string): void {
    if (selected.value.includes(id)) selected.value = selected.value.filter((s) => s !== id);
    else selected.value = [...selected.value, id].slice(-COMPARE_MAX);
  }

  async function compare(ids: readonly string[]): Promise<void> {
    comparison.value = await compareBacktestResults(ids);
  }

  /** Downloads the JSON document, or one table as CSV (UTF-8 with a BOM, so Excel reads the Chinese). */
  async function download(id: string, format: 'json' | 'csv', table?: ExportTable): Promise<void> {
    const text = await exportBacktestResult(id, format === 'csv' ? { format, table } : { format });
    if (format === 'json') downloadText(`backtest-${id}.json`, text, 'application/json');
    // Response.text() drops the BOM the server sent; put it back for Excel.
    else downloadText(`backtest-${id}-${table}.csv`, text.startsWith('\uFEFF') ? text : `\uFEFF${text}`, 'text/csv;charset=utf-8');
  }

  return {
    strategies,
    strategiesLoaded,
    strategyById,
    history,
    historyTotal,
    historyPage,
    historyLoading,
    result,
    resultLoading,
    resultError,
    comparison,
    selected,
    form,
    ensureForm,
    formFromResult,
    loadStrategies,
    loadHistory,
    loadResult,
    remove,
    toggleSelected,
    compare,
    download,
  };
});
