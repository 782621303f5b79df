/**
 * The one ECharts composable: every chart in the app goes through it.
 *  - init on mount, with the `dark` theme while the dark theme is in effect;
 *  - re-init (keeping the current option) when the theme flips, since ECharts themes are fixed at init;
 *  - resize with its container (ResizeObserver), not only with the window;
 *  - dispose on unmount so canvases and listeners do not leak between page visits.
 *
 * Charts whose data changes often (the K-line chart pans and zooms at frame rate) keep the option
 * for what rarely changes (axes, colours, grids) and push their data themselves with a merging
 * `setOption`: `onInit` attaches event handlers to every new instance, and `onRender` runs after
 * every full (not merged) render, so the data can be put back on top of it.
 */
import { onBeforeUnmount, onMounted, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue';
import { echarts, type ChartOption } from '@/plugins/echarts';
import { isDark } from '@/plugins/theme';

export type EChartsInstance = ReturnType<typeof echarts.init>;

export interface UseEChartOptions {
  /** Called with each new instance (on mount and after a theme flip), e.g. to attach event handlers. */
  onInit?: (chart: EChartsInstance) => void;
  /** Called after each full render of the option (which replaces everything set before). */
  onRender?: (chart: EChartsInstance) => void;
  /** Called when the container's size changed, after the chart resized. */
  onResize?: (chart: EChartsInstance) => void;
}

export function useEChart(
  el: Readonly<Ref<HTMLElement | null | undefined>>,
  option: MaybeRefOrGetter<ChartOption>,
  hooks: UseEChartOptions = {},
) {
  const chart = shallowRef<EChartsInstance>();
  let observer: ResizeObserver | undefined;

  function render(): void {
    if (!chart.value) return;
    // The themes bring their own background; the card behind the chart already has the right one.
    chart.value.setOption({ backgroundColor: 'transparent', ...toValue(option) }, { notMerge: true });
    hooks.onRender?.(chart.value);
  }

  function init(): void {
    if (!el.value) return;
    chart.value = echarts.init(el.value, isDark.value ? 'dark' : undefined, { renderer: 'canvas' });
    hooks.onInit?.(chart.value);
    render();
  }

  function dispose(): void {
    chart.value?.dispose();
    chart.value = undefined;
  }

  onMounted(() => {
    init();
    if (el.value && typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => {
        if (!chart.value) return;
        chart.value.resize();
        hooks.onResize?.(chart.value);
      });
      observer.observe(el.value);
    }
  });

  watch(() => toValue(option), render);

  watch(isDark, () => {
    if (!chart.value) return;
    dispose();
    init();
  });

  onBeforeUnmount(() => {
    observer?.disconnect();
    observer = undefined;
    dispose();
  });

  return { chart };
}
