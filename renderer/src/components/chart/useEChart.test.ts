import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick, ref } from 'vue';
import { mount } from '@vue/test-utils';
import { echarts, type ChartOption } from '@/plugins/echarts';
import { applyTheme } from '@/plugins/theme';
import { useEChart } from './useEChart';

vi.mock('@/plugins/echarts', () => ({ echarts: { init: vi.fn() } }));

function fakeChart() {
  return { setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn() };
}



function mountChart(option: ReturnType<typeof ref<ChartOption>>, hooks?: Parameters<typeof useEChart>[2]) {
  return mount(
    defineComponent({
      setup() {
        const el = ref<HTMLElement | null>(null);
        useEChart(el, () => option.value ?? {}, hooks);
        return () => h('div', { ref: el });
      },
    }),
  );
}

afterEach(() => {
  vi.mocked(echarts.init).mockReset();
  applyTheme('light');
});

describe('useEChart', () => {
  it('inits on mount, follows the option and disposes on unmount', async () => {
    const chart = fakeChart();
    vi.mocked(echarts.init).mockReturnValue(chart as never);
    const option = ref<ChartOption>({ series: [{ type: 'line', data: [1, 2] }] });

    const wrapper = mountChart(option);
    expect(echarts.init).toHaveBeenCalledWith(wrapper.element, undefined, { renderer: 'canvas' });
    expect(chart.setOption).toHaveBeenLastCalledWith(expect.objectContaining({ series: [{ type: 'line', data: [1, 2] }] }), {
      notMerge: true,
    });

    option.value = { series: [{ type: 'line', data: [3] }] };
    await nextTick();
    expect(chart.setOption).toHaveBeenLastCalledWith(expect.objectContaining({ series: [{ type: 'line', data: [3] }] }), {
      notMerge: true,
    });

    wrapper.unmount();
    expect(chart.dispose).toHaveBeenCalledOnce();
  });

  it('re-inits with the dark theme when the theme flips, keeping the option', async () => {
    const light = fakeChart();
    const dark = fakeChart();
    vi.mocked(echarts.init)
      .mockReturnValueOnce(light as never)
      .mockReturnValueOnce(dark as never);
    const option = ref<ChartOption>({ series: [{ type: 'line', data: [5] }] });
    const wrapper = mountChart(option);

    applyTheme('dark');
    await nextTick();

    expect(light.dispose).toHaveBeenCalledOnce();
    expect(echarts.init).toHaveBeenLastCalledWith(wrapper.element, 'dark', { renderer: 'canvas' });
    expect(dark.setOption).toHaveBeenCalledWith(expect.objectContaining({ series: [{ type: 'line', data: [5] }] }), {
      notMerge: true,
    });

    wrapper.unmount();
    expect(dark.dispose).toHaveBeenCalledOnce();
  });

  it('calls onInit for every new instance and onRender after every full render', async () => {
    const light = fakeChart();
    const dark = fakeChart();
    vi.mocked(echarts.init)
      .mockReturnValueOnce(light as never)
      .mockReturnValueOnce(dark as never);
    const onInit = vi.fn();
    const onRender = vi.fn((chart: ReturnType<typeof fakeChart>) => chart.setOption({ series: [{ data: [9] }] }));
    const option = ref<ChartOption>({ series: [{ type: 'line', data: [] }] });
    const wrapper = mountChart(option, { onInit, onRender: onRender as never });

    expect(onInit).toHaveBeenCalledExactlyOnceWith(light);
    expect(onRender).toHaveBeenCalledExactlyOnceWith(light);
    // The data pushed by onRender goes on top of the full option, in that order.
    expect(light.setOption.mock.calls.map((c) => c[1])).toEqual([{ notMerge: true }, undefined]);

    option.value = { series: [{ type: 'line', data: [1] }] };
    await nextTick();
    expect(onRender).toHaveBeenCalledTimes(2);

    applyTheme('dark');
    await nextTick();
    expect(onInit).toHaveBeenLastCalledWith(dark);
    expect(onRender).toHaveBeenLastCalledWith(dark);
    wrapper.unmount();
  });
});
