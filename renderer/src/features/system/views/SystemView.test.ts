import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import ElementPlus, { ElSelect } from 'element-plus';
import { getHealth, getSettings, testDistributed, updateSettings } from '@/api/system';
import { i18n, setLocale } from '@/plugins/i18n';
import { useSettingsStore } from '@/features/settings/store';
import { sampleHealth, sampleSettings } from '@/test/helpers';
import SystemView from './SystemView.vue';

vi.mock('@/api/system', () => ({
  getHealth: vi.fn(),
  getSettings: vi.fn(),
  updateSettings: vi.fn(),
  resetSettings: vi.fn(),
  testDistributed: vi.fn(),
}));
// happy-dom has no canvas: the chart wrapper gets a stub instance.
vi.mock('@/plugins/echarts', () => ({
  echarts: { init: vi.fn(() => ({ setOption: vi.fn(), resize: vi.fn(), dispose: vi.fn(), on: vi.fn() })) },
}));

let wrapper: VueWrapper | undefined;

async function mountView(): Promise<VueWrapper> {
  const pinia = createPinia();
  setActivePinia(pinia);
  await useSettingsStore().load();
  wrapper = mount(SystemView, { global: { plugins: [pinia, i18n, ElementPlus] }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

const byTestId = (w: VueWrapper, id: string) => w.get(`[data-testid="${id}"]`);

beforeEach(() => {
  setLocale('zh-CN');
  vi.mocked(getHealth).mockResolvedValue(sampleHealth);
  vi.mocked(getSettings).mockResolvedValue(sampleSettings);
  vi.mocked(updateSettings).mockReset();
});
afterEach(() => {
  wrapper?.unmount(); // stops the health poll
  wrapper = undefined;
});

describe('SystemView', () => {
  it('renders the health figures from the API', async () => {
    const w = await mountView();

    expect(getHealth).toHaveBeenCalledOnce();
    expect(byTestId(w, 'health-status').text()).toBe('ok');
    expect(byTestId(w, 'health-db-ok').text()).toBe('正常');
    expect(byTestId(w, 'health-uptime').text()).toBe('1 天 2 小时 3 分');
    expect(byTestId(w, 'health-disk-free').text()).toBe('50.0 GB');
    expect(byTestId(w, 'health-rss').text()).toBe('123 MB');
    const text = w.text();
    for (const figure of ['v20.20.0', '3.50.2', 'linux x64', '/data/mystocks.db', '5.00 MB', 'wal', '0.42 ms', '200 GB', '45.0 MB', '75% ']) {
      expect(text).toContain(figure.trim());
    }
    expect(text).not.toContain('Electron'); // absent in serve mode
  });

  it('shows degraded status and a failing database', async () => {
    vi.mocked(getHealth).mockResolvedValue({
      ...sampleHealth,
      status: 'degraded',
      database: { ...sampleHealth.database, ok: false },
    });
    const w = await mountView();
    expect(byTestId(w, 'health-status').text()).toBe('degraded');
    expect(byTestId(w, 'health-db-ok').attributes('data-ok')).toBe('false');
  });

  it('enables Save only when a setting changed, and saves just that field', async () => {
    vi.mocked(updateSettings).mockResolvedValue({ ...sampleSettings, theme: 'dark' });
    const w = await mountView();
    const save = () => byTestId(w, 'settings-save');
    expect(save().attributes('disabled')).toBeDefined();

    const themeSelect = w.findAllComponents(ElSelect).find((s) => s.attributes('data-testid') === 'setting-theme');
    expect(themeSelect).toBeDefined();
    themeSelect!.vm.$emit('update:modelValue', 'dark');
    await flushPromises();
    expect(save().attributes('disabled')).toBeUndefined();

    // Back to the saved value: nothing to save again.
    themeSelect!.vm.$emit('update:modelValue', 'light');
    await flushPromises();
    expect(save().attributes('disabled')).toBeDefined();

    themeSelect!.vm.$emit('update:modelValue', 'dark');
    await flushPromises();
    await save().trigger('submit');
    await flushPromises();

    expect(updateSettings).toHaveBeenCalledExactlyOnceWith({ theme: 'dark' });
    expect(save().attributes('disabled')).toBeDefined(); // saved: clean again
    expect(document.documentElement.classList.contains('dark')).toBe(true);
  });

  it('tests a Redis URL (workers and their concurrency) and saves distributed trials as one object', async () => {
    vi.mocked(testDistributed).mockResolvedValue({
      redisVersion: '7.0.15',
      maxmemoryPolicy: 'noeviction',
      latencyMs: 0.2,
      engineVersion: '1.0.0',
      workers: [
        { id: 'a', host: 'h1', pid: 1, concurrency: 2, engineVersion: '1.0.0', startedAt: '2026-01-01T00:00:00Z' },
        { id: 'b', host: 'h2', pid: 2, concurrency: 4, engineVersion: '1.0.0', startedAt: '2026-01-01T00:00:00Z' },
      ],
    });
    const w = await mountView();
    expect(byTestId(w, 'distributed-test').attributes('disabled')).toBeDefined(); // no URL yet
    await byTestId(w, 'distributed-url').setValue('http://x');
    expect(byTestId(w, 'distributed-test').attributes('disabled')).toBeDefined();
    await byTestId(w, 'distributed-url').setValue('redis://10.0.0.5:6379');
    await byTestId(w, 'distributed-test').trigger('click');
    await flushPromises();
    expect(testDistributed).toHaveBeenCalledExactlyOnceWith('redis://10.0.0.5:6379');
    expect(byTestId(w, 'distributed-result').text()).toContain('2 个工作进程（并发 6）');

    vi.mocked(updateSettings).mockResolvedValue({ ...sampleSettings, distributed: { enabled: true, redisUrl: 'redis://10.0.0.5:6379' } });
    await byTestId(w, 'distributed-enabled').trigger('click');
    await byTestId(w, 'distributed-save').trigger('click');
    await flushPromises();
    expect(updateSettings).toHaveBeenCalledExactlyOnceWith({ distributed: { enabled: true, redisUrl: 'redis://10.0.0.5:6379' } });
  });
});
