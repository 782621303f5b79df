/**
 * User settings, owned by the server (GET/PATCH /api/system/settings). The store holds the last
 * saved copy and applies it live: UI language (+ `<html lang>`), theme (`html.dark`) and the
 * price colour variables. Until the first load nothing is applied and the HTML defaults stand.
 */
import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { getSettings, resetSettings, updateSettings, type Settings, type SettingsPatch } from '@/api/system';
import { setLocale } from '@/plugins/i18n';
import { applyPriceColors, applyTheme } from '@/plugins/theme';

export type { Settings, SettingsPatch };

export function applySettings(settings: Settings): void {
  setLocale(settings.language);
  applyTheme(settings.theme);
  applyPriceColors(settings.priceColors);
}

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null);

  watch(settings, (value) => value && applySettings(value), { immediate: true });

  async function load(): Promise<void> {
    settings.value = await getSettings();
  }

  /** Saves the changed fields; the server answers with all settings, which become the new state. */
  async function save(patch: SettingsPatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    settings.value = await updateSettings(patch);
  }

  async function reset(): Promise<void> {
    settings.value = await resetSettings();
  }

  return { settings, load, save, reset };
});
