import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { getSettings, resetSettings, updateSettings } from '@/api/system';
import { i18n } from '@/plugins/i18n';
import { isDark } from '@/plugins/theme';
import { sampleSettings } from '@/test/helpers';
import { useSettingsStore } from './store';

vi.mock('@/api/system', () => ({
  getSettings: vi.fn(),
  updateSettings: vi.fn(),
  resetSettings: vi.fn(),
}));

// A controllable prefers-color-scheme query, installed before the theme code first asks for it.
const listeners: (() => void)[] = [];
const media = {
  matches: false,
  addEventListener: (_: string, fn: () => void) => listeners.push(fn),
  removeEventListener: vi.fn(),
};
beforeAll(() => {
  window.matchMedia = vi.fn(() => media) as unknown as typeof window.matchMedia;
});

const root = document.documentElement;
const cssVar = (name: string) => root.style.getPropertyValue(name);

beforeEach(() => {
  setActivePinia(createPinia());
  vi.mocked(getSettings).mockReset();
  vi.mocked(updateSettings).mockReset();
  vi.mocked(resetSettings).mockReset();
  media.matches = false;
});

describe('settings store', () => {
  it('applies language, theme and price colours when loaded', async () => {
    vi.mocked(getSettings).mockResolvedValue({ language: 'en', theme: 'dark', priceColors: 'green-up', logLevel: 'DEBUG' });
    const store = useSettingsStore();

    await store.load();

    expect(i18n.global.locale.value).toBe('en');
    expect(root.lang).toBe('en');
    expect(root.classList.contains('dark')).toBe(true);
    expect(isDark.value).toBe(true);
    // green-up: rising prices green, falling red
    expect(cssVar('--ms-up-color')).toBe('#16a34a');
    expect(cssVar('--ms-down-color')).toBe('#e53935');
  });

  it('saves a patch through the API and applies the answer', async () => {
    vi.mocked(getSettings).mockResolvedValue({ ...sampleSettings, theme: 'dark' });
    vi.mocked(updateSettings).mockResolvedValue({ ...sampleSettings, theme: 'light', priceColors: 'red-up' });
    const store = useSettingsStore();
    await store.load();

    await store.save({ theme: 'light' });

    expect(updateSettings).toHaveBeenCalledWith({ theme: 'light' });
    expect(root.classList.contains('dark')).toBe(false);
    expect(i18n.global.locale.value).toBe('zh-CN');
    expect(root.lang).toBe('zh-CN');
    expect(cssVar('--ms-up-color')).toBe('#e53935');
    expect(cssVar('--ms-down-color')).toBe('#16a34a');
  });

  it('does not call the API for an empty patch', async () => {
    await useSettingsStore().save({});
    expect(updateSettings).not.toHaveBeenCalled();
  });

  it('follows the OS colour scheme live when the theme is "system"', async () => {
    media.matches = true;
    vi.mocked(getSettings).mockResolvedValue({ ...sampleSettings, theme: 'system' });
    await useSettingsStore().load();
    expect(root.classList.contains('dark')).toBe(true);

    media.matches = false;
    listeners.forEach((fn) => fn());
    expect(root.classList.contains('dark')).toBe(false);
  });

  it('reset replaces the settings with the server defaults', async () => {
    vi.mocked(getSettings).mockResolvedValue({ ...sampleSettings, language: 'en' });
    vi.mocked(resetSettings).mockResolvedValue(sampleSettings);
    const store = useSettingsStore();
    await store.load();
    await store.reset();
    expect(store.settings).toEqual(sampleSettings);
    expect(root.lang).toBe('zh-CN');
  });
});
