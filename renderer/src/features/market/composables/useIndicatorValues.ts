/**
 * The chart's indicators with their values, from the server: one POST /api/indicators/calculate per
 * indicator and per page of bars, for exactly the K-line query that page was loaded with (same
 * symbol, period, adjustment, end and limit), so each indicator's values line up with the bars and
 * one failing indicator (3002 not enough bars on a short series …) leaves the others alone.
 *
 *  - a new series (symbol, period, adjustment, reload) drops every value and asks again;
 *  - an older page put in front of the series asks for that page only;
 *  - an indicator added or edited asks for itself only; one removed is forgotten (its requests
 *    aborted).
 * While an edited indicator's new values load, the old ones stay on screen.
 */
import { onScopeDispose, shallowRef, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ErrorCodes } from '@contracts/gen/error-codes';
import { ApiError } from '@/api/errors';
import { calculateIndicators, type ChartIndicators, type Convention, type IndicatorMeta, type IndicatorUse } from '@/api/indicators';
import type { KlineQuery } from '@/api/market';
import { alignPages, type AlignedOutputs, type PageValues } from '@/features/indicators/align';
import { indicatorTitle, resolveParams, useKey, type IndicatorCatalog } from '@/features/indicators/catalog';
import type { IndicatorView } from '../chart/panes';
import type { BarSeries } from '../chart/series';

/** Errors shown in the indicator's legend instead of a message box. */
const QUIET: readonly number[] = [
  ErrorCodes.INDICATOR_NOT_FOUND.code,
  ErrorCodes.INSUFFICIENT_DATA.code,
  ErrorCodes.INDICATOR_PARAMETER_INVALID.code,
  ErrorCodes.INDICATOR_CALCULATION_FAILED.code,
  ErrorCodes.KLINE_DATA_NOT_FOUND.code,
  ErrorCodes.SYMBOL_NOT_FOUND.code,
];

interface Entry {
  readonly use: IndicatorUse;
  readonly convention: Convention;
  readonly meta: IndicatorMeta;
  /** Per page (index into `pages`): the values, the error, or an AbortController while asked. */
  readonly results: (PageValues | undefined)[];
  readonly errors: (ApiError | undefined)[];
  readonly pending: (AbortController | undefined)[];
  aligned: { series: BarSeries; answered: number; outputs: AlignedOutputs } | null;
}

export interface IndicatorValueSources {
  series: Readonly<Ref<BarSeries>>;
  /** The K-line queries of the pages the series is made of, the newest page first. */
  pages: Readonly<Ref<readonly KlineQuery[]>>;
  chart: Readonly<Ref<ChartIndicators>>;
  catalog: Readonly<Ref<IndicatorCatalog>>;
  /** False until the registry is loaded and the set decided. */
  ready: Readonly<Ref<boolean>>;
}

export function useIndicatorValues(sources: IndicatorValueSources) {
  const { t, locale } = useI18n();
  const views = shallowRef<IndicatorView[]>([]);
  const entries = new Map<string, Entry>();
  /** The newest page's query: when it changes, the series is a new one. */
  let base: KlineQuery | undefined;
  /** The series the current views were built for. */
  let builtFor: BarSeries | undefined;

  function forget(entry: Entry): void {
    for (const controller of entry.pending) controller?.abort();
  }

  function clear(): void {
    for (const entry of entries.values()) forget(entry);
    entries.clear();
  }

  function ask(key: string, entry: Entry, page: number, query: KlineQuery): void {
    const controller = new AbortController();
    entry.pending[page] = controller;
    const params = resolveParams(entry.meta, entry.use.params);
    calculateIndicators(query, [{ name: entry.use.name, params }], entry.convention, { signal: controller.signal, quiet: QUIET })
      .then((calc) => {
        const result = calc.results[0];
        entry.results[page] = { time: calc.time ?? [], outputs: result?.outputs ?? {} };
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        entry.errors[page] =
          err instanceof ApiError ? err : new ApiError({ code: ErrorCodes.INTERNAL_ERROR.code, message: String(err), status: 0 });
      })
      .finally(() => {
        if (controller.signal.aborted || entries.get(key) !== entry) return;
        entry.pending[page] = undefined;
        entry.aligned = null;
        build();
      });
  }

  /** Asks for whatever is missing, forgets what is no longer shown, and rebuilds the views. */
  function sync(): void {
    const pages = sources.pages.value;
    if (pages[0] !== base) {
      clear();
      base = pages[0];
    }
    const chart = sources.chart.value;
    const catalog = sources.catalog.value;
    const wanted = new Set<string>();
    if (sources.ready.value && pages.length > 0) {
      for (const use of chart.indicators) {
        const convention = use.convention ?? chart.convention;
        const meta = catalog.find(use.name, convention);
        if (!meta) continue;
        const key = useKey(use, chart.convention, catalog);
        wanted.add(key);
        let entry = entries.get(key);
        if (!entry) {
          entry = { use, convention, meta, results: [], errors: [], pending: [], aligned: null };
          entries.set(key, entry);
        }
        pages.forEach((query, i) => {
          if (!entry.results[i] && !entry.errors[i] && !entry.pending[i]) ask(key, entry, i, query);
        });
      }
    }
    for (const [key, entry] of entries) {
      if (!wanted.has(key)) {
        forget(entry);
        entries.delete(key);
      }
    }
    build();
  }

  function outputsOf(entry: Entry, series: BarSeries): AlignedOutputs | null {
    const answered = entry.results.filter(Boolean).length;
    if (answered === 0) return null;
    if (entry.aligned?.series !== series || entry.aligned.answered !== answered) {
      const pages = entry.results.filter((r): r is PageValues => r !== undefined);
      // Oldest page first, so where pages overlap the newer page's values win.
      pages.reverse();
      entry.aligned = { series, answered, outputs: alignPages(series.time, pages, entry.meta.outputs.map((o) => o.name)) };
    }
    return entry.aligned.outputs;
  }

  function problem(error: ApiError): IndicatorView['error'] {
    const detail = error.details[0]?.message;
    return detail ? { code: error.code, message: error.message, detail } : { code: error.code, message: error.message };
  }

  function build(): void {
    const chart = sources.chart.value;
    const catalog = sources.catalog.value;
    const series = sources.series.value;
    const previous = builtFor === series ? views.value : [];
    builtFor = series;
    views.value = chart.indicators.map((use, index): IndicatorView => {
      const convention = use.convention ?? chart.convention;
      const meta = catalog.find(use.name, convention) ?? null;
      const key = useKey(use, chart.convention, catalog);
      const title = indicatorTitle(use.name, meta ?? undefined, use.params);
      const params = meta ? resolveParams(meta, use.params) : { ...use.params };
      if (!meta) {
        const error = sources.ready.value ? { code: ErrorCodes.INDICATOR_NOT_FOUND.code, message: t('indicators.unknown', { convention: t(`indicators.convention.${convention}`) }) } : null;
        return { index, key, name: use.name, convention, meta, params, title, outputs: null, loading: false, error };
      }
      const entry = entries.get(key);
      const error = entry?.errors.find(Boolean);
      let outputs = entry ? outputsOf(entry, series) : null;
      const loading = !entry || entry.pending.some(Boolean);
      const before = previous[index];
      // An edited indicator keeps showing its old values until the new ones arrive.
      if (!outputs && loading && before?.outputs && before.name === use.name && before.convention === convention) {
        outputs = before.outputs;
      }
      return { index, key, name: use.name, convention, meta, params, title, outputs, loading, error: error ? problem(error) : null };
    });
  }

  watch([sources.series, sources.pages, sources.chart, sources.catalog, sources.ready], sync, { immediate: true });
  // The "unknown indicator" message is in the UI language.
  watch(locale, build);
  onScopeDispose(clear);

  return { views };
}
