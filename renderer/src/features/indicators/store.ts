/**
 * The Market chart's technical indicators: the registry (loaded once from the server), the chart's
 * current `{convention, indicators}` and the saved sets.
 *
 * The current set comes from the settings (`chartIndicators`), or registry-driven defaults when
 * the user never chose one; every change is written back with PATCH /api/system/settings, debounced
 * (a burst of edits is one request). Values are not here: the chart asks the server for them.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import {
  createIndicatorSet,
  deleteIndicatorSet,
  getIndicatorRegistry,
  listIndicatorSets,
  replaceIndicatorSet,
  type ChartIndicators,
  type Convention,
  type IndicatorParams,
  type IndicatorSet,
  type IndicatorUse,
} from '@/api/indicators';
import { useSettingsStore } from '@/features/settings/store';
import {
  defaultChartIndicators,
  EMPTY_CATALOG,
  validParams,
  IndicatorCatalog,
  INDICATOR_LIMIT,
  mapToConvention,
  normalizeChart,
  useKey,
} from './catalog';

/** How long after the last change the set is saved. */
export const PERSIST_DELAY_MS = 400;

export const useIndicatorStore = defineStore('indicators', () => {
  const catalog = shallowRef<IndicatorCatalog>(EMPTY_CATALOG);
  const convention = ref<Convention>('talib');
  const indicators = shallowRef<readonly IndicatorUse[]>([]);
  const sets = shallowRef<IndicatorSet[]>([]);
  /** The registry is loaded and the current set decided. */
  const ready = ref(false);
  const failed = ref(false);

  const chart = computed<ChartIndicators>(() => ({ convention: convention.value, indicators: [...indicators.value] }));
  const full = computed(() => indicators.value.length >= INDICATOR_LIMIT);

  let initializing: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<void> = Promise.resolve();

  /** Loads the registry (once) and takes the set from the settings, or the defaults. */
  function init(): Promise<void> {
    initializing ??= (async () => {
      try {
        catalog.value = new IndicatorCatalog(await getIndicatorRegistry());
      } catch (err) {
        initializing = null; // the next visit tries again
        failed.value = true;
        throw err;
      }
      failed.value = false;
      const saved = useSettingsStore().settings?.chartIndicators;
      const start = saved ? normalizeChart(saved, catalog.value) : defaultChartIndicators(catalog.value);
      convention.value = start.convention;
      indicators.value = start.indicators;
      ready.value = true;
    })();
    return initializing;
  }

  function replace(next: ChartIndicators): void {
    convention.value = next.convention;
    indicators.value = next.indicators;
    schedulePersist();
  }

  /**
   * Switches the convention, mapping each indicator to its counterpart; answers the titles of the
   * indicators that have none (they are removed).
   */
  function setConvention(next: Convention): string[] {
    if (next === convention.value) return [];
    const { value, dropped } = mapToConvention(chart.value, next, catalog.value);
    replace(value);
    return dropped;
  }

  /** Adds an indicator of the current convention with its default parameters; false when full or unknown. */
  function add(name: string, params?: IndicatorParams): boolean {
    const meta = catalog.value.find(name, convention.value);
    if (!meta || full.value) return false;
    const explicit = validParams(meta, params);
    const use: IndicatorUse = explicit ? { name, params: explicit } : { name };
    replace({ convention: convention.value, indicators: [...indicators.value, use] });
    return true;
  }

  function remove(index: number): void {
    if (index < 0 || index >= indicators.value.length) return;
    replace({ convention: convention.value, indicators: indicators.value.filter((_, i) => i !== index) });
  }

  /** Replaces one indicator's parameters (invalid values are not stored). */
  function setParams(index: number, params: IndicatorParams): void {
    const use = indicators.value[index];
    if (!use) return;
    const meta = catalog.value.find(use.name, use.convention ?? convention.value);
    if (!meta) return;
    const explicit = validParams(meta, params);
    const next: IndicatorUse = { name: use.name };
    if (use.convention) next.convention = use.convention;
    if (explicit) next.params = explicit;
    if (useKey(next, convention.value, catalog.value) === useKey(use, convention.value, catalog.value)) return;
    replace({ convention: convention.value, indicators: indicators.value.map((u, i) => (i === index ? next : u)) });
  }

  // ---- Persistence ------------------------------------------------------------------------------

  function schedulePersist(): void {
    clearTimeout(timer);
    timer = setTimeout(() => void flush(), PERSIST_DELAY_MS);
  }

  /** Saves a pending change now (the page is being left); resolves when the save is done. */
  function flush(): Promise<void> {
    if (timer === undefined) return saving;
    clearTimeout(timer);
    timer = undefined;
    const value = chart.value;
    saving = saving.then(() => useSettingsStore().save({ chartIndicators: value })).catch(() => undefined); // reported by the client
    return saving;
  }

  // ---- Saved sets -------------------------------------------------------------------------------

  async function loadSets(): Promise<void> {
    sets.value = await listIndicatorSets();
  }

  /** Saves the current indicators under `name`, replacing a set of that name. */
  async function saveSet(name: string): Promise<IndicatorSet> {
    const input = { name, convention: convention.value, indicators: [...indicators.value] };
    const existing = sets.value.find((s) => s.name === name);
    const saved = existing ? await replaceIndicatorSet(existing.id, input) : await createIndicatorSet(input);
    sets.value = [...sets.value.filter((s) => s.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name));
    return saved;
  }

  /** Puts a saved set on the chart; answers how many indicators were left out (over the limit). */
  function applySet(set: IndicatorSet): number {
    const value = normalizeChart({ convention: set.convention, indicators: set.indicators }, catalog.value);
    replace(value);
    return set.indicators.length - value.indicators.length;
  }

  async function deleteSet(id: number): Promise<void> {
    await deleteIndicatorSet(id);
    sets.value = sets.value.filter((s) => s.id !== id);
  }

  return {
    catalog,
    convention,
    indicators,
    sets,
    ready,
    failed,
    chart,
    full,
    init,
    setConvention,
    add,
    remove,
    setParams,
    flush,
    loadSets,
    saveSet,
    applySet,
    deleteSet,
  };
});
