import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h } from 'vue';
import { flushPromises, mount } from '@vue/test-utils';
import { getHealth } from '@/api/system';
import { sampleHealth } from '@/test/helpers';
import { useHealthMonitor } from './useHealthMonitor';

vi.mock('@/api/system', () => ({ getHealth: vi.fn() }));

let visibility: DocumentVisibilityState = 'visible';

function mountMonitor() {
  let monitor!: ReturnType<typeof useHealthMonitor>;
  const wrapper = mount(
    defineComponent({
      setup() {
        monitor = useHealthMonitor({ intervalMs: 5000, maxSamples: 3 });
        return () => h('div');
      },
    }),
  );
  return { wrapper, monitor };
}

beforeEach(() => {
  vi.useFakeTimers();
  visibility = 'visible';
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
  vi.mocked(getHealth).mockReset().mockResolvedValue(sampleHealth);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('useHealthMonitor', () => {
  it('polls on an interval, keeps bounded samples and stops on unmount', async () => {
    const { wrapper, monitor } = mountMonitor();
    await flushPromises();
    expect(getHealth).toHaveBeenCalledTimes(1);
    expect(monitor.health.value).toEqual(sampleHealth);

    for (let i = 0; i < 4; i++) await vi.advanceTimersByTimeAsync(5000);
    expect(getHealth).toHaveBeenCalledTimes(5);
    expect(monitor.samples.value).toHaveLength(3);
    expect(monitor.samples.value[2]).toMatchObject({ rssBytes: sampleHealth.memory?.rssBytes, latencyMs: 0.42 });

    wrapper.unmount();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(getHealth).toHaveBeenCalledTimes(5);
  });

  it('pauses while the window is hidden and refreshes when it is shown again', async () => {
    const { wrapper } = mountMonitor();
    await flushPromises();

    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(getHealth).toHaveBeenCalledTimes(1);

    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    await flushPromises();
    expect(getHealth).toHaveBeenCalledTimes(2);
    wrapper.unmount();
  });

  it('keeps the last good figures when a poll fails', async () => {
    const { wrapper, monitor } = mountMonitor();
    await flushPromises();
    vi.mocked(getHealth).mockRejectedValueOnce(new Error('down'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(monitor.error.value?.message).toBe('down');
    expect(monitor.health.value).toEqual(sampleHealth);
    wrapper.unmount();
  });
});
