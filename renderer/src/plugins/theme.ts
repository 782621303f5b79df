/**
 * Applies the appearance settings to the document: `html.dark` (Element Plus's dark CSS variables
 * key off it) and the price colour variables every price display uses. Kept outside the settings
 * store so shared code (the chart wrapper) can follow the theme without depending on a feature.
 */
import { readonly, ref } from 'vue';
import type { components } from '@contracts/gen/api';

export type Theme = components['schemas']['Theme'];
export type PriceColors = components['schemas']['PriceColors'];

/** A-share convention is red for rising prices; the Western one swaps the two. */
export const PRICE_COLOR_VALUES: Record<PriceColors, { up: string; down: string }> = {
  'red-up': { up: '#e53935', down: '#16a34a' },
  'green-up': { up: '#16a34a', down: '#e53935' },
};

const colors = ref<{ up: string; down: string }>({ ...PRICE_COLOR_VALUES['red-up'] });
/**
 * The price colours in effect, for code that cannot use the CSS variables (canvas charts). Follows
 * `applyPriceColors`, so a chart watching it repaints when the setting changes.
 */
export const priceColors = readonly(colors);

const dark = ref(false);
/** Whether the dark theme is in effect right now (resolves `system`). */
export const isDark = readonly(dark);

let chosen: Theme = 'light';
let media: MediaQueryList | undefined;

function systemPrefersDark(): boolean {
  if (!media && typeof window.matchMedia === 'function') {
    media = window.matchMedia('(prefers-color-scheme: dark)');
    // Follow the OS live, but only while the user asked for `system`.
    media.addEventListener('change', () => {
      if (chosen === 'system') resolve();
    });
  }
  return media?.matches ?? false;
}

function resolve(): void {
  dark.value = chosen === 'dark' || (chosen === 'system' && systemPrefersDark());
  const root = document.documentElement;
  root.classList.toggle('dark', dark.value);
  root.style.colorScheme = dark.value ? 'dark' : 'light';
}

export function applyTheme(theme: Theme): void {
  chosen = theme;
  resolve();
}

export function applyPriceColors(mode: PriceColors): void {
  const { up, down } = PRICE_COLOR_VALUES[mode];
  colors.value = { up, down };
  const style = document.documentElement.style;
  style.setProperty('--ms-up-color', up);
  style.setProperty('--ms-down-color', down);
}
