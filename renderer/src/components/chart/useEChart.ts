/**
 * The one ECharts composable: every chart in the app goes through it.
 *  - init on mount, with the `dark` theme while the dark theme is in effect;
 *  - re-init (keeping the current option) when the theme flips, since ECharts themes are fixed at init;
 *  - resize with its container (ResizeObserver), not only with the window;
 *  - dispose on unmount so canvases and listeners do not leak between page visits.
 */
import { onBeforeUnmount, onMounted, shallowRef, toValue, watch, type MaybeRefOrGetter, type Ref } from 'vue';
import { echarts, type ChartOption } from '@/plugins/echarts';
import { isDark } from '@/plugins/theme';

export type EChartsInstance = ReturnType<typeof echarts.init>;

export function useEChart(el: Readonly<Ref<HTMLElement | null | undefined>>, option: MaybeRefOrGetter<ChartOption>) {
  const chart = shallowRef<EChartsInstance>();
  let observer: ResizeObserver | undefined;

  function render(): void {
    // The themes bring their own background; the card behind the chart already has the right one.
    chart.value?.setOption({ backgroundColor: 'transparent', ...toValue(option) }, { notMerge: true });
  }

  function init(): void {
    if (!el.value) return;
    chart.value = echarts.init(el.value, isDark.value ? 'dark' : undefined, { renderer: 'canvas' });
    render();
  }

  function dispose(): void {
    chart.value?.dispose();
    chart.value = undefined;
  }

  onMounted(() => {
    init();
    if (el.value && typeof ResizeObserver !== 'undefined') {
      observer = new ResizeObserver(() => chart.value?.resize());
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
